"""timeline-quiz: a bilingual spaced-repetition quiz on the history of US-Russia relations."""

__version__ = "0.1.0"
