"""The bank cache's text-backed header fields against the plain values they stand for: ids looked up without the
index (`_Ids.find`) as the index would answer, reveals parsed back as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.bank.cache import _LazyIndex
from quiz.bank.cached_texts import _Ids, _Reveals

ids = st.lists(st.sampled_from(["a", "b", "ab", "ba", "a-b", "b-a", "aa", "x1"]), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(ids, st.lists(st.sampled_from(["a", "b", "ab", "ba", "a-b", "aa", "zz", "", "a\nb", "x"]), max_size=30))
def test_lookups_before_the_index_answer_as_the_index(written: list[str], asked: list[str]) -> None:
    index = {qid: position for position, qid in enumerate(written)}  # the last of an id written twice wins
    lazy = _LazyIndex(_Ids("\n".join(written), len(written)), list(range(len(written))))
    for qid in asked:
        assert (qid in lazy) == (qid in index)
        assert lazy.get(qid) == index.get(qid)
    plain = all(qid and "\n" not in qid for qid in asked) and 2 * len(asked) <= _LazyIndex.FINDS  # two lookups each
    if plain and len(set(written)) == len(written):
        assert lazy._index is None  # a few lookups never build the index of every id


@given(st.dictionaries(st.sampled_from(["q1", "q2", "gen-year-x"]),
                       st.lists(st.sampled_from(["q1", "q2", "q-3"]), min_size=1, max_size=3).map(tuple)))
def test_reveals_read_back_as_written(reveals: dict[str, tuple[str, ...]]) -> None:
    assert dict(_Reveals(_Reveals.pack(reveals))) == reveals


def test_indexes_over_the_same_ids_share_one_positions_dict() -> None:
    # A first export looks questions up by id (`by_id`) after the sync looked their content hashes up (`hashes`):
    # at 100k ids each positions dict is ~8 MB, so the two indexes over the bank cache's one `_Ids` build one.
    ids = _Ids("q1\nq2\nq3", 3)
    by_id, hashes = _LazyIndex(ids, ["Q1", "Q2", "Q3"]), _LazyIndex(ids, ["h1", "h2", "h3"])
    assert hashes._positions() is by_id._positions()
    assert (by_id["q3"], hashes["q1"], by_id.get("q4")) == ("Q3", "h1", None)
