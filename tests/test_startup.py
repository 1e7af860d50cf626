"""Start-up stays lean (issue 8), checked by what is imported, never by the clock: `quiz --version` and a warm
`quiz due` import none of the heavy libraries; a cold run works and warms the bank cache; the cache that makes
warm runs cheap (remembered file digests, lazily decoded questions, the sync fingerprint) is never stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import quiz.bank
import quiz.bank.cache
from quiz.bank import load_bank
from quiz.errors import QuizError

HEAVY = ("genanki", "fsrs", "yaml", "ruamel", "sqlite_utils")
ALSO_LEAN = ("pydantic", "rich")  # Typer's coercion and rich's console: not for --version or a warm `quiz due`

PROBE = textwrap.dedent("""\
    import atexit, os, sys

    def record():  # quiz exits without tearing down, after running exit handlers
        modules = sorted(sys.modules)
        with open(os.environ["PROBE_OUT"], "w") as handle:
            handle.write("\\n".join(modules))

    atexit.register(record)
    sys.argv = ["quiz", *sys.argv[2:]]
    from quiz.cli import main
    main()
    """)


def quiz_modules(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    """Run `quiz ARGS` in a fresh interpreter: its exit code, the top-level modules it imported, its stdout."""
    out = tmp_path / "modules.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("TERM_PROGRAM", "WT_SESSION", "QUIZ_BIDI")}
    env["PROBE_OUT"] = str(out)
    proc = subprocess.run([sys.executable, "-c", PROBE, "quiz", *args], env=env, capture_output=True, text=True,
                          timeout=120)
    assert out.exists(), proc.stderr
    return proc.returncode, {name.split(".")[0] for name in out.read_text().splitlines()}, proc.stdout


def test_version_imports_nothing_heavy(tmp_path: Path) -> None:
    code, modules, stdout = quiz_modules(tmp_path, "--version")
    assert code == 0 and stdout.startswith("quiz ")
    assert not modules & {*HEAVY, *ALSO_LEAN}, sorted(modules & {*HEAVY, *ALSO_LEAN})


def test_a_cold_due_works_and_warms_the_cache_then_a_warm_one_stays_lean(tmp_path: Path) -> None:
    cache = Path(os.environ["QUIZ_CACHE_DIR"])
    assert not list(cache.glob("bank-*"))
    code, cold, stdout = quiz_modules(tmp_path, "due")
    assert code == 0 and stdout.startswith("Due now:")
    assert "yaml" in cold  # the bank was parsed ...
    assert len(list(cache.glob("bank-*.pickle"))) == 1  # ... and cached
    code, warm, again = quiz_modules(tmp_path, "due")
    assert code == 0 and again == stdout
    assert not warm & {*HEAVY, *ALSO_LEAN}, sorted(warm & {*HEAVY, *ALSO_LEAN})


def test_due_json_and_an_arabic_terminal_say_the_same(tmp_path: Path) -> None:
    quiz_modules(tmp_path, "due")
    code, _, plain = quiz_modules(tmp_path, "due", "--json")
    assert code == 0 and json.loads(plain)["new"] == 10
    code, _, arabic = quiz_modules(tmp_path, "due", "--lang", "ar")
    assert code == 0 and arabic.startswith("المستحق الآن") and arabic.endswith("\n")


# --- the bank cache ---------------------------------------------------------------------------------------------

BANK = """\
sources:
  - {id: doc, title: {ar: وثيقة, en: A document}}
eras:
  - {id: middle, start: 1940, end: 1969, title: {ar: الوسطى, en: The middle era}}
events:
  - {id: ev-a, date: "1957-10-04", era: middle, title: {ar: حدث, en: an event}, source: {doc: doc}}
  - {id: ev-b, date: "1962-10", era: middle, title: {ar: حدث آخر, en: another event}, source: {doc: doc}}
questions:
  - id: q-a
    kind: typed
    era: middle
    prompt: {ar: متى؟, en: When?}
    answer: {ar: "1957", en: "1957"}
    explanation: {ar: شرح, en: Because.}
    source: {doc: doc, para: 1}
"""


def test_content_hashes_are_the_json_of_the_content() -> None:
    import hashlib

    for question in load_bank([], cache_dir=None).bank.questions:
        blob = json.dumps(question.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert question.content_hash() == hashlib.blake2b(blob.encode("utf-8"), digest_size=12).hexdigest()


def test_a_warm_load_reads_no_bank_file_and_decodes_no_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "t.yaml").write_text(BANK, encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_bank([folder], builtin=False, cache_dir=cache)
    monkeypatch.setattr(quiz.bank.cache, "RACY_NS", 0)  # the file was just written: trust its digest all the same
    reads: list[str] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    warm = load_bank([folder], builtin=False, cache_dir=cache)
    assert "t.yaml" not in reads
    questions = warm.bank.questions
    assert len(questions) == len(first.bank.questions) and questions._chunks == [None]  # type: ignore[attr-defined]
    assert warm.bank.fingerprint == first.bank.fingerprint
    assert warm == first and questions == first.bank.questions and warm.bank.question("q-a") is not None


def test_a_cold_load_with_no_cache_to_find_digests_each_file_once(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With no bank cache in its folder (a first run, or the folder emptied), a cold load looks none up: each
    file is digested once, as it is parsed (not also before, for a key to look up), and the memo learns that
    digest (the next load reads no file). Beside another bank's cache, a file is digested before the lookup."""
    folder, other = tmp_path / "bank", tmp_path / "other"
    for where, text in ((folder, BANK), (other, BANK.replace("When?", "Year?"))):
        where.mkdir()
        (where / "t.yaml").write_text(text, encoding="utf-8")
    digested: list[int] = []
    real = quiz.bank.cache.file_digest
    monkeypatch.setattr(quiz.bank.cache, "file_digest", lambda raw: digested.append(len(raw)) or real(raw))
    cache = tmp_path / "cache"
    first = load_bank([folder], builtin=False, cache_dir=cache)
    assert digested == [len(BANK.encode())] and list(cache.glob("bank-*.pickle"))
    monkeypatch.setattr(quiz.bank.cache, "RACY_NS", 0)  # the file was just written: trust its digest all the same
    reads: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or read_bytes(self))
    assert load_bank([folder], builtin=False, cache_dir=cache) == first and reads == []
    digested.clear()
    load_bank([other], builtin=False, cache_dir=cache)  # a cache is there: the key is made before the parse
    assert len(digested) == 2 and reads == ["t.yaml", "t.yaml"]


def test_a_digest_learnt_at_the_parse_is_weighed_from_when_the_file_was_looked_at(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo learns a digest from the parse of a cold load with no cache to find, long after it looked at the
    file (a 100k load takes seconds): it is weighed against the file's times from then. A file written just
    before the load is then not trusted by the next one (an edit in the same clock tick could hide), which reads
    it again, though the load itself took longer than `RACY_NS`."""
    import time as clock

    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "t.yaml").write_text(BANK, encoding="utf-8")
    real = clock.time_ns
    late = [0]
    monkeypatch.setattr(clock, "time_ns", lambda: real() + late[0])
    build = quiz.bank.build_bank

    def slow(*args: object, **kwargs: object) -> object:
        late[0] = 10 * quiz.bank.cache.RACY_NS  # the parse and the cache's writing take long
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quiz.bank, "build_bank", slow)
    load_bank([folder], builtin=False, cache_dir=tmp_path / "cache")
    monkeypatch.undo()
    reads: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or read_bytes(self))
    load_bank([folder], builtin=False, cache_dir=tmp_path / "cache")
    assert "t.yaml" in reads  # racy: looked at again


def test_an_edit_within_the_same_clock_tick_is_never_missed(tmp_path: Path) -> None:
    """A remembered digest is trusted only for a file whose times were well before it was recorded."""
    folder = tmp_path / "bank"
    folder.mkdir()
    path = folder / "t.yaml"
    path.write_text(BANK, encoding="utf-8")
    cache = tmp_path / "cache"
    load_bank([folder], builtin=False, cache_dir=cache)
    before = path.stat()
    path.write_text(BANK.replace("When?", "Year?"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    question = load_bank([folder], builtin=False, cache_dir=cache).bank.question("q-a")
    assert question is not None and question.prompt.en == "Year?"


def test_an_edit_that_restores_size_and_mtime_is_seen_by_its_ctime(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    path = folder / "t.yaml"
    path.write_text(BANK, encoding="utf-8")
    cache = tmp_path / "cache"
    memo = quiz.bank.cache.FileMemo.open(cache)
    stat = path.stat()
    memo.remember(path, stat, quiz.bank.cache.file_digest(path.read_bytes()))
    key = str(path.absolute())
    memo.entries[key] = (*memo.entries[key][:5], stat.st_ctime_ns + 10**10, memo.entries[key][6])  # "old"
    assert memo.digest(path, stat) is not None
    time.sleep(0.01)
    path.write_text(BANK.replace("When?", "Year?"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert memo.digest(path, path.stat()) is None


def test_a_damaged_cache_body_is_reported_removed_and_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "t.yaml").write_text(BANK, encoding="utf-8")
    cache = tmp_path / "cache"
    first = load_bank([folder], builtin=False, cache_dir=cache)
    (entry,) = cache.glob("bank-*.pickle")
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0xFF  # inside the last chunk (the questions)
    entry.write_bytes(bytes(data))
    damaged = load_bank([folder], builtin=False, cache_dir=cache)
    with pytest.raises(QuizError, match="bank cache .* is damaged"):
        list(damaged.bank.questions)
    assert not entry.exists()
    assert load_bank([folder], builtin=False, cache_dir=cache) == first


def test_a_warm_workspace_neither_lists_nor_decodes_the_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz import clock
    from quiz.model import Bank
    from quiz.workspace import open_workspace

    cache = tmp_path / "cache"
    bank = load_bank([], cache_dir=cache).bank
    db = tmp_path / "quiz.db"
    open_workspace(db, bank, "me", clock.now()).close()
    warm = load_bank([], cache_dir=cache).bank

    def refuse(self: Bank) -> None:
        raise AssertionError("the bank was listed again")

    monkeypatch.setattr(Bank, "sync_entries", refuse)
    open_workspace(db, warm, "me", clock.now()).close()
    assert warm.questions._chunks == [None] * len(warm.questions._chunks)  # type: ignore[attr-defined]


def test_a_first_sync_of_a_cached_bank_decodes_each_chunk_once_and_keeps_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new database's sync lists the bank in one pass that drops each chunk once used (a 100k bank's
    questions are never all held), and records what a bank holding its questions records."""
    from quiz import clock
    from quiz.model import Bank
    from quiz.store import Store
    from quiz.workspace import open_workspace

    cache = tmp_path / "cache"
    load_bank([], cache_dir=cache)
    warm = load_bank([], cache_dir=cache).bank
    questions: quiz.bank.cache._CachedSequence = warm.questions  # type: ignore[assignment]
    assert isinstance(questions, quiz.bank.cache._CachedSequence) and len(questions._chunks) > 1
    decoded: list[int] = []
    real = questions._source.decode

    def counted(begin: int, end: int) -> tuple[object, ...]:
        decoded.append(begin)
        return real(begin, end)

    monkeypatch.setattr(questions._source, "decode", counted)
    entries = warm.sync_entries()
    assert questions._chunks == [None] * len(questions._chunks)
    assert sorted(decoded) == sorted(set(decoded)) and len(decoded) == len(questions._chunks)
    whole = Bank(warm.eras, tuple(warm.events), tuple(quiz.bank.stream(questions)), warm.documents, warm.infos)
    assert entries == whole.sync_entries() and whole.fingerprint == warm.fingerprint
    decoded.clear()
    open_workspace(tmp_path / "quiz.db", warm, "me", clock.now()).close()
    assert questions._chunks == [None] * len(questions._chunks) and len(decoded) == len(questions._chunks)
    with Store.open(tmp_path / "quiz.db") as store:
        assert [qid for qid, *_ in entries] == [row[0] for row in store._rows(
            "SELECT id FROM questions WHERE active = 1 ORDER BY position")]


def test_the_default_folders_are_platformdirs_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    from quiz import locations

    if sys.platform != "linux":
        pytest.skip("the shortcut is for Linux")
    monkeypatch.delenv("QUIZ_DB", raising=False)
    monkeypatch.delenv("QUIZ_CACHE_DIR", raising=False)
    cases = [
        {"HOME": str(tmp_path), "XDG_DATA_HOME": None, "XDG_CACHE_HOME": None},
        {"HOME": str(tmp_path) + "/", "XDG_DATA_HOME": "", "XDG_CACHE_HOME": "  "},
        {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CACHE_HOME": str(tmp_path / "c")},
        {"HOME": str(tmp_path), "XDG_DATA_HOME": "relative/d", "XDG_CACHE_HOME": "relative/c"},
    ]
    for case in cases:
        for key, value in case.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        expected_db = platformdirs.user_data_path(locations.APP, appauthor=False) / "quiz.db"
        assert locations.database_path(None) == expected_db, case
        assert locations.cache_dir() == platformdirs.user_cache_path(locations.APP, appauthor=False), case


def test_the_console_script_leaves_with_the_commands_status_and_all_its_output(tmp_path: Path) -> None:
    """`quiz` exits without tearing the interpreter down: the status and every line still come out."""
    env = dict(os.environ)
    bad = subprocess.run([sys.executable, "-m", "quiz", "no-such-command"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "No such command 'no-such-command'" in bad.stderr
    listed = subprocess.run([sys.executable, "-m", "quiz", "list", "--json"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) > 100


# --- the one-pass YAML reader against libyaml's composer ---------------------------------------------------------


def _reference(text: str) -> object:
    """What the reader `yamlnodes` had before it read the event stream in one pass made of `text`: the stream
    parsed through (its depth check), then `yaml.compose` and a walk over the nodes. Nested (kind, line, items)
    values, or the error and its line."""
    import yaml

    from quiz.bank.reader import _STD, _Reject, _scalar

    def unwrap(value: object) -> object:  # a complex key as the plain dict or list the old walk made of it
        if isinstance(value, tuple) and value and value[0] == "map":
            return {k: unwrap(v) for k, _, v in value[2]}
        if isinstance(value, tuple) and value and value[0] == "seq":
            return [unwrap(v) for _, v in value[2]]
        return value

    def build(node: object, seen: set[int]) -> object:
        line = node.start_mark.line + 1  # type: ignore[attr-defined]
        if id(node) in seen:
            raise _Reject(line, "alias")
        tag = node.tag  # type: ignore[attr-defined]
        if isinstance(node, yaml.MappingNode):
            seen.add(id(node))
            if tag != _STD + "map":
                raise _Reject(line, "tag")
            items: list[object] = []
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if key_node.tag == _STD + "merge":
                    raise _Reject(key_node.start_mark.line + 1, "merge")
                key = build(key_node, seen)
                key = key if isinstance(key, str) else str(unwrap(key))
                if key in keys:
                    raise _Reject(key_node.start_mark.line + 1, "twice")
                keys.add(key)
                items.append((key, key_node.start_mark.line + 1, build(value_node, seen)))
            return ("map", line, tuple(items))
        if isinstance(node, yaml.SequenceNode):
            seen.add(id(node))
            if tag != _STD + "seq":
                raise _Reject(line, "tag")
            return ("seq", line, tuple((item.start_mark.line + 1, build(item, seen)) for item in node.value))
        return _scalar(node.value, tag, line)  # type: ignore[attr-defined]

    try:
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):  # the whole stream first, as the depth check read it
            pass
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
        if node is None:
            return None
        return build(node, set())
    except _Reject as exc:
        return ("rejected", exc.line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("error", mark.line + 1 if mark else 1, exc.problem or exc.context)
    except yaml.YAMLError:
        return ("error",)


def _one_pass(text: str) -> object:
    import yaml

    from quiz.bank.reader import Map, _compose, _Reject

    def plain(value: object, line: int) -> object:
        if isinstance(value, Map):
            return ("map", line, tuple((k, value.key_lines[k], plain(v, _line(v, value.key_lines[k])))
                                       for k, v in value.items()))
        if isinstance(value, list):
            return ("seq", line, tuple((n, plain(v, n)) for n, v in zip(value.item_lines, value, strict=True)))
        return value

    def _line(value: object, default: int) -> int:
        return getattr(value, "line", default)

    try:
        root = _compose(text, yaml.CSafeLoader)
        if root is None:
            return None
        return plain(root[0], root[1])
    except _Reject as exc:
        return ("rejected", exc.line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("error", mark.line + 1 if mark else 1, exc.problem or exc.context)
    except yaml.YAMLError:
        return ("error",)


YAMLISH = ["- ", ": ", "\n  ", "\n- ", "!!str ", "&a ", "*a", "&b ", "*b", "<<: ", "---\n", "...\n", "~", "yes", "0x1",
           "!!map ", "!!seq ", "!foo ", "? ", "a: ", "b: ", "\n    ", "[", "]", "{", "}", ", ", "'", '"', "#", "1", "x"]


@pytest.mark.slow
def test_the_one_pass_reader_reads_what_the_composer_did() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    for path in sorted((Path(__file__).resolve().parents[1] / "questions").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _one_pass(text) == _reference(text), path.name

    @settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(YAMLISH), max_size=30).map("".join))
    def same(text: str) -> None:
        assert _one_pass(text) == _reference(text)

    same()
