"""`quiz due`'s fast path (quiz.cli.quick) prints byte for byte what the full command prints, in every state it
answers, and leaves every other state to the full command. Each case runs `quiz due` twice on the same database,
in fresh interpreters: through the console script's `main` (fast path first) and through the Typer app alone;
stdout, stderr and the exit status must be equal, and the modules imported say which path answered."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quiz import clock
from quiz.model import CardPhase, CardState, Rating
from quiz.store import Store

NOW = "2026-03-02T09:00:00Z"
T = clock.parse_time(NOW)
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)

MAIN = """\
import os, sys
real_exit = os._exit

def leave(code):  # both paths leave through os._exit: say which modules answered
    with open(os.environ["PROBE_OUT"], "w") as handle:
        handle.write("\\n".join(sorted(sys.modules)))
    real_exit(code)

os._exit = leave
sys.argv = ["quiz", *sys.argv[1:]]
from quiz.cli import main
main()
"""
TYPER = MAIN.replace("from quiz.cli import main\nmain()", "from quiz.cli.app import app\napp()")


@dataclasses.dataclass(frozen=True)
class Run:
    code: int
    stdout: bytes
    stderr: bytes
    fast: bool


def run(script: str, args: tuple[str, ...], env: dict[str, str], probe: Path) -> Run:
    probe.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, timeout=120)
    modules = set(probe.read_text().splitlines()) if probe.exists() else set()
    return Run(proc.returncode, proc.stdout, proc.stderr, bool(modules) and "typer" not in modules)


def both(tmp_path: Path, *args: str, fast: bool | None = True, **env: str) -> Run:
    """`quiz due ARGS` through `main` and through the Typer app: equal output; `fast` says which path `main` took
    (None: either)."""
    environ = dict(os.environ, QUIZ_NOW=NOW, PROBE_OUT=str(tmp_path / "modules.txt"))
    environ.update(env)
    for name, value in env.items():
        if value == "<unset>":
            environ.pop(name)
    main = run(MAIN, ("due", *args), environ, tmp_path / "modules.txt")  # first: what it finds is as it was
    full = run(TYPER, ("due", *args), environ, tmp_path / "modules.txt")
    assert (main.code, main.stdout.decode(), main.stderr.decode()) == \
           (full.code, full.stdout.decode(), full.stderr.decode()), args
    assert not full.fast
    if fast is not None:
        assert main.fast is fast, (args, main)
    return main


def db() -> Path:
    return Path(os.environ["QUIZ_DB"])


def question_ids(n: int) -> list[str]:
    with Store.open(db(), now=T) as store:
        sql = "SELECT id FROM questions WHERE active = 1 ORDER BY position LIMIT ?"
        return [row[0] for row in store.conn.execute(sql, (n,))]


def put(qid: str, state: CardState, profile: str = "default", at: datetime = T - 30 * DAY) -> None:
    """Give a card an exact state, through the store's one write path (an answer at `at`, UTC)."""
    with Store.open(db(), now=T) as store:
        before = store.card(profile, qid)
        store.record_answer(profile, qid, before=before, after=dataclasses.replace(state, question_id=qid),
                            rating=Rating.GOOD, answer="", correct=None, duration_ms=0, reviewed_at=at,
                            day=clock.study_day(at, timezone.utc).isoformat(), retrievability=None)


def review(due: datetime) -> CardState:
    return CardState("", CardPhase.REVIEW, None, 10.0, 5.0, due, due - 10 * DAY, 0, 4)


def learning(due: datetime) -> CardState:
    return CardState("", CardPhase.LEARNING, 1, 2.3, 5.0, due, due - 10 * MINUTE, 0, 1)


def test_a_new_learner_then_due_cards_learning_and_arabic(tmp_path: Path) -> None:
    first = both(tmp_path, fast=False)  # the database is created and the bank synced: the full command
    assert first.stdout == b"Due now: 0 to review, 0 in learning, 10 new.\n" and first.code == 0
    assert both(tmp_path).stdout == first.stdout  # the same, now from the fast path
    both(tmp_path, "--json")
    ids = question_ids(40)
    for qid in ids[:3]:
        put(qid, review(T - DAY))
    put(ids[3], review(T + 3 * DAY))
    put(ids[4], learning(T - MINUTE))
    put(ids[5], learning(T + 7 * MINUTE))
    put(ids[8], learning(T + DAY), at=T - 60 * MINUTE)  # a new question answered today: one less new today
    with Store.open(db(), now=T) as store:
        store.set_suspended("default", ids[6], True)
        store.bury("default", ids[7], T + 2 * DAY)
        store.bury("default", ids[0], T + 2 * DAY)  # a due card buried: comes back when unburied
    out = both(tmp_path)
    assert out.stdout == b"Due now: 2 to review, 1 in learning, 9 new.\nNext review: now.\n"
    both(tmp_path, "--json")
    both(tmp_path, "--lang", "ar")
    both(tmp_path, "--lang=ar", "--json")
    both(tmp_path, QUIZ_LANG="ar")
    both(tmp_path, LANG="ar_EG.UTF-8")
    both(tmp_path, "--lang", "EN", "--db", str(db()), "--profile", "default")
    for later in ("2026-03-02T09:08:00Z", "2026-03-03T03:59:00Z", "2026-03-03T04:00:00Z", "2026-03-05T12:00:00Z",
                  "2026-06-01T00:00:00Z", "2031-01-01T00:00:00Z"):  # the day rolls over at 04:00 (UTC here)
        both(tmp_path, QUIZ_NOW=later)
        both(tmp_path, "--json", QUIZ_NOW=later)
    both(tmp_path, QUIZ_TZ="Asia/Riyadh", QUIZ_NOW="2026-03-03T00:30:00Z")  # 03:30 in Riyadh: still the 2nd
    both(tmp_path, QUIZ_TZ="Asia/Riyadh", QUIZ_NOW="2026-03-03T01:30:00Z")  # 04:30: the 3rd
    both(tmp_path, QUIZ_TZ="America/New_York", QUIZ_NOW="2026-03-08T08:30:00Z", fast=None)  # DST: 04:30 EDT


def test_daily_limits_settings_and_a_learner_who_started_everything(tmp_path: Path) -> None:
    both(tmp_path, fast=False)
    ids = question_ids(10_000)
    with Store.open(db(), now=T) as store:
        conn = store.conn
        conn.execute("BEGIN")
        pid = conn.execute("SELECT id FROM profiles WHERE name = 'default'").fetchone()[0]
        conn.executemany(  # every question started, half of them due today
            "INSERT INTO cards(profile_id, qid, phase, stability, difficulty, due, last_review, reps) "
            "SELECT ?, qid, 2, 10.0, 5.0, ?, ?, 3 FROM questions WHERE id = ?",
            [(pid, clock_ms(T - DAY if n % 2 else T + 5 * DAY), clock_ms(T - 9 * DAY), qid)
             for n, qid in enumerate(ids)])
        conn.execute("COMMIT")
    half = len(ids) // 2  # the odd positions
    assert both(tmp_path).stdout.startswith(f"Due now: {min(half, 200)} to review, 0 in learning, 0 new.".encode())
    with Store.open(db(), now=T) as store:
        store.set_setting("default", "reviews_per_day", "100")
    assert both(tmp_path).stdout.startswith(b"Due now: 100 to review, 0 in learning, 0 new.")  # the daily limit
    both(tmp_path, QUIZ_NOW="2026-03-03T04:30:00Z")  # the next morning: nothing new, without walking the bank
    for key, value, fast in (("reviews_per_day", "25", True), ("reviews_per_day", " 7 ", True),
                             ("reviews_per_day", "lots", True), ("reviews_per_day", "-3", True),
                             ("new_per_day", "0", True), ("bidi", "off", True), ("bidi", "on", False),
                             ("bidi", "sideways", False)):
        with Store.open(db(), now=T) as store:
            store.set_setting("default", key, value)
        both(tmp_path, fast=fast)
        both(tmp_path, "--json", fast=None)
    both(tmp_path, QUIZ_BIDI="on", fast=False)
    both(tmp_path, "--json", QUIZ_BIDI="nonsense", fast=False)


def clock_ms(moment: datetime) -> int:
    return int((moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1))


@pytest.mark.parametrize(("args", "env"), [
    (("--era", "cold-war"), {}),  # a filter: the full command
    (("--help",), {}),
    (("--lang", "fr"), {}),  # errors: said by the full command
    (("--lang", "both"), {}),
    (("--profile", ""), {"QUIZ_PROFILE": "\tx"}),
    (("--db",), {}),
    (("--no-builtin",), {}),
    (("extra",), {}),
    ((), {"QUIZ_NOW": "yesterday"}),
    ((), {"QUIZ_TZ": "Mars/Olympus"}),
    ((), {"QUIZ_CACHE_DIR": ""}),  # no cache: the bank is parsed
    ((), {"COLUMNS": "30"}),  # wider than the terminal: rich wraps it
    (("--profile", "newcomer"), {}),  # a profile to create
    (("--db", "elsewhere.db"), {}),  # a database to create
])
def test_everything_else_is_the_full_command(tmp_path: Path, args: tuple[str, ...], env: dict[str, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    both(tmp_path, fast=False)
    both(tmp_path, *args, fast=False, **env)


def test_unusual_databases_are_the_full_commands(tmp_path: Path) -> None:
    both(tmp_path, fast=False)
    path = db()
    stale = path.with_name(path.name + ".bak-x.partial")
    stale.write_bytes(b"")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))  # left by a copy killed two hours ago
    both(tmp_path, fast=False)  # the full command removes stale partial copies
    assert not stale.exists()
    with Store.open(path, now=T) as store:  # a bank changed since the last sync
        store.conn.execute("UPDATE meta SET value = 'other' WHERE key = 'bank_fingerprint'")
    both(tmp_path, fast=False)
    both(tmp_path)
    with Store.open(path, now=T) as store:
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (store_names()[-1],))
    both(tmp_path, fast=False)  # an unknown state of the schema: the full command says what it is
    path.chmod(0o444)
    try:
        both(tmp_path, fast=False)  # read-only
    finally:
        path.chmod(0o644)
    path.write_bytes(b"not a database at all, but long enough to have a header of a hundred bytes" * 3)
    out = both(tmp_path, fast=False)
    assert out.code == 1 and b"not a quiz database" in out.stderr


def store_names() -> tuple[str, ...]:
    from quiz import migrations

    return migrations.NAMES


def test_a_teacher_bank_in_folders(tmp_path: Path, write_bank: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    question = """\
        questions:
          - id: {id}
            kind: typed
            era: early
            source: {{doc: doc, para: 1}}
            prompt: {{ar: سؤال {n}, en: Question {n}}}
            answer: {{ar: جواب {n}, en: Answer {n}}}
        """
    files = {f"{folder}q{n}.yaml": question.format(id=f"tq-{n}", n=n)
             for n, folder in enumerate(["", "", "sub/", "sub/deeper/", "a.yaml.d/"])}
    bank = write_bank(tmp_path / "my bank", files)  # type: ignore[operator]
    (bank / "notes.txt").write_text("not a bank file", encoding="utf-8")
    extra = write_bank(tmp_path / "extra", {"x.yml": question.format(id="tq-x", n=9)}, header=False)  # type: ignore[operator]
    args = ("--bank", "my bank", "--no-builtin")
    time.sleep(3.1)  # bank files remembered by their stat only 3 s after they were written (quiz.bank.cache)
    both(tmp_path, *args, fast=False)  # the bank parsed, the database created
    both(tmp_path, *args)
    both(tmp_path, "--bank=my bank/", "--no-builtin")
    both(tmp_path, "--bank", "./my bank", "--bank", str(extra / "x.yml"), "--no-builtin", fast=False)
    both(tmp_path, "--bank", "./my bank", "--bank", str(extra / "x.yml"), "--no-builtin")
    both(tmp_path, "--no-builtin", QUIZ_BANKS=f"my bank{os.pathsep}{extra}")  # the same files and banks
    (bank / "sub" / "q5.yaml").write_text(textwrap_question(question, "tq-5", 5), encoding="utf-8")
    both(tmp_path, *args, fast=False)  # a new file: its digest is not remembered yet
    os.symlink(bank / "sub", bank / "link")
    both(tmp_path, *args, fast=False)  # the mirror of the file listing follows no links


def textwrap_question(template: str, qid: str, n: int) -> str:
    import textwrap

    return textwrap.dedent(template.format(id=qid, n=n))


def test_the_mirrored_constants_are_the_bank_s_and_the_settings() -> None:
    """quiz.cli.quick mirrors what it must not import; a change there makes it find no cache (slow, not wrong)."""
    from quiz.bank import cache, reader
    from quiz.cli import quick
    from quiz.errors import Problem
    from quiz.settings import Settings

    assert (quick.CACHE_FORMAT, quick.CACHE_MAGIC, quick.RACY_NS) == (cache.CACHE_FORMAT, cache._MAGIC,
                                                                      cache.RACY_NS)
    assert quick.MAX_FILE_BYTES == reader.MAX_FILE_BYTES
    assert [f.name for f in dataclasses.fields(Problem)][3] == "severity" and len(dataclasses.fields(Problem)) == 6
    for key, (default, low, high) in quick.SETTINGS.items():
        for raw in (None, "5", " 7 ", "+3", "1_000", "٣", "x", "", "-1", str(low), str(high), str(high + 1), "2.0"):
            expected = getattr(Settings.from_store({} if raw is None else {key: raw}), key)
            assert quick._int_setting(raw, default, low, high) == expected, (key, raw)


def test_what_the_fast_path_prints_needs_no_cleaning() -> None:
    """`quiz due` cleans its lines for the screen (`quiz.render.clean`); the fast path prints only the interface's
    own words and numbers, which cleaning leaves as they are."""
    from quiz.messages import humanize_delta, say
    from quiz.render import clean

    for lang in ("ar", "en"):
        lines = [say("status.due", lang, due=12, learning=3, new=10)]  # type: ignore[arg-type]
        lines += [say("status.next", lang, when=humanize_delta(s, lang))  # type: ignore[arg-type]
                  for s in (0, 59, 60, 3600 * 5, 86400, 86400 * 3, 86400 * 90, 86400 * 2000)]
        assert [clean(line) for line in lines] == lines


def test_the_readme_s_prompt_snippet(tmp_path: Path) -> None:
    """The bash function the README gives for a prompt prints what `quiz due --json` says (a shell's view)."""
    import re
    import shutil

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```bash\n(__quiz_due\(\) \{.*?\n\})\n", readme, re.S)
    assert snippet is not None
    both(tmp_path, fast=False)
    folder = tmp_path / "bin"  # `quiz` on PATH: this checkout's console script
    folder.mkdir()
    (folder / "quiz").write_text(f"#!{sys.executable}\nfrom quiz.cli import main\nmain()\n", encoding="utf-8")
    (folder / "quiz").chmod(0o755)
    env = dict(os.environ, QUIZ_NOW=NOW, PATH=f"{folder}{os.pathsep}{os.environ['PATH']}")
    out = subprocess.run([bash, "-c", snippet.group(1) + "\n__quiz_due"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert (out.returncode, out.stdout, out.stderr) == (0, "[quiz 0 due, 10 new] ", "")


def test_the_cache_header_s_first_fields_are_the_whole_header_s(tmp_path: Path) -> None:
    """The fast path reads a bank cache's header only up to its fingerprint (`quick._header_head`): what it reads
    is what loading the whole header gives, and a header laid out otherwise is loaded whole."""
    import marshal

    from quiz.cli import quick

    both(tmp_path, fast=False)  # the built-in bank parsed and cached
    caches = sorted(Path(os.environ["QUIZ_CACHE_DIR"]).glob("bank-*.pickle"))
    assert caches
    for path in caches:
        with path.open("rb") as handle:
            assert handle.read(len(quick.CACHE_MAGIC)) == quick.CACHE_MAGIC
            size = int.from_bytes(handle.read(8), "big")
            head = quick._header_head(handle, size)
            handle.seek(len(quick.CACHE_MAGIC) + 8)
            whole = marshal.loads(handle.read(size))
        assert head is not None and list(head) == list(whole)[:len(head)] and list(head)[-1] == "fingerprint"
        assert all(head[name] == whole[name] for name in head)
        assert {"format", "key", "problems"} <= set(head)
    other = tmp_path / "other.pickle"  # the fingerprint after the long fields: not found in the first bytes
    header = marshal.dumps({"format": 1, "ids": "x" * (1 << 18), "fingerprint": "f"})
    other.write_bytes(quick.CACHE_MAGIC + len(header).to_bytes(8, "big") + header + b"body")
    with other.open("rb") as handle:
        handle.read(len(quick.CACHE_MAGIC) + 8)
        assert quick._header_head(handle, len(header)) is None
    spoof = marshal.dumps({"format": 1, "eras": (b"\xda\x0bfingerprint",), "fingerprint": "f"})  # in a value
    other.write_bytes(quick.CACHE_MAGIC + len(spoof).to_bytes(8, "big") + spoof + b"body")
    with other.open("rb") as handle:
        handle.read(len(quick.CACHE_MAGIC) + 8)
        head = quick._header_head(handle, len(spoof))
    assert head is None
