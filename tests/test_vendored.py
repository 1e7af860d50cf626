"""The test data vendored from `../shared` (see tests/data/README.md) still equals the originals."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
VENDORED = ["answer_vectors.json", "seeds/000_abe3bace565342d6.txt", "seeds/002_82c1c93d25d090f4.txt"]


def test_every_vendored_file_is_listed_in_the_data_readme() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    files = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.name != "README.md")
    written = [name for name in files if name.startswith("derive/")]  # written for the tests, not copied
    assert [name for name in files if name not in written] == sorted(VENDORED)
    for name in written:
        assert f"`{name}` | written for the tests" in readme, name
    for name in VENDORED:
        assert f"`{name}`" in readme and f"`../shared/{name}`" in readme, name


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the clone: nothing to compare with")
@pytest.mark.parametrize("name", VENDORED)
def test_the_vendored_copy_equals_the_shared_original(name: str) -> None:
    original = SHARED / name
    assert original.is_file(), f"{original} is gone: remove tests/data/{name} or find where it moved"
    assert (DATA / name).read_bytes() == original.read_bytes(), (
        f"tests/data/{name} differs from {original}; copy the original over it"
    )
