"""The fast path of `Checker._question_fields` (`quiz.bank.format`): a question written plainly, read in one go.

Nearly every question of a bank is written the plain way: known keys, a kind, an era, texts given in both
languages (`{ar: ..., en: ...}`), an explanation and a source, and whatever else its kind needs, each of the
type it must be. Such a question has no problem to report, and `read` reads it into exactly what the field
readers (`quiz.bank.fields`) would have made, with exactly their effects on the checker, in the same order
within each table: its id and place in `ids`, its references to its era, its document and its events, the
`Question`. It does so in one function with few calls, about twice as fast as the field readers.

It refuses (returns False, having changed nothing) at the first thing a field reader would report, or that it
does not read itself (a draft, a missing language, a text given as a number, an unknown key, a duplicate id,
...), and `_question_fields` then reads the question as ever, so every problem is reported as before, word for
word. The content checks that run on every question (`checks.check_choices`, `checks.cloze_answer`,
`checks.check_order`, `rules.wrong_script`) are the same functions, called with a report that only notes that
something was found. Refusing is always safe; reading a question differently from the field readers is not,
and `tests/test_plain_question.py` holds the two equal.
"""

from __future__ import annotations

from typing import Any

from quiz.bank import checks
from quiz.bank import rules as R
from quiz.bank.format import QUESTION_KEYS
from quiz.bank.reader import Map, Seq
from quiz.model import Alternatives, Kind, Location, OrderItem, Question, Source, Text

_KEYS = frozenset(QUESTION_KEYS)
_SOURCE_KEYS = frozenset(("doc", "era", "para"))
_LANG_KEYS = frozenset(("ar", "en"))
_ITEM_KEYS = frozenset(("ar", "en", "year"))
_KINDS = {kind.value: kind for kind in Kind}
_NEEDS = {kind: frozenset(fields) | {"prompt", "explanation", "source"} for kind, fields in R.KIND_FIELDS.items()}
"""What a question of each kind must have here: its kind's fields (`rules.KIND_FIELDS`), a prompt (an order's
may be left out: then it is read the long way, which supplies one), an explanation and a source (else a
warning)."""
_NOT_FOR = {kind: frozenset(key for key, kinds in R.KIND_ONLY.items() if kind not in kinds) | (
    {"answer"} if kind in (Kind.CLOZE, Kind.ORDER) else set()) for kind in Kind}
"""What a question of each kind must not have (`rules.KIND_ONLY`; a cloze's answer is its blank, an order has
none)."""
_ID_MATCH = R.ID_RE.match


class _Found(Exception):
    """A content check found something to report: the question is read the long way."""


def _found(*_: object) -> None:
    raise _Found


def _text(value: Any) -> Text | None:
    """A text given plainly in both languages (`{ar: ..., en: ...}`, neither empty once stripped), else None."""
    if value.__class__ is not Map or len(value) != 2:
        return None
    ar, en = value.get("ar"), value.get("en")
    if ar.__class__ is not str or en.__class__ is not str:
        return None
    ar, en = ar.strip(), en.strip()
    return Text(ar, en) if ar and en else None


def _ids(value: Any) -> bool:
    """Whether `value` is a list of ids (`tags:`, `events:`)."""
    return value.__class__ is Seq and all(v.__class__ is str and _ID_MATCH(v) for v in value)


def read(checker: Any, path: str, item: Map) -> bool:
    """Read the question `item` of `path` into `checker` as `_question_fields` would, when it is plainly
    written (see the module doc); False, and nothing changed, when it is not."""
    keys = item.keys()
    if not keys <= _KEYS:
        return False
    qid, raw_kind = item.get("id"), item.get("kind")
    kind = _KINDS.get(raw_kind) if raw_kind.__class__ is str else None
    if kind is None or qid.__class__ is not str or not _ID_MATCH(qid) or qid.startswith("gen-"):
        return False
    if not _NEEDS[kind] <= keys or not _NOT_FOR[kind].isdisjoint(keys):
        return False
    if ("question", qid) in checker.ids or item.get("draft", False) is not False:
        return False
    era = item.get("era")
    if era.__class__ is not str or not era:
        return False
    prompt, explanation = _text(item["prompt"]), _text(item["explanation"])
    if prompt is None or explanation is None:
        return False
    cited = item["source"]
    if cited.__class__ is not Map or not cited.keys() <= _SOURCE_KEYS:
        return False
    doc, source_era, para = cited.get("doc"), cited.get("era"), cited.get("para")
    if (doc.__class__ is not str or not doc or (source_era is not None and source_era.__class__ is not str)
            or (para is not None and (para.__class__ is not int or para < 1))):
        return False
    tags = item.get("tags")
    links = item.get("events")
    if (tags is not None and not _ids(tags)) or (links is not None and not _ids(links)):
        return False
    what = f"{kind.value} question '{qid}'"
    # Each question its own empty values, as the field readers make them (so its chunk pickles the same bytes).
    accept = _accept(item.get("accept"))
    if accept is None:
        return False
    tolerance = item.get("tolerance", 0)
    if tolerance.__class__ is not int or tolerance < 0:
        return False
    answer = Text()
    choices: tuple[Text, ...] = ()
    items: tuple[OrderItem, ...] = ()
    truth = None
    try:
        if kind is Kind.TRUEFALSE:
            truth = item["answer"]
            if truth.__class__ is not bool:
                return False
        elif kind is Kind.CLOZE:
            answer = checks.cloze_answer(_found, path, item.line_of("prompt"), what, prompt)
        elif kind is not Kind.ORDER:
            answer = _text(item["answer"])  # type: ignore[assignment]
            if answer is None:
                return False
        if kind is Kind.CHOICE:
            raw = item["choices"]
            if raw.__class__ is not Seq or len(raw) < 2:
                return False
            choices = tuple(map(_text, raw))  # type: ignore[arg-type]
            if None in choices:
                return False
            checks.check_choices(_found, path, what, choices, raw.item_lines, answer, item.line_of("answer"))
        elif kind is Kind.ORDER:
            raw = item["items"]
            if raw.__class__ is not Seq or not 2 <= len(raw) <= 8:
                return False
            items = tuple(map(_order_item, raw))  # type: ignore[arg-type]
            if None in items:
                return False
            checks.check_order(_found, path, what, items, raw.item_lines)
    except _Found:
        return False
    if tolerance and kind is Kind.TYPED and not (answer.en or answer.ar).strip().isdigit():
        return False
    # Read: now what the field readers do along the way, in their order.
    checker.ids[("question", qid)] = Location(path, item.line_of("id"))
    checker.era_refs.append((era, what, Location(path, item.line_of("era"))))
    source = Source(doc, source_era, para)
    checker.doc_refs.append((source, Location(path, item.line_of("source")), what))
    if links is not None:
        line = item.line_of("events")
        append = checker.event_refs.append
        for event_id in links:
            append((event_id, what, Location(path, line)))
        links = tuple(dict.fromkeys(links))
    checker.questions.append(Question(
        qid, kind, era, prompt, answer, explanation, source, accept, choices, items, truth, tolerance,
        tuple(dict.fromkeys(tags)) if tags is not None else (), False, links or (), False, Location(path, item.line),
        checker.bank_id,
    ))
    return True


def _accept(value: Any) -> Alternatives | None:
    """`accept:` as `FieldReader._accept` reads it when it reports nothing, else None."""
    if value is None:
        return Alternatives()
    if value.__class__ is not Map or not value.keys() <= _LANG_KEYS:
        return None
    lists: dict[str, tuple[str, ...]] = {"ar": (), "en": ()}
    for lang in ("ar", "en"):
        raw = value.get(lang)
        if raw is None:
            continue
        if raw.__class__ is not Seq or not all(x.__class__ is str for x in raw):
            return None
        texts = tuple([x.strip() for x in raw])
        for text in texts:
            if R.wrong_script(text, lang):
                return None
        lists[lang] = texts
    return Alternatives(lists["ar"], lists["en"])


def _order_item(entry: Any) -> OrderItem | None:
    """An item of an order, `{ar: ..., en: ..., year: ...}` (the year may be left out), else None."""
    if entry.__class__ is not Map or not entry.keys() <= _ITEM_KEYS:
        return None
    ar, en, year = entry.get("ar"), entry.get("en"), entry.get("year")
    if ar.__class__ is not str or en.__class__ is not str or (year is not None and year.__class__ is not int):
        return None
    ar, en = ar.strip(), en.strip()
    return OrderItem(Text(ar, en), year) if ar and en else None
