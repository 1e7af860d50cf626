"""The names of an Anki export: each note's GUID, each bank's top deck, each era's subdeck and each note's tags
(all under `TAG_ROOT`). quiz.export.anki_notes re-exports them, quiz.export.anki the GUID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Mapping, Sequence
from functools import lru_cache

from quiz.model import BankInfo, Era, Lang, Question

__all__ = ["TAG_ROOT", "base91", "era_deck", "guid", "note_tags", "top_deck"]

TAG_ROOT = "timeline-quiz"


def guid(*parts: str) -> str:
    """A note's GUID: from the question (or event) id and language, with the bank's id first for a teacher's
    bank; never from content. What `genanki.guid_for(*parts)` gives (the first 8 bytes of the SHA-256 of the
    parts joined by "__", in Anki's base 91), without its loop over the bytes: in two thirds of the
    time."""
    return base91(int.from_bytes(hashlib.sha256("__".join(parts).encode("utf-8")).digest()[:8], "big"))


def base91(value: int) -> str:
    """`value` in genanki's base 91 (no leading zero digit; "" for 0), two digits at a time."""
    digits = []
    while value >= 8281:  # 91 * 91
        value, pair = divmod(value, 8281)
        digits.append(_PAIRS[pair])
    if value:
        digits.append(_PAIRS[value] if value >= 91 else _BASE91[value])
    return "".join(reversed(digits))


_BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
"""genanki's `BASE91_TABLE` (a test holds them equal)."""
_PAIRS = [high + low for high in _BASE91 for low in _BASE91]


def top_deck(info: BankInfo | None, lang: Lang, langs: Sequence[Lang], override: str | None,
             frozen: Mapping[Lang, str]) -> str:
    """The top deck of a bank in `lang`: `--deck` (with the language added when both are exported), the built-in
    bank's frozen name, or the bank's own deck name, with the language added when the bank gives both languages
    one name (decided by the bank, not by the export, so that the name never changes between exports)."""
    if override is not None:
        name, shared = override, len(set(langs)) > 1
    elif info is None or info.builtin:
        return frozen[lang]
    else:
        name = info.deck_name(lang)
        shared = len(info.languages) > 1 and info.deck_name("ar") == info.deck_name("en")
    if shared:
        name += " (العربية)" if lang == "ar" else " (English)"
    return name.replace("::", ":")


def era_deck(era: Era | None, era_id: str, lang: Lang, frozen: Mapping[str, Mapping[Lang, str]]) -> str:
    """An era's subdeck: "1945–1991 The Cold War" (frozen names for the built-in eras), chronological in Anki."""
    names = frozen.get(era_id)
    if names is not None:
        return names[lang]
    if era is None:
        return era_id
    return f"{era.start}–{era.end} {era.title.get(lang) or era.id}".replace("::", ":")


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # a bank's tags are few (eras, kinds, sources, its own), 184,000 notes' many
def _tag(text: str) -> str:
    return _SPACES.sub("_", text.strip())


def note_tags(questions: Sequence[Question], kind: str) -> tuple[str, ...]:
    """Tags under one root: `timeline-quiz::era::ID`, `::kind::KIND`, `::source::DOC`, then the bank's own tags.
    Remembered by what they are made of (a bank's notes share a few thousand tag lists)."""
    first = questions[0]
    if len(questions) == 1:
        key: Hashable = (first.era, kind, None if first.source is None else first.source.doc, first.tags)
    else:
        key = (first.era, kind, tuple(None if q.source is None else q.source.doc for q in questions),
               tuple(q.tags for q in questions))
    made = _MADE.get(key)
    if made is None:
        if len(_MADE) >= _MADE_MAX:
            _MADE.clear()
        made = _MADE[key] = _note_tags(questions, kind)
    return made


_MADE: dict[Hashable, tuple[str, ...]] = {}
_MADE_MAX = 1 << 16


def _note_tags(questions: Sequence[Question], kind: str) -> tuple[str, ...]:
    first = questions[0]
    tags = [f"era::{first.era}", f"kind::{kind}"]
    for q in questions:
        if q.source is not None:
            tags.append(f"source::{q.source.doc}")
    for q in questions:
        tags.extend(q.tags)
    return tuple(dict.fromkeys(f"{TAG_ROOT}::{_tag(t)}" for t in tags if t.strip()))
