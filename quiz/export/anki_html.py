"""Bank text as the HTML of Anki fields: escaped and inert (`esc`), clozes in Anki's syntax, choices and items in
their fixed per-question shuffled orders, the accepted answers a card's script reads back. No genanki here."""

from __future__ import annotations

import html
import random
import re

from quiz.bank import BLANK_RE
from quiz.model import Lang, Question
from quiz.safetext import SUSPECT_CLASS, for_screen

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

_MARKED_CLASS = "&<>\"'{}\\[\\]\r\n"
_MARKED = re.compile(f"[{_MARKED_CLASS}]")
"""A character `esc` replaces: text without one needs only `for_screen` (nearly all bank text)."""
_CHANGED = re.compile(f"[{_MARKED_CLASS}{SUSPECT_CLASS}]")
"""A character `esc` replaces or `for_screen` may drop: text without one is its own escape (one C scan)."""


def esc(text: str) -> str:
    """Bank text as inert HTML: escaped, and with nothing Anki would read as template, cloze or sound syntax."""
    if _CHANGED.search(text) is None:
        return text
    if _MARKED.search(text) is None:  # a C scan instead of eleven replaces
        return for_screen(text)
    escaped = html.escape(for_screen(text), quote=True)
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;").replace("]", "&#93;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def _seed(*parts: str) -> int:
    return int.from_bytes(blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest(), "big")


_RNG = random.Random()
"""The generator of every shuffle here, seeded again for each (`random.Random(seed)` made once, not per question:
the export shuffles 200,000 times, single-threaded)."""


def _shuffle(items: list[int]) -> None:
    """`_RNG.shuffle(items)`, the same draws (`Random._randbelow` by `getrandbits`) without its method calls."""
    getrandbits = _RNG.getrandbits
    for i in reversed(range(1, len(items))):
        n = i + 1
        k = n.bit_length()
        j = getrandbits(k)
        while j >= n:
            j = getrandbits(k)
        items[i], items[j] = items[j], items[i]


def shuffled_order(question: Question) -> list[int]:
    """The items' indexes in a fixed, per-question shuffled order that is never already the right order."""
    key = (question.id, len(question.items))
    known = _ITEM_ORDERS.get(key)
    if known is None:
        known = _remember(_ITEM_ORDERS, key, _item_order(question.id, key[1]))
    return list(known)


def _item_order(qid: str, count: int) -> tuple[int, ...]:
    indexes = list(range(count))
    _RNG.seed(_seed(qid))
    shuffled = indexes[:]
    for _ in range(8):
        _shuffle(shuffled)
        if shuffled != indexes:
            return tuple(shuffled)
    return tuple(indexes[1:] + indexes[:1])


def choice_order(question: Question) -> list[int]:
    """The choices' indexes in a fixed order shuffled per question id (the same in both languages)."""
    key = (question.id, len(question.choices))
    known = _CHOICE_ORDERS.get(key)
    if known is None:
        indexes = list(range(key[1]))
        _RNG.seed(_seed("choices", question.id))
        _shuffle(indexes)
        known = _remember(_CHOICE_ORDERS, key, tuple(indexes))
    return list(known)


_ITEM_ORDERS: dict[tuple[str, int], tuple[int, ...]] = {}
_CHOICE_ORDERS: dict[tuple[str, int], tuple[int, ...]] = {}
_ORDERS_MAX = 1 << 17
"""Orders remembered by question id and length (what they are a function of), up to this many of each: an export
writes each question in both languages, and reseeding the generator is most of a shuffle's cost (~1 s of a 100k
export's CPU; ~8 MB held)."""


def _remember(orders: dict[tuple[str, int], tuple[int, ...]], key: tuple[str, int],
              order: tuple[int, ...]) -> tuple[int, ...]:
    if len(orders) >= _ORDERS_MAX:
        orders.clear()
    orders[key] = order
    return order


def _choices_html(question: Question, lang: Lang) -> tuple[str, str]:
    right = question.answer.get(lang)
    options = [question.choices[i].get(lang) for i in choice_order(question)]
    shown = [esc(o) for o in options]  # each escaped once for both lists
    plain = "".join([f"<li>{e}</li>" for e in shown])
    marked = "".join([f'<li class="qz-right">✓ {e}</li>' if o == right else f"<li>{e}</li>"
                      for o, e in zip(options, shown, strict=True)])
    return f'<ol class="qz-choices">{plain}</ol>', f'<ol class="qz-choices">{marked}</ol>'


def accepted_html(question: Question, lang: Lang) -> str:
    """The other accepted answers (and the year tolerance) as marked-up text the card's script reads back."""
    parts = [f'<span class="qz-alt">{esc(alt)}</span>' for alt in question.accept.get(lang)]
    text = " | ".join(parts)
    if question.tolerance:
        tolerance = f'<span class="qz-tol" data-tol="{question.tolerance}">± {question.tolerance}</span>'
        text = f"{text} ({tolerance})" if text else tolerance
    return text


def cloze_text(prompt: str, answer: str) -> str:
    """Our `{{blank}}` as Anki's `{{c1::blank}}` (every blank is c1: one card per note), the rest escaped."""
    parts: list[str] = []
    pos = 0
    for match in BLANK_RE.finditer(prompt):
        parts.append(esc(prompt[pos:match.start()]))
        parts.append("{{c1::" + _cloze_inner(match.group(1)) + "}}")
        pos = match.end()
    if not parts:  # no blank in this language: append the answer as one (validation normally prevents this)
        return esc(prompt) + " {{c1::" + _cloze_inner(answer) + "}}"
    parts.append(esc(prompt[pos:]))
    return "".join(parts)


def _cloze_inner(text: str) -> str:
    return esc(text).replace(":", "&#58;")  # `::` inside a cloze would start a hint
