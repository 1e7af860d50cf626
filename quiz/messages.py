"""The interface's own words, in Arabic and English (`--help` stays English)."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs ~7 ms, and `quiz due`'s fast path prints these words
if TYPE_CHECKING:
    from typing import Literal

    from quiz.model import Bank, Question

    Lang = Literal["ar", "en"]
else:
    Lang = str

_CATALOGUE: dict[str, tuple[str, str]] | None = None


def catalogue() -> dict[str, tuple[str, str]]:
    """Every message that does not count: key → (English, Arabic), read from `messages.tsv` beside this module on
    first use (one message a line: key, English and Arabic separated by tabs; `#` starts a comment line)."""
    global _CATALOGUE
    if _CATALOGUE is None:
        import os  # already loaded by the interpreter itself: costs nothing

        path = os.path.join(os.path.dirname(__file__), "messages.tsv")
        entries: dict[str, tuple[str, str]] = {}
        with open(path, "rb") as handle:  # bytes, then decoded: half the cost of a text-mode read
            text = handle.read().decode("utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if line and line[0] != "#":
                fields = line.split("\t")
                if len(fields) != 3 or fields[0] in entries:
                    raise ValueError(f"{path}:{number}: expected a new key, its English and its Arabic, "
                                     "separated by tabs")
                entries[fields[0]] = (fields[1], fields[2])
        _CATALOGUE = entries
    return _CATALOGUE


# Messages that count something: (English one, English other). They are also the msgid / msgid_plural of the
# Arabic catalogue (quiz/locale/ar/LC_MESSAGES/quiz.po, msgctxt = the key), which gives Arabic's six forms.
PLURALS: dict[str, tuple[str, str]] = {
    "days": ("{n} day", "{n} days"),
    "when.minutes": ("in {n} min", "in {n} min"),
    "when.hours": ("in {n} h", "in {n} h"),
    "when.days": ("in {n} day", "in {n} days"),
    "when.months": ("in {n} month", "in {n} months"),
    "when.years": ("in {n} year", "in {n} years"),
    "span.minutes": ("{n} min", "{n} min"),
    "span.hours": ("{n} h", "{n} h"),
    "span.days": ("{n} day", "{n} days"),
    "span.months": ("{n} month", "{n} months"),
    "span.years": ("{n} year", "{n} years"),
    "leech": ("This question has been forgotten once: it is now marked a leech. You can suspend it with "
              "`quiz suspend {id}`, then rewrite it in your own words.",
              "This question has been forgotten {n} times: it is now marked a leech. You can suspend it with "
              "`quiz suspend {id}`, then rewrite it in your own words."),
    "stats.lapses": ("{n} lapse", "{n} lapses"),
    "stats.retention.n": ("({n} review)", "({n} reviews)"),
    "stats.answers": ("{n} answer", "{n} answers"),
    "stats.learned": ("{n} new learned", "{n} new learned"),
    "history.count": ("{n} answer", "{n} answers"),
    "questions.suspended": ("Suspended {n} question.", "Suspended {n} questions."),
    "questions.unsuspended": ("Unsuspended {n} question.", "Unsuspended {n} questions."),
    "questions.reset": ("Reset {n} question to new.", "Reset {n} questions to new."),
    "count.profiles": ("{n} profile", "{n} profiles"),
    "stats.heatmap.weeks": ("last week", "last {n} weeks"),
    "stats.heatmap.days": ("on {active} of {n} day", "on {active} of {n} days"),
    "optimize.usable": ("{n} usable review", "{n} usable reviews"),
    "count.questions": ("{n} question", "{n} questions"),
}

DOMAIN = "quiz"
_ARABIC: object | None = None


def arabic_catalogue() -> object:
    """The compiled Arabic catalogue (`gettext.GNUTranslations`), loaded on first use: a count in Arabic."""
    global _ARABIC
    if _ARABIC is None:
        import gettext
        from pathlib import Path

        _ARABIC = gettext.translation(DOMAIN, Path(__file__).resolve().parent / "locale", languages=["ar"])
    return _ARABIC


def plural_category(n: int) -> str:
    """Arabic's CLDR plural category of `n`: zero, one, two, few (n mod 100 = 3–10), many (11–99), other."""
    if n == 0:
        return "zero"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


def say(key: str, lang: Lang, **values: object) -> str:
    """The message `key` in `lang`, with its placeholders filled; a counting message (PLURALS) takes the form
    its `n` needs (Arabic: the catalogue's six forms, through gettext)."""
    if key in PLURALS:
        n = int(values.get("n", 0))  # type: ignore[call-overload]
        one, other = PLURALS[key]
        if lang == "ar":
            template = arabic_catalogue().npgettext(key, one, other, n)  # type: ignore[attr-defined]
        else:
            template = one if n == 1 else other
        return str(template).format(**values)
    english, arabic = catalogue()[key]
    template = arabic if lang == "ar" else english
    return template.format(**values) if values else template


def _in_units(seconds: float, prefix: str, lang: Lang) -> str:
    """`seconds` in minutes under an hour, hours under a day, days under 60, months under two years, else years:
    the messages `PREFIX.minutes` ... `PREFIX.years`."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return say(f"{prefix}.minutes", lang, n=minutes)
    hours = round(seconds / 3600)
    if hours < 24:
        return say(f"{prefix}.hours", lang, n=hours)
    days = round(seconds / 86400)
    if days < 60:
        return say(f"{prefix}.days", lang, n=days)
    if days < 730:
        return say(f"{prefix}.months", lang, n=round(days / 30.4))
    return say(f"{prefix}.years", lang, n=round(days / 365.25))


def span(seconds: float, lang: Lang) -> str:
    """A length of time: '10 min', '4 days', «10 دقائق», «يومان» (the rating prompt's intervals)."""
    return _in_units(seconds, "span", lang)


def humanize_delta(seconds: float, lang: Lang) -> str:
    """'in 10 min', 'in 3 days', 'tomorrow', … for a time that far in the future."""
    if seconds < 60:
        return say("when.now", lang)
    if round(seconds / 3600) >= 24 and round(seconds / 86400) <= 1:
        return say("when.day", lang)
    return _in_units(seconds, "when", lang)


def duration(seconds: float, lang: Lang) -> str:
    """'45 s', '12 min', '3 h 05 min'."""
    total = int(round(seconds))
    if total < 60:
        return say("duration.s", lang, s=total)
    minutes = total // 60
    if minutes < 60:
        return say("duration.m", lang, m=minutes)
    return say("duration.hm", lang, h=minutes // 60, m=minutes % 60)


def interval(days: float | None, lang: Lang) -> str:
    """An interval in days as the learner thinks of it: '10 min', '3 h', '12 days'."""
    if days is None:
        return "—"
    seconds = days * 86400
    if seconds < 3600:
        return say("duration.m", lang, m=max(1, round(seconds / 60)))
    if days < 1:
        return say("duration.h", lang, h=round(seconds / 3600))
    return say("day", lang) if round(days) == 1 else say("days", lang, n=round(days))


def kind_label(kind: str, lang: Lang) -> str:
    """What a question kind (a `Kind`, or its value) is called: 'multiple choice', 'اختيار من متعدد', …"""
    return say("kind." + getattr(kind, "value", kind), lang)


def source_line(question: Question, bank: Bank, lang: Lang) -> str:
    """'Source: <document title>, <era>, paragraph N' in the given language."""
    source = question.source
    if source is None:
        return say("source.none", lang)
    doc = bank.document(source.doc)
    title = doc.title.get(lang) if doc else source.doc
    parts = [title]
    if doc and doc.published:
        parts[0] += f" ({doc.published})"
    if doc and doc.author:
        parts.append(doc.author)
    if source.era == "intro":
        parts.append(say("source.intro", lang))
    elif source.era:
        era = bank.era(source.era)
        parts.append(era.title.get(lang) if era else source.era)
    if source.para is not None:
        parts.append(say("source.para", lang, n=source.para))
    return say("source", lang, parts=("، " if lang == "ar" else ", ").join(parts))
