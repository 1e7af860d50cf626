"""The package's ZIP writer (`quiz.export.package_zip`): what zipfile writes for a member of one piece, byte for
byte (ZIP64 included), and a valid archive of the same bytes for any number of threads when the member is
deflated in pieces, by zlib or by ISA-L; a package of many pieces imports into Anki."""

from __future__ import annotations

import platform
import random
import zipfile
import zlib
from pathlib import Path

import pytest
from anki_kit import export, import_apkg, new_collection

from quiz.export import package_zip
from quiz.export.package_zip import Member, write_zip

WHEN = (2026, 11, 20, 9, 30, 14)
COMMENT = b"timeline-quiz package"


def sample(size: int, seed: int = 3) -> bytes:
    """Text-like data (repeats within and across pieces, so priming matters) with some noise."""
    rng = random.Random(seed)
    words = [bytes(rng.choice(b"abcdefghij ") for _ in range(rng.randint(2, 9))) for _ in range(300)]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) if rng.random() < 0.9 else rng.randbytes(7)
    return bytes(out[:size])


def by_zipfile(path: Path, source: Path, level: int) -> None:
    """What the package's zip was before (`package_zip.write_package_zip` now): zipfile, the collection streamed
    in, then the media list."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        package.comment = COMMENT
        info = zipfile.ZipInfo("collection.anki2", date_time=WHEN)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = level  # type: ignore[attr-defined]
        info.file_size = source.stat().st_size  # known here, so zipfile decides ZIP64 as our writer does
        with open(source, "rb") as handle, package.open(info, "w") as target:
            while chunk := handle.read(1 << 16):
                target.write(chunk)
        media = zipfile.ZipInfo("media", date_time=WHEN)
        media.compress_type = zipfile.ZIP_DEFLATED
        package.writestr(media, "{}")


def ours(path: Path, source: Path, level: int, threads: int = 1, chunk: int | None = None,
         fast: bool = False) -> None:
    write_zip(path, [Member("collection.anki2", source, level, fast=fast), Member("media", b"{}")], WHEN, COMMENT,
              threads=threads, chunk=chunk)


@pytest.mark.parametrize("size", [0, 1, 70_000])
@pytest.mark.parametrize("level", [1, 6])
def test_a_member_of_one_piece_is_what_zipfile_writes(tmp_path: Path, size: int, level: int) -> None:
    source = tmp_path / "collection"
    source.write_bytes(sample(size))
    by_zipfile(tmp_path / "theirs.zip", source, level)
    for threads in (1, 2):
        ours(tmp_path / "ours.zip", source, level, threads)
        assert (tmp_path / "ours.zip").read_bytes() == (tmp_path / "theirs.zip").read_bytes()


def test_zip64_fields_are_where_zipfile_puts_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a 2 GiB collection is out of reach of a test: both writers are given a limit of 1,000 bytes instead
    source = tmp_path / "collection"
    source.write_bytes(sample(5_000))
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1_000)
    monkeypatch.setattr(package_zip, "ZIP64_LIMIT", 1_000)
    by_zipfile(tmp_path / "theirs.zip", source, 1)
    ours(tmp_path / "ours.zip", source, 1)
    assert (tmp_path / "ours.zip").read_bytes() == (tmp_path / "theirs.zip").read_bytes()
    monkeypatch.undo()
    with zipfile.ZipFile(tmp_path / "ours.zip") as package:
        assert package.testzip() is None
        assert package.read("collection.anki2") == source.read_bytes()
        assert package.getinfo("media").header_offset > 1_000  # its offset in a ZIP64 field too


@pytest.mark.parametrize("fast", [False, True], ids=["zlib", "isal"])
@pytest.mark.parametrize("size", [0, 1, 4_096, 4_097, 12_288, 300_001])
def test_pieces_make_one_stream_whatever_the_threads(tmp_path: Path, size: int, fast: bool) -> None:
    data = sample(size)
    source = tmp_path / "collection"
    source.write_bytes(data)
    written = []
    for threads in (1, 2, 3):
        path = tmp_path / f"t{threads}.zip"
        ours(path, source, 1, threads, chunk=4_096, fast=fast)
        written.append(path.read_bytes())
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
            assert package.comment == COMMENT
            assert [i.filename for i in package.infolist()] == ["collection.anki2", "media"]
            assert package.read("collection.anki2") == data
            assert package.read("media") == b"{}"
            assert package.getinfo("collection.anki2").CRC == zlib.crc32(data)
    assert written[0] == written[1] == written[2]


def test_isal_is_installed_where_its_wheels_are() -> None:
    if platform.python_implementation() == "CPython" and platform.machine() in ("x86_64", "AMD64", "aarch64",
                                                                                 "arm64"):
        assert package_zip.FAST is not None


@pytest.mark.skipif(package_zip.FAST is None, reason="no isal here: zlib deflates every member")
@pytest.mark.parametrize("size", [4_097, 300_001])
def test_a_fast_member_is_deflated_by_isal_not_zlib(tmp_path: Path, size: int) -> None:
    source = tmp_path / "collection"
    source.write_bytes(sample(size))
    ours(tmp_path / "isal.zip", source, 1, 2, chunk=4_096, fast=True)
    ours(tmp_path / "zlib.zip", source, 1, 2, chunk=4_096)
    assert (tmp_path / "isal.zip").read_bytes() != (tmp_path / "zlib.zip").read_bytes()


def test_without_isal_a_fast_member_is_what_zipfile_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_zip, "FAST", None)
    source = tmp_path / "collection"
    source.write_bytes(sample(70_000))
    by_zipfile(tmp_path / "theirs.zip", source, 1)
    ours(tmp_path / "ours.zip", source, 1, 2, fast=True)
    assert (tmp_path / "ours.zip").read_bytes() == (tmp_path / "theirs.zip").read_bytes()


@pytest.mark.skipif(package_zip.FAST is None, reason="no isal here: zlib deflates every member")
def test_isal_deflates_text_smaller_than_zlib_at_level_1(tmp_path: Path) -> None:
    source = tmp_path / "collection"
    source.write_bytes(sample(400_000))
    by_zipfile(tmp_path / "theirs.zip", source, 1)
    ours(tmp_path / "ours.zip", source, 1, 2, chunk=40_000, fast=True)
    assert (tmp_path / "ours.zip").stat().st_size < (tmp_path / "theirs.zip").stat().st_size


def test_priming_keeps_the_ratio(tmp_path: Path) -> None:
    source = tmp_path / "collection"
    source.write_bytes(sample(400_000))
    by_zipfile(tmp_path / "theirs.zip", source, 1)
    ours(tmp_path / "ours.zip", source, 1, 2, chunk=40_000)
    assert (tmp_path / "ours.zip").stat().st_size < (tmp_path / "theirs.zip").stat().st_size * 1.01


def test_a_package_deflated_in_many_pieces_imports_into_anki(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_zip, "CHUNK", 4_096)
    monkeypatch.setenv("QUIZ_WORKERS", "2")
    out = tmp_path / "deck.apkg"
    result = export(out, "--lang", "both")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        assert package.getinfo("collection.anki2").file_size > 20 * 4_096  # many pieces
    col = new_collection(tmp_path / "anki-profile")
    try:
        log = import_apkg(col, out)
        assert col.note_count() == len(log.new) > 0
    finally:
        col.close()
