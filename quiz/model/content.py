"""The bank's content as values: texts, sources, eras, events, questions (frozen, typed, free of I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from enum import Enum
from operator import attrgetter
from typing import Any, Literal, TypeVar

try:  # blake2b without hashlib, which loads OpenSSL (~4 ms at start-up) for hashes quiz never uses
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

_T = TypeVar("_T")


def _by_position(cls: type[_T]) -> type[_T]:
    """Pickle instances as `cls(*values)`: much faster both ways than a frozen dataclass's own getstate/setstate,
    which call `dataclasses.fields()` for every object (the bank cache holds a million of them). And build them
    with `_quick_init`'s `__init__`."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    values = attrgetter(*names)
    single = len(names) == 1

    def __reduce__(self: _T) -> tuple[type[_T], tuple[object, ...]]:
        return (cls, (values(self),) if single else values(self))

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    cls.__init__ = _quick_init(cls)  # type: ignore[method-assign]
    REDUCERS[cls] = __reduce__
    return cls


REDUCERS: dict[type, Callable[[Any], tuple[type, tuple[object, ...]]]] = {}
"""Each value class's `__reduce__`, by class: a pickler's `dispatch_table` (over `copyreg.dispatch_table`) that
calls it at once, not through `object.__reduce_ex__` (the same bytes, ~20% less time to pickle a question)."""


def _quick_init(cls: type) -> Callable[..., None]:
    """The `__init__` of a frozen slotted dataclass `cls`, with the very signature the dataclass made, that sets
    each field through its slot's own descriptor (`Question.id.__set__(self, id)`) instead of the dataclass's
    `object.__setattr__(self, "id", id)`: half the time (~4.5 against ~9.4 us a question, ~0.9 against 1.4 us a
    `Text`), for the cold read's million values and for every one a bank cache decodes (`__reduce__`). Written
    out as source and compiled once, as `dataclasses` writes its own."""
    assert "__post_init__" not in cls.__dict__, cls  # the generated `__init__` would never call it
    params, lines = [], []
    scope: dict[str, object] = {}
    for f in fields(cls):
        assert f.init and not f.kw_only and f.default_factory is MISSING, f  # none has these: keep it so
        if f.default is MISSING:
            params.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        scope[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        lines.append(f"    _set_{f.name}(self, {f.name})\n")
    exec(f"def __init__(self, {', '.join(params)}) -> None:\n{''.join(lines)}", scope)  # noqa: S102
    init: Any = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


Lang = Literal["ar", "en"]
LANGS: tuple[Lang, ...] = ("ar", "en")


@_by_position
@dataclass(frozen=True, slots=True)
class Text:
    """The same words in Arabic and English; an empty string where a translation is missing."""

    ar: str = ""
    en: str = ""

    def get(self, lang: Lang) -> str:
        """The text in `lang`, falling back to the other language when it is missing."""
        primary = self.ar if lang == "ar" else self.en
        return primary or (self.en if lang == "ar" else self.ar)

    def has(self, lang: Lang) -> bool:
        return bool(self.ar if lang == "ar" else self.en)

    def as_dict(self) -> dict[str, str]:
        return {"ar": self.ar, "en": self.en}


@_by_position
@dataclass(frozen=True, slots=True)
class Alternatives:
    """Other accepted answers, per language (the grader never matches across scripts)."""

    ar: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, lang: Lang) -> tuple[str, ...]:
        return self.ar if lang == "ar" else self.en


@_by_position
@dataclass(frozen=True, slots=True)
class Location:
    """Where a value was written: a bank file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@_by_position
@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: a document of the bank, the era (section) of it, the paragraph."""

    doc: str
    era: str | None = None
    para: int | None = None

    def label(self) -> str:
        parts = [self.doc]
        if self.era:
            parts.append(self.era)
        if self.para is not None:
            parts.append(f"¶{self.para}")
        return ", ".join(parts)


@_by_position
@dataclass(frozen=True, slots=True)
class Document:
    """A source text the bank is derived from."""

    id: str
    title: Text
    author: str = ""
    published: str = ""
    file: str = ""
    kind: str = "reference"  # "reference" or "opinion"
    loc: Location | None = field(default=None, compare=False)


@_by_position
@dataclass(frozen=True, slots=True)
class Era:
    id: str
    start: int
    end: int
    title: Text
    draft: bool = False
    loc: Location | None = field(default=None, compare=False)


@_by_position
@dataclass(frozen=True, slots=True, order=True)
class EventDate:
    """A year with an optional month and day; orders chronologically."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


@_by_position
@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: EventDate
    era: str
    title: Text
    detail: Text
    source: Source | None
    tags: tuple[str, ...] = ()
    generate: bool = True
    draft: bool = False
    loc: Location | None = field(default=None, compare=False)
    bank: str = ""  # the id of the bank (BankInfo.id) it belongs to; set by the loader
    year_question: Text = Text()  # the event's own "in which year" question (a finite-verb form)
    distractors: tuple[int, ...] = ()  # wrong years chosen by hand for the year question's options
    also_right: tuple[int, ...] = ()  # other defensible years: accepted, never offered as wrong options


class Kind(str, Enum):
    CHOICE = "choice"
    TYPED = "typed"
    TRUEFALSE = "truefalse"
    ORDER = "order"
    CLOZE = "cloze"
    CARD = "card"

    def __str__(self) -> str:
        return self.value


@_by_position
@dataclass(frozen=True, slots=True)
class OrderItem:
    """One item of an `order` question; `year` is known for items drawn from events."""

    text: Text
    year: int | None = None


@_by_position
@dataclass(frozen=True, slots=True)
class Question:
    """One question of any kind, hand-written or generated from events.

    - `choice`: `choices` holds every option, `answer` is the right one (also among `choices`).
    - `typed`: `answer` plus `accept` alternatives; `tolerance` years for numeric answers.
    - `truefalse`: `truth` is the right verdict; `prompt` is the statement.
    - `order`: `items` in the right (chronological) order.
    - `cloze`: `prompt` has one `{{blank}}`; `answer` is the text inside it.
    - `card`: self-graded; `answer` is shown on the back.
    """

    id: str
    kind: Kind
    era: str
    prompt: Text
    answer: Text
    explanation: Text
    source: Source | None
    accept: Alternatives = Alternatives()
    choices: tuple[Text, ...] = ()
    items: tuple[OrderItem, ...] = ()
    truth: bool | None = None
    tolerance: int = 0
    tags: tuple[str, ...] = ()
    generated: bool = False
    events: tuple[str, ...] = ()
    draft: bool = False
    loc: Location | None = field(default=None, compare=False)
    bank: str = ""  # the id of the bank (BankInfo.id) it belongs to; set by the loader
    requires: tuple[str, ...] = ()  # questions that must be known (in review, interval >= 4 days) before this one
    asks_era: bool = False  # the answer is an era: the study screen does not show the era as a header

    def has(self, lang: Lang) -> bool:
        """Whether the question can be asked in `lang`: its prompt (and every item, choice and answer it shows)
        is written in that language. A question lacking a language is not studied or exported in it."""
        if self.kind is Kind.ORDER:
            return bool(self.items) and all(item.text.has(lang) for item in self.items)
        if not self.prompt.has(lang):
            return False
        if self.kind is Kind.CHOICE:
            return all(choice.has(lang) for choice in self.choices)
        return True

    @property
    def langs(self) -> tuple[Lang, ...]:
        """The languages the question can be asked in."""
        return tuple(lang for lang in LANGS if self.has(lang))

    def content(self) -> dict[str, object]:
        """Everything a learner sees: the basis of the content hash."""
        return {
            "kind": self.kind.value,
            "era": self.era,
            "prompt": self.prompt.as_dict(),
            "answer": self.answer.as_dict(),
            "explanation": self.explanation.as_dict(),
            "source": None if self.source is None else [self.source.doc, self.source.era, self.source.para],
            "accept": [list(self.accept.ar), list(self.accept.en)],
            "choices": [c.as_dict() for c in self.choices],
            "items": [[i.text.as_dict(), i.year] for i in self.items],
            "truth": self.truth,
            "tolerance": self.tolerance,
            "tags": list(self.tags),
        }

    def content_hash(self) -> str:
        """A hash of the question's content: it changes exactly when what a learner sees changes.

        The hash of `json.dumps(self.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))`,
        written out here key by key (sorted) for speed: a 100,000-question bank hashes every question once. Texts
        are written as they are, then the JSON is checked for what JSON escapes (`_JSON_ESCAPES`): beyond its own
        quotes, it has any only when a text does, and then it is written again, every string escaped by `json`
        (`_escaped_json`)."""
        answer, explanation, prompt, source = self.answer, self.explanation, self.prompt, self.source
        ar, en = self.accept.ar, self.accept.en
        choices, items, tags, tolerance, truth = self.choices, self.items, self.tags, self.tolerance, self.truth
        # the quotes of the JSON when no text holds one: 12 keys, 3 texts, era, kind, every listed string and text
        quotes = 52 + 2 * (len(ar) + len(en) + len(tags)) + 8 * (len(choices) + len(items))
        if len(choices) == 4:  # the usual case, written out
            c, d, e, f = choices
            offered = (f'{{"ar":"{c.ar}","en":"{c.en}"}},{{"ar":"{d.ar}","en":"{d.en}"}},'
                       f'{{"ar":"{e.ar}","en":"{e.en}"}},{{"ar":"{f.ar}","en":"{f.en}"}}')
        else:
            offered = ",".join([f'{{"ar":"{c.ar}","en":"{c.en}"}}' for c in choices]) if choices else ""
        ordered = ",".join([
            f'[{{"ar":"{i.text.ar}","en":"{i.text.en}"}},'
            f'{int.__repr__(i.year) if i.year.__class__ is int else _json_int(i.year)}]' for i in items
        ]) if items else ""
        if source is None:
            cited = "null"
        else:
            para = source.para
            era = "null" if source.era is None else '"' + source.era + '"'
            cited = f'["{source.doc}",{era},{int.__repr__(para) if para.__class__ is int else _json_int(para)}]'
            quotes += 2 if source.era is None else 4
        # The long texts are encoded on their own: an English one then stays ASCII, copied rather than re-encoded.
        data = b"".join([
            f'{{"accept":[[{_listed(ar)}],[{_listed(en)}]],"answer":{{"ar":"{answer.ar}","en":"{answer.en}"}},'
            f'"choices":[{offered}],"era":"{self.era}","explanation":{{"ar":"'.encode(),
            explanation.ar.encode(), b'","en":"', explanation.en.encode(),
            f'"}},"items":[{ordered}],"kind":"{self.kind._value_}","prompt":{{"ar":"'.encode(),
            prompt.ar.encode(), b'","en":"', prompt.en.encode(),
            f'"}},"source":{cited},"tags":[{_listed(tags)}],'
            f'"tolerance":{int.__repr__(tolerance) if tolerance.__class__ is int else _json_int(tolerance)},'
            f'"truth":{"null" if truth is None else ("true" if truth else "false")}}}'.encode(),
        ])
        if data.count(b'"') != quotes or data.translate(_ESCAPED) != data:  # a text holds what JSON escapes
            data = _escaped_json(self).encode("utf-8")
        return blake2b(data, digest_size=12).hexdigest()

    def answer_text(self, lang: Lang) -> str:
        """The right answer as words, for any kind."""
        if self.kind is Kind.TRUEFALSE:
            return ("صح" if self.truth else "خطأ") if lang == "ar" else ("True" if self.truth else "False")
        if self.kind is Kind.ORDER:
            return " → ".join(item.text.get(lang) for item in self.items)
        return self.answer.get(lang)


def _listed(values: tuple[str, ...]) -> str:
    """Strings as the items of a JSON array, unescaped (content_hash checks the result)."""
    return '"' + '","'.join(values) + '"' if values else ""


_ESCAPED = bytes(b if b >= 0x20 and b != 0x5C else 0x7F for b in range(256))
"""A `bytes.translate` table that changes what `json` escapes in a string (ensure_ascii=False) besides `"`: control
characters and backslashes. In UTF-8 they are single bytes that no other character's encoding contains."""


def _escaped_json(question: Question) -> str:
    """The JSON `content_hash` hashes, every string escaped by `json`'s own encoder."""
    from json.encoder import encode_basestring as s

    accept = question.accept
    source = question.source

    def text(value: Text) -> str:
        return f'{{"ar":{s(value.ar)},"en":{s(value.en)}}}'

    parts = [
        '{"accept":[[', ",".join(map(s, accept.ar)), "],[", ",".join(map(s, accept.en)),
        ']],"answer":', text(question.answer),
        ',"choices":[', ",".join(text(c) for c in question.choices),
        '],"era":', s(question.era),
        ',"explanation":', text(question.explanation),
        ',"items":[', ",".join(f"[{text(i.text)},{_json_int(i.year)}]" for i in question.items),
        '],"kind":', s(question.kind.value),
        ',"prompt":', text(question.prompt),
        ',"source":', "null" if source is None else
        f"[{s(source.doc)},{'null' if source.era is None else s(source.era)},{_json_int(source.para)}]",
        ',"tags":[', ",".join(map(s, question.tags)),
        '],"tolerance":', _json_int(question.tolerance),
        ',"truth":', "null" if question.truth is None else ("true" if question.truth else "false"),
        "}",
    ]
    return "".join(parts)


def _json_int(value: int | None) -> str:
    """A number or null as JSON (content_hash writes plain ints itself)."""
    if value.__class__ is int:
        return int.__repr__(value)
    import json

    return json.dumps(value)
