"""Bounded edit distance (optimal string alignment) for answer matching.

Everything here is pure: strings in, values out, nothing raised for any input.
"""

from __future__ import annotations

__all__ = ["allowed_edits", "within_edits"]


# ----------------------------------------------------------------------------------------------------
# Edit distance


def allowed_edits(letters: int) -> int:
    """How many edits an answer with this many letters tolerates: 0 up to 5, 1 for 6–10, 2 above."""
    if letters <= 5:
        return 0
    if letters <= 10:
        return 1
    return 2


_CHUNK = 256
_MAX_DIGITS = 18  # longer digit runs are compared as text only (int() refuses very long ones)


def _common_prefix(a: str, b: str) -> int:
    """The length of the common prefix, compared in chunks (C speed), then character by character."""
    limit = min(len(a), len(b))
    i = 0
    while i + _CHUNK <= limit and a[i : i + _CHUNK] == b[i : i + _CHUNK]:
        i += _CHUNK
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    i = 0
    while i + _CHUNK <= limit and a[len(a) - i - _CHUNK : len(a) - i] == b[len(b) - i - _CHUNK : len(b) - i]:
        i += _CHUNK
    while i < limit and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


_BRANCHING_LIMIT = 3


def _banded_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, computed only within `limit` of the diagonal (limit + 1 if more)."""
    over = limit + 1
    previous2: list[int] = []
    previous = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = min(value, over)
        previous2, previous = previous, current
    return previous[len(b)]


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether `a` becomes `b` in at most `limit` edits (insert, delete, substitute, swap neighbours).

    Bounded: a length difference above `limit` answers at once; otherwise the common prefix and suffix are
    skipped and each of the (at most four) edits possible at the first difference is tried with one edit less,
    so the work is O(4^limit · n) with n the length, scanned at C speed; above a limit of 3 a banded dynamic
    programme (O(limit · n)) takes over.
    """
    if a == b:
        return True
    if limit <= 0 or abs(len(a) - len(b)) > limit:
        return False
    start = _common_prefix(a, b)
    a, b = a[start:], b[start:]
    end = _common_suffix(a, b)
    if end:
        a, b = a[: len(a) - end], b[: len(b) - end]
    if not a or not b:
        return max(len(a), len(b)) <= limit
    if limit > _BRANCHING_LIMIT:
        return _banded_distance(a, b, limit) <= limit
    rest = limit - 1
    if within_edits(a[1:], b[1:], rest):  # substitution
        return True
    if within_edits(a[1:], b, rest):  # deletion
        return True
    if within_edits(a, b[1:], rest):  # insertion
        return True
    return len(a) > 1 and len(b) > 1 and a[0] == b[1] and a[1] == b[0] and within_edits(a[2:], b[2:], rest)
