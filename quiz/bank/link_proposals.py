"""Proposed links (rule Q406) one question at a time, for the linter's single pass over a bank: the events a
hand-written question without `events:` seems to be about, as the plain reference of
`tests/test_lint_reference.py` finds them.

An event is proposed when the question's texts name its year and at least two key words of its title (all of
them when it has fewer) in one language. A year is a word of 3 or 4 digits, and a text has a digit once
normalised only if its NFKC form has a decimal digit: the question's texts are tested for that in one step
(most have none: they are plain, `quiz.bank.plain_text`, which one regular expression tells) before their words
are worked out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

from quiz.bank.facts import _YEAR, _key_words, _places
from quiz.bank.plain_text import is_plain
from quiz.model import LANGS, Event, Lang, Question

_DIGIT = re.compile(r"\d")
_ASCII_DIGIT = re.compile(r"[0-9]")


class LinkFinder:
    """The events by year, with the key words of their titles; `events_of(question)` proposes some of them."""

    def __init__(self, events: Sequence[Event], words: Callable[[str], tuple[str, ...]]) -> None:
        self._words = words
        self._by_year: dict[str, list[tuple[Event, Mapping[Lang, frozenset[str]]]]] = {}
        for event in events:
            keys: Mapping[Lang, frozenset[str]] = {lang: _key_words(getattr(event.title, lang)) for lang in LANGS}
            self._by_year.setdefault(str(event.date.year), []).append((event, keys))

    def events_of(self, question: Question) -> list[Event]:
        """The events `question` names the year and title of, by year, then in bank order (none for a generated
        question or one with events)."""
        if question.generated or question.events or not self._by_year:
            return []
        prompt, answer, explanation = question.prompt, question.answer, question.explanation
        texts = [prompt.ar, prompt.en, answer.ar, answer.en, explanation.ar, explanation.en]
        texts += [text for choice in question.choices for text in (choice.ar, choice.en)]
        texts += [text for item in question.items for text in (item.text.ar, item.text.en)]
        joined = "\n".join(texts)  # every text of its places (and its answer, shown or not)
        if is_plain(joined):  # most questions: letters and punctuation only (`quiz.bank.plain_text`)
            return []
        if joined.isascii():
            if not _ASCII_DIGIT.search(joined):
                return []  # no year among its words
        elif not _DIGIT.search(joined if unicodedata.is_normalized("NFKC", joined) else
                               unicodedata.normalize("NFKC", joined)):
            return []
        words = self._words
        bag: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        for lang in LANGS:
            for _, text in _places(question, lang):
                bag[lang].update(words(text))
        years = {w for w in bag["en"] | bag["ar"] if _YEAR.match(w)}
        matches: list[Event] = []
        for year in sorted(years):
            for event, keys in self._by_year.get(year, ()):
                for lang in LANGS:
                    need = keys[lang]
                    if need and len(need & bag[lang]) >= min(2, len(need)):
                        matches.append(event)
                        break
        return matches
