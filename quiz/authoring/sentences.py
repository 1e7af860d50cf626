"""Part of `quiz derive`: a timeline's paragraphs cut into sentences, and each sentence into the clauses its dates
date (the date phrase out whole, lists kept whole, every date of a sentence used)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quiz.authoring.dates import DatePhrase, date_phrases

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_SENTENCE_END = re.compile(r"[.!?؟](?:[\"'”’»)\]]*)(?=\s+|$)")
_ABBREVIATIONS = {"st", "mr", "mrs", "ms", "dr", "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "gen", "col", "lt",
                  "gov", "sen", "rep", "pres", "prof", "approx"}
_LEAD_EN = re.compile(
    r"^(?:(?:in|on|by|during|from|since|until|around|about|early|late|mid|year|of|then|later|and|but|when|"
    r"as|also|however|after|before)\b[\s,]*)+", re.IGNORECASE)
_LEAD_AR = re.compile(r"^(?:(?:في|وفي|ففي|منذ|خلال|بتاريخ|عام|سنة|العام|ثم|و|وقد|قد|كما|بعد|قبل|حين|عندما|مطلع|"
                      r"أواخر|اواخر|أوائل|اوائل|منتصف|من)(?:\s+|$)[\s،,]*)+")



def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start:match.start()]
        word = re.split(r"\s", before)[-1].casefold() if before else ""
        if match.group(0).startswith(".") and (re.fullmatch(r"(?:[a-z]\.)*[a-z]", word) or word in _ABBREVIATIONS):
            continue
        sentences.append(paragraph[start:match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if s]


def _english_verb_in(words: Sequence[str]) -> bool:
    from quiz.authoring.phrasing import is_english_verb

    return any(is_english_verb(w.strip(",;:").casefold() if i else w.strip(",;:")) for i, w in enumerate(words)
               if i and w[:1].islower())


def _has_verb(part: str) -> bool:
    words = part.split()
    if _ARABIC.search(part):
        from quiz.authoring.phrasing import arabic_verb_at

        return arabic_verb_at(words) is not None
    return _english_verb_in(words)


def _listy(part: str) -> bool:
    words = part.split()
    return 0 < len(words) <= 5 and not _has_verb(part)


def choose_clause(text: str) -> str:
    """The main clause of what is left of a sentence once its date is out: the part (between commas, semicolons
    and dashes) with the verb, with a list it belongs to kept whole ("Belgium, France, …, Italy and the
    Netherlands signed …"; "… founded by Egypt, Iraq, …, Syria and Yemen"), parentheses and trailing
    participle clauses out."""
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = re.sub(r"\s+([,،])", r"\1", " ".join(text.split()))
    lead = _LEAD_AR if _ARABIC.search(text) else _LEAD_EN
    text = lead.sub("", text.lstrip(" ,،:;-–—")).lstrip(" ,،:;-–—")
    parts = [p.strip() for p in re.split(r"[,،;؛:]|\s[-–—]\s", text)]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    main = next((i for i, p in enumerate(parts) if _has_verb(p)), 0)
    if not _ARABIC.search(text) and not _has_verb(parts[0]):
        for i in range(1, len(parts)):
            if _starts_with_past(parts[i]):
                # "Deep Blue, a chess computer built by IBM, beat Garry Kasparov": the subject, then its predicate
                return _tidy(f"{parts[0]} {parts[i]}", lead)
            if _has_verb(parts[i]) and not _apposition(parts[i]):
                break
    first, last = main, main + 1
    joins = re.compile(r"(?:^|\s)(?:and|or)\s")
    if main > 0 and joins.search(" ".join(parts[main].split()[:5])) \
            and all(_listy(p) and not _LEAD_EN.match(p) and not _LEAD_AR.match(p) for p in parts[:main]):
        first = 0  # "Belgium, France, …, Luxembourg and the Netherlands signed …"
    run = last
    while run < len(parts) and _listy(parts[run]):
        run += 1
        if joins.search(" " + parts[run - 1]) if not _ARABIC.search(parts[run - 1]) else (
                re.match(r"(?:و|أو)\s?ال", parts[run - 1]) or re.fullmatch(r"(?:و|أو)\S+", parts[run - 1])):
            last = run  # "… by Egypt, Iraq, …, Syria and Yemen": the list ends with its "and"
    return _tidy(("، " if _ARABIC.search(text) else ", ").join(parts[first:last]), lead)


_LOWER_STARTS = re.compile(r"(?:The|A|An|Some|Many|Several|Both|All|Most|Two|Three|Four|Five|Six|Seven|Eight|Nine|"
                           r"Ten|Eleven|Twelve|Twenty|Hundreds|Thousands|Millions)\s")


def _tidy(clause: str, lead: re.Pattern[str]) -> str:
    clause = lead.sub("", clause).strip(" .!?؟،,;:\"'”“»«")
    if _LOWER_STARTS.match(clause):
        clause = clause[:1].lower() + clause[1:]  # reads well mid-sentence, like the bank's titles
    return clause


def _starts_with_past(part: str) -> bool:
    from quiz.authoring.phrasing import starts_with_past

    return starts_with_past(part.split())


def _apposition(part: str) -> bool:
    from quiz.authoring.phrasing import is_apposition

    return is_apposition(part.split())


def _boundary(sentence: str, lo: int, hi: int) -> int:
    between = sentence[lo:hi]
    found = re.search(r"[,;،؛]", between) or re.search(r"\s(?:and|then|while|but)\s|\s(?:ثم\s|و(?=\S))", between)
    return lo + found.start() if found else lo


@dataclass(frozen=True, slots=True)
class Unit:
    """One event of a sentence: its date phrase and the clause it dates."""

    phrase: DatePhrase
    clause: str


def sentence_units(sentence: str) -> list[Unit]:
    """Each date of a sentence with the part of the sentence it dates: the sentence is cut between two dates
    at the first comma or semicolon there, else at the first "and" / «و» ("In 1956 Morocco …, and in 1962
    Algeria …"; "Morocco … in 1956 and Algeria in 1962"). A part left without a verb ("and Algeria") borrows the
    first part's ("Algeria became independent")."""
    phrases = date_phrases(sentence)
    if not phrases:
        return []
    cuts = [_boundary(sentence, a.stop, b.start) for a, b in zip(phrases, phrases[1:], strict=False)]
    bounds = list(zip([0, *cuts], [*cuts, len(sentence)], strict=True))
    units: list[Unit] = []
    for phrase, (lo, hi) in zip(phrases, bounds, strict=True):
        text = sentence[lo: phrase.start] + " " + sentence[phrase.stop: hi]
        text = re.sub(r"^[\s,،;]*(?:(?:and|but|then|while|whereas)\s+|(?:ثم|بينما)\s+)?", "", text)
        if units and _ARABIC.search(text):
            text = re.sub(r"^و(?=ال)", "", text.strip())  # «والجزائر» → «الجزائر»
        text = re.sub(r"[\s,،;]*(?:\band\b|\bbut\b|(?:^|\s)و)?[\s,،;]*$", "", text)
        clause = choose_clause(text)
        if units and clause and not _has_verb(clause) and len(clause.split()) <= 4 and not _ARABIC.search(clause):
            from quiz.authoring.phrasing import predicate

            borrowed = predicate(units[0].clause)
            if borrowed:
                clause = f"{clause} {borrowed}"
        units.append(Unit(phrase, clause))
    return units


