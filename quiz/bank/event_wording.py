"""How generated questions word one event: its date as people write it, its title inside a sentence (lower-cased
unless it starts with a name, quoted in Arabic) and beside its date, worked out once per event (`_Words`) for
every template of `quiz.bank.generate` that names it.
"""

from __future__ import annotations

import functools
import re

from quiz.model import Event, EventDate, Lang, OrderItem, Text

AR_MONTHS = (
    "يناير/كانون الثاني", "فبراير/شباط", "مارس/آذار", "أبريل/نيسان", "مايو/أيار", "يونيو/حزيران",
    "يوليو/تموز", "أغسطس/آب", "سبتمبر/أيلول", "أكتوبر/تشرين الأول", "نوفمبر/تشرين الثاني", "ديسمبر/كانون الأول",
)
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)


@functools.lru_cache(maxsize=4096)
def date_text(date: EventDate) -> Text:
    """A date as people write it: '4 October 1957' / '4 أكتوبر/تشرين الأول 1957'."""
    if date.month is None:
        return Text(str(date.year), str(date.year))
    ar = f"{AR_MONTHS[date.month - 1]} {date.year}"
    en = f"{EN_MONTHS[date.month - 1]} {date.year}"
    if date.day:
        ar, en = f"{date.day} {ar}", f"{date.day} {en}"
    return Text(ar, en)


def _tags(*said: _Words) -> tuple[str, ...]:
    """"generated", then the tags of the events in order, each once."""
    return said[0].tags if len(said) == 1 else tuple(dict.fromkeys(sum((s.tags for s in said), ())))


class _Words:
    """What the templates say of one event, worked out once: an event is named by many generated questions (its
    year and era questions, every comparison and order it is in)."""

    __slots__ = ("ar", "en", "item", "quoted", "lower", "when_ar", "when_en", "dated_ar", "dated_cap", "dated_lower",
                 "tags")

    def __init__(self, event: Event) -> None:
        title = event.title
        self.ar = title.ar
        self.en = _cap(title.en)  # empty exactly when the title's English is
        self.item = OrderItem(Text(self.ar, self.en), event.date.year)  # its text is a *which came first* choice
        self.quoted = _quoted(title.ar)
        self.lower = _lower(title.en)
        self.when_ar = _when(title, event.date, "ar")
        self.when_en = _when(title, event.date, "en")
        self.dated_ar = f"{title.get('ar')} ({self.when_ar})"  # "<title> (<date>)", the title's capital kept
        dated_en = f"{title.get('en')} ({self.when_en})"
        self.dated_cap = _cap(dated_en)
        self.dated_lower = _lower(dated_en)
        self.tags = tuple(dict.fromkeys(("generated", *event.tags)))


_KEEP_CAPITAL = ("US", "USA", "UK", "NATO", "START", "SALT", "ABM", "INF", "CFE", "New ", "Russia", "Soviet")


def _lower(text: str) -> str:
    """A title inside a sentence: its first letter lower-cased, unless it starts a name or an acronym
    ("The sale of Alaska" -> "the sale of Alaska"; "NATO's …", "Russia's …" stay)."""
    first = text.split(" ", 1)[0]
    if not text or text.startswith(_KEEP_CAPITAL) or (len(first) > 1 and first[1:2].isupper()):
        return text
    if first in ("The", "A", "An") or first[:1].isupper() and first.lower() in _COMMON_STARTS:
        return text[:1].lower() + text[1:]
    return text


_COMMON_STARTS = frozenset(
    "the a an signing sale opening launch entry end start fall collapse dissolution annexation withdrawal "
    "election meeting summit treaty talks attack attacks invasion suspension expulsion creation founding "
    "admission accession reset landing crisis war revolution surrender conference agreement visit speech "
    "first second halt order".split()
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quoted(title: str) -> str:
    """An Arabic title embedded in a sentence, in «…»; quotation marks inside it become "…", as Arabic nests them
    («توقيع معاهدة "نيو ستارت"»), so that every title's end is marked."""
    return "«" + title.replace("«", '"').replace("»", '"') + "»"


def _when(title: Text, date: EventDate, lang: Lang) -> str:
    """The date shown beside a title: only the year when the title already names the day and month
    ("The September 11 attacks" / «هجمات 11 سبتمبر/أيلول»), so that an explanation states a date once."""
    if date.day and date.month:
        text = title.get(lang)
        month = (EN_MONTHS if lang == "en" else AR_MONTHS)[date.month - 1].split("/")[0]
        if re.search(rf"(?<!\d){date.day}(?!\d)", text) and month in text:
            return str(date.year)
    return date_text(date).get(lang)
