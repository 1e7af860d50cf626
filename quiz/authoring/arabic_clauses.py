"""Part of `quiz derive`: an Arabic clause becomes a noun-phrase title and a year question (see `phrasing`).

A verb-first clause is already the body of the year question: «وقّعت ست دول معاهدة باريس» → «في أي عام وقّعت ست
دول معاهدة باريس؟»; its title takes the verb's verbal noun (masdar) from the verb table (`arabic_verbs.tsv`):
«توقيع ست دول معاهدة باريس». The table holds each verb once, in its dictionary form (he, past); its other past
forms are made here (she, they, the two of them: وقّعت، وقّعوا، وقّعا، وقّعتا، وقّعن), so any of them is found.

- **Agreement.** A subject-first clause is turned verb-first, and a verb before its subject is singular, agreeing
  in gender only: «الطلاب خرجوا» → «خرج الطلاب»، «الدولتان وقّعتا» → «وقّعت الدولتان»، «الطالبات خرجن» → «خرجت الطالبات».
- **The agent after a verbal noun is genitive:** a dual or a sound masculine plural changes its ending — «التقى
  الزعيمان» → «التقاء الزعيمين»، «تظاهر المحتجون» → «تظاهر المحتجين».
- **Verbs of happening** (وقع، حدث، جرى، دار، تمّ) have their subject as the title: «وقعت معركة حطين» → «معركة حطين»،
  «تمّ توقيع الاتفاقية» → «توقيع الاتفاقية». وقع without a shadda is *signed* only before a document (معاهدة، اتفاقية…).
- A verb not in the table keeps the clause as the title, flagged for the teacher to rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_SHADDA = "\u0651"


@lru_cache(maxsize=1)
def _verbs() -> dict[str, str]:
    """The verb table, `arabic_verbs.tsv` beside this module: each verb's dictionary form (he, past), folded
    (`_fold`), and its verbal noun."""
    table: dict[str, str] = {}
    path = Path(__file__).with_name("arabic_verbs.tsv")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) != 2 or fields[0] in table:
                raise ValueError(f"{path}:{number}: expected a new verb and its verbal noun, separated by a tab")
            table[fields[0]] = fields[1]
    return table


_HAPPENING = {"حدث", "جرى", "دار", "تم", "وقع", "حصل"}  # the subject is the event: «وقعت معركة حطين»
_DEFECTIVE_W = {"غزا", "جلا", "دعا"}  # he غزا, she غزت, they غزوا
_DOCUMENTS = re.compile(r"(?:^|\s)(?:[وب]?ال)?(?:معاهد|اتفاق|ميثاق|دستور|بروتوكول|مذكر|وثيق|مرسوم|قرار|عقد|إعلان|"
                        r"اعلان)")
_PARTICLES = {"اذ", "ان", "على", "علي", "في", "من", "مع", "بين", "الى", "عن", "حول", "بعد", "قبل", "خلال", "ما", "لا",
              "لم", "قد", "حين", "عندما", "ثم", "بل"}
_STOP_SUBJECT = {"في", "من", "على", "إلى", "الى", "عن", "مع", "بعد", "قبل", "حين", "عندما", "لم", "لن", "قد"}
# duals and sound masculine plurals read as such (a final ان is a dual only for these and for -تان)
_DUALS = {"الزعيمان", "الطرفان", "الجانبان", "الرئيسان", "البلدان", "الحزبان", "الجيشان", "الوفدان", "الفريقان",
          "القطبان", "العملاقان", "الخصمان", "الشعبان", "الرجلان", "المعسكران", "النظامان", "الملكان", "الأخوان",
          "الاخوان", "الشقيقان", "العالمان", "الوزيران", "القائدان", "الجاران", "الحليفان", "المرشحان"}


def _fold(word: str) -> str:
    word = _DIACRITICS.sub("", word)
    return re.sub("[أإآٱ]", "ا", word)


@dataclass(frozen=True, slots=True)
class VerbForm:
    """A past verb form found in the table: its dictionary form, verbal noun, and who it agrees with."""

    base: str
    masdar: str
    person: str  # m, f (he, she), mp, fp (they), md, fd (the two)
    conjunction: str  # a leading و or ف, written joined to the verb


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, str]]:
    """Every past form of the table's verbs (folded) → (dictionary form, person)."""
    out: dict[str, tuple[str, str]] = {}
    for base in _verbs():
        if base in _DEFECTIVE_W:
            stem = base[:-1]
            forms = {"m": base, "f": stem + "ت", "mp": stem + "وا", "fd": stem + "تا", "fp": stem + "ون"}
        elif base.endswith("ى"):
            stem = base[:-1]
            forms = {"m": base, "f": stem + "ت", "mp": stem + "وا", "md": stem + "يا", "fd": stem + "تا",
                     "fp": stem + "ين"}
            out.setdefault(stem + "يت", (base, "f"))  # the passive: بُنيت، أُلغيت، أُجريت
        else:
            forms = {"m": base, "f": base + "ت", "mp": base + "وا", "md": base + "ا", "fd": base + "تا",
                     "fp": base + "ن"}
        for person, form in forms.items():
            out.setdefault(form, (base, person))
    return out


def verb_form(word: str) -> VerbForm | None:
    """The table's verb `word` is a past form of (وقّعت، وُقّعت، وقّعوا، فوقّع، وانضمت), or None."""
    folded = _fold(word)
    candidates = [(folded, "")]
    if folded[:1] in ("و", "ف") and len(folded) >= 3:
        candidates.append((folded[1:], word[0]))
    for candidate, conjunction in candidates:
        found = _forms().get(candidate)
        if found is not None:
            return VerbForm(found[0], _verbs()[found[0]], found[1], conjunction)
    return None


def _drop_letters(word: str, count: int) -> str:
    """`word` without its last `count` letters and the marks written on them (a shadda left on the new last
    letter stays; its vowel goes)."""
    end = len(word)
    for _ in range(count):
        while end and _DIACRITICS.fullmatch(word[end - 1]):
            end -= 1
        end = max(end - 1, 0)
    kept = word[:end]
    while kept and _DIACRITICS.fullmatch(kept[-1]) and kept[-1] != _SHADDA:
        kept = kept[:-1]
    return kept


def singular(word: str, form: VerbForm) -> str:
    """The verb as it stands before its subject: singular, in the subject's gender (وقّعوا → وقّع، خرجن → خرجت,
    التقوا → التقى), without a leading conjunction."""
    bare = word[len(form.conjunction):]
    if form.person in ("m", "f"):
        return bare
    feminine = form.person in ("fp", "fd")
    if form.base in _DEFECTIVE_W or form.base.endswith("ى"):
        stem = _drop_letters(bare, 2)
        return stem + ("ت" if feminine else ("ا" if form.base in _DEFECTIVE_W else "ى"))
    stem = _drop_letters(bare, 2 if form.person == "mp" else 1)
    return stem + ("ت" if form.person == "fp" else "")


def _dual_or_plural(word: str) -> bool:
    folded = _fold(word)
    if not folded.startswith("ال") or len(folded) <= 5:
        return False
    return (word in _DUALS or folded.endswith("تان") or folded.endswith("يون")
            or (folded.startswith("الم") and folded.endswith("ون")))


def genitive(words: list[str]) -> list[str]:
    """The agent after a verbal noun in the genitive: a dual or a sound masculine plural, and the adjectives
    agreeing with it, change their ending (الزعيمان → الزعيمين، المحتجون → المحتجين، الملكان الكاثوليكيان →
    الملكين الكاثوليكيين), and أبو becomes أبي (أبو عبد الله → أبي عبد الله)."""
    out = list(words)
    if not words:
        return out
    if _fold(words[0]) in ("ابو", "اخو", "ذو"):
        out[0] = _drop_letters(words[0], 1) + "ي"
        return out
    if not _dual_or_plural(words[0]):
        return out
    ending = _fold(words[0])[-2:]  # ان or ون: the adjectives that agree end the same way
    for i, word in enumerate(words):
        if i and not (word.startswith("ال") and _fold(word).endswith(ending)):
            break
        out[i] = _drop_letters(word, 2) + "ين"
    return out


def _and_verbs(words: list[str]) -> list[str]:
    """In a title, a second verb joined by و takes its verbal noun too, its subject the genitive: «انهيار الخلافة
    وانقسمت الأندلس» → «انهيار الخلافة وانقسام الأندلس»."""
    out = list(words)
    for i, word in enumerate(words):
        form = verb_form(word) if word.startswith(("و", "ف")) else None
        if form is not None and form.conjunction and not _happening(form, words[i:]):
            out[i] = form.conjunction + _spelled(form.masdar, word)
            out[i + 1:] = genitive(out[i + 1:])
    return out


@dataclass(frozen=True, slots=True)
class ArabicPhrase:
    title: str
    year_question: str | None
    checked: bool


def _happening(form: VerbForm, words: list[str]) -> bool:
    """Whether the verb says that its subject happened (وقعت معركة), rather than what someone did (وقّعت الدول…)."""
    if form.base not in _HAPPENING:
        return False
    if form.base == "وقع":
        written = words[0]
        return _SHADDA not in written and not _DOCUMENTS.search(" ".join(words[1:]))
    if form.base == "حصل":
        return len(words) > 1 and _fold(words[1]) not in ("علي",)
    return True


_LEADING = {"اذ", "حيث", "كما", "ثم", "وقد", "قد", "لقد", "فقد", "بينما", "وبينما"}


def arabic(clause: str, *, ranged: bool) -> ArabicPhrase:
    words = clause.split()
    while len(words) > 1 and _fold(words[0]) in _LEADING:
        words = words[1:]  # «إذ جرى بحث…» → «جرى بحث…»
    clause = " ".join(words)
    again = " لأول مرة" if ranged else ""
    if not words:
        return ArabicPhrase(clause, None, True)
    form = verb_form(words[0])
    if form is not None:
        rest = words[1:]
        body = " ".join([singular(words[0], form), *rest])
        question = f"في أي عام {body}{again}؟"
        if _happening(form, words):
            event = bool(rest) and _fold(rest[0]) not in _PARTICLES  # «جرى إذ…»: no subject to be the title
            return ArabicPhrase(" ".join(rest) if event else clause, question, event)
        return ArabicPhrase(" ".join([_spelled(form.masdar, words[0]), *_and_verbs(genitive(rest))]), question,
                            True)
    # subject first: «الجزائر نالت استقلالها» → «نالت الجزائر استقلالها»
    for i in range(1, min(len(words), 5)):
        form = verb_form(words[i])
        if form is None or form.conjunction or _fold(words[0]) in _STOP_SUBJECT | _PARTICLES:
            continue
        if _fold(words[i]) == _fold(form.masdar):
            continue  # spelt like its noun («شكّل ضم روسيا القرم…»): after another word, the noun
        subject, rest = words[:i], words[i + 1:]
        verb = singular(words[i], form)
        question = f"في أي عام {' '.join([verb, *subject, *rest])}{again}؟"
        if _happening(form, [words[i], *rest]):
            return ArabicPhrase(" ".join([*subject, *rest]), question, True)
        return ArabicPhrase(" ".join([_spelled(form.masdar, words[i]), *genitive(subject), *_and_verbs(rest)]),
                            question, True)
    if words[0].startswith("ال") or _fold(words[0]) in _masdars():
        return ArabicPhrase(clause, None, True)  # a noun phrase already: «استقلال المغرب»
    # most likely a verb the table does not know: the year question reads well, the title must be rewritten
    return ArabicPhrase(clause, f"في أي عام {clause}{again}؟", False)


def _spelled(masdar: str, verb: str) -> str:
    """The verbal noun written as the verb is: with its shadda only when the verb is written with marks."""
    return masdar if _DIACRITICS.search(verb) else _DIACRITICS.sub("", masdar)


@lru_cache(maxsize=1)
def _masdars() -> frozenset[str]:
    return frozenset(_fold(m) for m in _verbs().values())


def verb_at(words: list[str]) -> int | None:
    """The index of a verb the table knows among the first words of an Arabic clause."""
    return next((i for i, word in enumerate(words[:5]) if verb_form(word) is not None), None)
