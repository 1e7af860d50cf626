"""`quiz add`: one new question, checked field by field, appended to a bank file safely.

The command line asks (or reads options for) each field; the checks here say what is wrong with a value in one
sentence, so the interactive prompt can ask again and the scripted form can report every mistake at once. The
new file text is built by `yamledit` (the rest of the file byte-identical), then validated with the real bank
loader together with every other bank file before anything is written; the write itself is atomic.

The whole-question checks (a distractor equal to the answer in other spelling, a year answer outside the era,
languages swapped) are the linter's own (`quiz.bank.lint`), asked field by field. Proposing ids lives in
`quiz.authoring.ids`, the bank a tool adds to and the loader check in `quiz.authoring.context`; both are
re-exported here for the tools that import them from this module.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.authoring import yamledit
from quiz.authoring.context import BankContext as BankContext
from quiz.authoring.context import bank_context as bank_context
from quiz.authoring.context import check_with_loader
from quiz.authoring.ids import propose_id as propose_id
from quiz.authoring.ids import slug_words as slug_words
from quiz.authoring.ids import transliterate as transliterate
from quiz.authoring.ids import unique_id as unique_id
from quiz.bank import rules as R
from quiz.bank.files import shown_name as shown_name
from quiz.bank.rules import LANG_NAMES, Finding
from quiz.errors import AuthoringError, BankError, Problem
from quiz.model import Alternatives, Bank, Kind, OrderItem, Source, Text

# --- the question being written --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewQuestion:
    """Everything `quiz add` collects; `mapping()` is the YAML it appends."""

    kind: Kind
    era: str
    prompt: Text = Text()
    answer: Text = Text()
    accept: Alternatives = Alternatives()
    choices: tuple[Text, ...] = ()
    items: tuple[OrderItem, ...] = ()
    truth: bool | None = None
    tolerance: int = 0
    explanation: Text = Text()
    source: Source | None = None
    tags: tuple[str, ...] = ()
    id: str = ""
    draft: bool = False

    def naming_text(self) -> Text:
        """What an id is proposed from: the prompt, else (an order question) its items."""
        if _any(self.prompt):
            return self.prompt
        first = self.items[:3]
        return Text(" ".join(i.text.ar for i in first), " ".join(["order", *(i.text.en for i in first)]))

    def mapping(self) -> dict[str, Any]:
        """The question in the bank format, keys in the usual order, empty fields left out."""
        out: dict[str, Any] = {"id": self.id, "kind": self.kind.value, "era": self.era}
        if _any(self.prompt):
            out["prompt"] = _text(self.prompt)
        if self.kind is Kind.TRUEFALSE:
            out["answer"] = bool(self.truth)
        elif self.kind not in (Kind.ORDER, Kind.CLOZE) and _any(self.answer):
            out["answer"] = _text(self.answer)
        if self.tolerance:
            out["tolerance"] = self.tolerance
        if self.accept.ar or self.accept.en:
            out["accept"] = {lang: list(self.accept.get(lang)) for lang in ("ar", "en") if self.accept.get(lang)}
        if self.choices:
            out["choices"] = [_text(c) for c in self.choices]
        if self.items:
            out["items"] = [
                {**_text(item.text), **({"year": item.year} if item.year is not None else {})} for item in self.items
            ]
        if _any(self.explanation):
            out["explanation"] = _text(self.explanation)
        if self.source is not None:
            source: dict[str, Any] = {"doc": self.source.doc}
            if self.source.era:
                source["era"] = self.source.era
            if self.source.para is not None:
                source["para"] = self.source.para
            out["source"] = source
        if self.tags:
            out["tags"] = list(self.tags)
        if self.draft:
            out["draft"] = True
        return out


def _any(text: Text) -> bool:
    return bool(text.ar or text.en)


def _text(text: Text) -> dict[str, str]:
    return {lang: getattr(text, lang) for lang in ("ar", "en") if getattr(text, lang)}


def content_key(kind: Kind, prompt: Text, items: Sequence[OrderItem] = ()) -> tuple[str, ...]:
    """What makes two questions the same question: the kind and the normalised prompt (an order's items)."""
    from quiz.grading import normalize

    if kind is Kind.ORDER:
        texts = [normalize(f"{i.text.ar}|{i.text.en}") for i in items]
        return (kind.value, *sorted(texts))
    return (kind.value, normalize(prompt.ar), normalize(prompt.en))


def existing_keys(bank: Bank) -> dict[tuple[str, ...], str]:
    """Each hand-written question's content key, with the question's id and place."""
    keys: dict[tuple[str, ...], str] = {}
    for q in bank.questions:
        if not q.generated:
            keys.setdefault(content_key(q.kind, q.prompt, q.items), f"'{q.id}' ({q.loc})" if q.loc else f"'{q.id}'")
    return keys


# --- checks: each says what is wrong in one sentence, or returns None ------------------------------------------


def parse_kind(value: str) -> Kind | str:
    try:
        return Kind(value.strip().lower())
    except ValueError:
        return Finding(R.BAD_KIND, f"'{value}' is not a kind; use one of: " + ", ".join(k.value for k in Kind))


def check_era(era: str, bank: Bank) -> Finding | None:
    if bank.era(era) is not None:
        return None
    known = ", ".join(e.id for e in bank.eras) or "none: declare one under 'eras' first"
    return Finding(R.UNKNOWN_ERA, f"'{era}' is not an era of the bank (known: {known})")


def check_script(text: str, lang: str, what: str) -> Finding | None:
    """Arabic text must not be Latin and vice versa (digits alone are fine)."""
    if not text or not R.wrong_script(text, lang):
        return None
    if lang == "ar":
        message = f"the Arabic {what} {text!r} is written in Latin letters; give the Arabic text, or leave it empty"
    else:
        message = f"the English {what} {text!r} contains Arabic letters; give the English text, or leave it empty"
    return Finding(R.CROSS_SCRIPT, message)


def check_prompt(kind: Kind, prompt: Text) -> Finding | None:
    if not _any(prompt) and kind is not Kind.ORDER:
        return Finding(R.EMPTY_TEXT, "the prompt is empty; write it in Arabic, English or both")
    problem = check_languages("prompt", prompt)
    if problem:
        return problem
    if kind is Kind.CLOZE:
        for lang in ("ar", "en"):
            text = getattr(prompt, lang)
            if text and len(R.blanks(text)) != 1:
                return Finding(R.CLOZE_BLANK, f"a cloze prompt needs exactly one {{{{blank}}}} in each language; the "
                               f"{LANG_NAMES[lang]} prompt has {len(R.blanks(text))} (mark the missing words like "
                               "{{Lend-Lease}})")
    return None


def check_swapped(name: str, text: Text) -> Finding | None:
    """Q408: both languages of one text (the `name` field) given the wrong way round: the linter's finding."""
    from quiz.bank.lint import swapped_message

    message = swapped_message("", [(name, text)])
    return Finding(R.SWAPPED_LANGUAGES, message) if message else None


def check_languages(name: str, text: Text) -> Finding | None:
    """Q408, then Q211: the languages of one text (the `name` field) swapped, or either in the other's script."""
    swapped = check_swapped(name, text)
    if swapped:
        return swapped
    for lang in ("ar", "en"):
        problem = check_script(getattr(text, lang), lang, name)
        if problem:
            return problem
    return None


def check_distractors(answer: Text, choices: Sequence[Text]) -> Finding | None:
    """Q401/Q402: a wrong choice that is the answer in other spelling, or two choices the same in other
    spelling (the linter's checks, asked as soon as the right answer is known)."""
    from quiz.bank.answer_faults import choice_fault

    fault = choice_fault("the choices", answer, choices)
    return Finding(*fault) if fault else None


def check_answer_year(kind: Kind, prompt: Text, answer: Text, tolerance: int, era: str,
                      bank: Bank) -> Finding | None:
    """Q404 (a warning): a year answer outside the question's era (the linter's check)."""
    from quiz.bank.answer_faults import year_fault

    known = bank.era(era)
    message = year_fault("the question", kind, prompt, answer, tolerance, known) if known else None
    return Finding(R.ANSWER_OUTSIDE_ERA, message) if message else None


def check_answer(kind: Kind, answer: Text) -> Finding | None:
    if kind in (Kind.CHOICE, Kind.TYPED, Kind.CARD) and not _any(answer):
        return Finding(R.EMPTY_TEXT, "the answer is empty; give it in Arabic, English or both")
    return check_languages("answer", answer)


def check_alternative(lang: str, value: str) -> Finding | None:
    if not R.wrong_script(value, lang):
        return None
    other = "English" if lang == "ar" else "Arabic"
    return Finding(R.CROSS_SCRIPT, f"accepted answer {value!r} is not {LANG_NAMES[lang]}; list it with the {other} "
                   "alternatives")


def check_choices(choices: Sequence[Text]) -> Finding | None:
    if len(choices) < 2:
        return Finding(R.TOO_FEW_CHOICES, "a choice question needs at least two choices")
    for lang in ("ar", "en"):
        texts = [getattr(c, lang) for c in choices]
        if any(texts) and not all(texts):
            missing = [str(i + 1) for i, t in enumerate(texts) if not t]
            return Finding(R.HALF_TRANSLATED_CHOICES,
                           f"choice {', '.join(missing)} has no {LANG_NAMES[lang]} text while the others do")
        for first, index in R.repeated_choices(texts):
            return Finding(R.DUPLICATE_CHOICE, f"choices {first + 1} and {index + 1} are the same "
                           f"({texts[index]!r}); make every choice different")
    return None


def check_answer_in_choices(answer: Text, choices: Sequence[Text]) -> Finding | None:
    """The answer must be one of the choices, and the same one in both languages."""
    for lang in ("ar", "en"):
        expected = getattr(answer, lang)
        if expected and not R.answer_positions(answer, choices, lang):
            listed = ", ".join(repr(getattr(c, lang)) for c in choices if getattr(c, lang))
            return Finding(R.ANSWER_NOT_IN_CHOICES,
                           f"the {LANG_NAMES[lang]} answer {expected!r} is not among the choices ({listed})")
    if R.mismatched_choice(answer, choices) is not None:
        ar, en = R.answer_positions(answer, choices, "ar")[0], R.answer_positions(answer, choices, "en")[0]
        return Finding(R.CHOICE_MISMATCH, f"the Arabic answer is choice {ar + 1} but the English answer is choice "
                       f"{en + 1}; they must be the same choice")
    return None


def check_items(items: Sequence[OrderItem]) -> Finding | None:
    if len(items) < 2:
        return Finding(R.ITEM_COUNT, "an order question needs at least two items")
    if len(items) > R.MAX_ITEMS:
        return Finding(R.ITEM_COUNT, f"an order question has at most {R.MAX_ITEMS} items ({len(items)} given)")
    for index, item in enumerate(items):
        if not _any(item.text):
            return Finding(R.EMPTY_ITEM, f"item {index + 1} is empty")
    return check_item_years([item.year for item in items])


def check_item_years(years: Sequence[int | None]) -> Finding | None:
    for j, a, b, tie in R.year_faults(years):
        if tie:
            return Finding(R.ORDER_TIE, f"items {j} and {j + 1} have the same year {a}; an order needs distinct dates")
        return Finding(R.ORDER_UNSORTED, f"item {j + 1} ({b}) comes before the item above it ({a}); list the items "
                       "oldest first")
    return None


def check_tolerance(kind: Kind, tolerance: int, answer: Text) -> Finding | None:
    if tolerance < 0:
        return Finding(R.BAD_TYPE, "tolerance is a number of years, 0 or more")
    rule = R.tolerance_fault(kind, tolerance, answer)
    if rule is not None:
        return Finding(rule, "tolerance is only for typed questions whose answer is a year")
    return None


def check_source(source: Source, bank: Bank) -> Finding | None:
    if bank.document(source.doc) is None:
        known = ", ".join(d.id for d in bank.documents) or "none: declare one under 'sources' first"
        return Finding(R.UNKNOWN_DOC, f"'{source.doc}' is not a source document of the bank (known: {known})")
    if not R.source_era_known(source.era, {e.id for e in bank.eras}):
        return Finding(R.UNKNOWN_SOURCE_ERA, f"source era '{source.era}' is not an era id (or 'intro')")
    if source.para is not None and not R.paragraph_ok(source.para):
        return Finding(R.BAD_PARAGRAPH, "the paragraph is a number from 1")
    return None


def check_tag(tag: str) -> Finding | None:
    if R.is_id(tag):
        return None
    return Finding(R.BAD_ID, f"tag {tag!r} is not valid; use lowercase letters, digits and hyphens")


def check_id(qid: str, taken: Collection[str], where: dict[str, str] | None = None) -> Finding | None:
    if not R.is_id(qid):
        return Finding(R.BAD_ID, f"id {qid!r} is not valid; use lowercase letters, digits and hyphens, like "
                       "'sputnik-year'")
    if R.is_reserved(qid):
        return Finding(R.RESERVED_ID, f"id {qid!r} starts with 'gen-', which is kept for generated questions")
    if qid in taken:
        place = f" at {where[qid]}" if where and qid in where else ""
        return Finding(R.DUPLICATE_ID, f"id '{qid}' is already used{place}; choose another")
    return None


def _only_for(key: str, kind: Kind, message: str) -> Finding | None:
    return None if kind in R.KIND_ONLY[key] else Finding(R.FIELD_NOT_FOR_KIND, message)


def check_question(question: NewQuestion, bank: Bank, taken: Collection[str],
                   where: dict[str, str] | None = None,
                   keys: dict[tuple[str, ...], str] | None = None) -> list[Finding]:
    """Every field problem of a complete question (the scripted form reports them all at once); each finding
    is a message that knows its rule (`finding.rule.code`)."""
    found: list[Finding | None] = [check_era(question.era, bank), check_prompt(question.kind, question.prompt)]
    kind = question.kind
    if kind in (Kind.CHOICE, Kind.TYPED, Kind.CARD):
        found.append(check_answer(kind, question.answer))
    if kind is Kind.CHOICE:
        found.append(check_choices(question.choices))
        if _any(question.answer) and len(question.choices) >= 2:
            found.append(check_answer_in_choices(question.answer, question.choices)
                         or check_distractors(question.answer, question.choices))
    elif question.choices:
        found.append(_only_for("choices", kind, "choices are only for choice questions"))
    if kind is Kind.ORDER:
        found.append(check_items(question.items))
    elif question.items:
        found.append(_only_for("items", kind, "items are only for order questions"))
    if kind is Kind.TRUEFALSE and question.truth is None:
        found.append(Finding(R.MISSING_FIELD, "a truefalse question needs its verdict: true or false"))
    if question.accept.ar or question.accept.en:
        found.append(_only_for("accept", kind, "accepted alternatives are only for typed and cloze questions"))
    explained = check_swapped("explanation", question.explanation)
    found.append(explained)
    for lang in ("ar", "en"):
        found.extend(check_alternative(lang, value) for value in question.accept.get(lang))
        if not explained:
            found.append(check_script(getattr(question.explanation, lang), lang, "explanation"))
    found.append(check_tolerance(kind, question.tolerance, question.answer))
    if question.source is not None:
        found.append(check_source(question.source, bank))
    found.extend(check_tag(tag) for tag in question.tags)
    found.append(check_id(question.id, taken, where))
    if keys is not None:
        same = keys.get(content_key(question.kind, question.prompt, question.items))
        if same:
            found.append(Finding(R.ALREADY_IN_BANK,
                                 f"the bank already has this question: {same}; change it or leave it out"))
    return [problem for problem in found if problem]


# --- planning and writing --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddPlan:
    """What `quiz add` will write: the target, its bytes now (None when new) and after, the added block."""

    target: Path
    shown: str
    old: bytes | None
    new: bytes
    block: str
    line: int
    warnings: tuple[Problem, ...] = ()


def plan_add(question: NewQuestion, target: Path, roots: Sequence[Path], section: str = "questions") -> AddPlan:
    """The file text with the question appended, checked by the real loader; `BankError` lists the errors."""
    old = target.read_bytes() if target.exists() else None
    if old is not None:
        try:
            text = old.decode("utf-8")
        except UnicodeDecodeError:
            raise AuthoringError("the file is not UTF-8 text; save it as UTF-8 first", where=str(target)) from None
    else:
        text = ""
    splice = yamledit.append_items(text, section, [question.mapping()], shown=str(target))
    shown, problems = check_with_loader(roots, target, splice.text)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BankError(errors)
    first = splice.item_lines[0]
    last = first + splice.block.strip("\n").count("\n")
    warnings = tuple(p for p in problems if p.severity == "warning" and p.path == shown and first <= p.line <= last)
    return AddPlan(target, shown, old, splice.text.encode("utf-8"), splice.block, first, warnings)


def apply(plan: AddPlan) -> None:
    """Write the planned file atomically, unless it changed since it was planned."""
    now = plan.target.read_bytes() if plan.target.exists() else None
    if now != plan.old:
        raise AuthoringError("the file changed while the question was being written; run the command again",
                             where=plan.shown)
    yamledit.write_atomic(plan.target, plan.new)
