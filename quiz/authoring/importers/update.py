"""`quiz import --update`: a changed file imported again into the bank file it was imported into.

Each question read is matched with a question already in the target file: by the id the file gives (a CSV `id`,
a GIFT title that is an id), else by the id the import would propose for it (from a GIFT title or the prompt),
else by its content (same kind and prompt). A matched question keeps its id, and so its progress; only what the
format carries is replaced (GIFT and Aiken carry one language: the other language's text, the tags, the events,
the source and anything else written by hand in the YAML stay). Questions in the target that the file no longer
has are kept and reported, never deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quiz.authoring import yamledit
from quiz.authoring.add import content_key
from quiz.model import Kind, OrderItem, Text

SECTION = "questions"
_ALL = ("kind", "era", "prompt", "answer", "tolerance", "accept", "choices", "items", "explanation", "source",
        "tags", "draft")
CARRIED: dict[str, tuple[str, ...]] = {
    "csv": _ALL,
    "tsv": _ALL,
    "gift": ("kind", "prompt", "answer", "tolerance", "accept", "choices", "explanation"),
    "aiken": ("kind", "prompt", "answer", "choices"),
}
"""The keys of a question each format says something about; the others are left as the YAML has them."""
_ORDER = ("id", *_ALL)


@dataclass(frozen=True, slots=True)
class Existing:
    """The questions already in the target file: their plain YAML, by id and by content."""

    items: tuple[dict[str, Any], ...] = ()
    by_id: dict[str, int] = field(default_factory=dict)
    by_key: dict[tuple[str, ...], int] = field(default_factory=dict)

    def match(self, qid: str, key: tuple[str, ...]) -> int | None:
        """The index of the question `qid` (else of the one with this content), or None."""
        found = self.by_id.get(qid)
        return found if found is not None else self.by_key.get(key)


def existing_questions(text: str | None, shown: str) -> Existing:
    if text is None:
        return Existing()
    items = tuple(item for item in yamledit.section_items(text, SECTION, shown=shown))
    by_id: dict[str, int] = {}
    by_key: dict[tuple[str, ...], int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("id"), str):
            by_id.setdefault(item["id"], index)
        key = item_key(item)
        if key is not None:
            by_key.setdefault(key, index)
    return Existing(items, by_id, by_key)


def _text(value: Any) -> Text:
    if isinstance(value, Mapping):
        return Text(str(value.get("ar") or ""), str(value.get("en") or ""))
    return Text()


def item_key(item: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The content key (`add.content_key`) of a question as plain YAML; None when it is too broken to say."""
    try:
        kind = Kind(str(item.get("kind")))
    except ValueError:
        return None
    raw = item.get("items")
    raw_items: list[Any] = raw if isinstance(raw, list) else []
    items = tuple(OrderItem(_text(i), None) for i in raw_items if isinstance(i, Mapping))
    return content_key(kind, _text(item.get("prompt")), items)


def merge(old: Mapping[str, Any], new: Mapping[str, Any], fmt: str, lang: str | None) -> dict[str, Any]:
    """`old` with what the imported `new` says about it. With `lang` (a one-language format), a text keeps its
    other language, and so do the choices when there are as many as before."""
    out = dict(old)
    for key in CARRIED[fmt]:
        value, before = new.get(key), old.get(key)
        if lang is None or key in ("kind", "tolerance"):
            if value is None:
                out.pop(key, None)
            else:
                out[key] = value
        elif isinstance(before, Mapping) and _is_text(before) and (value is None or _is_text(value)):
            merged = _keep_other(before, value, lang)
            if merged:
                out[key] = merged
            else:
                out.pop(key)
        elif key == "choices" and isinstance(value, list) and isinstance(before, list) \
                and len(value) == len(before) and all(map(_is_text, before)) and all(map(_is_text, value)):
            out[key] = [_keep_other(b, v, lang) for b, v in zip(before, value, strict=True)]
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = value
    out["id"] = old.get("id", new.get("id"))
    return {**{k: out[k] for k in _ORDER if k in out}, **{k: v for k, v in out.items() if k not in _ORDER}}


def _keep_other(before: Mapping[str, Any], value: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """`value`'s text in `lang`, `before`'s in the other language."""
    merged = {**{k: v for k, v in before.items() if k != lang}, **(value or {})}
    return {k: merged[k] for k in ("ar", "en") if k in merged}


def _is_text(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and set(value) <= {"ar", "en"}


def render(old_text: str, replaced: Mapping[int, Mapping[str, Any]], added: Sequence[Mapping[str, Any]],
           sections: Mapping[str, Sequence[Mapping[str, Any]]], shown: str) -> str:
    """The target's text with `replaced` questions rewritten in place, then new sections and `added` questions
    appended; every other line as it was."""
    text = yamledit.replace_items(old_text, SECTION, replaced, shown=shown)
    for name, values in sections.items():
        if values:
            text = yamledit.append_items(text, name, values, shown=shown).text
    if added:
        text = yamledit.append_items(text, SECTION, added, shown=shown).text
    return text


def spans(text: str, shown: str) -> dict[str, tuple[int, int]]:
    """Each question's id with its first and (exclusive) last line in `text`."""
    items = yamledit.section_items(text, SECTION, shown=shown)
    out: dict[str, tuple[int, int]] = {}
    for item, span in zip(items, yamledit.item_spans(text, SECTION, shown=shown), strict=False):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.setdefault(item["id"], span)
    return out
