"""The daily loop in a real terminal (issue 14), in English and Arabic: choices answered by their text, near
misses and answers in the other language asked again, "I don't know", the keys at every prompt, counts that go
down, the rating prompt's intervals, learn-ahead, and a summary that tells today from tomorrow."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from test_pty_study import BANK

from quiz.store import Store

pytestmark = pytest.mark.slow  # a real terminal (pexpect)


@pytest.fixture
def bank_dir(tmp_path: Path, write_bank) -> Path:  # type: ignore[no-untyped-def]
    return write_bank(tmp_path / "bank", {"kinds.yaml": BANK})


def spawn(bank: Path, lang: str, *extra: str) -> pexpect.spawn:  # type: ignore[type-arg]
    env = dict(os.environ)
    env.update({"QUIZ_NOW": "2026-03-02T09:00:00Z", "QUIZ_FUZZ": "0", "QUIZ_SEED": "3", "NO_COLOR": "1",
                "COLUMNS": "120", "LINES": "40", "TERM": "xterm"})
    return pexpect.spawn(sys.executable, ["-m", "quiz", "study", "--no-builtin", "--bank", str(bank), "--lang", lang,
                                          "--bidi", "off", *extra],
                         env=env, encoding="utf-8", timeout=20, dimensions=(40, 120))


def finish(child: pexpect.spawn) -> str:  # type: ignore[type-arg]
    child.expect(pexpect.EOF)
    rest = child.before
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in rest
    return str(rest)


def ratings(qid: str) -> list[tuple[int, str]]:
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        return [(r.review.rating, r.review.answer) for r in store.reviews("default", qid)]


EN = {
    "hint": r"Type \? at any prompt for help\.",
    "counts": r"Left: 1 new · 0 learning · 0 review",
    "prompt": r"Your answer \(number or text\): ",
    "help": r"Type the number of an option or its text",
    "other": "يالطا", "other_says": r"Answer in English, please\.",
    "wrong": "Geneva", "picked": r"You picked: Geneva", "answer": r"Answer: Yalta",
    "preview": r"Enter = Again \(1 min\) · 2 Hard 6 min · 3 Good 10 min · 4 Easy \d+ days: ",
    "rated": r"Rated Good: comes back in 10 min\.",
    "after": r"Left: 0 new · 1 learning · 0 review",
    "ahead": r"Only questions in learning are left: this one is shown early \(due in 10 min\)\.",
    "prefix": "Yal", "right": r"Right!",
    "summary": r"Session summary", "today": r"Still due today[^\n]*\b0\b", "tomorrow": r"Due tomorrow[^\n]*\b0\b",
}
AR = {
    "hint": r"في أي وقت لعرض المساعدة\.",
    "counts": r"المتبقي — جديد: 1 · قيد التعلّم: 0 · للمراجعة: 0",
    "prompt": r"إجابتك \(رقم الخيار أو نصه\): ",
    "help": r"اكتب رقم الخيار أو نصه",
    "other": "Yalta", "other_says": r"اكتب الإجابة بالعربية من فضلك\.",
    "wrong": "جنيف", "picked": r"اخترت: جنيف", "answer": r"الإجابة: يالطا",
    "preview": r"لقبول «مرة أخرى» \(دقيقة واحدة\) · 2 «صعب» 6 دقائق · 3 «جيد» 10 دقائق · 4 «سهل» \d+ (يومًا|أيام): ",
    "rated": r"التقييم: «جيد»، ويعود هذا السؤال بعد 10 دقائق\.",
    "after": r"المتبقي — جديد: 0 · قيد التعلّم: 1 · للمراجعة: 0",
    "ahead": r"لم يبقَ إلا أسئلة قيد التعلّم: يُعرض هذا السؤال مبكرًا \(موعده بعد 10 دقائق\)\.",
    "prefix": "يال", "right": r"إجابة صحيحة!",
    "summary": r"ملخص الجلسة", "today": "المستحق لاحقًا اليوم[^\n]*\u20680\u2069",
    "tomorrow": "المستحق غدًا[^\n]*\u20680\u2069",
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_choice_by_its_text_the_rating_preview_and_learn_ahead(bank_dir: Path, lang: str) -> None:
    say = EN if lang == "en" else AR
    child = spawn(bank_dir, lang, "--kind", "choice")
    child.expect(say["hint"])  # the first screen says that ? exists
    child.expect(say["counts"])
    child.expect(say["prompt"])
    child.sendline("?")  # ? says how to answer this kind
    child.expect(say["help"])
    child.expect(say["prompt"])
    child.sendline(say["other"])  # the other language of a one-language session: asked again
    child.expect(say["other_says"])
    child.expect(say["prompt"])
    child.sendline(say["wrong"])  # a wrong option, by its text: what was picked, then the answer
    child.expect(say["picked"])
    child.expect(say["answer"])
    child.expect(say["preview"])  # each key's interval, from the scheduler
    child.sendline("3")  # override: the new interval is shown
    child.expect(say["rated"])
    child.expect(say["after"])  # the counts: the question joined the learning ones
    child.expect(say["ahead"])  # nothing else is left: shown early, and said so
    child.expect(say["prompt"])
    child.sendline(say["prefix"])  # an unambiguous beginning of the option's text
    child.expect(say["right"])
    child.expect(r": $")
    child.sendline("")
    child.expect(say["summary"])
    child.expect(say["today"])
    child.expect(say["tomorrow"])  # answered right at its last step: in review, due in days
    finish(child)
    history = ratings("k-choice")
    assert [rating for rating, _ in history] == [3, 3]  # the wrong answer was re-rated Good
    assert history[0][1] == ("Geneva" if lang == "en" else "جنيف")  # the history keeps the option's text


EN_TYPED = {
    "prompt": r"Your answer: ", "slip": "Spitnk", "close": r"Close — check the spelling and try again\.",
    "dont_know": r"Here is the answer; it comes back soon\.", "answer": r"Answer: Sputnik",
    "preview": r"Enter = Again \(1 min\)", "undone": r"Undone: the last answer was taken back\.",
    "keys": r"Keys at any prompt", "help": r"An empty line \(or -\) = I don't know",
}
AR_TYPED = {
    "prompt": r"إجابتك: ", "slip": "سبتنك", "close": r"قريبة من الصواب: راجع الكتابة وحاول مرة أخرى\.",
    "dont_know": r"هذه هي الإجابة، وسيعود السؤال قريبًا\.", "answer": r"الإجابة: سبوتنيك",
    "preview": r"لقبول «مرة أخرى» \(دقيقة واحدة\)", "undone": r"أُلغيت الإجابة الأخيرة\.",
    "keys": r"مفاتيح متاحة في أي وقت", "help": r"السطر الفارغ \(أو -\) يعني «لا أعرف»",
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_near_miss_is_asked_again_and_an_empty_answer_means_i_dont_know(bank_dir: Path, lang: str) -> None:
    say = EN_TYPED if lang == "en" else AR_TYPED
    child = spawn(bank_dir, lang, "--kind", "typed")
    child.expect(say["prompt"])
    child.sendline(say["slip"])  # two slips in seven letters: not accepted, but asked again
    child.expect(say["close"])
    child.expect(say["prompt"])
    child.sendline("")  # I don't know: the answer, rated Again
    child.expect(say["dont_know"])
    child.expect(say["answer"])
    child.expect(say["preview"])
    child.sendline("?")  # ? at the rating prompt
    child.expect(say["keys"])
    child.expect(say["preview"])
    child.sendline("u")  # u at the rating prompt: the answer is taken back, the question asked again
    child.expect(say["undone"])
    child.expect(say["prompt"])
    child.sendline("?")
    child.expect(say["help"])
    child.expect(say["prompt"])
    child.sendline("q")
    finish(child)
    assert ratings("k-typed") == []  # the slip recorded nothing; the "I don't know" was undone


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_card_rating_prompt_takes_the_keys_too(bank_dir: Path, lang: str) -> None:
    child = spawn(bank_dir, lang, "--kind", "card")
    child.expect("Press Enter to see the answer" if lang == "en" else "لإظهار الإجابة")
    child.sendline("")
    child.expect("Because of mutual nuclear deterrence" if lang == "en" else "بسبب الردع النووي المتبادل")
    child.expect(r"How well did you recall it\? Enter = Good \(10 min\) · 1 Again 1 min" if lang == "en"
                 else r"ما مدى تذكّرك؟ اضغط \u2066Enter\u2069 لقبول «جيد» \(10 دقائق\) · 1 «مرة أخرى» دقيقة واحدة")
    child.sendline("?")
    child.expect("Enter accepts the suggested rating" if lang == "en" else "يقبل")
    child.expect(r": $")
    child.sendline("s")  # skip until tomorrow, from the rating prompt
    child.expect("Skipped until tomorrow" if lang == "en" else "أُجِّل السؤال إلى الغد")
    out = finish(child)
    assert ("Because of mutual nuclear deterrence" if lang == "en" else "بسبب الردع") not in out  # shown once
    assert ratings("k-card") == []
