"""Ids for what the teachers' tools write: proposed from a prompt (English words, else Arabic transliterated,
else a short hash), made unique among the ids a bank already has."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

from quiz.bank import rules as R
from quiz.bank.rules import ARABIC_RE, BLANK_RE, LATIN_RE
from quiz.model import Text

STOP_EN = frozenset(
    "a an the of in on at to for by with from as into about which what who whom whose when where why how did does "
    "do is was were are be been being this that these those and or it its their his her they he she put "
    "following year name named called true false".split()
)
STOP_AR = frozenset(
    "في من إلى الى على عن ما ماذا متى أي اي هل كان كانت التي الذي الذين و أو او ثم مع هذا هذه ذلك تلك عام سنة "
    "رتب رتّب مرحلة المرحلة فترة الفترة".split()
)
_TRANSLIT = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "ة": "a", "و": "w", "ي": "y", "ى": "a", "ء": "", "ئ": "", "ؤ": "", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g",
}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def transliterate(text: str) -> str:
    """Arabic letters to a rough Latin spelling for ids (`سبوتنيك` → `sbwtnyk`); other letters kept."""
    text = text.translate(_ARABIC_DIGITS)
    return "".join(_TRANSLIT.get(char, char) for char in text)


def slug_words(text: str, *, max_words: int = 5) -> list[str]:
    """The significant words of a phrase, as id parts: English words, else Arabic ones transliterated."""
    text = BLANK_RE.sub(lambda m: m.group(1), text)
    if ARABIC_RE.search(text) and not LATIN_RE.search(text):
        text = re.sub(r"[\u064B-\u065F\u0670\u0640]", "", text)  # diacritics and tatweel
        words = re.findall(r"[\u0621-\u064A\u0671-\u06D3\u06F0-\u06F9\u0660-\u06690-9]+", text)
        kept = [w for w in words if w not in STOP_AR]
        out = [transliterate(w[2:] if w.startswith("ال") and len(w) > 4 else w) for w in kept]
    else:
        lowered = text.casefold().replace("'", "").replace("’", "")
        words = re.findall(r"[a-z0-9]+", lowered.encode("ascii", "ignore").decode())
        out = [w for w in words if w not in STOP_EN]
    out = [re.sub(r"[^a-z0-9]+", "", w) for w in out]
    return [w for w in out if w][:max_words]


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`, … — the first not in `taken`."""
    base = base.strip("-")[:60].strip("-") or "q"
    if R.is_reserved(base):
        base = "q-" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def propose_id(text: Text, taken: Collection[str], *, fallback: str = "q") -> str:
    """An id from the English words of `text`, else its Arabic transliterated, else a short hash."""
    for value in (text.en, text.ar):
        words = slug_words(value) if value else []
        if words:
            return unique_id("-".join(words), taken)
    digest = hashlib.blake2b(f"{text.ar}|{text.en}".encode(), digest_size=4).hexdigest()
    return unique_id(f"{fallback}-{digest}", taken)


def prefixed(qid: str, prefix: str) -> str:
    """`qid` carrying the bank's `prefix` (`prefix-qid`), unless it does already."""
    return qid if not prefix or qid == prefix or qid.startswith(prefix + "-") else f"{prefix}-{qid}"


def propose_prefixed(text: Text, taken: Collection[str], prefix: str, *, fallback: str = "q") -> str:
    """`propose_id` in a bank whose ids carry `prefix`: the words are compared without the prefix (so
    `euro-paris` taken gives `euro-paris-2`), and the result is unused in `taken`."""
    if not prefix:
        return propose_id(text, taken, fallback=fallback)
    bare = {t.removeprefix(prefix + "-") for t in taken}
    base = candidate = prefixed(propose_id(text, bare, fallback=fallback), prefix)
    n = 2
    while candidate in taken:  # the words began with the prefix already
        candidate, n = f"{base}-{n}", n + 1
    return candidate
