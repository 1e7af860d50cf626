"""`quiz study` in a real pseudo-terminal: a learner answers one question of every kind, in English and Arabic."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from quiz.store import Store

pytestmark = pytest.mark.slow  # a real terminal (pexpect)

BANK = """\
questions:
  - id: k-choice
    kind: choice
    era: middle
    prompt: {ar: "أي مدينة استضافت المؤتمر؟", en: "Which city hosted the conference?"}
    answer: {ar: يالطا, en: Yalta}
    choices:
      - {ar: يالطا, en: Yalta}
      - {ar: جنيف, en: Geneva}
      - {ar: براغ, en: Prague}
    explanation: {ar: "عُقد في القرم.", en: "It met in Crimea."}
    source: {doc: doc, para: 1}
  - id: k-typed
    kind: typed
    era: middle
    prompt: {ar: "ما اسم القمر الصناعي؟", en: "Name the satellite."}
    answer: {ar: سبوتنيك, en: Sputnik}
    explanation: {ar: "أُطلق عام 1957.", en: "Launched in 1957."}
    source: {doc: doc, para: 2}
  - id: k-truefalse
    kind: truefalse
    era: middle
    prompt: {ar: "هبطت أبولو 11 على القمر.", en: "Apollo 11 landed on the Moon."}
    answer: true
    explanation: {ar: "في يوليو 1969.", en: "In July 1969."}
    source: {doc: doc, para: 3}
  - id: k-order
    kind: order
    era: middle
    prompt: {ar: "رتّب الأحداث.", en: "Put the events in order."}
    items:
      - {ar: الحدث الأول, en: First event, year: 1941}
      - {ar: الحدث الثاني, en: Second event, year: 1945}
      - {ar: الحدث الثالث, en: Third event, year: 1957}
    explanation: {ar: "بالترتيب.", en: "In order."}
    source: {doc: doc, para: 4}
  - id: k-cloze
    kind: cloze
    era: middle
    prompt: {ar: "كان برنامج {{ليند-ليز}} دعمًا أمريكيًا.", en: "The {{Lend-Lease}} programme was American aid."}
    explanation: {ar: "منذ 1941.", en: "From 1941."}
    source: {doc: doc, para: 5}
  - id: k-card
    kind: card
    era: middle
    prompt: {ar: "لماذا لم تقع حرب مباشرة؟", en: "Why was there no direct war?"}
    answer: {ar: "بسبب الردع النووي المتبادل.", en: "Because of mutual nuclear deterrence."}
    explanation: {ar: "توازن الرعب.", en: "The balance of terror."}
    source: {doc: doc, para: 6}
"""

@pytest.fixture
def bank_dir(tmp_path: Path, write_bank) -> Path:  # type: ignore[no-untyped-def]
    return write_bank(tmp_path / "bank", {"kinds.yaml": BANK})


def spawn(bank: Path, lang: str) -> pexpect.spawn:  # type: ignore[type-arg]
    env = dict(os.environ)
    env.update({"QUIZ_NOW": "2026-03-02T09:00:00Z", "QUIZ_FUZZ": "0", "QUIZ_SEED": "3", "NO_COLOR": "1",
                "COLUMNS": "100", "LINES": "40", "TERM": "xterm"})
    child = pexpect.spawn(sys.executable, ["-m", "quiz", "study", "--no-builtin", "--bank", str(bank),
                                           "--lang", lang, "--bidi", "off", "--new", "6"],
                          env=env, encoding="utf-8", timeout=20, dimensions=(40, 100))
    return child


MARKS = re.compile("[\u200e\u200f\u2066-\u2069]")  # direction marks and isolates, for the terminal's own bidi


def shown_options(screen: str) -> list[str]:
    """The options as listed on screen, in order ('  1. Yalta' or '  1 (a). First event')."""
    screen = MARKS.sub("", screen)
    return [m.group(1).strip() for m in re.finditer(r"^\s+\d+(?: \(.\))?\. (.+)$", screen, re.MULTILINE)]


def answer_every_kind(child: pexpect.spawn, lang: str) -> None:  # type: ignore[type-arg]
    ar = lang == "ar"
    # choice: find the right option's number on screen
    child.expect("إجابتك \\(رقم الخيار أو نصه\\): " if ar else r"Your answer \(number or text\): ")
    options = shown_options(child.before)
    child.sendline(str(options.index("يالطا" if ar else "Yalta") + 1))
    child.expect("إجابة صحيحة!" if ar else "Right!")
    child.expect("Enter")
    child.sendline("")
    # typed, with a spelling slip: accepted, the right spelling shown
    child.expect("إجابتك: " if ar else "Your answer: ")
    child.sendline("سبوتنك" if ar else "Sputnk")
    child.expect("إجابة صحيحة، وتُكتب هكذا: سبوتنيك" if ar else "Right — it is spelled: Sputnik")
    child.expect("Enter")
    child.sendline("")
    # true/false
    child.expect(r"صح أم خطأ؟ \(ص/خ\): " if ar else r"True or false\? \(t/f\): ")
    child.sendline("ص" if ar else "t")
    child.expect("إجابة صحيحة!" if ar else "Right!")
    child.expect("Enter")
    child.sendline("")
    # order: put the shown items back in chronological order
    child.expect(r"رتّب من الأقدم إلى الأحدث \(مثلًا \u20663 1 2\u2069 أو ج أ ب\): " if ar
                 else r"Order, oldest first \(e.g. 3 1 2 or c a b\): ")
    items = shown_options(child.before)
    right = (["الحدث الأول", "الحدث الثاني", "الحدث الثالث"] if ar
             else ["First event", "Second event", "Third event"])
    child.sendline(" ".join(str(items.index(name) + 1) for name in right))
    child.expect("إجابة صحيحة!" if ar else "Right!")
    child.expect("Enter")
    child.sendline("")
    # cloze
    child.expect("أكمل الفراغ: " if ar else "Fill in the blank: ")
    child.sendline("ليند ليز" if ar else "lend lease")
    child.expect("إجابة صحيحة!" if ar else "Right!")
    child.expect("Enter")
    child.sendline("")
    # card: reveal, then rate 4 (Easy)
    child.expect("اضغط \u2066Enter\u2069 لإظهار الإجابة" if ar else "Press Enter to see the answer")
    child.sendline("")
    child.expect("بسبب الردع النووي المتبادل" if ar else "Because of mutual nuclear deterrence")
    child.expect("«سهل»" if ar else "4 Easy")
    child.expect(": ")
    child.sendline("4")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_kind_in_a_terminal(bank_dir: Path, lang: str) -> None:
    child = spawn(bank_dir, lang)
    answer_every_kind(child, lang)
    # The first five come back after their 1-minute learning step; quit with q and get the summary.
    child.expect("إجابتك|Your answer|صح أم خطأ|True or false|الترتيب|Order|أكمل|Fill in")
    child.sendline("q")
    child.expect("ملخص الجلسة" if lang == "ar" else "Session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        ratings = {qid: [r.review.rating for r in store.reviews("default", qid)]
                   for qid in ("k-choice", "k-typed", "k-truefalse", "k-order", "k-cloze", "k-card")}
    assert ratings == {"k-choice": [3], "k-typed": [3], "k-truefalse": [3], "k-order": [3], "k-cloze": [3],
                       "k-card": [4]}


def test_ctrl_c_saves_and_exits_130(bank_dir: Path) -> None:
    child = spawn(bank_dir, "en")
    child.expect(r"Your answer \(number or text\): ")
    options = shown_options(child.before)
    child.sendline(str(options.index("Yalta") + 1))
    child.expect("Enter")
    child.sendintr()
    child.expect("everything you answered is saved")
    child.expect("Session summary")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    with Store.open(Path(os.environ["QUIZ_DB"])) as store:
        assert len(store.reviews("default", "k-choice")) == 1
