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
_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")


@dataclass(frozen=True, slots=True)
class Phrase:
    title: str
    year_question: str | None  # None: the title is a noun phrase and the generator's wording asks its year
    checked: bool  # False: the title could not be made a noun phrase; the teacher must rewrite it


# --- English ---------------------------------------------------------------------------------------------------

_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "that", "our", "my",
                "newly", "so-called", "first", "last", "many", "some", "several", "most"}
_BE = {"was": "was", "were": "were", "is": "was", "are": "were"}
_NOT_VERBS = {"united", "us", "news", "series", "means", "species", "physics", "politics", "economics", "states",
              "nations", "arabs", "emirates", "islands", "netherlands", "philippines", "bahamas", "maldives",
              "comoros", "seychelles", "always", "perhaps", "thus", "towards", "besides", "as", "has", "was",
              "red", "bed", "need", "speed", "seed", "hundred", "kindred", "shed"}
_PREPOSITIONS = {"by", "in", "at", "on", "for", "with", "as", "under", "after", "before", "from", "to", "into",
                 "near", "during", "between", "across", "against", "without", "within", "through"}


@lru_cache(maxsize=4096)
def _verb(word: str) -> tuple[str, str] | None:
    """(lemma, tag) when `word` is a past (VBD), past participle (VBN) or 3rd-person present (VBZ) verb form."""
    from lemminflect import getInflection, getLemma

    if not word.isalpha() or not word.islower() or word in _NOT_VERBS or len(word) < 3:
        return None
    lemmas = getLemma(word, "VERB", lemmatize_oov=False)
    for lemma in lemmas:
        if lemma == word:
            continue
        for tag in ("VBD", "VBN", "VBZ"):
            if word in getInflection(lemma, tag, inflect_oov=False):
                return lemma, tag
    return None


def _gerund(lemma: str) -> str:
    from lemminflect import getInflection

    forms = getInflection(lemma, "VBG", inflect_oov=True)
    return forms[0] if forms else lemma + "ing"


def _finite(words: list[str]) -> tuple[int, str, str] | None:
    """The index, lemma and tag of the clause's finite verb: the first past form after a subject (not an
    adjective after a determiner, nor a proper name), else the first present form."""
    best: tuple[int, str, str] | None = None
    for i, word in enumerate(words):
        if i == 0:
            continue
        lower = word.strip(",;:")
        if lower in _BE or lower == "had":
            return i, "be" if lower in _BE else "have", lower
        if words[i - 1].casefold() in _DETERMINERS or (
                i >= 2 and words[i - 1].endswith("ly") and words[i - 2].casefold() in _DETERMINERS):
            continue  # an adjective: "the elected Parliament", "the first directly elected Parliament"
        found = _verb(lower)
        if found is None:
            continue
        lemma, tag = found
        if tag in ("VBD", "VBN"):
            return i, lemma, "VBD"
        if best is None and tag == "VBZ":
            best = i, lemma, "VBZ"
    return best


def _english(clause: str, *, ranged: bool) -> Phrase:
    words = clause.split()
    found = _finite(words)
    if found is None:
        return Phrase(clause, None, True)
    i, lemma, tag = found
    subject, rest = " ".join(words[:i]), words[i + 1:]
    first = "first " if ranged and "first" not in words else ""
    part = _verb(rest[0]) if rest else None
    if lemma == "have" and part is not None and part[1] in ("VBD", "VBN"):
        # the past perfect: "had signed" asks like the simple past
        question = f"In which year did {subject} {first}{part[0]} {' '.join(rest[1:])}".strip() + "?"
        title = f"{subject} {_gerund(part[0])} {' '.join(rest[1:])}".strip()
        return Phrase(title, question, True)
    if lemma == "be":
        aux = _BE[tag]
        question = f"In which year {aux} {subject} {first}{' '.join(rest)}".strip() + "?"
        if part is not None and part[1] in ("VBD", "VBN") and (
                len(rest) == 1 or rest[1].casefold() in _PREPOSITIONS):
            # a passive: "the WHO was founded in Geneva" → "the founding of the WHO in Geneva"
            tail = " ".join(rest[1:])
            title = f"the {_gerund(part[0])} of {_lower_article(subject)} {tail}".strip()
        else:
            title = f"{subject} being {' '.join(rest)}".strip()
        return Phrase(title, question, True)
    object_ = " ".join(rest)
    question = f"In which year did {subject} {first}{lemma} {object_}".strip() + "?"
    title = f"{subject} {_gerund(lemma)} {object_}".strip()
    return Phrase(title, question, True)


def _lower_article(text: str) -> str:
    return text[:1].lower() + text[1:] if re.match(r"(?:The|A|An)\s", text) else text


def is_english_verb(word: str) -> bool:
    """Whether `word` is a finite or participle verb form (for telling a clause from a bare subject)."""
    return word in _BE or _verb(word) is not None


# --- Arabic ----------------------------------------------------------------------------------------------------

# Verb stems (hamza, diacritics and the feminine/plural endings folded away) → the verbal noun (masdar).
_MASDAR = {
    "وقع": "توقيع", "اعلن": "إعلان", "نال": "نيل", "حصل": "حصول", "استقل": "استقلال", "اسس": "تأسيس",
    "تاسس": "تأسيس", "انضم": "انضمام", "اكتشف": "اكتشاف", "بدا": "بدء", "انته": "انتهاء", "انتهى": "انتهاء",
    "سقط": "سقوط", "اخترع": "اختراع", "نشر": "نشر", "اعترف": "اعتراف", "اطلق": "إطلاق", "انطلق": "انطلاق",
    "افتتح": "افتتاح", "فتح": "فتح", "انشا": "إنشاء", "انشي": "إنشاء", "اصدر": "إصدار", "صدر": "صدور",
    "انسحب": "انسحاب", "احتل": "احتلال", "اندلع": "اندلاع", "قام": "قيام", "عقد": "عقد", "انعقد": "انعقاد",
    "اعتمد": "اعتماد", "اقر": "إقرار", "الغ": "إلغاء", "الغى": "إلغاء", "طور": "تطوير", "نجح": "نجاح",
    "اجر": "إجراء", "اجرى": "إجراء", "اجري": "إجراء", "حقق": "تحقيق", "فاز": "فوز", "توفي": "وفاة",
    "ولد": "ولادة", "اغتيل": "اغتيال", "انتخب": "انتخاب", "تول": "تولي", "تولى": "تولي", "دخل": "دخول",
    "وصل": "وصول", "غزا": "غزو", "حرر": "تحرير", "تحرر": "تحرر", "وحد": "توحيد", "توحد": "توحد",
    "اتحد": "اتحاد", "اعاد": "إعادة", "عاد": "عودة", "انهار": "انهيار", "صوت": "تصويت", "وافق": "موافقة",
    "رفض": "رفض", "اقام": "إقامة", "شكل": "تشكيل", "تشكل": "تشكل", "استعاد": "استعادة", "قدم": "تقديم",
    "ادخل": "إدخال", "استخدم": "استخدام", "نقل": "نقل", "عالج": "علاج", "اعتلى": "اعتلاء", "خرج": "خروج",
    "انفصل": "انفصال", "جلا": "جلاء", "اجلى": "إجلاء", "انتصر": "انتصار", "هزم": "هزيمة", "ابرم": "إبرام",
    "ضم": "ضم", "انتشر": "انتشار", "ظهر": "ظهور", "تمكن": "تمكن", "استخلص": "استخلاص", "عزل": "عزل",
    "صنع": "صنع", "اسست": "تأسيس", "منح": "منح", "الق": "إلقاء", "القى": "إلقاء", "اجتاح": "اجتياح",
    "انشئ": "إنشاء", "وضع": "وضع", "حدد": "تحديد", "صمم": "تصميم", "بنى": "بناء", "بن": "بناء",
    "فرض": "فرض", "رفع": "رفع", "ابتكر": "ابتكار", "استحدث": "استحداث", "سن": "سن", "تبنى": "تبني",
    "تبن": "تبني", "اختار": "اختيار", "عين": "تعيين", "ترأس": "ترؤس", "تراس": "ترؤس", "زار": "زيارة",
    "هبط": "هبوط", "اطلقت": "إطلاق", "انجز": "إنجاز", "وسع": "توسيع", "توسع": "توسع", "ادى": "أداء",
}
_AR_STOP_SUBJECT = {"في", "من", "على", "إلى", "الى", "عن", "مع", "بعد", "قبل", "حين", "عندما"}


def _fold(word: str) -> str:
    word = _DIACRITICS.sub("", word)
    return re.sub("[أإآٱ]", "ا", word)


def _ar_stem(word: str) -> str | None:
    """The table key of an Arabic verb form (وقّعت, وُقّعت, وقعوا, فوقّع), or None when it is not in the table."""
    folded = _fold(word)
    candidates = [folded]
    if folded[:1] in ("و", "ف") and len(folded) > 3:
        candidates.append(folded[1:])
    for candidate in list(candidates):
        for ending in ("وا", "ت", "ا"):
            if candidate.endswith(ending) and len(candidate) - len(ending) >= 2:
                candidates.append(candidate[: -len(ending)])
    return next((c for c in candidates if c in _MASDAR), None)


def _arabic(clause: str, *, ranged: bool) -> Phrase:
    words = clause.split()
    again = " لأول مرة" if ranged else ""
    if not words:
        return Phrase(clause, None, True)
    stem = _ar_stem(words[0])
    if stem is not None:
        verb = words[0][1:] if _fold(words[0])[:1] in ("و", "ف") and _fold(words[0][1:]) != _fold(words[0]) \
            and _ar_stem(words[0][1:]) == stem else words[0]
        body = " ".join([verb, *words[1:]])
        return Phrase(" ".join([_MASDAR[stem], *words[1:]]), f"في أي عام {body}{again}؟", True)
    # subject first: «الجزائر نالت استقلالها» → «نالت الجزائر استقلالها»
    for i in range(1, min(len(words), 5)):
        stem = _ar_stem(words[i])
        if stem is not None and not _fold(words[i]).endswith("وا") and words[0] not in _AR_STOP_SUBJECT:
            subject, rest = words[:i], words[i + 1:]
            body = " ".join([words[i], *subject, *rest])
            return Phrase(" ".join([_MASDAR[stem], *subject, *rest]), f"في أي عام {body}{again}؟", True)
    if words[0].startswith("ال") or _fold(words[0]) in {_fold(m) for m in _MASDAR.values()}:
        return Phrase(clause, None, True)  # a noun phrase already: «استقلال المغرب»
    # most likely a verb the table does not know: the year question reads well, the title must be rewritten
    return Phrase(clause, f"في أي عام {clause}{again}؟", False)


# ---------------------------------------------------------------------------------------------------------------


def phrase(clause: str, *, ranged: bool = False) -> Phrase:
    """The title and year question drafted from a clause (its date already taken out)."""
    clause = " ".join(clause.split()).strip(" .,;:،؛")
    if _ARABIC.search(clause):
        return _arabic(clause, ranged=ranged)
    return _english(clause, ranged=ranged)


def arabic_verb_at(words: list[str]) -> int | None:
    """The index of a verb the table knows among the first words of an Arabic clause."""
    return next((i for i, word in enumerate(words[:5]) if _ar_stem(word) is not None), None)


def predicate(clause: str) -> str | None:
    """An English clause from its finite verb on ("Morocco and Tunisia became independent" → "became
    independent"), for a part of a sentence that leaves its verb out ("…, and Algeria in 1962")."""
    words = clause.split()
    found = _finite(words)
    return " ".join(words[found[0]:]) if found else None
