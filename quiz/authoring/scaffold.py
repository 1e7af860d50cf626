"""`quiz init-bank DIR`: a new teacher bank that validates, with one commented example of each question kind.

The bank says what it is (`bank.yaml`: id, title, languages), declares its own source document and era, so it
validates on its own (`quiz validate DIR`) and beside the built-in bank (`quiz validate --bank DIR`). Its ids start
with the folder's name, so two teachers' banks (and the built-in one) never clash. Each file's `$schema` line
points at the bank's own copy of `bank.schema.json`, so editors find it wherever the bank is moved. The examples
are on a neutral subject (the first modern Olympic Games), to be replaced; they are data, `example/*.yaml` beside
this module.
"""

from __future__ import annotations

import string
import textwrap
from collections.abc import Sequence
from pathlib import Path

from quiz.authoring.add import slug_words
from quiz.authoring.yamledit import write_atomic
from quiz.errors import AuthoringError
from quiz.model import Text

SOURCES_FILE = "sources-and-eras.yaml"
QUESTIONS_FILE = "questions.yaml"
EXAMPLE_DIR = Path(__file__).resolve().parent / "example"
"""The example bank's two files, by those names: YAML with `$p` for the bank's id prefix and `$folder` for its
folder (`string.Template`)."""

BANK_FILE = "bank.yaml"
NO_TEXT = Text()
SCHEMA_FILE = "bank.schema.json"


def bank_prefix(folder: Path) -> str:
    """The prefix of the new bank's ids: the folder's name as an id, or `my-class`."""
    words = slug_words(folder.resolve().name.replace("_", " "), max_words=4)
    prefix = "-".join(words)[:30].strip("-") or "my-class"
    return f"my-{prefix}" if prefix == "gen" or prefix.startswith("gen-") else prefix


def schema_line(target: Path, folder: Path) -> str:
    """The `$schema` comment for a bank file at `target`: the bank folder's copy of the schema, relative."""
    import os

    rel = os.path.relpath(folder.resolve() / SCHEMA_FILE, target.resolve().parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}\n"


def declares_bank(folder: Path) -> bool:
    """Whether a `*.yaml` file of `folder` (or below) already says what the bank is (a top-level `bank:`)."""
    import re

    from quiz.bank import bank_files

    declares = re.compile(rb"(?m)^bank[ \t]*:")
    for path, _ in bank_files([folder]) if folder.is_dir() else []:
        try:
            if declares.search(path.read_bytes()):
                return True
        except OSError:
            continue
    return False


def bank_yaml(bank_id: str, title: Text, languages: Sequence[str], description: Text = NO_TEXT) -> str:
    """The text of a new `bank.yaml`."""
    import json

    def text(value: Text) -> str:
        parts = [f"{lang}: {json.dumps(getattr(value, lang), ensure_ascii=False)}" for lang in ("ar", "en")
                 if getattr(value, lang)]
        return "{" + ", ".join(parts) + "}"

    lines = [f"# yaml-language-server: $schema={SCHEMA_FILE}", "#",
             "# What this bank is: its id (progress and Anki notes hang on it: keep it), the title students and",
             "# Anki see (add deck: {...} for another Anki deck name), subject: what prompts may call the topic.",
             "", "bank:", f"  id: {bank_id}", f"  title: {text(title)}"]
    if description.ar or description.en:
        lines.append(f"  description: {text(description)}")
    lines.append(f"  languages: [{', '.join(languages)}]")
    return "\n".join(lines) + "\n"


def default_title(folder: Path, languages: Sequence[str] = ("ar", "en")) -> Text:
    """A bank's title when none is given: its folder's name, in the bank's languages."""
    return title_from(folder.resolve().name, languages)


def title_from(name: str, languages: Sequence[str] = ("ar", "en")) -> Text:
    """A title made of a name (a folder's, a file's, a GIFT category's), in the given languages."""
    name = name.replace("-", " ").replace("_", " ").strip() or "my class"
    if not name.isascii():
        return Text(name, f"Bank {name}" if "en" in languages else "")
    en = name[:1].upper() + name[1:]
    return Text(f"بنك أسئلة {name}" if "ar" in languages else "", en if "en" in languages else "")


def describe_bank(folder: Path, *, title: Text, languages: Sequence[str] = ("ar", "en"),
                  description: Text = NO_TEXT, bank_id: str | None = None) -> list[Path]:
    """Give the bank in `folder` its `bank.yaml` (unless a file there already declares `bank:`) and a copy of
    the JSON Schema its files point at; return what was written."""
    from quiz.bank import builtin_dir
    from quiz.bank.files import slug

    written: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    if not declares_bank(folder):
        ident = bank_id or slug(folder.resolve().name)
        if not (title.ar or title.en):
            title = default_title(folder, languages)
        path = folder / BANK_FILE
        if not path.exists():
            write_atomic(path, bank_yaml(ident, title, languages, description).encode("utf-8"))
            written.append(path)
    schema = folder / SCHEMA_FILE
    source = builtin_dir() / SCHEMA_FILE
    if not schema.exists() and source.is_file():
        write_atomic(schema, source.read_bytes())
        written.append(schema)
    return written


def init_bank(folder: Path, *, title: Text | None = None, builtin_eras: Sequence[str] = ()) -> list[Path]:
    """Create the bank's files in `folder` (new or empty); return them. A non-empty folder is refused."""
    if folder.exists() and not folder.is_dir():
        raise AuthoringError("this is a file, not a folder; choose a new folder for the bank", where=str(folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise AuthoringError("the folder is not empty; choose a new (or empty) folder for the bank",
                             where=str(folder))
    prefix = bank_prefix(folder)
    builtin = ""
    if builtin_eras:
        builtin = "#\n" + "".join(f"# {line}\n" for line in textwrap.wrap(
            "With the built-in bank loaded (the default), your questions may also use its eras: "
            + ", ".join(builtin_eras) + ".", 108, break_on_hyphens=False))
    folder.mkdir(parents=True, exist_ok=True)
    written = describe_bank(folder, title=title or default_title(folder), bank_id=prefix)
    for file_name in (SOURCES_FILE, QUESTIONS_FILE):
        path = folder / file_name
        template = string.Template((EXAMPLE_DIR / file_name).read_text(encoding="utf-8"))
        text = template.substitute(p=prefix, folder=str(folder))
        if file_name == SOURCES_FILE:  # the built-in eras, at the end of its header comment
            text = text.replace("\n\nsources:", "\n" + builtin + "\nsources:", 1)
        write_atomic(path, (schema_line(path, folder) + text).encode("utf-8"))
        written.append(path)
    return written


def bank_folder(target: Path, teacher: Sequence[Path] = ()) -> Path:
    """The folder of the bank a written file belongs to: the teacher bank (--bank) holding it, else its folder."""
    resolved = target.resolve()
    for root in teacher:
        folder = root.resolve() if root.is_dir() else root.resolve().parent
        if folder == resolved.parent or folder in resolved.parents:
            return folder
    return resolved.parent


def describe_for(target: Path, teacher: Sequence[Path], *, name: str = "",
                 languages: Sequence[str] = ("ar", "en")) -> list[Path]:
    """`describe_bank` for the bank `target` is written into (never the built-in bank), titled after `name`
    (else the bank folder's name)."""
    from quiz.bank import builtin_dir

    folder = bank_folder(target, teacher)
    if folder == builtin_dir().resolve():
        return []
    title = title_from(name, languages) if name else default_title(folder, languages)
    return describe_bank(folder, title=title, languages=languages)
