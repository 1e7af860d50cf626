"""The rulebook: every check a bank can fail, each with a stable code, and the predicates that decide them.

One rule, one place. The loader (`quiz.bank.format`), `quiz add` and `quiz import` (`quiz.authoring`), the
linter (`quiz.bank.lint`) and `quiz validate` all report through the `Rule`s below, and decide through the
predicates below, so a mistake gets the same verdict whichever tool meets it. A `Problem` carries its rule's
code in `Problem.rule` (`"Q214"`) and the rule's family in `Problem.code` (`"answer-not-in-choices"`, the tag
`quiz validate --json` has always printed; several rules may share one family). Tools pick problems by rule,
never by their wording.

Codes are stable: a code is never renumbered or reused; a retired rule keeps its number out of use. Ranges:
Q0xx reading a file, Q1xx the grammar (keys and types), Q2xx content, Q3xx authoring tools only, Q4xx the linter.
The table in `questions/README.md` lists them all (a test keeps it equal to `RULES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from quiz.errors import Problem
from quiz.model import Kind, Text

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One check: its stable code, the family tag shown as `Problem.code`, its severity and what it asks for."""

    code: str
    family: str
    severity: Severity
    summary: str

    def problem(self, path: str, line: int, message: str) -> Problem:
        return Problem(path, line, message, self.severity, self.family, self.code)


RULES: dict[str, Rule] = {}


def _rule(code: str, family: str, severity: Severity, summary: str) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} is used twice")
    rule = RULES[code] = Rule(code, family, severity, summary)
    return rule


def rule_of(problem: Problem) -> Rule | None:
    """The rule a problem was reported under (None for problems that are not about the bank's content)."""
    return RULES.get(problem.rule)


# --- reading a file (quiz.bank.reader, quiz.bank.load_bank) ----------------------------------------------------
UNREADABLE = _rule("Q001", "", "error",
                   "the file can be read: it exists, is UTF-8 text, not over 32 MiB, no NUL")
YAML_SYNTAX = _rule("Q002", "", "error",
                    "the file is valid YAML")
UNSAFE_YAML = _rule("Q003", "", "error",
                    "plain data only: no repeated keys, tags, anchors, merge keys, deep nesting")
NOT_A_MAPPING = _rule("Q004", "", "error",
                      "a file is a mapping with keys sources, eras, events, questions")
EMPTY_FILE = _rule("Q005", "", "warning",
                   "a file is not empty")
BYTE_ORDER_MARK = _rule("Q006", "", "warning",
                        "a file has no UTF-8 byte-order mark")
MISSING_PATH = _rule("Q007", "", "error",
                     "every bank path given exists")

# --- the grammar (quiz.bank.format) ----------------------------------------------------------------------------
UNKNOWN_KEY = _rule("Q101", "unknown-key", "error",
                    "every key is one the format knows (a close one is suggested)")
NOT_A_LIST = _rule("Q102", "", "error",
                   "sources, eras, events and questions are lists")
NOT_AN_ITEM = _rule("Q103", "", "error",
                    "each item of a section is a mapping")
MISSING_ID = _rule("Q104", "missing-field", "error",
                   "every document, era, event and question has an id")
BAD_ID = _rule("Q105", "bad-id", "error",
               "ids (and tags) are lowercase letters, digits and hyphens")
RESERVED_ID = _rule("Q106", "bad-id", "error",
                    "a question id does not start with 'gen-' (generated questions')")
DUPLICATE_ID = _rule("Q107", "duplicate-id", "error",
                     "an id is defined once per table, across all banks")
MISSING_FIELD = _rule("Q108", "missing-field", "error",
                      "the fields a kind needs are present")
BAD_TYPE = _rule("Q109", "bad-type", "error",
                 "every value has its type: text, list, year, true/false, number")
MISSING_TRANSLATION = _rule("Q110", "missing-translation", "warning",
                            "a text is given in both languages")
BAD_KIND = _rule("Q111", "bad-kind", "error",
                 "a kind is one of choice, typed, truefalse, order, cloze, card")
FIELD_NOT_FOR_KIND = _rule("Q112", "bad-field", "error",
                           "choices, items, accept, tolerance only in kinds using them")
EMPTY_TEXT = _rule("Q113", "missing-field", "error",
                   "a required text is not empty")
BANK_NOT_MAPPING = _rule("Q114", "bad-type", "error",
                         "a top-level 'bank' is a mapping: id, title, deck, description, subject, languages")

# --- content (quiz.bank.rules, called by the loader and the authoring tools) ------------------------------------
BAD_DATE = _rule("Q201", "bad-date", "error",
                 "a date is YYYY, YYYY-MM or YYYY-MM-DD and exists")
BAD_SPAN = _rule("Q202", "bad-span", "error",
                 "an era starts no later than it ends")
EVENT_OUTSIDE_ERA = _rule("Q203", "year-outside-era", "error",
                          "an event is dated inside its era")
EVENT_ORDER = _rule("Q204", "event-order", "warning",
                    "events of an era are listed oldest first in a file")
UNKNOWN_ERA = _rule("Q205", "unknown-era", "error",
                    "an era named by an event or question is defined")
UNKNOWN_DOC = _rule("Q206", "unknown-doc", "error",
                    "a source names a document declared under 'sources'")
UNKNOWN_SOURCE_ERA = _rule("Q207", "unknown-era", "error",
                           "a source's era is an era id (or 'intro')")
BAD_PARAGRAPH = _rule("Q208", "bad-type", "error",
                      "a source's paragraph is a number from 1")
NO_SOURCE = _rule("Q209", "no-source", "warning",
                  "an event or question names its source")
NO_EXPLANATION = _rule("Q210", "no-explanation", "warning",
                       "a question has an explanation")
CROSS_SCRIPT = _rule("Q211", "cross-script", "error",
                     "Arabic text is not in Latin letters, English has no Arabic")
CLOZE_BLANK = _rule("Q212", "cloze-blank", "error",
                    "a cloze prompt has exactly one {{blank}} in each language")
DUPLICATE_CHOICE = _rule("Q213", "duplicate-choice", "error",
                         "no choice is listed twice")
ANSWER_NOT_IN_CHOICES = _rule("Q214", "answer-not-in-choices", "error",
                              "the answer is one of the choices")
CHOICE_MISMATCH = _rule("Q215", "choice-mismatch", "error",
                        "the answer is the same choice in both languages")
ORDER_TIE = _rule("Q216", "order-tie", "error",
                  "the dated items of an order have distinct years")
ORDER_UNSORTED = _rule("Q217", "order-unsorted", "error",
                       "an order's items are listed oldest first")
TOO_FEW_CHOICES = _rule("Q218", "bad-type", "error",
                        "a choice question has at least two choices")
ITEM_COUNT = _rule("Q219", "bad-type", "error",
                   "an order question has 2 to 8 items")
TOLERANCE = _rule("Q220", "bad-field", "error",
                  "a tolerance (0 or more years) goes with a numeric answer")
BANK_TWICE = _rule("Q221", "duplicate-bank", "error",
                   "a bank describes itself once: one file with a top-level 'bank'")
DUPLICATE_BANK_ID = _rule("Q222", "duplicate-bank", "error",
                          "a bank id is unique among the banks loaded")
UNKNOWN_EVENT = _rule("Q223", "unknown-event", "error",
                      "an event named by a question's 'events' is defined")
BAD_DISTRACTOR = _rule("Q224", "bad-distractor", "error",
                       "an event's distractors and also_right differ from its year and from each other")
NO_TITLE_IN_LANG = _rule("Q225", "missing-translation", "warning",
                         "an event is titled in both languages (else nothing is generated in the missing one)")

# --- authoring tools only (quiz add, quiz import) ---------------------------------------------------------------
HALF_TRANSLATED_CHOICES = _rule("Q301", "missing-translation", "error",
                                "quiz add: every choice has the languages the others have")
ALREADY_IN_BANK = _rule("Q302", "near-duplicate", "error",
                        "quiz add/import: the bank does not have this question yet")
EMPTY_ITEM = _rule("Q303", "missing-field", "error",
                   "quiz add: no order item is empty")

# --- the linter (quiz.bank.lint) -------------------------------------------------------------------------------
DISTRACTOR_EQUALS = _rule("Q401", "distractor-equals", "error",
                          "no wrong choice is the answer in other spelling")
NEAR_DUPLICATE_CHOICE = _rule("Q402", "near-duplicate-choice", "error",
                              "no two choices are the same in other spelling")
NEAR_DUPLICATE = _rule("Q403", "near-duplicate", "warning",
                       "no question asks the same as another in other words")
ANSWER_OUTSIDE_ERA = _rule("Q404", "year-outside-era", "warning",
                           "a year answer lies inside the question's era")
REVEAL = _rule("Q405", "reveal", "warning",
               "no question shows another's answer (a year, a name), unless a sibling's explanation does")
PROPOSED_LINK = _rule("Q406", "proposed-link", "warning",
                      "a question naming an event's year and key words links it with 'events:'")
EMPTY_PROMPT = _rule("Q407", "empty-prompt", "error",
                     "no question is empty in a language it is asked in")
SWAPPED_LANGUAGES = _rule("Q408", "swapped-languages", "error",
                          "a text's Arabic is not in Latin letters while its English is in Arabic (swapped)")
UNUSED_DISTRACTOR = _rule("Q409", "unused-distractor", "warning",
                          "an event's own distractors can be offered: inside its era, not a linked question's answer")


# --- predicates ------------------------------------------------------------------------------------------------

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BLANK_RE = re.compile(r"\{\{(.+?)\}\}")
DATE_RE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
LANG_NAMES = {"ar": "Arabic", "en": "English"}
ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")
RESERVED_PREFIX = "gen-"
MAX_ITEMS = 8

KIND_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.CHOICE: ("prompt", "answer", "choices"),
    Kind.TYPED: ("prompt", "answer"),
    Kind.TRUEFALSE: ("prompt", "answer"),
    Kind.ORDER: ("items",),
    Kind.CLOZE: ("prompt",),
    Kind.CARD: ("prompt", "answer"),
}
"""The fields each kind needs (Q108)."""
KIND_ONLY: dict[str, tuple[Kind, ...]] = {
    "choices": (Kind.CHOICE,),
    "items": (Kind.ORDER,),
    "tolerance": (Kind.TYPED, Kind.CLOZE),
    "accept": (Kind.TYPED, Kind.CLOZE),
}
"""The fields only some kinds may have (Q112)."""


def is_id(value: object) -> bool:
    """Q105: lowercase letters, digits and hyphens, starting with a letter or digit."""
    return isinstance(value, str) and ID_RE.match(value) is not None


def is_reserved(question_id: str) -> bool:
    """Q106: the prefix kept for generated questions."""
    return question_id.startswith(RESERVED_PREFIX)


def script(text: str) -> str:
    """'ar' when the text has Arabic letters, else 'en' when it has Latin ones, else 'none' (digits alone)."""
    if ARABIC_RE.search(text):
        return "ar"
    if LATIN_RE.search(text):
        return "en"
    return "none"


def wrong_script(text: str, lang: str) -> bool:
    """Q211: Arabic text written in Latin letters only, or English text with Arabic letters."""
    return script(text) not in (lang, "none")


def swapped(text: Text) -> bool:
    """Q408: the Arabic value written in Latin letters and the English one in Arabic letters: the two languages
    of one text given the wrong way round."""
    en = text.en  # English in ASCII (most of it) has no Arabic letter: one test in C, no search
    return bool(text.ar and en) and not en.isascii() and script(text.ar) == "en" and script(en) == "ar"


def blanks(text: str) -> list[str]:
    """Q212: the {{blanks}} of a cloze prompt (exactly one is right)."""
    return BLANK_RE.findall(text)


def fold(text: str) -> str:
    """Choices are compared casefolded with spacing folded (Q213)."""
    return " ".join(text.casefold().split())


def repeated_choices(texts: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Q213: (first, repeat) positions of choices that are the same text, in one language."""
    seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        if not text:
            continue
        folded = fold(text)
        if folded in seen:
            yield seen[folded], index
        else:
            seen[folded] = index


def answer_positions(answer: Text, choices: Sequence[Text], lang: str) -> list[int]:
    """Q214: the positions of the choices equal to the answer in one language."""
    expected = getattr(answer, lang)
    return [i for i, choice in enumerate(choices) if getattr(choice, lang) == expected]


def mismatched_choice(answer: Text, choices: Sequence[Text]) -> tuple[str, str, int] | None:
    """Q215: (lang, other lang, position) when the answer's choice in `lang` has another text in `other`."""
    for lang, other in (("ar", "en"), ("en", "ar")):
        exp, exp_other = getattr(answer, lang), getattr(answer, other)
        if not exp or not exp_other:
            continue
        hits = answer_positions(answer, choices, lang)
        if hits and all(getattr(choices[i], other) not in ("", exp_other) for i in hits):
            return lang, other, hits[0]
    return None


def year_faults(years: Sequence[int | None]) -> Iterator[tuple[int, int, int, bool]]:
    """Q216/Q217: (position, earlier year, year, tie) for each dated item tied with, or older than, the dated
    item before it."""
    dated = [(i, y) for i, y in enumerate(years) if y is not None]
    for (_, a), (j, b) in zip(dated, dated[1:], strict=False):
        if a == b or a > b:
            yield j, a, b, a == b


def tolerance_fault(kind: Kind, tolerance: int, answer: Text) -> Rule | None:
    """Q112/Q220: a tolerance only for kinds that take one, and with a typed question, a numeric answer."""
    if not tolerance:
        return None
    if kind not in KIND_ONLY["tolerance"]:
        return FIELD_NOT_FOR_KIND
    if kind is Kind.TYPED and not (answer.en or answer.ar).strip().isdigit():
        return TOLERANCE
    return None


def source_era_known(era: str | None, eras: object) -> bool:
    """Q207: a source's era is an era id, or 'intro' (the text before the first era)."""
    return era is None or era == "intro" or era in eras  # type: ignore[operator]


def paragraph_ok(para: object) -> bool:
    """Q208: a paragraph number counts from 1."""
    return isinstance(para, int) and not isinstance(para, bool) and para >= 1


class Finding(str):
    """A one-sentence verdict of an authoring tool's field check that knows its rule: still a plain `str` to
    show or compare, and `finding.rule` says which rule it reports, so tools pick findings by code."""

    rule: Rule

    def __new__(cls, rule: Rule, message: str) -> Finding:
        finding = super().__new__(cls, message)
        finding.rule = rule
        return finding

    def problem(self, path: str, line: int) -> Problem:
        return self.rule.problem(path, line, str(self))
