"""A bank describes itself: `BankInfo` read from a top-level `bank:` mapping, one per bank root, and every event
and question knows its bank."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import WriteBank

from quiz.bank import BankRoot, build_bank, builtin_dir, load_bank
from quiz.bank import rules as R
from quiz.model import BankInfo, Kind, Location, Text

EU_BANK = """\
bank:
  id: eu
  title: {ar: الاتحاد الأوروبي, en: The European Union}
  description: {ar: تاريخ الاتحاد الأوروبي, en: A history of the EU}
  languages: [en, ar]
"""

EU_EVENTS = """\
sources:
  - {id: eu-notes, title: {ar: ملاحظات, en: Notes}}
eras:
  - {id: eu-founding, start: 1950, end: 1969, title: {ar: التأسيس, en: Founding}}
  - {id: eu-growth, start: 1970, end: 1999, title: {ar: التوسع, en: Growth}}
events:
  - id: eu-treaty-of-paris
    date: 1951
    era: eu-founding
    title: {ar: معاهدة باريس, en: the Treaty of Paris}
    source: {doc: eu-notes}
  - id: eu-treaty-of-rome
    date: 1957
    era: eu-founding
    title: {ar: معاهدة روما, en: the Treaty of Rome}
    source: {doc: eu-notes}
  - id: eu-maastricht
    date: 1992
    era: eu-growth
    title: {ar: معاهدة ماستريخت, en: the Maastricht Treaty}
    source: {doc: eu-notes}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mine(result: object, prefix: str = "eu") -> list[str]:
    """The errors in the teacher's files (the built-in bank's own state is another test's business)."""
    return [str(p) for p in result.errors if p.path.startswith(prefix)]  # type: ignore[attr-defined]


def eu_bank(folder: Path, write_bank: WriteBank, *, describe: bool = True) -> Path:
    files = {"events.yaml": EU_EVENTS}
    if describe:
        files["bank.yaml"] = EU_BANK
    return write_bank(folder, files, header=False)


def test_the_builtin_bank_describes_itself() -> None:
    bank = load_bank().bank
    (info,) = bank.infos
    assert info.id == "us-russia" and info.builtin
    assert info.title == Text("العلاقات الأمريكية الروسية", "US–Russia relations")
    assert info.deck_name("en") == "US–Russia relations" and info.languages == ("ar", "en")
    assert info.loc == Location("questions/bank.yaml", 5)
    assert {q.bank for q in bank.questions} == {"us-russia"}
    assert {e.bank for e in bank.events} == {"us-russia"}
    assert bank.info("us-russia") is info and bank.info("nope") is None


def test_a_teacher_bank_has_its_own_info_after_the_builtin_one(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "eu", write_bank)
    result = load_bank([here / "eu"])
    assert mine(result) == []
    builtin, eu = result.bank.infos
    assert builtin.id == "us-russia" and builtin.builtin
    assert eu == BankInfo("eu", Text("الاتحاد الأوروبي", "The European Union"),
                          Text("الاتحاد الأوروبي", "The European Union"),  # the deck defaults to the title
                          Text("تاريخ الاتحاد الأوروبي", "A history of the EU"),
                          Text("الاتحاد الأوروبي", "The European Union"),  # and so does the subject
                          ("en", "ar"), False)
    assert eu.loc == Location("eu/bank.yaml", 1)
    eu_questions = [q for q in result.bank.questions if q.bank == "eu"]
    assert eu_questions and all(q.era.startswith("eu-") for q in eu_questions)
    assert {e.bank for e in result.bank.events if e.id.startswith("eu-")} == {"eu"}
    assert not [q for q in result.bank.questions if q.bank != "eu" and q.era.startswith("eu-")]


def test_generated_questions_use_only_their_own_banks_eras(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "eu", write_bank)
    bank = load_bank([here / "eu"]).bank
    era_question = bank.question("gen-era-eu-treaty-of-paris")
    assert era_question is not None and era_question.kind is Kind.CHOICE and era_question.bank == "eu"
    assert {c.en for c in era_question.choices} == {"Founding", "Growth"}
    builtin_era_question = next(q for q in bank.questions if q.id.startswith("gen-era-") and q.bank == "us-russia")
    assert not {c.en for c in builtin_era_question.choices} & {"Founding", "Growth"}


def test_the_default_id_is_the_folder_name_slugified(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "My EU Bank", write_bank, describe=False)
    result = load_bank([here / "My EU Bank"], builtin=False)
    assert result.errors == ()
    (info,) = result.bank.infos
    assert info.id == "my-eu-bank" and not info.builtin and info.title == Text()
    assert info.deck_name("en") == "my-eu-bank"
    assert {q.bank for q in result.bank.questions} == {"my-eu-bank"}


def test_files_of_one_folder_given_one_by_one_are_one_bank(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "eu", write_bank)
    result = load_bank([here / "eu" / "bank.yaml", here / "eu" / "events.yaml"], builtin=False)
    assert result.errors == ()
    assert [info.id for info in result.bank.infos] == ["eu"]


def test_a_bank_described_twice_is_an_error_naming_both_places(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "eu", write_bank)
    (here / "eu" / "more.yaml").write_text("bank:\n  title: {ar: آخر, en: Another}\n", encoding="utf-8")
    result = load_bank([here / "eu"], builtin=False)
    assert [(p.rule, str(p)) for p in result.errors] == [(
        "Q221", "eu/more.yaml:1: this bank is described twice (first at eu/bank.yaml:1); keep one 'bank:' "
        "mapping per bank, in its bank.yaml")]


def test_two_banks_with_one_id_are_an_error(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "eu", write_bank)
    write_bank(here / "other", {"bank.yaml": "bank:\n  id: eu\n  title: {ar: آخر, en: Another}\n"}, header=False)
    result = load_bank([here / "eu", here / "other"], builtin=False)
    assert [(p.rule, str(p)) for p in result.errors] == [(
        "Q222", "other/bank.yaml:1: two banks have the id 'eu' (eu/bank.yaml and other/bank.yaml); give one of "
        "them its own id in its bank.yaml, like bank: {id: my-other-bank}")]


def test_a_teacher_bank_may_not_take_the_builtin_id(here: Path, write_bank: WriteBank) -> None:
    write_bank(here / "mine", {"bank.yaml": "bank:\n  id: us-russia\n  title: {ar: لي, en: Mine}\n"}, header=False)
    errors = [str(p) for p in load_bank([here / "mine"]).errors if p.rule == "Q222"]
    assert errors == [f"mine/bank.yaml:1: two banks have the id 'us-russia' ({builtin_dir() / 'bank.yaml'} and "
                      "mine/bank.yaml); give one of them its own id in its bank.yaml, like bank: {id: my-other-bank}"]


@pytest.mark.parametrize(("text", "rule", "message"), [
    ("bank: [eu]\n", "Q114",
     "bank.yaml:1: 'bank' must be a mapping, like bank: {id: my-bank, title: {ar: ..., en: ...}}"),
    ("bank:\n  id: EU\n  title: {ar: أ, en: A}\n", "Q105",
     "bank.yaml:2: bank id 'EU' is not valid; use lowercase letters, digits and hyphens, like 'european-union'"),
    ("bank:\n  title: {ar: أ, en: A}\n  languages: [fr]\n", "Q109",
     "bank.yaml:3: bank 'bank': 'languages' must list ar, en or both, like languages: [ar, en]"),
    ("bank:\n  id: x\n", "Q108", "bank.yaml:2: bank 'x' has no 'title'; add title: {ar: ..., en: ...}"),
    ("bank:\n  title: {ar: أ, en: A}\n  deck_name: x\n", "Q101",
     "bank.yaml:3: unknown key 'deck_name' in the bank's description (did you mean 'deck'?)"),
])
def test_a_bad_bank_mapping_is_reported_under_its_rule(text: str, rule: str, message: str) -> None:
    errors = build_bank([("bank.yaml", text.encode())]).errors
    assert [(p.rule, str(p)) for p in errors] == [(rule, message)]
    assert rule in R.RULES


def test_build_bank_reads_the_describing_file_first_within_each_root() -> None:
    blobs = [
        ("a/events.yaml", EU_EVENTS.encode(), 0),
        ("a/z-bank.yaml", EU_BANK.encode(), 0),
        ("b/events.yaml", textwrap.dedent(EU_EVENTS).replace("eu-", "b-").encode(), 1),
    ]
    result = build_bank(blobs, [BankRoot("a"), BankRoot("b")])
    assert result.errors == ()
    assert [info.id for info in result.bank.infos] == ["eu", "b"]
    assert {q.bank for q in result.bank.questions if q.era.startswith("eu-")} == {"eu"}
    assert {q.bank for q in result.bank.questions if q.era.startswith("b-")} == {"b"}
    assert result.files == ("a/events.yaml", "a/z-bank.yaml", "b/events.yaml")


def test_the_bank_cache_keeps_infos_and_banks(here: Path, write_bank: WriteBank, tmp_path: Path) -> None:
    eu_bank(here / "eu", write_bank)
    fresh = load_bank([here / "eu"], cache_dir=tmp_path / "cache")
    cached = load_bank([here / "eu"], cache_dir=tmp_path / "cache")
    assert type(cached.bank.questions) is not tuple  # really read from the cache
    assert cached.bank.infos == fresh.bank.infos
    assert [info.loc for info in cached.bank.infos] == [info.loc for info in fresh.bank.infos]
    assert [q.bank for q in cached.bank.questions] == [q.bank for q in fresh.bank.questions]
    assert [e.bank for e in cached.bank.events] == [e.bank for e in fresh.bank.events]


def test_era_questions_do_not_name_the_builtin_subject(here: Path, write_bank: WriteBank) -> None:
    eu_bank(here / "eu", write_bank)
    question = load_bank([here / "eu"], builtin=False).bank.question("gen-era-eu-treaty-of-paris")
    assert question is not None
    assert question.prompt == Text("أيّ حقبة شهدت معاهدة باريس؟", "Which period saw the Treaty of Paris?")


def test_a_bank_in_one_language_has_no_missing_translations(here: Path, write_bank: WriteBank) -> None:
    english = EU_EVENTS.replace("{ar: ملاحظات, en: Notes}", "{en: Notes}")
    for ar in ("التأسيس", "التوسع", "معاهدة باريس", "معاهدة روما", "معاهدة ماستريخت"):
        english = english.replace(f"ar: {ar}, ", "")
    write_bank(here / "eu", {"bank.yaml": "bank:\n  title: {en: The EU}\n  languages: [en]\n",
                             "events.yaml": english}, header=False)
    result = load_bank([here / "eu"], builtin=False)
    assert result.problems == ()
    generated = [q for q in result.bank.questions if q.generated]
    assert generated and all(not q.prompt.ar and not q.explanation.ar for q in generated)
    assert all(not c.ar for q in generated for c in q.choices)
    both = load_bank([write_bank(here / "both", {"events.yaml": english}, header=False)], builtin=False)
    assert {p.rule for p in both.problems} == {"Q110", "Q225"}
