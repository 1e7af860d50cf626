"""`quiz init-bank DIR`: a new teacher bank that validates, with one commented example of each question kind.

The bank says what it is (`bank.yaml`: id, title, languages), declares its own source document and era, so it
validates on its own (`quiz validate DIR`) and beside the built-in bank (`quiz validate --bank DIR`). Its ids start
with the folder's name, so two teachers' banks (and the built-in one) never clash. Each file's `$schema` line
points at the bank's own copy of `bank.schema.json`, so editors find it wherever the bank is moved. The examples
are on a neutral subject (the first modern Olympic Games), to be replaced.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from quiz.authoring.add import slug_words
from quiz.authoring.yamledit import write_atomic
from quiz.errors import AuthoringError
from quiz.model import Text

SOURCES_FILE = "sources-and-eras.yaml"
QUESTIONS_FILE = "questions.yaml"

_SOURCES = """\
{schema}# A teacher's bank for timeline-quiz: every *.yaml file of this folder is read; bank.yaml says what it is.
#
# This file declares where the facts come from (sources), the era the questions belong to (eras), and one
# event. The examples (the first modern Olympic Games) only show the format: replace them with your subject.
# Check it with:   quiz validate {folder}
# Students use it with:   quiz study --bank {folder}      quiz export anki deck.apkg --bank {folder}
{builtin}
sources:
  # A document your questions cite: source: {{doc: {p}-notes, era: {p}-early-games, para: 2}}
  - id: {p}-notes
    title: {{ar: ملاحظات الدرس, en: Lesson notes}}
    kind: reference            # or opinion: then questions present its claims as the author's

eras:
  # An era: an id, a span of years, a title in both languages. Events must fall within the span.
  - id: {p}-early-games
    start: 1894
    end: 1912
    title: {{ar: الدورات الأولمبية الحديثة الأولى, en: The first modern Olympic Games}}

events:
  # An event: the bank generates questions from it ("In which year…", "Which came first…", "Put in order…").
  # The title is a noun phrase that reads well in "Which year saw …?"; year_question (optional) is the event's
  # own year question, distractors (optional) the wrong years offered with it.
  - id: {p}-athens-games
    date: 1896-04-06           # YYYY, YYYY-MM or YYYY-MM-DD
    era: {p}-early-games
    title: {{ar: أول دورة ألعاب أولمبية حديثة في أثينا, en: The first modern Olympic Games in Athens}}
    year_question:
      ar: في أي عام افتُتحت أول دورة ألعاب أولمبية حديثة؟
      en: In which year did the first modern Olympic Games open?
    distractors: [1898, 1900, 1904]
    detail:                    # a long text may go on over several lines, indented further
      ar: افتُتحت في أثينا أول دورة ألعاب أولمبية حديثة، بعد عامين من تأسيس اللجنة الأولمبية الدولية.
      en: The first modern Olympic Games opened in Athens, two years after the International Olympic Committee
        was founded.
    source: {{doc: {p}-notes, era: {p}-early-games, para: 1}}
    tags: [olympics]
"""

_QUESTIONS = """\
{schema}# Questions, one example of each kind (the first modern Olympic Games: replace them with your subject).
# Copy one, change its id (lowercase, digits, hyphens; never change an id once students have studied it), and
# check with:   quiz validate {folder}
# Or let the tools write them:   quiz add --bank {folder}    quiz import FILE.csv -o {folder}/imported.yaml

questions:
  # choice: the answer is copied exactly among the choices (in both languages); 3 or 4 choices.
  - id: {p}-first-host-city
    kind: choice
    era: {p}-early-games
    events: [{p}-athens-games]  # the events it asks about: never shown on the same day as their questions
    prompt:
      ar: أي مدينة استضافت أول دورة ألعاب أولمبية حديثة؟
      en: Which city hosted the first modern Olympic Games?
    answer: {{ar: أثينا, en: Athens}}
    choices:
      - {{ar: باريس, en: Paris}}
      - {{ar: أثينا, en: Athens}}
      - {{ar: لندن, en: London}}
      - {{ar: ستوكهولم, en: Stockholm}}
    explanation:
      ar: أقيمت أول دورة ألعاب أولمبية حديثة في أثينا عام 1896، ثم في باريس عام 1900.
      en: The first modern Olympic Games were held in Athens in 1896, the next in Paris in 1900.
    source: {{doc: {p}-notes, era: {p}-early-games, para: 1}}
    tags: [olympics]

  # typed: the learner types the answer. A year may allow a margin: tolerance: 1 accepts ±1 year.
  - id: {p}-ioc-founded-year
    kind: typed
    era: {p}-early-games
    prompt:
      ar: في أي عام تأسست اللجنة الأولمبية الدولية؟
      en: In which year was the International Olympic Committee founded?
    answer: {{ar: "1894", en: "1894"}}
    tolerance: 0
    explanation:
      ar: تأسست اللجنة الأولمبية الدولية في باريس في يونيو/حزيران 1894.
      en: The International Olympic Committee was founded in Paris in June 1894.
    source: {{doc: {p}-notes, era: {p}-early-games, para: 2}}
    tags: [olympics]

  # truefalse: the prompt is a statement; the answer is true or false.
  - id: {p}-women-in-paris
    kind: truefalse
    era: {p}-early-games
    prompt:
      ar: شاركت النساء لأول مرة في الألعاب الأولمبية الحديثة في دورة باريس عام 1900.
      en: Women first took part in the modern Olympic Games at the Paris Games of 1900.
    answer: true
    explanation:
      ar: لم تشارك أي امرأة في الدورة الأولى، وشاركت النساء لأول مرة في دورة باريس.
      en: No women competed at the first modern Games; women first competed at the Paris Games.
    source: {{doc: {p}-notes, era: {p}-early-games, para: 3}}
    tags: [olympics]

  # order: the items in the RIGHT order (oldest first), each with its year; they are shuffled when asked.
  - id: {p}-host-cities-order
    kind: order
    era: {p}-early-games
    prompt:
      ar: رتّب هذه الدورات الأولمبية زمنيًا، من الأقدم إلى الأحدث.
      en: Put these Olympic Games in chronological order, oldest first.
    items:
      - {{ar: دورة باريس, en: The Paris Games, year: 1900}}
      - {{ar: دورة سانت لويس, en: The St. Louis Games, year: 1904}}
      - {{ar: دورة لندن, en: The London Games, year: 1908}}
      - {{ar: دورة ستوكهولم, en: The Stockholm Games, year: 1912}}
    explanation:
      ar: باريس (1900)، ثم سانت لويس (1904)، ثم لندن (1908)، ثم ستوكهولم (1912).
      en: Paris (1900), then St. Louis (1904), then London (1908), then Stockholm (1912).
    source: {{doc: {p}-notes, era: {p}-early-games, para: 4}}
    tags: [olympics]

  # cloze: exactly one {{{{blank}}}} in each language; the words inside are the answer.
  # accept lists other spellings, per language (never across scripts).
  - id: {p}-ioc-founder
    kind: cloze
    era: {p}-early-games
    prompt:
      ar: "أسس {{{{بيير دي كوبرتان}}}} اللجنة الأولمبية الدولية."
      en: "{{{{Pierre de Coubertin}}}} founded the International Olympic Committee."
    accept:
      ar: [كوبرتان, دي كوبرتان]
      en: [Coubertin, de Coubertin]
    explanation:
      ar: دعا البارون الفرنسي بيير دي كوبرتان إلى إحياء الألعاب الأولمبية.
      en: The French baron Pierre de Coubertin campaigned to revive the Olympic Games.
    source: {{doc: {p}-notes, era: {p}-early-games, para: 2}}
    tags: [olympics, person]

  # card: a flashcard; the learner reveals the answer and says how well they knew it.
  - id: {p}-what-is-the-ioc
    kind: card
    era: {p}-early-games
    prompt:
      ar: ما اللجنة الأولمبية الدولية؟
      en: What is the International Olympic Committee?
    answer:
      ar: الهيئة التي تنظّم الألعاب الأولمبية الحديثة، ومقرّها اليوم في لوزان.
      en: The body that organises the modern Olympic Games, based today in Lausanne.
    explanation:
      ar: تختار اللجنة المدن التي تستضيف الدورات.
      en: The committee chooses the cities that host the Games.
    source: {{doc: {p}-notes, era: {p}-early-games, para: 2}}
    tags: [olympics]
"""

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
    values = {"p": prefix, "folder": str(folder), "builtin": builtin}
    for file_name, template in ((SOURCES_FILE, _SOURCES), (QUESTIONS_FILE, _QUESTIONS)):
        path = folder / file_name
        values["schema"] = schema_line(path, folder)
        write_atomic(path, template.format(**values).encode("utf-8"))
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
