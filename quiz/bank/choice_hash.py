"""Hashes that make generated choices: stable across runs and machines (an id, which pairs are compared, the
order of options), unlike Python's `hash`."""

from __future__ import annotations

try:  # blake2b without hashlib, which loads OpenSSL (~4 ms at start-up) for hashes quiz never uses
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

__all__ = ["blake2b", "choice_hash", "hash_bytes", "short_hash"]


def choice_hash(*parts: str) -> int:
    """A 64-bit number from the parts, the same everywhere: what a generated choice is made by."""
    return int.from_bytes(blake2b("|".join(parts).encode(), digest_size=8).digest(), "big")


def short_hash(*parts: str) -> str:
    """Ten hex digits from the parts: the tail of a generated id (`gen-first-…`)."""
    return blake2b("|".join(parts).encode(), digest_size=5).hexdigest()


def hash_bytes(data: bytes) -> int:
    """`choice_hash` of parts already joined by "|" and encoded: for loops that hash many ids after one prefix."""
    return int.from_bytes(blake2b(data, digest_size=8).digest(), "big")
