"""The fast path of `quiz due`, the command people put in shell prompts and status lines (issue 18).

`quiz due` with no other options than `--json`, `--db`, `--profile`, `--lang`, `--bank` and `--no-builtin`, its
output captured (not a terminal), is answered here without Typer, rich, `quiz.model` or the bank's parser: the
bank's fingerprint comes from the header of its cache, the counts from `quiz.store.status` over a bare sqlite3
connection. The output is byte for byte what the full command prints (tests/test_due_fast.py runs both on the same
databases). Anything else, or anything unusual — no cache yet, a bank file changed, a bank with errors, a database
to create, upgrade, sync or repair, a profile to create, a setting the fast path does not read as plain, Arabic
to reorder, a line wider than the terminal, any error at all — and `due` returns without a word, and the full
command runs, which does what is needed or says what is wrong. So this path never writes anything.

The bank's side mirrors, without importing them, `quiz.bank.files.root_files` (which files, shown by which name, in
which bank) and the cache's key, its file memo and its header (`quiz.bank.cache`): a mirror that drifted from
them computes another key and finds no cache, and the full command runs (tests compare the mirrored constants).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's (~7 ms)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, BinaryIO

    from quiz.messages import Lang

FLAGS = {"--json", "--no-builtin"}
VALUES = {"--db", "--profile", "--lang", "--bank"}

# Mirrors of quiz.bank.cache and quiz.bank.reader (tests/test_due_fast.py holds them equal).
CACHE_FORMAT = 13
CACHE_MAGIC = b"quiz bank cache\n"
RACY_NS = 3_000_000_000
MAX_FILE_BYTES = 32 * 1024 * 1024
SETTINGS = {"new_per_day": (10, 0, 9999), "reviews_per_day": (200, 0, 99999)}
"""`quiz.settings.Settings`: the daily limits (default, lowest, highest) `quiz due` needs."""


class _Full(Exception):
    """Not for the fast path: the full command runs."""


def due(argv: Sequence[str]) -> None:
    """Print what `quiz due ARGV` prints and leave the process (status 0), or return having printed nothing."""
    try:
        text = _answer(list(argv))
    except Exception:  # anything at all: the full command knows what to do, or what to say
        return
    leave(text)


def leave(text: str) -> None:
    """Print `text` and leave the process at once (`exit_now`)."""
    status = 0
    try:
        sys.stdout.write(text)
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        status = 1
    exit_now(status)


def exit_now(status: int) -> None:
    """Leave the process at once with `status`, as every command leaves (the app and the fast paths): streams
    flushed (a closed pipe turns success into failure), exit handlers run, no interpreter teardown."""
    import atexit

    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            status = status or 1
    atexit._run_exitfuncs()
    os._exit(status)


def _answer(argv: list[str]) -> str:
    options = _options(argv)
    if sys.stdout.isatty():  # a terminal may need Arabic laid out for it: the full command decides
        raise _Full()
    from datetime import datetime, timedelta, timezone

    from quiz import clock
    from quiz.store import status

    now = clock.now()
    tz = clock.local_tz()
    day = clock.study_day(now, tz).isoformat()
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    ms = timedelta(milliseconds=1)
    now_ms, end_ms = (now - epoch) // ms, (clock.next_rollover(now, tz) - epoch) // ms
    profile = _profile(options.get("--profile"))
    lang = _ui_lang(options.get("--lang"))
    fingerprint = _bank_fingerprint(options.get("--bank", []), "--no-builtin" in options)
    conn, pid = status.open_plain(_database_path(options.get("--db")), fingerprint, profile)
    try:
        settings = status.settings_of(conn, pid)
        limits = {key: _int_setting(settings.get(key), *spec) for key, spec in SETTINGS.items()}
        if str(settings.get("bidi", "auto")).strip().lower() not in ("auto", "off") \
                or os.environ.get("QUIZ_BIDI", "auto").lower() not in ("auto", "off", ""):
            raise _Full()  # `on` reorders even output that is not a terminal; an unknown mode is an error
        new_done, reviews_done = status.today_counts(conn, pid, day)
        learning, review = status.due_counts(conn, pid, now_ms, end_ms)
        reviews = min(max(0, limits["reviews_per_day"] - reviews_done), review)
        new_room = max(0, limits["new_per_day"] - new_done)
        new = status.new_count(conn, pid, now_ms, new_room) if new_room else 0
        next_ms = status.next_due_ms(conn, pid, now_ms)
        if "--json" in options:
            import json

            payload = {
                "profile": profile, "due": reviews, "new": new, "learning": learning,
                "next_due": None if next_ms is None else (epoch + next_ms * ms).isoformat().replace("+00:00", "Z"),
                "streak": status.streak(conn, pid, day),
            }
            return json.dumps(payload, ensure_ascii=False) + "\n"
    finally:
        conn.close()
    from quiz.messages import humanize_delta, say

    lines = [say("status.due", lang, due=reviews, learning=learning, new=new)]
    if next_ms is not None:
        lines.append(say("status.next", lang, when=humanize_delta((next_ms - now_ms) / 1000, lang)))
    width = _columns()
    if not all(len(line) < width and "\n" not in line for line in lines):
        raise _Full()  # rich wraps it
    return "".join(line + "\n" for line in lines)


def _options(argv: list[str], flags: set[str] = FLAGS, values: set[str] = VALUES) -> dict[str, list[str] | str | bool]:
    """The options as Click reads them (the last value wins; `--bank` repeats), or _Full for anything else."""
    options: dict[str, list[str] | str | bool] = {}
    banks: list[str] = []
    args = iter(argv)
    for arg in args:
        name, eq, value = arg.partition("=")
        if arg in flags:
            options[arg] = True
            continue
        if name not in values:
            raise _Full()  # another option (--era, --help ...), an argument, `--`
        if not eq:
            value = next(args, None)  # type: ignore[assignment]
            if value is None or value.startswith("-"):
                raise _Full()
        if name == "--bank":
            banks.append(value)
        else:
            options[name] = value
    if banks:
        options["--bank"] = banks
    return options


def _profile(option: object) -> str:
    """`quiz.workspace.profile_name`, for a usable name only."""
    name = option or os.environ.get("QUIZ_PROFILE") or "default"
    assert isinstance(name, str)
    if not name.strip() or len(name) > 64 or any(ord(ch) < 32 for ch in name):
        raise _Full()
    return name


def _ui_lang(option: object) -> Lang:
    """`quiz.cli.options.ui_lang`, for a language it accepts only."""
    value = option or os.environ.get("QUIZ_LANG") or ""
    assert isinstance(value, str)
    if not value:
        locale_name = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
        value = "ar" if locale_name.lower().startswith("ar") else "en"
    value = value.lower()
    if value not in ("ar", "en"):
        raise _Full()
    return "ar" if value == "ar" else "en"


def _int_setting(raw: str | None, default: int, low: int, high: int) -> int:
    """`quiz.settings.Settings.from_store` for an int setting: a stored value that does not parse is the default."""
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if low <= value <= high else default


def _columns() -> int:
    """`shutil.get_terminal_size((80, 25)).columns`, without importing shutil."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


# --- where things are (quiz.locations, the plain case) -------------------------------------------------------------


def _xdg(variable: str, default: str) -> str:
    """`quiz.locations._xdg`; _Full where that leaves it to platformdirs."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or os.environ.get("ANDROID_ROOT"):
        raise _Full()
    value = os.environ.get(variable, "")
    if value.startswith("/"):
        return _join(_path(value), "timeline-quiz")
    home = os.environ.get("HOME", "")
    if value.strip() or not home.startswith("/"):
        raise _Full()
    return _join(_path(os.path.expanduser(default)), "timeline-quiz")


def _database_path(option: object) -> str:
    if option is None:
        env = os.environ.get("QUIZ_DB")
        option = env if env else _join(_xdg("XDG_DATA_HOME", "~/.local/share"), "quiz.db")
    assert isinstance(option, str)
    path = _path(option)
    if path.startswith("~"):
        raise _Full()  # `Store.open` expands it
    return path


def _cache_dir() -> str:
    env = os.environ.get("QUIZ_CACHE_DIR")
    if env is not None:
        if not env:
            raise _Full()  # no cache: the bank is parsed
        return _path(env)
    return _xdg("XDG_CACHE_HOME", "~/.cache")


def _path(text: str) -> str:
    """`str(pathlib.Path(text))` for a POSIX path: no empty or `.` parts (`..` stays), `//` kept at the start."""
    root = "//" if text.startswith("//") and not text.startswith("///") else "/" if text.startswith("/") else ""
    parts = [part for part in text.split("/") if part and part != "."]
    return root + "/".join(parts) if (root or parts) else "."


def _join(base: str, name: str) -> str:
    """`str(pathlib.Path(base) / name)` for one plain name."""
    return name if base == "." else base + name if base.endswith("/") else f"{base}/{name}"


# --- the bank's fingerprint, from its cache (quiz.bank.load_bank's warm path) ---------------------------------------


def _bank_fingerprint(bank_options: object, no_builtin: bool) -> str:
    """The sync fingerprint of the bank `load_bank` would load, read from the header of its cache: _Full when
    there is no such cache, when a file's digest is not remembered (`FileMemo`) or the bank has errors."""
    import marshal

    assert isinstance(bank_options, list)
    paths = [_path(p) for p in bank_options]
    paths += [_path(p) for p in os.environ.get("QUIZ_BANKS", "").split(os.pathsep) if p]
    if no_builtin and not paths:
        raise _Full()
    roots = ([_builtin_dir()] if not no_builtin else []) + paths
    files, described = _root_files(roots)
    cache = _cache_dir()
    try:
        with open(_join(cache, "files.marshal"), "rb") as handle:
            memo = marshal.load(handle)
    except Exception:
        raise _Full() from None
    digests = []
    cwd = os.getcwd()
    for path, shown, _ in files:
        info = os.stat(path)
        if info.st_size > MAX_FILE_BYTES:
            raise _Full()
        entry = memo.get(path if path.startswith("/") else _join(_path(cwd), path)) if isinstance(memo, dict) \
            else None
        if entry is None or len(entry) != 7:
            raise _Full()
        size, mtime, ctime, inode, device, recorded, digest = entry
        if (size, mtime, ctime, inode, device) != (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                                                   info.st_dev) \
                or recorded - max(mtime, ctime) < RACY_NS or not isinstance(digest, bytes):
            raise _Full()
        digests.append((shown, digest))
    key = _cache_key(digests, described, [root for *_, root in files])
    with open(_join(cache, f"bank-{key}.pickle"), "rb") as handle:
        if handle.read(len(CACHE_MAGIC)) != CACHE_MAGIC:
            raise _Full()
        size = int.from_bytes(handle.read(8), "big")
        header = _header_head(handle, size)
        if header is None:  # not laid out as expected: the header whole
            handle.seek(len(CACHE_MAGIC) + 8)
            header = marshal.loads(handle.read(size))
            if os.fstat(handle.fileno()).st_size != len(CACHE_MAGIC) + 8 + size + header["body"]:
                raise _Full()
        if header.get("format") != CACHE_FORMAT or header.get("key") != key:
            raise _Full()
    for problem in header["problems"]:  # ("\0Problem", path, line, message, severity, code, rule)
        if type(problem) is not tuple or len(problem) != 7 or problem[0] != "\0Problem" or problem[4] != "warning":
            raise _Full()  # an error, or a problem this mirror does not know
    fingerprint = header["fingerprint"]
    if not isinstance(fingerprint, str):
        raise _Full()
    return fingerprint


def _header_head(handle: BinaryIO, size: int) -> dict[str, Any] | None:
    """The fields of a cache header (a marshalled dict) before and at its fingerprint — format, key, problems,
    files, eras ... — read from its first bytes only: not the question ids, hashes and links after them
    (6 MB for 100,000 questions, ~25 ms CPU to read and load). None when the header is laid out otherwise (the
    caller then loads it whole). The body's length is not checked against the file's (the fast path reads none of
    the body; the full command, finding it truncated, rebuilds the same cache and prints the same)."""
    import marshal
    from io import BytesIO

    head = handle.read(min(size, 1 << 17))
    at = head.find(b"\xda\x0bfingerprint")  # the key, an interned short ASCII string
    if at < 0 or os.fstat(handle.fileno()).st_size <= len(CACHE_MAGIC) + 8 + size:
        return None
    try:
        stream = BytesIO(head[:at] + b"0")  # the dict up to there, closed (marshal's TYPE_NULL)
        fields = marshal.load(stream)
        if stream.tell() != at + 1 or type(fields) is not dict:
            return None  # not at an entry of the header itself
        fields["fingerprint"] = marshal.loads(head[at + 13:])  # a string: no back-references to resolve
    except (EOFError, ValueError, TypeError):
        return None
    return fields


def _cache_key(digests: list[tuple[str, bytes]], roots: list[tuple[str, bool]], root_of: list[int]) -> str:
    """`quiz.bank.cache.cache_key`."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - another Python
        from hashlib import blake2b
    from quiz import __version__

    digest = blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    digest.update(repr(roots).encode("utf-8", "surrogatepass"))
    digest.update(repr(root_of).encode())
    for shown, file_digest in digests:
        digest.update(shown.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(file_digest)
    return digest.hexdigest()


def _builtin_dir() -> str:
    """`quiz.bank.files.builtin_dir`."""
    here = os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    packaged = _join(here, "questions")
    return packaged if os.path.isdir(packaged) else _join(os.path.dirname(here) or "/", "questions")


def _root_files(paths: list[str]) -> tuple[list[tuple[str, str, int]], list[tuple[str, bool]]]:
    """`quiz.bank.files.root_files`: every bank file with its shown name and bank root, and each root's (default
    id, built-in); _Full for a missing path or a symbolic link anywhere (the mirror does not follow them)."""
    builtin = os.path.realpath(_builtin_dir())
    roots: list[tuple[str, bool]] = []
    index_of: dict[str, int] = {}
    found: list[tuple[str, str, int]] = []
    for path in paths:
        if os.path.islink(path) or not os.path.exists(path):
            raise _Full()
        is_dir = os.path.isdir(path)
        folder = os.path.realpath(path if is_dir or not _suffix(path) else os.path.dirname(path) or ".")
        if folder not in index_of:
            index_of[folder] = len(roots)
            roots.append((_slug(os.path.basename(folder)), folder == builtin))
        files = _walk(path) if is_dir else [path]
        found.extend((file, _shown(file), index_of[folder]) for file in files)
    return found, roots


def _walk(folder: str) -> list[str]:
    """`sorted(p for p in Path(folder).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())`, as text."""
    found: list[tuple[tuple[str, ...], str]] = []

    def visit(directory: str, parts: tuple[str, ...]) -> None:
        with os.scandir(directory) as entries:
            for entry in list(entries):
                if entry.is_symlink():
                    raise _Full()
                if entry.is_dir():
                    visit(entry.path, (*parts, entry.name))
                elif _suffix(entry.name) in (".yaml", ".yml") and entry.is_file():
                    found.append(((*parts, entry.name), entry.name))

    visit(folder, ())
    found.sort()
    paths = []
    for parts, _ in found:
        path = _path(folder)
        for part in parts:
            path = _join(path, part)
        paths.append(path)
    return paths


def _suffix(path: str) -> str:
    """`PurePath(path).suffix`."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _shown(path: str) -> str:
    """`quiz.bank.files.shown_name`."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    if rel.startswith(os.pardir + os.sep + os.pardir + os.sep):
        return path
    return rel


def _slug(name: str) -> str:
    """`quiz.bank.files.slug`: lowercase ASCII letters and digits joined by hyphens ('bank' when none are left)."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words, word = [], ""
    for ch in ascii_name:
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            word += ch
        elif word:
            words.append(word)
            word = ""
    if word:
        words.append(word)
    return "-".join(words) or "bank"
