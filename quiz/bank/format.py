"""The bank format: the grammar of a bank file, its sections and items, read into `quiz.model` values.

`Checker` walks the plain data `quiz.bank.reader` built (mappings that know their lines) and turns each document,
era, event and question into its model value; single fields are read by `quiz.bank.fields` (which `Checker`
extends), and what was read is judged by the content checks of `quiz.bank.checks`. Every problem is reported
through a rule of the rulebook (`quiz.bank.rules`). `finish()` runs the checks that need every file, then adds the
generated questions (`quiz.bank.generate`).

A bank is not held whole while it is read: each file's questions go to a `quiz.bank.spill.Spill` once the file is
read (pickled in chunks, a compact record of each kept), a reference to an id already defined is dropped at once
(`_Refs`), and `finish()` returns the lazy bank the spill's chunks make.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from quiz.bank import checks
from quiz.bank import rules as R
from quiz.bank.fields import FieldReader
from quiz.bank.files import BankRoot
from quiz.bank.generate import generate_by_bank, tied_years
from quiz.bank.reader import Map, Seq
from quiz.bank.rules import KIND_FIELDS, KIND_ONLY, LANG_NAMES
from quiz.model import LANGS, Bank, BankInfo, Document, Era, Event, Kind, Location, OrderItem, Question, Text

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
Begun = Callable[[Sequence[Question], Sequence[Event], Sequence[Era], Sequence[BankInfo]], None]
"""What a cold load shows its hand-written questions, events, eras and banks before it generates the rest of
its questions (`Checker.finish`)."""



class _Refs(list[Any]):
    """References to check once every file is read (`checks.check_references`), kept only while what they name
    is not defined yet: definitions only accumulate, so one found defined when it is made can never be reported
    (at 100,000 questions the references would hold ~35 MB, where the forward ones are a handful)."""

    def __init__(self, defined: Callable[[Any], bool]) -> None:
        super().__init__()
        self.defined = defined

    def append(self, ref: Any) -> None:
        if not self.defined(ref):
            super().append(ref)


class Checker(FieldReader):
    """Collects every problem while turning parsed files into model values. The questions of the file being read
    are in `questions`; those of the files read before are in `spill` (see the module doc)."""

    def __init__(self, roots: Sequence[BankRoot] = (), scratch: Path | None = None) -> None:
        from quiz.bank.plain_question import read
        from quiz.bank.spill import Spill

        super().__init__()
        self.era_ids: set[str] = set()
        self.doc_ids: set[str] = set()
        self.event_ids: set[str] = set()
        self.era_refs = _Refs(lambda ref: ref[0] in self.era_ids)
        self.doc_refs = _Refs(lambda ref: ref[0].doc in self.doc_ids and R.source_era_known(ref[0].era,
                                                                                                self.era_ids))
        self.event_refs = _Refs(lambda ref: ref[0] in self.event_ids)
        self.spill = Spill(scratch)
        self.ties: dict[str, set[int]] = {}  # `tied_years` of the questions spilled, of eras defined then
        self.later_ties: list[tuple[str, dict[str, set[int]]]] = []  # (era, ties) of those of another era
        self.roots: tuple[BankRoot, ...] = tuple(roots) or (BankRoot("bank"),)
        self.infos: dict[int, BankInfo] = {}  # root position -> what its `bank:` mapping says
        self.root = 0  # the root of the file being read
        self.documents: list[Document] = []
        self.eras: list[Era] = []
        self.events: list[Event] = []
        self.questions: list[Question] = []
        self.era_banks: dict[str, str] = {}  # era id -> the bank defining it
        self._plain = read  # a plainly written question, read in one go (`quiz.bank.plain_question`)


    # files
    def read_file(self, path: str, data: Any, root: int = 0) -> None:
        """Read one parsed file of the bank root at position `root` (files declaring `bank:` first)."""
        self.root = root if 0 <= root < len(self.roots) else 0
        # `duplicates` holds `id()`s of this file's items: a freed earlier file's ids may be reused by this one's
        self.duplicates.clear()
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
        self._spill()

    def _spill(self) -> None:
        """The file's questions to the spill, their tied years kept (`generate.tied_years`)."""
        questions, self.questions = self.questions, []
        if not questions:
            return
        known = [q for q in questions if q.era in self.era_ids]
        for event_id, years in tied_years(known).items():
            self.ties.setdefault(event_id, set()).update(years)
        for q in questions:
            if q.era not in self.era_ids and q.events:  # an era defined later, or never: decided in `finish`
                found = tied_years([q])
                if found:
                    self.later_ties.append((q.era, found))
        self.spill.add(questions)

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

    # sections
    def _document(self, path: str, item: Any) -> None:
        doc_id = self._item_id(path, item, DOC_KEYS, "document", "source document")
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
        self.doc_ids.add(doc_id)

    def _era(self, path: str, item: Any) -> None:
        era_id = self._item_id(path, item, ERA_KEYS, "era", "era")
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
        self.era_ids.add(era_id)
        self.era_banks[era_id] = self.bank_id

    def _event(self, path: str, item: Any) -> None:
        event_id = self._item_id(path, item, EVENT_KEYS, "event", "event")
        if event_id is None:
            return
        what = f"event '{event_id}'"
        date = self._date(path, item, what)
        era = self._era_ref(path, item, what)
        before = len(self.problems)
        title = self._text(path, item, "title", what)
        last = self.problems[-1] if len(self.problems) > before else None  # the title's own problem, if any
        if last is not None and last.rule == R.MISSING_TRANSLATION.code and (title.ar or title.en):
            lang = "ar" if not title.ar else "en"
            self.problems[-1] = R.NO_TITLE_IN_LANG.problem(
                path, last.line, f"{what} has no {LANG_NAMES[lang]} title, so no {LANG_NAMES[lang]} question is "
                f"generated from it; add title.{lang}")
        detail = self._text(path, item, "detail", what, required=False)
        source = self._cited_source(path, item, what)
        tags = self._tags(path, item, what)
        generate = self._bool(path, item, "generate", what, True)
        draft = self._bool(path, item, "draft", what, False)
        year_question = self._text(path, item, "year_question", what, required=False)
        distractors = self._years(path, item, "distractors", what)
        also_right = self._years(path, item, "also_right", what)
        if date is None or era is None or id(item) in self.duplicates:
            return
        checks.check_years(self.report, path, item.line_of, what, date.year, distractors, also_right)
        self.events.append(Event(event_id, date, era, title, detail, source, tags, generate, draft,
                                 Location(path, item.line), self.bank_id, year_question, distractors, also_right))
        self.event_ids.add(event_id)

    def _question(self, path: str, item: Any) -> None:
        """A question. An unfinished draft (`draft: true` with mistakes, as `quiz add` saves a question the teacher
        could not finish) reports its mistakes as warnings and stays out of the bank until they are fixed."""
        if item.get("draft") is not True:
            if not self._plain(self, path, item):  # not written plainly: read field by field
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
        qid = self._item_id(path, item, QUESTION_KEYS, "question", "question")
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
        source = self._cited_source(path, item, what)
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

    def _cloze(self, path: str, item: Any, what: str, prompt: Text) -> Text:
        answer = checks.cloze_answer(self.report, path, item.line_of("prompt"), what, prompt)
        if "answer" in item:
            self.report(R.FIELD_NOT_FOR_KIND, path, item.line_of("answer"),
                        f"{what}: a cloze's answer is the text inside {{{{...}}}}; "
                        "remove 'answer' (use 'accept' for other spellings)")
        return answer

    def _choices(self, path: str, item: Any, what: str, answer: Text) -> tuple[Text, ...]:
        raw = self._two_or_more(path, item, "choices", R.TOO_FEW_CHOICES,
                                f"{what}: 'choices' must be a list of at least two options")
        if raw is None:
            return ()
        choices: list[Text] = []
        for index, value in enumerate(raw):
            if value.__class__ is Map and len(value) == 2:  # the usual {ar: text, en: text}, as _text_value reads it
                ar, en = value.get("ar"), value.get("en")
                if ar.__class__ is str and en.__class__ is str:
                    ar, en = ar.strip(), en.strip()
                    if ar and en:
                        choices.append(Text(ar, en))
                        continue
            choices.append(self._text_value(path, value, raw.item_lines[index], what, f"choices[{index + 1}]"))
        checks.check_choices(self.report, path, what, choices, raw.item_lines, answer, item.line_of("answer"))
        return tuple(choices)

    def _items(self, path: str, item: Any, what: str) -> tuple[OrderItem, ...]:
        raw = self._two_or_more(path, item, "items", R.ITEM_COUNT,
                                f"{what}: 'items' must list at least two items in the right order")
        if raw is None:
            return ()
        if len(raw) > 8:
            self.report(R.ITEM_COUNT, path, item.line_of("items"),
                        f"{what} has {len(raw)} items; keep it to 8 or fewer")
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
        checks.check_order(self.report, path, what, result, raw.item_lines)
        return tuple(result)

    # whole bank
    def finish(self, begun: Begun | None = None) -> Bank:
        """The checks needing every file, the generated questions (spilled too); the bank, lazy (its reveals
        too: `quiz.bank.reveal_store`). `begun`: shown the bank's hand-written questions (the first, written in
        whole chunks), its events, eras and banks before the rest is generated (`quiz.bank.early_checks`)."""
        self._spill()
        self.ids.clear()  # ~25 MB at 100,000 questions (ids, places): only the read needs them
        self.duplicates.clear()
        eras = {era.id: era for era in self.eras}
        checks.check_references(self.report, eras, self.doc_ids, self.event_ids, self.era_refs, self.doc_refs,
                                self.event_refs)
        for refs in (self.era_refs, self.doc_refs, self.event_refs):
            refs.clear()
        events = checks.events_in_eras(self.report, self.events, eras)
        checks.check_event_order(self.report, events)
        infos = checks.bank_infos(self.report, self.roots, self.infos)
        spill = self.spill
        taken = spill.keep_eras(eras)
        ties = self.ties
        for era, found in self.later_ties:
            if era in eras:
                for event_id, years in found.items():
                    ties.setdefault(event_id, set()).update(years)
        languages = {info.id: info.languages for info in self.infos.values()}
        if begun is not None:
            begun(spill.written(), tuple(events), tuple(self.eras), infos)
        from quiz.bank.spill import Spilled

        generated = Spilled(spill, taken)
        generate_by_bank(events, self.eras, self.era_banks, languages, ties, generated)
        generated.flush()
        del taken
        fingerprint = spill.fingerprint(self.eras)
        lookups = spill.lookups()
        from quiz.bank import reveal_store

        ordered = tuple(events)
        reveals = reveal_store.lazy(lookups["questions"], ordered)  # found on first use, not by every load
        return Bank(tuple(self.eras), ordered, documents=tuple(self.documents), infos=infos,
                    fingerprint=fingerprint, reveals=reveals, **lookups)


def _any(value: Any) -> Any:
    return value
