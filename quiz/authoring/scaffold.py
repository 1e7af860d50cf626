"""`quiz init-bank DIR`: a new teacher bank that validates, with one commented example of each question kind.

The bank declares its own source document and era, so it validates on its own (`quiz validate DIR`) and beside
the built-in bank (`quiz validate --bank DIR`). Its ids start with the folder's name, so two teachers' banks (and
the built-in one) never clash.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from quiz.authoring.add import slug_words
from quiz.authoring.yamledit import write_atomic
from quiz.errors import AuthoringError

SOURCES_FILE = "sources-and-eras.yaml"
QUESTIONS_FILE = "questions.yaml"

_SOURCES = """\
{schema}# A teacher's bank for timeline-quiz: every *.yaml file of this folder is read.
#
# This file declares where the facts come from (sources), the era the questions belong to (eras), and one
# event. Check it with:   quiz validate {folder}
# Students use it with:   quiz study --bank {folder}      quiz export anki deck.apkg --bank {folder}
{builtin}
sources:
  # A document your questions cite: source: {{doc: {p}-notes, era: {p}-space-race, para: 2}}
  - id: {p}-notes
    title: {{ar: ملاحظات الدرس, en: Lesson notes}}
    kind: reference            # or opinion: then questions present its claims as the author's

eras:
  # An era: an id, a span of years, a title in both languages. Events must fall within the span.
  - id: {p}-space-race
    start: 1957
    end: 1975
    title: {{ar: سباق الفضاء, en: The space race}}

events:
  # An event: the bank generates questions from it ("In which year…", "Which came first…", "Put in order…").
  # The title is a noun phrase that reads well in "Which year saw …?"; year_question (optional) is the event's
  # own year question, distractors (optional) the wrong years offered with it.
  - id: {p}-sputnik-launch
    date: 1957-10-04           # YYYY, YYYY-MM or YYYY-MM-DD
    era: {p}-space-race
    title: {{ar: إطلاق أول قمر صناعي, en: The launch of the first artificial satellite}}
    year_question:
      ar: في أي عام أطلق الاتحاد السوفياتي أول قمر صناعي؟
      en: In which year did the Soviet Union launch the first artificial satellite?
    distractors: [1958, 1960, 1961]
    detail:                    # a long text may go on over several lines, indented further
      ar: أطلق الاتحاد السوفياتي أول قمر صناعي في التاريخ، فبدأ سباق الفضاء بين القوتين.
      en: The Soviet Union put the first artificial satellite into orbit, and the space race between the two
        powers began.
    source: {{doc: {p}-notes, era: {p}-space-race, para: 1}}
    tags: [space]
"""

_QUESTIONS = """\
{schema}# Questions, one example of each kind. Copy one, change its id (lowercase, digits, hyphens; never change an
# id once students have studied it), and check with:   quiz validate {folder}
# Or let the tools write them:   quiz add --bank {folder}    quiz import FILE.csv -o {folder}/imported.yaml

questions:
  # choice: the answer is copied exactly among the choices (in both languages); 3 or 4 choices.
  - id: {p}-first-satellite
    kind: choice
    era: {p}-space-race
    events: [{p}-sputnik-launch]  # the events it asks about: never shown on the same day as their questions
    prompt:
      ar: ما اسم أول قمر صناعي وُضع في مدار حول الأرض؟
      en: What was the name of the first artificial satellite put into orbit around the Earth?
    answer: {{ar: سبوتنيك 1, en: Sputnik 1}}
    choices:
      - {{ar: إكسبلورر 1, en: Explorer 1}}
      - {{ar: سبوتنيك 1, en: Sputnik 1}}
      - {{ar: فانغارد 1, en: Vanguard 1}}
      - {{ar: تلستار 1, en: Telstar 1}}
    explanation:
      ar: أطلق الاتحاد السوفياتي سبوتنيك 1 في 4 أكتوبر/تشرين الأول 1957، وردّت الولايات المتحدة
        بإكسبلورر 1 في يناير/كانون الثاني 1958.
      en: The Soviet Union launched Sputnik 1 on 4 October 1957; the United States answered with
        Explorer 1 in January 1958.
    source: {{doc: {p}-notes, era: {p}-space-race, para: 1}}
    tags: [space]

  # typed: the learner types the answer. A year may allow a margin: tolerance: 1 accepts ±1 year.
  - id: {p}-moon-landing-year
    kind: typed
    era: {p}-space-race
    prompt:
      ar: في أي عام هبط رائدا فضاء أمريكيان على سطح القمر لأول مرة؟
      en: In which year did American astronauts first land on the Moon?
    answer: {{ar: "1969", en: "1969"}}
    tolerance: 0
    explanation:
      ar: هبطت المركبة القمرية لرحلة أبولو 11 على القمر في 20 يوليو/تموز 1969.
      en: The lunar module of Apollo 11 landed on the Moon on 20 July 1969.
    source: {{doc: {p}-notes, era: {p}-space-race, para: 3}}
    tags: [space]

  # truefalse: the prompt is a statement; the answer is true or false.
  - id: {p}-gagarin-first
    kind: truefalse
    era: {p}-space-race
    prompt:
      ar: كان يوري غاغارين أول إنسان يسافر إلى الفضاء.
      en: Yuri Gagarin was the first human to travel into space.
    answer: true
    explanation:
      ar: دار غاغارين حول الأرض على متن المركبة فوستوك 1 في 12 أبريل/نيسان 1961.
      en: Gagarin orbited the Earth aboard Vostok 1 on 12 April 1961.
    source: {{doc: {p}-notes, era: {p}-space-race, para: 2}}
    tags: [space, person]

  # order: the items in the RIGHT order (oldest first), each with its year; they are shuffled when asked.
  - id: {p}-space-race-order
    kind: order
    era: {p}-space-race
    events: [{p}-sputnik-launch]
    prompt:
      ar: رتّب هذه الأحداث زمنيًا، من الأقدم إلى الأحدث.
      en: Put these events in chronological order, oldest first.
    items:
      - {{ar: إطلاق أول قمر صناعي, en: The launch of the first satellite, year: 1957}}
      - {{ar: رحلة غاغارين حول الأرض, en: Gagarin's flight around the Earth, year: 1961}}
      - {{ar: هبوط أبولو 11 على القمر, en: The Apollo 11 Moon landing, year: 1969}}
      - {{ar: التحام أبولو وسويوز في المدار, en: The Apollo–Soyuz docking in orbit, year: 1975}}
    explanation:
      ar: أول قمر صناعي (1957)، ثم غاغارين (1961)، ثم أبولو 11 (1969)، ثم أبولو–سويوز (1975).
      en: The first satellite (1957), then Gagarin (1961), then Apollo 11 (1969), then Apollo–Soyuz (1975).
    source: {{doc: {p}-notes, era: {p}-space-race, para: 4}}
    tags: [space]

  # cloze: exactly one {{{{blank}}}} in each language; the words inside are the answer.
  # accept lists other spellings, per language (never across scripts).
  - id: {p}-first-moonwalker
    kind: cloze
    era: {p}-space-race
    prompt:
      ar: "كان {{{{نيل أرمسترونغ}}}} أول إنسان يمشي على سطح القمر."
      en: "{{{{Neil Armstrong}}}} was the first person to walk on the Moon."
    accept:
      ar: [أرمسترونغ, نيل آرمسترونغ]
      en: [Armstrong]
    explanation:
      ar: نزل أرمسترونغ من المركبة القمرية أولًا، وتبعه باز ألدرين.
      en: Armstrong stepped out of the lunar module first, followed by Buzz Aldrin.
    source: {{doc: {p}-notes, era: {p}-space-race, para: 3}}
    tags: [space, person]

  # card: a flashcard; the learner reveals the answer and says how well they knew it.
  - id: {p}-apollo-soyuz
    kind: card
    era: {p}-space-race
    prompt:
      ar: ما مشروع أبولو–سويوز التجريبي؟
      en: What was the Apollo–Soyuz Test Project?
    answer:
      ar: أول رحلة فضائية مشتركة بين الولايات المتحدة والاتحاد السوفياتي، التحمت فيها مركبتاهما في
        المدار في يوليو/تموز 1975.
      en: The first joint US–Soviet space mission, in which the two spacecraft docked in orbit in July 1975.
    explanation:
      ar: عُدّ الالتحام رمزًا لمرحلة الانفراج بين القوتين.
      en: The docking was seen as a symbol of the détente between the two powers.
    source: {{doc: {p}-notes, era: {p}-space-race, para: 5}}
    tags: [space, detente]
"""


def bank_prefix(folder: Path) -> str:
    """The prefix of the new bank's ids: the folder's name as an id, or `my-class`."""
    words = slug_words(folder.resolve().name.replace("_", " "), max_words=4)
    prefix = "-".join(words)[:30].strip("-") or "my-class"
    return f"my-{prefix}" if prefix == "gen" or prefix.startswith("gen-") else prefix


def init_bank(folder: Path, *, schema: Path | None = None, builtin_eras: Sequence[str] = ()) -> list[Path]:
    """Create the bank's files in `folder` (new or empty); return them. A non-empty folder is refused."""
    if folder.exists() and not folder.is_dir():
        raise AuthoringError("this is a file, not a folder; choose a new folder for the bank", where=str(folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise AuthoringError("the folder is not empty; choose a new (or empty) folder for the bank",
                             where=str(folder))
    prefix = bank_prefix(folder)
    schema_line = f"# yaml-language-server: $schema={schema.resolve().as_uri()}\n" if schema else ""
    builtin = ""
    if builtin_eras:
        builtin = "#\n" + "".join(f"# {line}\n" for line in textwrap.wrap(
            "With the built-in bank loaded (the default), your questions may also use its eras: "
            + ", ".join(builtin_eras) + ".", 108, break_on_hyphens=False))
    values = {"p": prefix, "folder": str(folder), "schema": schema_line, "builtin": builtin}
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, template in ((SOURCES_FILE, _SOURCES), (QUESTIONS_FILE, _QUESTIONS)):
        path = folder / name
        write_atomic(path, template.format(**values).encode("utf-8"))
        written.append(path)
    return written
