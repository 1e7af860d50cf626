"""Part of `quiz derive`: a clause from a timeline becomes a noun-phrase title and a year question.

A generated question puts an event's title inside a sentence ("Which period saw …?", "Which came first: … or
…?"), so a title must be a noun phrase, and the year question reads best with the clause's own verb:

- English: the clause's finite verb is found (past, or the historic present), and with lemminflect (its lookup
  tables only: no model, no download) the year question takes the base form — "six countries signed the Treaty of
  Paris" → "In which year did six countries sign the Treaty of Paris?" — and the title its gerund — "six countries
  signing the Treaty of Paris". A passive gives "In which year was the WHO founded?" and "the founding of the WHO".
- Arabic: a verb-first clause is already the body of the year question — «وقّعت ست دول معاهدة باريس» → «في أي عام
  وقّعت ست دول معاهدة باريس؟» (a subject-first clause is turned verb-first); the title takes the verb's verbal noun
  from a small table of the verbs timelines use (وقّع → توقيع: «توقيع ست دول معاهدة باريس»). A verb not in the table
  keeps the clause as the title, and the title is flagged for the teacher to rewrite.
- A clause with no verb is taken as a noun phrase already; the generator's own wording asks its year.
- A range event ("between 1969 and 1972") asks when it first happened: "did … first …", «… لأول مرة».

lemminflect is imported here only, inside the functions, so only `quiz derive` pays for loading it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_ARABIC = re.compile(r"[\u0600-\u06FF]")


@dataclass(frozen=True, slots=True)
class Phrase:
    title: str
    year_question: str | None  # None: the title is a noun phrase and the generator's wording asks its year
    checked: bool  # False: the title could not be made a noun phrase; the teacher must rewrite it


# --- English ---------------------------------------------------------------------------------------------------

_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "that", "our", "my",
                "newly", "so-called", "first", "last", "many", "some", "several", "most"}
_BE = {"was": "was", "were": "were", "is": "was", "are": "were"}
_HAVE = {"had", "has", "have"}
_MODALS = {"would", "could", "should", "might", "will", "can", "may", "must", "shall"}
_CONTRACTIONS = {"didn't": "did not", "wasn't": "was not", "weren't": "were not", "hadn't": "had not",
                 "hasn't": "has not", "haven't": "have not", "couldn't": "could not", "wouldn't": "would not",
                 "won't": "will not", "can't": "can not", "cannot": "can not", "isn't": "is not", "aren't": "are not"}
_NOT_VERBS = {"united", "us", "news", "series", "means", "species", "physics", "politics", "economics", "states",
              "nations", "arabs", "emirates", "islands", "netherlands", "philippines", "bahamas", "maldives",
              "comoros", "seychelles", "always", "perhaps", "thus", "towards", "besides", "as", "has", "was",
              "red", "bed", "need", "speed", "seed", "hundred", "kindred", "shed", "not", "never", "being", "been"}
_PREPOSITIONS = {"by", "in", "at", "on", "for", "with", "as", "under", "after", "before", "from", "to", "into",
                 "near", "during", "between", "across", "against", "without", "within", "through"}
_PARTICLES = {"up", "down", "out", "off", "over", "away", "back"}
# past forms equal to the base form: a past only after a subject, and only when the clause has no other verb
_SAME_PAST = {"set", "put", "cut", "hit", "let", "spread", "cast", "shut", "split", "burst", "broadcast", "quit",
              "upset", "beat", "forecast", "thrust"}
_AND = {"and", "or", "then"}
# "the {noun} of …" for a passive, where the gerund reads badly ("the assassinating of Gandhi")
_NOUNS = {
    "assassinate": "assassination", "establish": "establishment", "create": "creation", "abolish": "abolition",
    "elect": "election", "invade": "invasion", "occupy": "occupation", "annex": "annexation", "discover":
    "discovery", "invent": "invention", "publish": "publication", "declare": "declaration", "destroy":
    "destruction", "liberate": "liberation", "unify": "unification", "reunify": "reunification", "ratify":
    "ratification", "adopt": "adoption", "approve": "approval", "crown": "coronation", "execute": "execution",
    "introduce": "introduction", "release": "release", "dissolve": "dissolution", "launch": "launch",
    "form": "formation", "inaugurate": "inauguration", "complete": "completion", "admit": "admission",
    "expel": "expulsion", "divide": "division", "sell": "sale", "buy": "purchase", "arrest": "arrest",
    "defeat": "defeat", "capture": "capture", "close": "closure", "deport": "deportation", "colonise":
    "colonisation", "colonize": "colonization", "partition": "partition", "depose": "deposition", "exile": "exile",
    "evacuate": "evacuation", "legalise": "legalisation", "legalize": "legalization", "sign": "signing",
    "negotiate": "negotiation", "tabulate": "tabulation", "nationalise": "nationalisation",
    "nationalize": "nationalization",
}


@lru_cache(maxsize=4096)
def _forms_of(word: str) -> tuple[str, frozenset[str]] | None:
    """(lemma, tags) when `word` is a past (VBD), past participle (VBN) or 3rd-person present (VBZ) verb form."""
    from lemminflect import getInflection, getLemma

    if not word.isalpha() or not word.islower() or word in _NOT_VERBS or len(word) < 3:
        return None
    for lemma in getLemma(word, "VERB", lemmatize_oov=False):
        if lemma == word and word not in _SAME_PAST:
            continue
        tags = frozenset(tag for tag in ("VBD", "VBN", "VBZ") if word in getInflection(lemma, tag, inflect_oov=False))
        if tags:
            return lemma, tags
    return None


def _verb(word: str) -> tuple[str, str] | None:
    """(lemma, tag) of a past, participle or present verb form, the past first; None for a base-form past."""
    found = _forms_of(word)
    if found is None or word in _SAME_PAST:
        return None
    lemma, tags = found
    return lemma, next(tag for tag in ("VBD", "VBN", "VBZ") if tag in tags)


@lru_cache(maxsize=4096)
def _base_verb(word: str) -> bool:
    """Whether `word` is a verb's base form (the plural historic present: "six countries sign")."""
    from lemminflect import getInflection, getLemma

    return (word.isalpha() and word.islower() and len(word) > 2 and word not in _NOT_VERBS
            and word in getLemma(word, "VERB", lemmatize_oov=False)
            and bool(getInflection(word, "VBD", inflect_oov=False)))


def _gerund(lemma: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(lemma, "VBG", inflect_oov=True)
    return forms[0] if forms else lemma + "ing"


def _adjective_at(words: list[str], i: int) -> bool:
    """An adjective, not a verb: "the elected Parliament", "the first directly elected Parliament"."""
    return words[i - 1].casefold() in _DETERMINERS or (
        i >= 2 and words[i - 1].endswith("ly") and words[i - 2].casefold() in _DETERMINERS)


def _finite(words: list[str]) -> tuple[int, str, str] | None:
    """The index, lemma and tag of the clause's finite verb: an auxiliary (tag be, have, did or modal; the
    lemma is the auxiliary itself), else the first past form after a subject (not an adjective after a
    determiner, nor a proper name, nor a participle qualifying the subject: "the satellite launched by the USSR
    orbited …"), else the first present form, else a base-form past or a plural present."""
    candidates: list[tuple[int, str, str]] = []
    for i in range(1, len(words)):
        lower = words[i].strip(",;:")
        if (lower in _BE or lower in _HAVE or lower == "did" or lower in _MODALS) and not (
                lower in _MODALS and words[i - 1].casefold() in _DETERMINERS):  # "the will of the people"
            tag = "be" if lower in _BE else "have" if lower in _HAVE else "did" if lower == "did" else "modal"
            candidates.append((i, lower, tag))
            break
        if _adjective_at(words, i):
            continue
        found = _verb(lower)
        if found is not None and not (found[1] == "VBZ" and _plural_noun_here(words, i)):
            candidates.append((i, found[0], "VBD" if found[1] in ("VBD", "VBN") else "VBZ"))
    past = [c for c in candidates if c[2] != "VBZ"]
    for n, (i, lemma, tag) in enumerate(past):
        participle = tag == "VBD" and "VBN" in (_forms_of(words[i].strip(",;:")) or ("", frozenset()))[1]
        after = words[i + 1].casefold() if i + 1 < len(words) else ""
        later = [c for c in past[n + 1:] if c[0] > i + 1 and words[c[0] - 1].casefold().strip(",") not in _AND
                 and not words[c[0] - 1].endswith(",")]
        if participle and (after in _PREPOSITIONS or after in _PARTICLES) and later:
            continue  # a participle qualifying the subject; the finite verb comes later
        return i, lemma, tag
    if candidates:
        return candidates[0]
    for i in range(1, len(words)):
        lower = words[i].strip(",;:")
        if _adjective_at(words, i) or words[i - 1].casefold() in _PREPOSITIONS or not words[i].islower():
            continue
        before = words[:i]
        plural = "and" in before or (before[-1].endswith("s") and not before[-1].endswith(("ss", "'s", "us")))
        if lower in _SAME_PAST and _forms_of(lower) is not None:
            return i, lower, "VBD"
        after = words[i + 1] if i + 1 < len(words) else ""
        if plural and _base_verb(lower) and after and (not after.islower() or after.casefold() in _DETERMINERS
                                                       or after.casefold() in _PREPOSITIONS | _PARTICLES):
            return i, lower, "VBP"  # "six countries sign the Treaty of Rome", "the Allies land in Normandy"
    return None


# plural nouns of events that are also present verbs: "the peace talks", "the student protests"
_EVENT_PLURALS = {"talks", "protests", "riots", "strikes", "sanctions", "arms", "marches", "reforms", "purges",
                  "trials", "attacks", "raids", "tests", "visits", "launches", "demands", "rallies", "clashes",
                  "cuts", "votes", "deals", "records", "plans", "games", "landings", "walks", "flights", "races",
                  "reports", "trades", "exports", "imports", "reigns", "rules", "shows", "fights", "wars"}


def _plural_noun_here(words: list[str], i: int) -> bool:
    """Whether a present form that is also a plural noun reads as the noun: last in the clause or before a
    preposition or another noun ("the peace talks", "the arms race", "Solidarity strikes in Gdansk"), not before
    an object ("Gagarin orbits the Earth")."""
    if words[i].strip(",;:").casefold() not in _EVENT_PLURALS:
        return False
    after = words[i + 1].casefold() if i + 1 < len(words) else ""
    if after == "to":
        return False  # "Britain votes to leave the EU"
    return not after or after in _PREPOSITIONS or (
        words[i + 1].islower() and after not in _DETERMINERS and after not in _PARTICLES)


def _coordinated(words: list[str], form: str) -> list[str]:
    """A second verb joined by "and" takes the first one's form: "invaded and annexed Kuwait" → "invade and
    annex Kuwait" (`form` base) or "invading and annexing Kuwait" (gerund)."""
    out = list(words)
    for i in range(1, len(words)):
        if words[i - 1].casefold() in _AND:
            found = _verb(words[i])
            if found is not None and found[1] == "VBD":
                out[i] = found[0] if form == "base" else _gerund(found[0])
    return out


def _expand(words: list[str]) -> list[str]:
    return " ".join(_CONTRACTIONS.get(w.casefold(), w) for w in words).split()


def _english(clause: str, *, ranged: bool) -> Phrase:
    words = _expand(clause.split())
    found = _finite(words)
    if found is None:
        return Phrase(clause, None, True)
    i, lemma, tag = found
    subject, rest = " ".join(words[:i]), words[i + 1:]
    first = "first " if ranged and "first" not in words else ""
    neg = ""
    if tag in ("be", "have", "did", "modal") and rest and rest[0].casefold() in ("not", "never"):
        neg, rest = rest[0].casefold() + " ", rest[1:]
    if tag == "have" and rest and rest[0] == "been":
        # "had been" asks with had; "has been" / "have been" as the simple past
        tag, lemma, rest = "be", lemma if lemma == "had" else ("was" if lemma == "has" else "were"), rest[1:]
        if lemma == "had":
            rest = ["been", *rest]
    if tag == "be":
        return _with_be(subject, lemma, neg, first, rest)
    if tag in ("have", "did", "modal"):
        part = _verb(rest[0]) if rest else None
        if tag == "have" and part is not None and part[1] in ("VBD", "VBN"):
            lemma, rest = part[0], rest[1:]  # the perfect asks like the simple past: "had signed" → "did … sign"
        elif tag in ("did", "modal") and rest:
            lemma, rest = rest[0], rest[1:]  # "did not ratify", "would join"
        elif tag == "have":
            lemma = "have"  # "had a meeting"
        else:
            return Phrase(clause, None, True)
    aux = words[i].casefold() if tag == "modal" else "did"
    question = f"In which year {aux} {subject} {neg}{first}{lemma} {' '.join(_coordinated(rest, 'base'))}"
    title = f"{subject} {neg}{_gerund(lemma)} {' '.join(_coordinated(rest, 'gerund'))}"
    return Phrase(title.strip(), question.strip() + "?", True)


def _with_be(subject: str, aux: str, neg: str, first: str, rest: list[str]) -> Phrase:
    """A clause with was / were / had been: a passive, a copula, or "there was"."""
    asked = aux if aux == "had" else _BE[aux]
    if subject.casefold() == "there":  # "there was a coup in Chile": the coup is the event
        body = " ".join(rest)
        return Phrase(_lower_article(body), f"In which year {asked} there {neg}{first}{body}".strip() + "?",
                      bool(rest) and not neg)
    question = f"In which year {asked} {subject} {neg}{first}{' '.join(rest)}".strip() + "?"
    been = rest[:1] == ["been"]
    core = rest[1 if been else 0:]
    if core[:1] == ["being"]:
        core = core[1:]  # "was being negotiated": the passive of an event under way
    forms = _forms_of(core[0]) if core else None  # "set up" too
    part = (forms[0], "VBN") if forms is not None and "VBN" in forms[1] else None
    after = [w.casefold() for w in core[1:3]]
    # "switched on" / "set up": a particle, when nothing or a preposition follows it
    particle = core[1] if after and (after[0] in _PARTICLES or after[0] in ("on", "in") and (
        len(after) == 1 or after[1] in _PREPOSITIONS)) else ""
    if not neg and part is not None and (len(core) == 1 or particle or after[0] in _PREPOSITIONS):
        # a passive: "the WHO was founded in Geneva" → "the founding of the WHO in Geneva"
        tail = " ".join(core[2 if particle else 1:])
        noun = _NOUNS.get(part[0]) if not particle else None
        head = f"the {noun}" if noun else f"the {_gerund(part[0])}{' ' + particle if particle else ''}"
        return Phrase(f"{head} of {_lower_article(subject)} {tail}".strip(), question, True)
    title = f"{subject} {neg}{'having been' if been else 'being'} {' '.join(core)}"
    return Phrase(title.strip(), question, True)


def _lower_article(text: str) -> str:
    return text[:1].lower() + text[1:] if re.match(r"(?:The|A|An)\s", text) else text


def starts_with_past(words: list[str]) -> bool:
    """Whether a part of a sentence starts with a past verb: the predicate of a subject an apposition cut off
    ("Deep Blue, a chess computer built by IBM, beat Garry Kasparov")."""
    word = words[0] if words else ""
    found = _forms_of(word)
    return found is not None and ("VBD" in found[1] or word in _SAME_PAST) and not _adjective_at(["", *words], 1)


def is_apposition(words: list[str]) -> bool:
    """Whether a part of a sentence is a noun phrase with a participle ("a chess computer built by IBM"),
    not a clause."""
    if not words or words[0].casefold() not in ("a", "an", "the"):
        return False
    verbs = [i for i in range(1, len(words)) if not _adjective_at(words, i) and _forms_of(words[i]) is not None]
    return all("VBN" in (_forms_of(words[i]) or ("", frozenset()))[1] and i + 1 < len(words)
               and words[i + 1].casefold() in _PREPOSITIONS for i in verbs)


def is_english_verb(word: str) -> bool:
    """Whether `word` is a finite or participle verb form (for telling a clause from a bare subject)."""
    return word in _BE or _verb(word) is not None


# ---------------------------------------------------------------------------------------------------------------


def phrase(clause: str, *, ranged: bool = False) -> Phrase:
    """The title and year question drafted from a clause (its date already taken out)."""
    clause = " ".join(clause.split()).strip(" .,;:،؛")
    if _ARABIC.search(clause):
        from quiz.authoring.arabic_clauses import arabic

        drafted = arabic(clause, ranged=ranged)
        return Phrase(drafted.title, drafted.year_question, drafted.checked)
    return _english(clause, ranged=ranged)


def arabic_verb_at(words: list[str]) -> int | None:
    """The index of a verb the table knows among the first words of an Arabic clause."""
    from quiz.authoring.arabic_clauses import verb_at

    return verb_at(words)


def predicate(clause: str) -> str | None:
    """An English clause from its finite verb on ("Morocco and Tunisia became independent" → "became
    independent"), for a part of a sentence that leaves its verb out ("…, and Algeria in 1962")."""
    words = clause.split()
    found = _finite(words)
    return " ".join(words[found[0]:]) if found else None
