"""Reading one field of a bank item: its grammar (key, type, shape) into a `quiz.model` value.

`FieldReader` holds what every field reader needs (the problems found, the ids seen, the references to check once
every file is read) and one method per kind of field: ids, bilingual texts, tags, flags, sources, dates, lists of
years, event links, era references, accepted answers. Each reports through a rule of the rulebook
(`quiz.bank.rules`) and returns the value it could read (an empty one when it could not). `quiz.bank.format`'s
`Checker` builds on it to read whole documents, eras, events and questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quiz.bank import rules as R
from quiz.bank.reader import Map, Seq
from quiz.bank.rules import DATE_RE, ID_RE, LANG_NAMES
from quiz.errors import Problem
from quiz.model import LANGS, Alternatives, EventDate, Location, Source, Text

SOURCE_KEYS = ("doc", "era", "para")

Ref = tuple[str, str, Location]
"""(id, what names it, where): a reference checked once every file is read."""


class FieldReader:
    """Reads single fields, collecting every problem; the state shared by all readers of one bank."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.ids: dict[tuple[str, str], Location] = {}
        # items whose id repeats an earlier one: checked like any other, but not added to the bank
        self.duplicates: set[int] = set()
        # checks that need every file: (what, location, value)
        self.era_refs: list[Ref] = []
        self.doc_refs: list[tuple[Source, Location, str]] = []
        self.event_refs: list[Ref] = []  # (event id, what, where) named by `events:`

    def report(self, rule: R.Rule, path: str, line: int, message: str) -> None:
        self.problems.append(rule.problem(path, line, message))

    @property
    def languages(self) -> tuple[Any, ...]:
        """The languages texts must be given in (a missing one is not a missing translation)."""
        return LANGS

    def _unknown(self, path: str, line: int, key: str, allowed: Sequence[str], where: str) -> None:
        import difflib  # only when a key is wrong

        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        self.report(R.UNKNOWN_KEY, path, line, f"unknown key '{key}' {where} ({hint})")

    def _keys(self, path: str, item: Any, allowed: Sequence[str], what: str) -> None:
        for key in item:
            if key not in allowed:
                self._unknown(path, item.line_of(key), key, allowed, f"in {what}")

    def _item_id(self, path: str, item: Any, allowed: Sequence[str], table: str, label: str) -> str | None:
        """The start of reading an item of a section: its keys checked against `allowed`, then its id (`_id`)."""
        self._keys(path, item, allowed, ("an " if label[0] in "aeiou" else "a ") + label)
        return self._id(path, item, table, label)

    def _id(self, path: str, item: Any, table: str, label: str) -> str | None:
        if "id" not in item:
            self.report(R.MISSING_ID, path, item.line, f"{label} has no 'id'; add id: a-lowercase-id")
            return None
        value = item["id"]
        line = item.line_of("id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.report(R.BAD_ID, path, line, f"{label} id {value!r} is not valid; use lowercase letters, digits and "
                        "hyphens, like 'cuban-missile-crisis'")
            return None
        here = Location(path, line)
        if table == "question" and value.startswith("gen-"):
            self.report(R.RESERVED_ID, path, line,
                        f"question id '{value}' starts with 'gen-', which is kept for generated "
                        "questions; choose another id")
        first = self.ids.get((table, value))
        if first is not None:
            self.report(R.DUPLICATE_ID, path, line, f"duplicate {label} id '{value}' (first defined at {first}); "
                        "rename one of them")
            self.duplicates.add(id(item))
            return value
        self.ids[(table, value)] = here
        return value

    def _text(self, path: str, item: Any, key: str, what: str, *, required: bool = True) -> Text:
        if key not in item or item[key] is None:
            if required:
                self.report(R.MISSING_FIELD, path, item.line, f"{what} has no '{key}'; add {key}: {{ar: ..., en: ...}}")
            return Text()
        return self._text_value(path, item[key], item.line_of(key), what, key, required=required)

    def _text_value(self, path: str, value: Any, line: int, what: str, key: str, *, required: bool = True,
                    extra: tuple[str, ...] = ()) -> Text:
        """A bilingual mapping {ar: ..., en: ...}; `extra` keys may sit beside the two languages."""
        if value.__class__ is Map and len(value) == 2:  # the usual case, checked quickly: {ar: text, en: text}
            ar, en = value.get("ar"), value.get("en")
            if ar.__class__ is str and en.__class__ is str:
                ar, en = ar.strip(), en.strip()
                if ar and en:
                    return Text(ar, en)
        if isinstance(value, str):
            self.report(R.BAD_TYPE, path, line,
                        f"{what}: '{key}' must give both languages, like {key}: {{ar: ..., en: ...}}")
            return Text()
        if not isinstance(value, Map):
            self.report(R.BAD_TYPE, path, line, f"{what}: '{key}' must be a mapping {{ar: ..., en: ...}}")
            return Text()
        for lang in value:
            if lang not in ("ar", "en", *extra):
                self._unknown(path, value.line_of(lang), lang, ("ar", "en", *extra), f"'{key}' of {what}")
        parts: dict[str, str] = {}
        for lang in ("ar", "en"):
            raw = value.get(lang)
            if raw is None:
                parts[lang] = ""
            elif isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
                parts[lang] = str(raw).strip()
            else:
                self.report(R.BAD_TYPE, path, value.line_of(lang), f"{what}: '{key}.{lang}' must be text")
                parts[lang] = ""
        if not parts["ar"] and not parts["en"]:
            if required:
                self.report(R.EMPTY_TEXT, path, line, f"{what}: '{key}' is empty; write it in Arabic and English")
        else:
            languages = self.languages
            for lang in languages:
                if not parts[lang]:
                    self.report(R.MISSING_TRANSLATION, path, line,
                                f"{what} has no {LANG_NAMES[lang]} {key}; add {key}.{lang}")
        return Text(parts["ar"], parts["en"])

    def _tags(self, path: str, item: Any, what: str) -> tuple[str, ...]:
        value = item.get("tags")
        if value is None:
            return ()
        if not isinstance(value, Seq) or not all(isinstance(t, str) and ID_RE.match(t) for t in value):
            self.report(R.BAD_TYPE, path, item.line_of("tags"), f"{what}: 'tags' must be a list of lowercase ids, like "
                        "[treaty, arms-control]")
            return ()
        return tuple(dict.fromkeys(value))

    def _bool(self, path: str, item: Any, key: str, what: str, default: bool) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.report(R.BAD_TYPE, path, item.line_of(key), f"{what}: '{key}' must be true or false")
            return default
        return value

    def _source(self, path: str, item: Any, what: str) -> Source | None:
        value = item.get("source")
        if value is None:
            return None
        line = item.line_of("source")
        if not isinstance(value, Map):
            self.report(R.BAD_TYPE, path, line,
                        f"{what}: 'source' must be a mapping like {{doc: timeline, era: cold-war, "
                        "para: 3}")
            return None
        self._keys(path, value, SOURCE_KEYS, f"the source of {what}")
        doc = value.get("doc")
        if not isinstance(doc, str) or not doc:
            self.report(R.MISSING_FIELD, path, line,
                        f"{what}: source has no 'doc'; name a document declared under 'sources'")
            return None
        era = value.get("era")
        if era is not None and not isinstance(era, str):
            self.report(R.BAD_TYPE, path, value.line_of("era"), f"{what}: source 'era' must be an era id")
            era = None
        para = value.get("para")
        if para is not None and (not isinstance(para, int) or isinstance(para, bool) or para < 1):
            self.report(R.BAD_PARAGRAPH, path, value.line_of("para"),
                        f"{what}: source 'para' must be a paragraph number from 1")
            para = None
        source = Source(doc, era, para)
        self.doc_refs.append((source, Location(path, line), what))
        return source

    def _cited_source(self, path: str, item: Any, what: str) -> Source | None:
        """The source of an event or question (`_source`), with a warning when it names none it could read."""
        source = self._source(path, item, what)
        if source is None:
            self.report(R.NO_SOURCE, path, item.line,
                        f"{what} has no source; add source: {{doc: ..., era: ..., para: N}}")
        return source

    def _date(self, path: str, item: Any, what: str) -> EventDate | None:
        if "date" not in item:
            self.report(R.MISSING_FIELD, path, item.line,
                        f"{what} has no 'date'; add date: YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        raw = item["date"]
        line = item.line_of("date")
        match = DATE_RE.match(str(raw)) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
        if not match:
            self.report(R.BAD_DATE, path, line, f"{what}: date {raw!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            self.report(R.BAD_DATE, path, line, f"{what}: month {month} in date {raw!r} is not 1-12")
            return None
        if day is not None:
            import calendar

            last = calendar.monthrange(year if year > 0 else 2000, month or 1)[1]
            if not 1 <= day <= last:
                self.report(R.BAD_DATE, path, line, f"{what}: day {day} in date {raw!r} does not exist")
                return None
        return EventDate(year, month, day)


    def _two_or_more(self, path: str, item: Any, key: str, rule: R.Rule, message: str) -> Seq | None:
        """The list under `key` when it has two entries or more; None when it is absent, or when it is not such a
        list (then reported under `rule` with `message`)."""
        raw = item.get(key)
        if raw is None:
            return None
        if not isinstance(raw, Seq) or len(raw) < 2:
            self.report(rule, path, item.line_of(key), message)
            return None
        return raw

    def _years(self, path: str, item: Any, key: str, what: str) -> tuple[int, ...]:
        value = item.get(key)
        if value is None:
            return ()
        if not isinstance(value, Seq) or not all(isinstance(y, int) and not isinstance(y, bool) for y in value):
            self.report(R.BAD_TYPE, path, item.line_of(key), f"{what}: '{key}' must be a list of years, like "
                        f"{key}: [1961, 1963]")
            return ()
        return tuple(dict.fromkeys(value))

    def _event_links(self, path: str, item: Any, what: str) -> tuple[str, ...]:
        value = item.get("events")
        if value is None:
            return ()
        line = item.line_of("events")
        if not isinstance(value, Seq) or not all(isinstance(e, str) and ID_RE.match(e) for e in value):
            self.report(R.BAD_TYPE, path, line, f"{what}: 'events' must be a list of event ids, like "
                        "events: [alaska-sale]")
            return ()
        for event_id in value:
            self.event_refs.append((event_id, what, Location(path, line)))
        return tuple(dict.fromkeys(value))

    def _era_ref(self, path: str, item: Any, what: str) -> str | None:
        value = item.get("era")
        if not isinstance(value, str) or not value:
            self.report(R.MISSING_FIELD, path, item.line_of("era") if "era" in item else item.line,
                        f"{what} has no 'era'; add era: an-era-id")
            return None
        self.era_refs.append((value, what, Location(path, item.line_of("era"))))
        return value

    def _accept(self, path: str, item: Any, what: str) -> Alternatives:
        value = item.get("accept")
        if value is None:
            return Alternatives()
        line = item.line_of("accept")
        if not isinstance(value, Map):
            self.report(R.BAD_TYPE, path, line, f"{what}: 'accept' must be a mapping {{ar: [...], en: [...]}}")
            return Alternatives()
        for lang in value:
            if lang not in ("ar", "en"):
                self._unknown(path, value.line_of(lang), lang, ("ar", "en"), f"'accept' of {what}")
        lists: dict[str, tuple[str, ...]] = {"ar": (), "en": ()}
        for lang in ("ar", "en"):
            raw = value.get(lang)
            if raw is None:
                continue
            if not isinstance(raw, Seq) or not all(isinstance(x, (str, int)) for x in raw):
                self.report(R.BAD_TYPE, path, value.line_of(lang), f"{what}: 'accept.{lang}' must be a list of answers")
                continue
            texts = tuple(str(x).strip() for x in raw)
            for text in texts:
                if R.wrong_script(text, lang):
                    self.report(R.CROSS_SCRIPT, path, value.line_of(lang), f"{what}: accepted answer {text!r} under "
                                f"'accept.{lang}' is not written in {LANG_NAMES[lang]}; list it under the other "
                                "language")
            lists[lang] = texts
        return Alternatives(lists["ar"], lists["en"])

