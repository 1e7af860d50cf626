"""`quiz.bank.stream(items, start, stop)`: `items[start:stop]`, from a cold load's scratch file decoding only the
chunks holding them (and keeping none), from any other sequence by slicing."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.bank import spill, stream
from quiz.bank.cache import _CHUNK
from quiz.model import Kind, Location, Question, Text


def questions(count: int) -> list[Question]:
    return [Question(f"q{n}", Kind.CARD, "e", Text("سؤال", f"Question {n}"), Text("جواب", "Answer"), Text(), None,
                     loc=Location("bank/q.yaml", n + 1)) for n in range(count)]


@pytest.mark.parametrize(("start", "stop"), [(0, None), (0, 1), (3, 5), (_CHUNK - 1, _CHUNK + 1), (_CHUNK, 2 * _CHUNK),
                                             (5, 3 * _CHUNK + 7), (3 * _CHUNK + 7, 10**6), (150, 150)])
def test_a_range_of_a_spilled_sequence_is_its_slice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: int,
                                                   stop: int | None) -> None:
    made = questions(3 * _CHUNK + 20)
    monkeypatch.setattr(spill, "IN_MEMORY", 0)
    out = spill.Spill(tmp_path)
    out.add(made)
    cached = out.lookups()["questions"]
    decoded: list[tuple[int, int]] = []
    source = cached._source
    real = source.decode

    def counted(begin: int, end: int) -> tuple[object, ...]:
        decoded.append((begin, end))
        return real(begin, end)

    monkeypatch.setattr(source, "decode", counted)
    assert list(stream(cached, start, stop)) == made[start:stop]
    assert list(stream(made, start, stop)) == made[start:stop]
    end = len(made) if stop is None else min(stop, len(made))
    assert len(decoded) == len(range(start // _CHUNK, -(-end // _CHUNK)))  # only the chunks holding them
    assert all(chunk is None for chunk in cached._chunks)  # none kept
