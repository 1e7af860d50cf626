"""timeline-quiz: a bilingual spaced-repetition quiz on timelines, with a built-in bank and teachers' banks."""

__version__ = "0.1.0"
