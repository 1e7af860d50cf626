"""The loader's content checks: small functions over values already read, each reporting through the rulebook.

`quiz.bank.fields` and `quiz.bank.format` read the grammar (keys and types); the functions here judge what was
read: a cloze's blanks, a choice question's choices, an order's items, an event's wrong and also-right years,
and, once every file is read, the references between files, events inside their eras and in order, and bank ids.
Each takes `report` (a `Checker.report`) and decides through the predicates of `quiz.bank.rules`, which the
authoring tools call too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from quiz.bank import rules as R
from quiz.bank.files import BankRoot
from quiz.bank.rules import BLANK_RE, LANG_NAMES
from quiz.model import BankInfo, Era, Event, Location, OrderItem, Source, Text

Report = Callable[[R.Rule, str, int, str], None]
"""`report(rule, path, line, message)`: how a check reports a problem."""


def cloze_answer(report: Report, path: str, line: int, what: str, prompt: Text) -> Text:
    """Q212: a cloze's answer, the text of the one {{blank}} of its prompt in each language."""
    parts: dict[str, str] = {}
    for lang in ("ar", "en"):
        text = getattr(prompt, lang)
        if not text:
            parts[lang] = ""
            continue
        blanks = BLANK_RE.findall(text)
        if not blanks:
            report(R.CLOZE_BLANK, path, line,
                   f"{what} has no {{{{blank}}}} in its {LANG_NAMES[lang]} prompt; mark the "
                   "missing words like {{Lend-Lease}}")
        elif len(blanks) > 1:
            report(R.CLOZE_BLANK, path, line,
                   f"{what} has {len(blanks)} blanks in its {LANG_NAMES[lang]} prompt; "
                   "use exactly one per question")
        parts[lang] = blanks[0].strip() if blanks else ""
    return Text(parts["ar"], parts["en"])


def check_choices(report: Report, path: str, what: str, choices: Sequence[Text], lines: Sequence[int],
                  answer: Text, answer_line: int) -> None:
    """Q213-Q215: no choice twice, the answer among the choices, the same choice in both languages."""
    ars, ens = [choice.ar for choice in choices], [choice.en for choice in choices]
    if (answer.ar, answer.en) in zip(ars, ens, strict=True) and _distinct(ars) and _distinct(ens):
        return  # the usual case: the answer is one of the choices in both languages, and no choice repeats
    for lang in ("ar", "en"):
        texts = [getattr(choice, lang) for choice in choices]
        for first, index in R.repeated_choices(texts):
            report(R.DUPLICATE_CHOICE, path, lines[index],
                   f"{what} lists {texts[index]!r} twice ({LANG_NAMES[lang]}, "
                   f"choices {first + 1} and {index + 1}); make every choice different")
        expected = getattr(answer, lang)
        if expected and any(texts) and not R.answer_positions(answer, choices, lang):
            report(R.ANSWER_NOT_IN_CHOICES, path, answer_line,
                   f"{what} has no correct answer among its choices: the "
                   f"{LANG_NAMES[lang]} answer {expected!r} is not one of them; copy it exactly into "
                   "'choices'")
    mismatch = R.mismatched_choice(answer, choices)
    if mismatch is not None:
        lang, other, position = mismatch
        report(R.CHOICE_MISMATCH, path, answer_line,
               f"{what}: the answer is choice {position + 1} in "
               f"{LANG_NAMES[lang]} but that choice's {LANG_NAMES[other]} text differs; make the "
               "translations match")


def _distinct(texts: list[str]) -> bool:
    """Whether no two texts are the same once folded (`rules.fold`), and none is empty: then Q213 finds nothing.

    Folded together, in one call: the texts joined by " | " and casefolded (casefolding maps each character on
    its own, never to a space or a bar). When that holds bars only between texts, no run of spaces, no space at
    either end, and no other whitespace (every whitespace character but the space is unprintable), each text
    folds to its piece of it. Else each text is folded on its own."""
    if "" in texts or len(set(texts)) < len(texts):
        return False
    joined = " | ".join(texts).casefold()
    if (joined.count("|") == len(texts) - 1 and "  " not in joined and joined.isprintable()
            and joined[0] != " " and joined[-1] != " "):
        return len(set(joined.split(" | "))) == len(texts)
    return len(set(map(R.fold, texts))) == len(texts)


def check_order(report: Report, path: str, what: str, items: Sequence[OrderItem], lines: Sequence[int]) -> None:
    """Q216/Q217: the dated items of an order have distinct years and are listed oldest first.

    `lines[i]` is the line of the i-th item as written; `items` may have fewer (an unreadable item is left out),
    which is why positions count among the items read, as the messages always have."""
    years = [item.year for item in items]
    for position, earlier, year, tie in R.year_faults(years):
        if tie:
            before = max(i for i in range(position) if years[i] is not None)
            report(R.ORDER_TIE, path, lines[position], f"{what} has items with the same year {earlier}: "
                   f"{items[before].text.get('en')!r} and {items[position].text.get('en')!r}; an order needs "
                   "distinct dates")
        else:
            report(R.ORDER_UNSORTED, path, lines[position],
                   f"{what} lists its items out of order ({earlier} before "
                   f"{year}); list them oldest first")


def check_years(report: Report, path: str, line_of: Callable[[str], int], what: str, year: int,
                distractors: Sequence[int], also_right: Sequence[int]) -> None:
    """Q224: an event's distractors and also-right years are not its own year, nor each other (`line_of(key)`:
    the line of a key of the event)."""
    for key, years in (("distractors", distractors), ("also_right", also_right)):
        if year in years:
            report(R.BAD_DISTRACTOR, path, line_of(key), f"{what}: '{key}' lists {year}, the "
                   "event's own year; remove it")
    both = sorted(set(distractors) & set(also_right))
    if both:
        report(R.BAD_DISTRACTOR, path, line_of("distractors"), f"{what}: {both[0]} is both a "
               "distractor and also right; remove it from one of them")


# --- once every file is read -----------------------------------------------------------------------------------

def check_references(report: Report, eras: Collection[str], docs: Collection[str], events: Collection[str],
                     era_refs: Sequence[tuple[str, str, Location]], doc_refs: Sequence[tuple[Source, Location, str]],
                     event_refs: Sequence[tuple[str, str, Location]]) -> None:
    """Q205-Q207, Q223: every era, source document, source era and linked event named is defined."""
    import difflib

    for era_id, what, loc in era_refs:
        if era_id not in eras:
            choices = ", ".join(eras) or "(no eras are defined)"
            close = difflib.get_close_matches(era_id, list(eras), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of: {choices}"
            report(R.UNKNOWN_ERA, loc.path, loc.line, f"{what} names era '{era_id}', which is not defined ({hint})")
    for source, loc, what in doc_refs:
        if source.doc not in docs:
            report(R.UNKNOWN_DOC, loc.path, loc.line,
                   f"{what}: source document '{source.doc}' is not declared under "
                   f"'sources' (known: {', '.join(sorted(docs)) or 'none'})")
        if not R.source_era_known(source.era, eras):
            report(R.UNKNOWN_SOURCE_ERA, loc.path, loc.line,
                   f"{what}: source era '{source.era}' is not an era id (or 'intro')")
    for event_id, what, loc in event_refs:
        if event_id not in events:
            close = difflib.get_close_matches(event_id, sorted(events), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "name an event id defined under 'events'"
            report(R.UNKNOWN_EVENT, loc.path, loc.line,
                   f"{what} names event '{event_id}', which is not defined ({hint})")


def events_in_eras(report: Report, events: Sequence[Event], eras: Mapping[str, Era]) -> list[Event]:
    """Q203: the events dated inside their eras (those of an unknown era are left out, reported already)."""
    kept: list[Event] = []
    for event in events:
        era = eras.get(event.era)
        if era is None:
            continue
        if not era.start <= event.date.year <= era.end:
            assert event.loc is not None
            report(R.EVENT_OUTSIDE_ERA, event.loc.path, event.loc.line,
                   f"event '{event.id}' is dated {event.date.year}, outside "
                   f"era '{era.id}' ({era.start}–{era.end}); fix the date or the era")
            continue
        kept.append(event)
    return kept


def check_event_order(report: Report, events: Sequence[Event]) -> None:
    """Q204: the events of one era in one file are listed oldest first."""
    last: dict[tuple[str, str], Event] = {}
    for event in events:
        assert event.loc is not None
        key = (event.loc.path, event.era)
        previous = last.get(key)
        if previous is not None and event.date.sort_key() < previous.date.sort_key():
            report(R.EVENT_ORDER, event.loc.path, event.loc.line,
                   f"event '{event.id}' ({event.date.iso()}) comes after "
                   f"'{previous.id}' ({previous.date.iso()}) in the file; list events oldest first")
        last[key] = event


def bank_infos(report: Report, roots: Sequence[BankRoot], infos: Mapping[int, BankInfo]) -> tuple[BankInfo, ...]:
    """Q222: one `BankInfo` per root (a default one where no `bank:` mapping was given), ids unique."""
    found: list[BankInfo] = []
    seen: dict[str, BankInfo] = {}
    for index, root in enumerate(roots):
        info = infos.get(index) or BankInfo(root.default_id, builtin=root.builtin,
                                            loc=Location(root.shown, 0) if root.shown else None)
        first = seen.get(info.id)
        if first is not None:
            where = info.loc or Location(root.shown or "bank", 0)
            first_where = first.loc.path if first.loc else "another bank"
            report(R.DUPLICATE_BANK_ID, where.path, where.line,
                   f"two banks have the id '{info.id}' ({first_where} and {where.path}); give one of them "
                   "its own id in its bank.yaml, like bank: {id: my-other-bank}")
            continue
        seen[info.id] = info
        found.append(info)
    return tuple(found)
