"""The bank format: the grammar of a bank file, its keys and types, read into `quiz.model` values.

`Checker` walks the plain data `quiz.bank.reader` built (mappings that know their lines), turns each document,
era, event and question into its model value, and reports every problem through a rule of the rulebook
(`quiz.bank.rules`), which also decides every check about content. `finish()` runs the checks that need every
file, then adds the generated questions (`quiz.bank.generate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from quiz.bank import rules as R
from quiz.bank.files import BankRoot
from quiz.bank.generate import generate_questions
from quiz.bank.reader import Map, Seq
from quiz.bank.rules import BLANK_RE, DATE_RE, ID_RE, KIND_FIELDS, KIND_ONLY, LANG_NAMES
from quiz.errors import Problem
from quiz.model import (
    LANGS,
    Alternatives,
    Bank,
    BankInfo,
    Document,
    Era,
    Event,
    EventDate,
    Kind,
    Location,
    OrderItem,
    Question,
    Source,
    Text,
)

TOP_KEYS = ("bank", "sources", "eras", "events", "questions")
BANK_KEYS = ("id", "title", "deck", "description", "subject", "languages")
DOC_KEYS = ("id", "title", "author", "published", "file", "kind")
ERA_KEYS = ("id", "start", "end", "title", "draft")
EVENT_KEYS = (
    "id", "date", "era", "title", "detail", "source", "tags", "generate", "draft",
    "year_question", "distractors", "also_right",
)
QUESTION_KEYS = (
    "id", "kind", "era", "prompt", "answer", "accept", "choices", "items", "tolerance",
    "explanation", "source", "tags", "draft", "events",
)
SOURCE_KEYS = ("doc", "era", "para")


class Checker:
    """Collects every problem while turning parsed files into model values."""

    def __init__(self, roots: Sequence[BankRoot] = ()) -> None:
        self.roots: tuple[BankRoot, ...] = tuple(roots) or (BankRoot("bank"),)
        self.infos: dict[int, BankInfo] = {}  # root position -> what its `bank:` mapping says
        self.root = 0  # the root of the file being read
        self.problems: list[Problem] = []
        self.documents: list[Document] = []
        self.eras: list[Era] = []
        self.events: list[Event] = []
        self.questions: list[Question] = []
        self.ids: dict[tuple[str, str], Location] = {}
        # items whose id repeats an earlier one: checked like any other, but not added to the bank
        self.duplicates: set[int] = set()
        # checks that need every file: (what, location, value)
        self.era_refs: list[tuple[str, str, Location]] = []
        self.doc_refs: list[tuple[Source, Location, str]] = []
        self.era_banks: dict[str, str] = {}  # era id -> the bank defining it
        self.event_refs: list[tuple[str, str, Location]] = []  # (event id, what, where) named by `events:`

    def report(self, rule: R.Rule, path: str, line: int, message: str) -> None:
        self.problems.append(rule.problem(path, line, message))

    # files
    def read_file(self, path: str, data: Any, root: int = 0) -> None:
        """Read one parsed file of the bank root at position `root` (files declaring `bank:` first)."""
        self.root = root if 0 <= root < len(self.roots) else 0
        for key in data:
            if key not in TOP_KEYS:
                self._unknown(path, data.line_of(key), key, TOP_KEYS, "at the top of the file")
        if data.get("bank") is not None:
            self._bank_info(path, data["bank"], data.line_of("bank"))
        for key, reader in (("sources", self._document), ("eras", self._era), ("events", self._event),
                            ("questions", self._question)):
            if key not in data or data[key] is None:
                continue
            items = data[key]
            if not isinstance(items, Seq):
                self.report(R.NOT_A_LIST, path, data.line_of(key),
                            f"'{key}' must be a list of mappings (each item starts "
                            "with '- ')")
                continue
            for index, item in enumerate(items):
                line = items.item_lines[index]
                if not isinstance(item, Map):
                    self.report(R.NOT_AN_ITEM, path, line, f"each item of '{key}' must be a mapping with an 'id'")
                    continue
                reader(path, item)

    @property
    def bank_id(self) -> str:
        """The id of the bank the file being read belongs to."""
        info = self.infos.get(self.root)
        return info.id if info is not None else self.roots[self.root].default_id

    @property
    def languages(self) -> tuple[Any, ...]:
        """The languages of the bank the file being read belongs to (a missing one is not a missing translation)."""
        info = self.infos.get(self.root)
        return info.languages if info is not None else LANGS

    def _bank_info(self, path: str, value: Any, line: int) -> None:
        root = self.roots[self.root]
        first = self.infos.get(self.root)
        if first is not None:
            self.report(R.BANK_TWICE, path, line, f"this bank is described twice (first at {first.loc}); keep one "
                        "'bank:' mapping per bank, in its bank.yaml")
            return
        if not isinstance(value, Map):
            self.report(R.BANK_NOT_MAPPING, path, line, "'bank' must be a mapping, like bank: {id: my-bank, "
                        "title: {ar: ..., en: ...}}")
            return
        value = _any(value)  # a reader.Map: it knows the lines of its keys
        self._keys(path, value, BANK_KEYS, "the bank's description")
        bank_id = root.default_id
        if "id" in value:
            raw = value["id"]
            if R.is_id(raw):
                bank_id = raw
            else:
                self.report(R.BAD_ID, path, value.line_of("id"), f"bank id {raw!r} is not valid; use lowercase "
                            "letters, digits and hyphens, like 'european-union'")
        what = f"bank '{bank_id}'"
        languages: tuple[Any, ...] = LANGS
        if value.get("languages") is not None:
            raw_langs = value["languages"]
            if (isinstance(raw_langs, Seq) and raw_langs and all(lang in LANGS for lang in raw_langs)
                    and len(set(raw_langs)) == len(raw_langs)):
                languages = tuple(raw_langs)
            else:
                self.report(R.BAD_TYPE, path, value.line_of("languages"),
                            f"{what}: 'languages' must list ar, en or both, like languages: [ar, en]")
        self.infos[self.root] = BankInfo(bank_id, languages=languages)  # so its own texts are read in them
        texts = {key: self._text(path, value, key, what, required=key == "title") for key in BANK_KEYS[1:5]}
        title = texts["title"]
        self.infos[self.root] = BankInfo(
            bank_id, title, texts["deck"] if texts["deck"].ar or texts["deck"].en else title,
            texts["description"], texts["subject"] if texts["subject"].ar or texts["subject"].en else title,
            languages, root.builtin, Location(path, line),
        )

    def _unknown(self, path: str, line: int, key: str, allowed: Sequence[str], where: str) -> None:
        import difflib

        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        self.report(R.UNKNOWN_KEY, path, line, f"unknown key '{key}' {where} ({hint})")

    def _keys(self, path: str, item: Any, allowed: Sequence[str], what: str) -> None:
        for key in item:
            if key not in allowed:
                self._unknown(path, item.line_of(key), key, allowed, f"in {what}")

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

    # sections
    def _document(self, path: str, item: Any) -> None:
        self._keys(path, item, DOC_KEYS, "a source document")
        doc_id = self._id(path, item, "document", "source document")
        if doc_id is None:
            return
        what = f"source document '{doc_id}'"
        title = self._text(path, item, "title", what)
        kind = item.get("kind", "reference")
        if kind not in ("reference", "opinion"):
            self.report(R.BAD_TYPE, path, item.line_of("kind"), f"{what}: 'kind' must be reference or opinion")
            kind = "reference"
        if id(item) in self.duplicates:
            return
        self.documents.append(Document(
            doc_id, title, str(item.get("author", "")), str(item.get("published", "")), str(item.get("file", "")),
            kind, Location(path, item.line),
        ))

    def _era(self, path: str, item: Any) -> None:
        self._keys(path, item, ERA_KEYS, "an era")
        era_id = self._id(path, item, "era", "era")
        if era_id is None:
            return
        what = f"era '{era_id}'"
        bounds: list[int] = []
        for key in ("start", "end"):
            value = item.get(key)
            if not isinstance(value, int) or isinstance(value, bool):
                self.report(R.MISSING_FIELD, path, item.line_of(key) if key in item else item.line,
                            f"{what} needs '{key}' as a year, like {key}: 1945")
                return
            bounds.append(value)
        if bounds[0] > bounds[1]:
            self.report(R.BAD_SPAN, path, item.line_of("start"),
                        f"{what} starts in {bounds[0]}, after it ends in {bounds[1]}; "
                        "swap start and end")
            return
        title = self._text(path, item, "title", what)
        draft = self._bool(path, item, "draft", what, False)
        if id(item) in self.duplicates:
            return
        self.eras.append(Era(era_id, bounds[0], bounds[1], title, draft, Location(path, item.line)))
        self.era_banks[era_id] = self.bank_id

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

    def _event(self, path: str, item: Any) -> None:
        self._keys(path, item, EVENT_KEYS, "an event")
        event_id = self._id(path, item, "event", "event")
        if event_id is None:
            return
        what = f"event '{event_id}'"
        date = self._date(path, item, what)
        era = self._era_ref(path, item, what)
        title = self._text(path, item, "title", what)
        last = self.problems[-1] if self.problems else None
        if last is not None and last.rule == R.MISSING_TRANSLATION.code and (title.ar or title.en):
            lang = "ar" if not title.ar else "en"
            self.problems[-1] = R.NO_TITLE_IN_LANG.problem(
                path, last.line, f"{what} has no {LANG_NAMES[lang]} title, so no {LANG_NAMES[lang]} question is "
                f"generated from it; add title.{lang}")
        detail = self._text(path, item, "detail", what, required=False)
        source = self._source(path, item, what)
        if source is None:
            self.report(R.NO_SOURCE, path, item.line,
                        f"{what} has no source; add source: {{doc: ..., era: ..., para: N}}")
        tags = self._tags(path, item, what)
        generate = self._bool(path, item, "generate", what, True)
        draft = self._bool(path, item, "draft", what, False)
        year_question = self._text(path, item, "year_question", what, required=False)
        distractors = self._years(path, item, "distractors", what)
        also_right = self._years(path, item, "also_right", what)
        if date is None or era is None or id(item) in self.duplicates:
            return
        for key, years in (("distractors", distractors), ("also_right", also_right)):
            if date.year in years:
                self.report(R.BAD_DISTRACTOR, path, item.line_of(key), f"{what}: '{key}' lists {date.year}, the "
                            "event's own year; remove it")
        both = sorted(set(distractors) & set(also_right))
        if both:
            self.report(R.BAD_DISTRACTOR, path, item.line_of("distractors"), f"{what}: {both[0]} is both a "
                        "distractor and also right; remove it from one of them")
        self.events.append(Event(event_id, date, era, title, detail, source, tags, generate, draft,
                                 Location(path, item.line), self.bank_id, year_question, distractors, also_right))

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

    def _question(self, path: str, item: Any) -> None:
        """A question. An unfinished draft (`draft: true` with mistakes, as `quiz add` saves a question the teacher
        could not finish) reports its mistakes as warnings and stays out of the bank until they are fixed."""
        if item.get("draft") is not True:
            self._question_fields(path, item)
            return
        start, count = len(self.problems), len(self.questions)
        self._question_fields(path, item)
        errors = [i for i in range(start, len(self.problems)) if self.problems[i].severity == "error"]
        for i in errors:
            problem = self.problems[i]
            self.problems[i] = replace(problem, severity="warning",
                                       message=f"{problem.message} (unfinished draft: fix it, then remove draft: true)")
        if errors:
            del self.questions[count:]

    def _question_fields(self, path: str, item: Any) -> None:
        self._keys(path, item, QUESTION_KEYS, "a question")
        qid = self._id(path, item, "question", "question")
        if qid is None:
            return
        raw_kind = item.get("kind")
        try:
            kind = Kind(raw_kind)
        except ValueError:
            hint = ", ".join(k.value for k in Kind)
            self.report(R.BAD_KIND, path, item.line_of("kind") if "kind" in item else item.line,
                        f"question '{qid}' has kind {raw_kind!r}; use one of: {hint}")
            return
        what = f"{kind.value} question '{qid}'"
        era = self._era_ref(path, item, what)
        for key in KIND_FIELDS[kind]:
            if key not in item and key != "prompt":  # a missing prompt is reported by _text below
                self.report(R.MISSING_FIELD, path, item.line, f"{what} has no '{key}'; add it")
        for key, kinds in KIND_ONLY.items():
            if key in item and kind not in kinds:
                self.report(R.FIELD_NOT_FOR_KIND, path, item.line_of(key), f"{what}: '{key}' is only for "
                            + " and ".join(k.value for k in kinds) + " questions; remove it")
        prompt = self._text(path, item, "prompt", what, required=kind is not Kind.ORDER)
        explanation = self._text(path, item, "explanation", what, required=False)
        if "explanation" not in item:
            self.report(R.NO_EXPLANATION, path, item.line,
                        f"{what} has no explanation; add explanation: {{ar: ..., en: ...}}")
        source = self._source(path, item, what)
        if source is None:
            self.report(R.NO_SOURCE, path, item.line,
                        f"{what} has no source; add source: {{doc: ..., era: ..., para: N}}")
        tags = self._tags(path, item, what)
        draft = self._bool(path, item, "draft", what, False)
        links = self._event_links(path, item, what)
        accept = self._accept(path, item, what)
        tolerance = item.get("tolerance", 0)
        if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance < 0:
            self.report(R.BAD_TYPE, path, item.line_of("tolerance"),
                        f"{what}: 'tolerance' must be a whole number of years "
                        "(0 or more)")
            tolerance = 0
        answer = Text()
        choices: tuple[Text, ...] = ()
        items: tuple[OrderItem, ...] = ()
        truth: bool | None = None
        if kind is Kind.TRUEFALSE:
            value = item.get("answer")
            if "answer" in item and not isinstance(value, bool):
                self.report(R.BAD_TYPE, path, item.line_of("answer"), f"{what}: 'answer' must be true or false")
            truth = value if isinstance(value, bool) else None
        elif kind is Kind.CLOZE:
            answer = self._cloze(path, item, what, prompt)
        elif kind is not Kind.ORDER and "answer" in item:
            answer = self._text(path, item, "answer", what)
        if kind is Kind.CHOICE:
            choices = self._choices(path, item, what, answer)
        if kind is Kind.ORDER:
            items = self._items(path, item, what)
            if not prompt.ar and not prompt.en:
                prompt = Text("رتّب ما يلي ترتيبًا زمنيًا، من الأقدم إلى الأحدث.",
                              "Put these in chronological order, oldest first.")
        if tolerance and kind is Kind.TYPED and not (answer.en or answer.ar).strip().isdigit():
            self.report(R.TOLERANCE, path, item.line_of("tolerance"),
                        f"{what}: 'tolerance' needs a numeric answer (a year)")
        if era is None or id(item) in self.duplicates:
            return
        self.questions.append(Question(
            qid, kind, era, prompt, answer, explanation, source, accept, choices, items, truth, tolerance, tags,
            False, links, draft, Location(path, item.line), self.bank_id,
        ))

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

    def _cloze(self, path: str, item: Any, what: str, prompt: Text) -> Text:
        parts: dict[str, str] = {}
        line = item.line_of("prompt")
        for lang in ("ar", "en"):
            text = getattr(prompt, lang)
            if not text:
                parts[lang] = ""
                continue
            blanks = BLANK_RE.findall(text)
            if not blanks:
                self.report(R.CLOZE_BLANK, path, line,
                            f"{what} has no {{{{blank}}}} in its {LANG_NAMES[lang]} prompt; mark the "
                            "missing words like {{Lend-Lease}}")
            elif len(blanks) > 1:
                self.report(R.CLOZE_BLANK, path, line,
                            f"{what} has {len(blanks)} blanks in its {LANG_NAMES[lang]} prompt; "
                            "use exactly one per question")
            parts[lang] = blanks[0].strip() if blanks else ""
        if "answer" in item:
            self.report(R.FIELD_NOT_FOR_KIND, path, item.line_of("answer"),
                        f"{what}: a cloze's answer is the text inside {{{{...}}}}; "
                        "remove 'answer' (use 'accept' for other spellings)")
        return Text(parts["ar"], parts["en"])

    def _choices(self, path: str, item: Any, what: str, answer: Text) -> tuple[Text, ...]:
        raw = item.get("choices")
        if raw is None:
            return ()
        line = item.line_of("choices")
        if not isinstance(raw, Seq) or len(raw) < 2:
            self.report(R.TOO_FEW_CHOICES, path, line, f"{what}: 'choices' must be a list of at least two options")
            return ()
        choices = [
            self._text_value(path, value, raw.item_lines[index], what, f"choices[{index + 1}]")
            for index, value in enumerate(raw)
        ]
        for lang in ("ar", "en"):
            seen: dict[str, int] = {}
            for index, choice in enumerate(choices):
                text = getattr(choice, lang)
                if not text:
                    continue
                folded = R.fold(text)
                if folded in seen:
                    self.report(R.DUPLICATE_CHOICE, path, raw.item_lines[index],
                                f"{what} lists {text!r} twice ({LANG_NAMES[lang]}, "
                                f"choices {seen[folded] + 1} and {index + 1}); make every choice different")
                else:
                    seen[folded] = index
            expected = getattr(answer, lang)
            present = [c for c in choices if getattr(c, lang)]
            if expected and present and all(getattr(c, lang) != expected for c in choices):
                self.report(R.ANSWER_NOT_IN_CHOICES, path, item.line_of("answer"),
                            f"{what} has no correct answer among its choices: the "
                            f"{LANG_NAMES[lang]} answer {expected!r} is not one of them; copy it exactly into "
                            "'choices'")
        for lang, other in (("ar", "en"), ("en", "ar")):
            exp, exp_other = getattr(answer, lang), getattr(answer, other)
            if not exp or not exp_other:
                continue
            hits = [i for i, c in enumerate(choices) if getattr(c, lang) == exp]
            if hits and all(getattr(choices[i], other) not in ("", exp_other) for i in hits):
                self.report(R.CHOICE_MISMATCH, path, item.line_of("answer"),
                            f"{what}: the answer is choice {hits[0] + 1} in "
                            f"{LANG_NAMES[lang]} but that choice's {LANG_NAMES[other]} text differs; make the "
                            "translations match")
                break
        return tuple(choices)

    def _items(self, path: str, item: Any, what: str) -> tuple[OrderItem, ...]:
        raw = item.get("items")
        if raw is None:
            return ()
        line = item.line_of("items")
        if not isinstance(raw, Seq) or len(raw) < 2:
            self.report(R.ITEM_COUNT, path, line, f"{what}: 'items' must list at least two items in the right order")
            return ()
        if len(raw) > 8:
            self.report(R.ITEM_COUNT, path, line, f"{what} has {len(raw)} items; keep it to 8 or fewer")
        result: list[OrderItem] = []
        for index, entry in enumerate(raw):
            entry_line = raw.item_lines[index]
            if not isinstance(entry, Map):
                self.report(R.BAD_TYPE, path, entry_line,
                            f"item {index + 1} of {what} must be a mapping {{ar: ..., en: ..., "
                            "year: ...}")
                continue
            text = self._text_value(path, entry, entry_line, what, f"items[{index + 1}]", extra=("year",))
            year = entry.get("year")
            if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
                self.report(R.BAD_TYPE, path, entry.line_of("year"),
                            f"item {index + 1} of {what}: 'year' must be a year")
                year = None
            result.append(OrderItem(text, year))
        dated = [(i, it) for i, it in enumerate(result) if it.year is not None]
        for (_, a), (j, b) in zip(dated, dated[1:], strict=False):
            if a.year == b.year:
                self.report(R.ORDER_TIE, path, raw.item_lines[j], f"{what} has items with the same year {a.year}: "
                            f"{a.text.get('en')!r} and {b.text.get('en')!r}; an order needs distinct dates")
            elif a.year is not None and b.year is not None and a.year > b.year:
                self.report(R.ORDER_UNSORTED, path, raw.item_lines[j],
                            f"{what} lists its items out of order ({a.year} before "
                            f"{b.year}); list them oldest first")
        return tuple(result)

    # whole bank
    def finish(self) -> Bank:
        eras = {era.id: era for era in self.eras}
        for era_id, what, loc in self.era_refs:
            if era_id not in eras:
                choices = ", ".join(eras) or "(no eras are defined)"
                import difflib

                close = difflib.get_close_matches(era_id, list(eras), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"use one of: {choices}"
                self.report(R.UNKNOWN_ERA, loc.path, loc.line,
                            f"{what} names era '{era_id}', which is not defined ({hint})")
        docs = {doc.id for doc in self.documents}
        for source, loc, what in self.doc_refs:
            if source.doc not in docs:
                self.report(R.UNKNOWN_DOC, loc.path, loc.line,
                            f"{what}: source document '{source.doc}' is not declared under "
                            f"'sources' (known: {', '.join(sorted(docs)) or 'none'})")
            if source.era is not None and source.era != "intro" and source.era not in eras:
                self.report(R.UNKNOWN_SOURCE_ERA, loc.path, loc.line,
                            f"{what}: source era '{source.era}' is not an era id (or 'intro')")
        known_events = {event.id for event in self.events}
        for event_id, what, loc in self.event_refs:
            if event_id not in known_events:
                import difflib

                close = difflib.get_close_matches(event_id, sorted(known_events), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "name an event id defined under 'events'"
                self.report(R.UNKNOWN_EVENT, loc.path, loc.line,
                            f"{what} names event '{event_id}', which is not defined ({hint})")
        events: list[Event] = []
        for event in self.events:
            era = eras.get(event.era)
            if era is None:
                continue
            if not era.start <= event.date.year <= era.end:
                assert event.loc is not None
                self.report(R.EVENT_OUTSIDE_ERA, event.loc.path, event.loc.line,
                            f"event '{event.id}' is dated {event.date.year}, outside "
                            f"era '{era.id}' ({era.start}–{era.end}); fix the date or the era")
                continue
            events.append(event)
        self._check_event_order(events)
        questions = [q for q in self.questions if q.era in eras]
        infos = self._bank_infos()
        taken = {q.id for q in questions}
        questions.extend(q for q in self._generate(events, self._ties(questions)) if q.id not in taken)
        from quiz.bank.facts import reveal_map

        return Bank(tuple(self.eras), tuple(events), tuple(questions), tuple(self.documents), infos,
                    reveals=reveal_map(questions, events))

    def _bank_infos(self) -> tuple[BankInfo, ...]:
        """One `BankInfo` per root (a default one where no `bank:` mapping was given), ids checked unique."""
        infos: list[BankInfo] = []
        seen: dict[str, BankInfo] = {}
        for index, root in enumerate(self.roots):
            info = self.infos.get(index) or BankInfo(root.default_id, builtin=root.builtin,
                                                     loc=Location(root.shown, 0) if root.shown else None)
            first = seen.get(info.id)
            if first is not None:
                where = info.loc or Location(root.shown or "bank", 0)
                first_where = first.loc.path if first.loc else "another bank"
                self.report(R.DUPLICATE_BANK_ID, where.path, where.line,
                            f"two banks have the id '{info.id}' ({first_where} and {where.path}); give one of them "
                            "its own id in its bank.yaml, like bank: {id: my-other-bank}")
                continue
            seen[info.id] = info
            infos.append(info)
        return tuple(infos)

    def _generate(self, events: Sequence[Event], ties: dict[str, set[int]]) -> list[Question]:
        """Questions generated bank by bank: a bank's events with the eras of the banks they name, so nothing of
        one bank (an era title among the choices) appears in another's questions. Each is marked with its bank."""
        by_bank: dict[str, list[Event]] = {}
        for event in events:
            by_bank.setdefault(event.bank, []).append(event)
        languages = {info.id: info.languages for info in self.infos.values()}
        out: list[Question] = []
        for bank_id, group in by_bank.items():
            banks = {bank_id} | {self.era_banks.get(event.era, bank_id) for event in group}
            eras = [era for era in self.eras if self.era_banks.get(era.id) in banks]
            generated = generate_questions(group, eras, ties)
            for question in generated:
                # Fresh values no one else holds yet: set in place, a `replace` per question costs ~1 s a million.
                object.__setattr__(question, "bank", bank_id)
            only = languages.get(bank_id, LANGS)
            if len(only) == 1:  # a bank in one language: no half-empty template in the other
                generated = [_in_one_language(question, only[0]) for question in generated]
            out.extend(generated)
        return out

    @staticmethod
    def _ties(questions: Sequence[Question]) -> dict[str, set[int]]:
        """Event id -> years its linked hand-written questions answer or accept: never a wrong year option."""
        ties: dict[str, set[int]] = {}
        for question in questions:
            if not question.events:
                continue
            years = {int(t) for t in (question.answer.en, question.answer.ar, *question.accept.en,
                                      *question.accept.ar) if t.strip().isdigit() and len(t.strip()) <= 4}
            for event_id in question.events:
                ties.setdefault(event_id, set()).update(years)
        return ties

    def _check_event_order(self, events: Sequence[Event]) -> None:
        last: dict[tuple[str, str], Event] = {}
        for event in events:
            assert event.loc is not None
            key = (event.loc.path, event.era)
            previous = last.get(key)
            if previous is not None and event.date.sort_key() < previous.date.sort_key():
                self.report(R.EVENT_ORDER, event.loc.path, event.loc.line,
                            f"event '{event.id}' ({event.date.iso()}) comes after "
                            f"'{previous.id}' ({previous.date.iso()}) in the file; list events oldest first")
            last[key] = event


def _in_one_language(question: Question, lang: str) -> Question:
    """A generated question of a one-language bank with the other language's template text removed."""
    from dataclasses import replace

    def keep(text: Text) -> Text:
        return Text(text.ar, "") if lang == "ar" else Text("", text.en)

    return replace(
        question, prompt=keep(question.prompt), answer=keep(question.answer),
        explanation=keep(question.explanation), choices=tuple(keep(c) for c in question.choices),
        items=tuple(OrderItem(keep(i.text), i.year) for i in question.items),
    )


def _any(value: Any) -> Any:
    return value
