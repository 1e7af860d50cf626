"""quiz import: CSV/TSV, Moodle GIFT and Aiken files, every problem as FILE:line, nothing written on error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import bank_header, run_quiz

from quiz.authoring.add import bank_context
from quiz.authoring.importers import detect_format, parse_aiken, parse_gift, plan_import
from quiz.bank import load_bank
from quiz.model import Kind, Text

HEADER = bank_header("notes", ("cold",), title=("ملاحظات الصف", "Class notes"))

CSV = (  # one row per question; the truefalse row's explanation_en spans two lines
    "id,kind,era,prompt_ar,prompt_en,answer_ar,answer_en,accept_ar,accept_en,"
    "choices_ar,choices_en,explanation_ar,explanation_en,source_doc,source_era,"
    "source_para,tags\n"
    ",choice,cold,من كان الزعيم السوفياتي خلال أزمة الصواريخ الكوبية؟,"
    "Who led the Soviet Union during the Cuban Missile Crisis?,نيكيتا خروتشوف,"
    "Nikita Khrushchev,,,نيكيتا خروتشوف|ليونيد بريجنيف|جوزيف ستالين,"
    "Nikita Khrushchev|Leonid Brezhnev|Joseph Stalin,"
    "قاد خروتشوف البلاد من 1953 إلى 1964.,"
    "Khrushchev led the country from 1953 to 1964.,notes,cold,3,person|crisis\n"
    "wall-year,typed,cold,في أي عام سقط جدار برلين؟,"
    "In which year did the Berlin Wall fall?,1989,1989,,,,,"
    "سقط الجدار في 9 نوفمبر/تشرين الثاني 1989.,The Wall fell on 9 November 1989.,"
    "notes,cold,5,\n"
    ',truefalse,,"وقّع الطرفان معاهدة ""ستارت 1"" عام 1991.",'
    '"The two sides signed the ""START I"" treaty in 1991.",صح,true,,,,,'
    'وُقّعت في يوليو/تموز 1991.,"It was signed in July 1991,\n'
    'in Moscow.",notes,cold,6,treaty\n'
    ',cloze,cold,"أُطلق القمر الصناعي {{سبوتنيك}} عام 1957.",'
    "The satellite {{Sputnik}} was launched in 1957.,,,سبوتنك,Sputnik 1,,,"
    "أطلقه الاتحاد السوفياتي.,The Soviet Union launched it.,notes,cold,2,space\n"
)


@pytest.fixture(autouse=True)
def _env(workdir: Path) -> None:
    Path("bank").mkdir()
    Path("bank/header.yaml").write_text(HEADER, encoding="utf-8")


def run(*args: str):  # type: ignore[no-untyped-def]
    return run_quiz("import", *args, "--bank", "bank", "--no-builtin")


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_import_writes_a_bank_file_that_validates() -> None:
    write("class.csv", CSV)
    result = run("class.csv", "-o", "bank/imported.yaml", "--era", "cold")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        "Imported 4 questions from class.csv (CSV) into bank/imported.yaml.\n"
        "Wrote bank/bank.yaml: what the bank is (id, title, languages); edit it to name your subject.\n"
        "Wrote bank/bank.schema.json: the bank format, for your editor.\n"
        "Check it with: quiz validate bank\n"
        "Study it with: quiz study --bank bank\n")
    assert Path("bank/bank.yaml").read_text(encoding="utf-8").endswith(
        "bank:\n  id: bank\n  title: {ar: \"بنك أسئلة bank\", en: \"Bank\"}\n  languages: [ar, en]\n")
    loaded = load_bank([Path("bank")], builtin=False)
    assert loaded.problems == ()
    by_id = {q.id: q for q in loaded.bank.questions if not q.generated}
    # proposed ids get the bank's prefix; an id the file gives is kept
    assert list(by_id) == ["bank-led-soviet-union-during-cuban", "wall-year", "bank-two-sides-signed-start-i",
                           "bank-satellite-sputnik-launched-1957"]
    lead = by_id["bank-led-soviet-union-during-cuban"]
    assert lead.kind is Kind.CHOICE and lead.answer == Text("نيكيتا خروتشوف", "Nikita Khrushchev")
    assert lead.tags == ("person", "crisis") and lead.source is not None and lead.source.para == 3
    signed = next(q for q in by_id.values() if q.kind is Kind.TRUEFALSE)
    assert signed.truth is True and signed.era == "cold"  # from --era
    assert signed.explanation.en == "It was signed in July 1991,\nin Moscow."
    cloze = next(q for q in by_id.values() if q.kind is Kind.CLOZE)
    assert cloze.answer == Text("سبوتنيك", "Sputnik") and cloze.accept.en == ("Sputnik 1",)


def test_csv_problems_are_all_reported_with_their_lines_and_nothing_is_written() -> None:
    bad = CSV.splitlines()[0] + "\n" + textwrap.dedent("""\
        ,choice,cold,سؤال؟,Which one?,أ,Alpha,,,ب|ج,Beta|Gamma,,,notes,,,
        wall-year,typed,cold,في أي عام؟,In which year?,1989,1989,,,,,,,notes,,1,
        ,truefalse,cold,بيان.,A statement.,ربما,maybe,,,,,,,notes,,,
        ,typed,nowhere,سؤال آخر؟,Another question?,جواب,Answer,,,,,,,notes,,x,
        wall-year,card,cold,بطاقة؟,A card?,جواب,Answer,,,,,,,notes,,,
        """)
    write("bad.csv", bad)
    result = run("bad.csv", "-o", "bank/imported.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: bad.csv:2: the Arabic answer 'أ' is not among the choices ('ب', 'ج')\n"
        "bad.csv:3: warning: typed question 'wall-year' has no explanation; add explanation: {ar: ..., en: ...}\n"
        "Error: bad.csv:4: a truefalse answer is true or false (or صح / خطأ), not 'maybe'\n"
        "Error: bad.csv:5: source_para 'x' is not a paragraph number\n"
        "Error: bad.csv:5: 'nowhere' is not an era of the bank (known: cold, bank-bad)\n"
        "Error: bad.csv:6: id 'wall-year' is already used at bad.csv:3; choose another\n"
        "Error: 5 errors in bad.csv; nothing was written\n"
    )
    assert not Path("bank/imported.yaml").exists()


def test_csv_header_problems() -> None:
    write("odd.csv", "kind,prompt_en,colour\ncard,Q?,red\n")
    result = run("odd.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("Error: odd.csv:1: unknown column 'colour' in the header")


def test_tsv_with_a_byte_order_mark() -> None:
    rows = ["kind\tera\tprompt_ar\tprompt_en\tanswer_ar\tanswer_en\texplanation_ar\texplanation_en\tsource_doc",
            "card\tcold\tما الستار الحديدي؟\tWhat was the Iron Curtain?\tالحد الفاصل بين الشرق والغرب في أوروبا\t"
            "The line dividing East and West in Europe\tعبارة شاعت بعد خطاب تشرشل.\tA phrase made famous by "
            "Churchill.\tnotes"]
    Path("deck.tsv").write_bytes(b"\xef\xbb\xbf" + ("\n".join(rows) + "\n").encode())
    result = run("deck.tsv")
    assert result.exit_code == 0, result.stderr
    assert "iron-curtain" in Path("deck.yaml").read_text(encoding="utf-8")


GIFT = r"""// Unit 3: the Cold War. Exported from Moodle.
$CATEGORY: $course$/top/cold

::sputnik-year::In which year did the USSR launch Sputnik 1?{#1957:0}

::Soviet leader 1962::Who was the Soviet leader during the Cuban Missile Crisis? {
  =Nikita Khrushchev#Right\: he led the USSR from 1953 to 1964.
  ~Leonid Brezhnev#No\: he came to power in 1964.
  ~Joseph Stalin
}

// true/false, with feedback
The Berlin Wall fell in 1989.{TRUE}

The Cold War ended in the 1950s.{F#It ended around 1991.}

The 1987 treaty that removed a class of nuclear missiles is called the {=INF =Intermediate-Range Nuclear Forces} Treaty.

Which city was divided by a wall from 1961 to 1989?{=Berlin =West Berlin}

In which year was the Reykjavik summit?{#1985..1987}

Which of these is written with an escaped brace \{ or an equals sign \= in it?{=a \= b ~c \~ d}
"""


def test_gift_question_types() -> None:
    entries, general = parse_gift(GIFT, lang="en", era=None, eras=["cold"])
    assert general == []
    assert [e.problems for e in entries] == [()] * 8
    assert [(e.line, e.question.kind.value, e.question.era) for e in entries if e.question] == [
        (4, "typed", "cold"), (6, "choice", "cold"), (13, "truefalse", "cold"), (15, "truefalse", "cold"),
        (17, "cloze", "cold"), (19, "typed", "cold"), (21, "typed", "cold"), (23, "choice", "cold"),
    ]
    q = [e.question for e in entries]
    assert entries[0].title == "sputnik-year" and q[0].answer == Text(en="1957") and q[0].tolerance == 0
    assert q[1].answer == Text(en="Nikita Khrushchev") and len(q[1].choices) == 3
    # every answer's feedback: the right one's, then the wrong ones' (Moodle shows each to whoever picks it)
    assert q[1].explanation == Text(en="Right: he led the USSR from 1953 to 1964. Leonid Brezhnev: No: he came to "
                                       "power in 1964.")
    assert q[2].truth is True and q[3].truth is False and q[3].explanation == Text(en="It ended around 1991.")
    assert q[4].prompt.en == "The 1987 treaty that removed a class of nuclear missiles is called the {{INF}} Treaty."
    assert q[4].accept.en == ("Intermediate-Range Nuclear Forces",)
    assert q[5].answer == Text(en="Berlin") and q[5].accept.en == ("West Berlin",)
    assert q[6].answer == Text(en="1986") and q[6].tolerance == 1
    assert q[7].prompt.en == "Which of these is written with an escaped brace { or an equals sign = in it?"
    assert [c.en for c in q[7].choices] == ["a = b", "c ~ d"]


def test_gift_unsupported_and_broken_questions_are_reported() -> None:
    text = textwrap.dedent("""\
        ::match::Match the leader to the country {=Khrushchev -> USSR =Kennedy -> USA}

        Describe the Cold War.{}

        A question with no answers at all.

        Partial credit is not allowed {~%50%half =right ~wrong}

        Unclosed {=one ~two
        """)
    entries, _ = parse_gift(text, lang="en", era="cold")
    assert [(e.line, e.problems) for e in entries] == [
        (1, ("matching questions (a -> b) are not supported; write them as separate questions",)),
        (3, ("an essay question (empty {}) has no answer to check; it is not imported",)),
        (5, ()),  # a description item: skipped, with a warning
        (7, ("partial credit (%50%) is not supported; mark one answer right with = and the others wrong with ~",)),
        (9, ("the answer block '{' opened here is not closed; add '}' (write \\} for a literal brace)",)),
    ]


def test_gift_import_in_arabic_leaves_english_empty_with_one_warning() -> None:
    write("wahda.gift", "متى أُطلق سبوتنيك؟{#1957}\n\nسقط جدار برلين عام 1989.{T}\n")
    result = run("wahda.gift", "--lang", "ar", "--era", "cold", "-o", "bank/ar.yaml")
    assert result.exit_code == 0, result.stderr
    # the bank had no bank.yaml: it gets one in Arabic alone, so no missing English; every question cites the file
    assert result.stderr == (
        "wahda.gift:1: warning: typed question 'bank-atlq-sbwtnyk' has no explanation; add explanation: "
        "{ar: ..., en: ...}\n"
        "wahda.gift:3: warning: truefalse question 'bank-sqt-jdar-brlyn-1989' has no explanation; add explanation: "
        "{ar: ..., en: ...}\n"
    )
    assert Path("bank/bank.yaml").read_text(encoding="utf-8").endswith("  languages: [ar]\n")
    text = Path("bank/ar.yaml").read_text(encoding="utf-8")
    assert "prompt: {ar: متى أُطلق سبوتنيك؟}" in text


AIKEN = """\
Who was the US president during the Cuban Missile Crisis?
A. Dwight Eisenhower
B. John F. Kennedy
C) Lyndon Johnson
ANSWER: B

Which 1972 treaty limited anti-ballistic missile systems?
A. The ABM Treaty
B. The INF Treaty
C. New START
ANSWER: A
"""


def test_aiken_import() -> None:
    entries, _ = parse_aiken(AIKEN, lang="en", era="cold")
    assert [(e.line, e.problems) for e in entries] == [(1, ()), (7, ())]
    first = entries[0].question
    assert first is not None and first.answer == Text(en="John F. Kennedy")
    assert [c.en for c in first.choices] == ["Dwight Eisenhower", "John F. Kennedy", "Lyndon Johnson"]


def test_aiken_problems_are_reported_with_lines() -> None:
    text = textwrap.dedent("""\
        Which one?
        A. First
        B. Second
        ANSWER: D

        Only one option?
        A. Alone
        ANSWER: A

        No answer line here
        A. Yes
        B. No

        Next question
        A. x
        B. y
        """)
    entries, _ = parse_aiken(text, era="cold")
    assert [(e.line, e.problems) for e in entries] == [
        (1, ("ANSWER: D is not one of the options (A, B)",)),
        (6, ("the question has 1 option(s); Aiken needs at least two (A., B., ...)",)),
        (10, ("the options are not followed by 'ANSWER: X' (line 14 starts the next question)",)),
        (14, ("the last question has no 'ANSWER: X' line",)),
    ]


def test_aiken_cli_dry_run_writes_nothing() -> None:
    write("quiz.txt", AIKEN)
    result = run("quiz.txt", "--era", "cold", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Would write 2 questions to quiz.yaml (new file):\n"
                                    "# Imported by quiz import from quiz.txt.\n")
    from quiz.bank.files import slug

    prefix = slug(Path.cwd().name)  # the bank is the working folder: ids get its name as their prefix
    assert f"  - id: {prefix}-us-president-during-cuban-missile\n    kind: choice\n" in result.stdout
    assert result.stdout.endswith("(dry run: nothing written)\n")
    assert not Path("quiz.yaml").exists()


def test_importing_into_an_existing_file_appends_and_keeps_it() -> None:
    existing = "# my questions\nquestions:\n  - id: mine\n    kind: card\n    era: cold\n" \
               "    prompt: {ar: س, en: Q}\n    answer: {ar: ج, en: A}\n"
    Path("bank/mine.yaml").write_text(existing, encoding="utf-8")
    write("quiz.aiken", AIKEN)
    result = run("quiz.aiken", "--era", "cold", "-o", "bank/mine.yaml", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Would add 2 questions to bank/mine.yaml:\n\n  - id: bank-us-president-during")
    result = run("quiz.aiken", "--era", "cold", "-o", "bank/mine.yaml")
    assert result.exit_code == 0, result.stderr
    assert Path("bank/mine.yaml").read_text(encoding="utf-8").startswith(existing + "\n  - id: bank-us-president")
    again = run("quiz.aiken", "--era", "cold", "-o", "bank/mine.yaml")
    assert (again.exit_code, again.stdout) == (2, "")  # once, not an error per question
    assert again.stderr == ("Error: bank/mine.yaml already has 2 of the questions in quiz.aiken (imported before?); "
                            "to update them in place, run the same command with --update\n")
    updated = run("quiz.aiken", "--era", "cold", "-o", "bank/mine.yaml", "--update")
    assert (updated.exit_code, updated.stderr) == (0, "")
    assert updated.stdout == ("Nothing to update: bank/mine.yaml already has the 2 questions of quiz.aiken as they "
                              "are.\n")


def test_a_question_the_loader_rejects_is_mapped_back_to_its_line() -> None:
    write("q.csv", "kind,era,prompt_en,answer_en,source_doc\ncard,cold,A card?,Yes,unknown-doc\n")
    context = bank_context([Path("bank")], builtin=False)
    plan = plan_import(Path("q.csv"), context, target=Path("bank/q.yaml"))
    assert [str(p) for p in plan.errors] == [
        "q.csv:2: 'unknown-doc' is not a source document of the bank (known: notes)"]
    assert plan.new is None


def test_format_detection() -> None:
    assert detect_format(Path("a.csv"), "") == "csv"
    assert detect_format(Path("a.txt"), AIKEN) == "aiken"
    assert detect_format(Path("a.txt"), GIFT) == "gift"
    write("plain.txt", "just some words\n")
    result = run("plain.txt")
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot tell the format of plain.txt; add --format csv, tsv, gift or aiken\n"


AIKEN_AR = """\
من كان رئيس الولايات المتحدة خلال أزمة الصواريخ الكوبية؟
أ. دوايت أيزنهاور
ب. جون كينيدي
ج. ليندون جونسون
الإجابة: ب

أي معاهدة عام 1972 حدّت من أنظمة الصواريخ المضادة للصواريخ الباليستية؟
أ) معاهدة الصواريخ المضادة
ب) معاهدة القوى النووية المتوسطة
ج) ستارت الجديدة
د) معاهدة أوتاوا
ANSWER: أ
"""


def test_aiken_with_arabic_option_letters() -> None:
    entries, _ = parse_aiken(AIKEN_AR, lang="ar", era="cold")
    assert [(e.line, e.problems) for e in entries] == [(1, ()), (7, ())]
    first, second = (e.question for e in entries)
    assert first is not None and first.answer == Text(ar="جون كينيدي")
    assert [c.ar for c in first.choices] == ["دوايت أيزنهاور", "جون كينيدي", "ليندون جونسون"]
    assert second is not None and second.answer == Text(ar="معاهدة الصواريخ المضادة") and len(second.choices) == 4
    assert detect_format(Path("a.txt"), AIKEN_AR) == "aiken"


def test_aiken_arabic_problems_name_arabic_letters() -> None:
    entries, _ = parse_aiken("سؤال؟\nأ. واحد\nج. اثنان\nالإجابة: هـ\n", lang="ar", era="cold")
    assert [(e.line, e.problems) for e in entries] == [(1, (
        "line 3: option ج should be ب (options go أ، ب، ج, ... in order)",
        "ANSWER: هـ is not one of the options (أ, ج)"))]


def test_arabic_aiken_file_imports_without_lang() -> None:
    write("ar.txt", AIKEN_AR)
    result = run("ar.txt", "--era", "cold", "-o", "bank/ar.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Imported 2 questions from ar.txt (Aiken) into bank/ar.yaml.\n")
    text = Path("bank/ar.yaml").read_text(encoding="utf-8")
    assert "answer: {ar: جون كينيدي}" in text


def test_gift_syntax_errors_point_at_their_own_line() -> None:
    write("broken.gift", textwrap.dedent("""\
        ::ok::Which city? {=Berlin ~Bonn####Berlin, since 1990.}

        ::open::In which year
        did the Wall fall? {
          =1989
          ~1961

        ::two::A question {=a ~b}
        with a second {=c ~d} block

        ::stray::A closing } brace first {=x ~y}
        """))
    result = run("broken.gift", "--era", "cold", "-o", "bank/b.yaml")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: broken.gift:4: the answer block '{' opened here is not closed; add '}' (write \\} for a literal "
        "brace)\n"
        "Error: broken.gift:9: a second answer block {...}; this importer takes one per question\n"
        "Error: broken.gift:11: a '}' with no '{' before it; write \\} for a literal brace\n"
        "Error: 3 errors in broken.gift; nothing was written\n")
