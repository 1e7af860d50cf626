"""The typed cards' own script (quiz/export/anki_check.js) gives the verdict `quiz study` gives: run in headless
Chromium (the engine of Anki desktop's and AnkiDroid's card views) against the shared answer vectors, against the
Python grader on variants of every typed answer of the bank, and on real card backs rendered by the official
`anki` library. Without Chromium, the matching tests run in node with the same file; the card backs need a DOM.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from anki_kit import export, import_apkg, note_of

from quiz.bank import load_bank
from quiz.export.anki_templates import check_script
from quiz.grading import grade_typed, matches
from quiz.model import Kind, Question

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                None)
NODE = shutil.which("node")
VECTORS = next((p for p in (Path(__file__).parent / "data" / "answer_vectors.json",  # vendored by the tests
                             Path("/work/shared/answer_vectors.json")) if p.exists()), None)


def in_chromium(page: str, tmp: Path) -> str:
    """The text of `#out` after Chromium ran `page`."""
    assert CHROMIUM is not None
    path = tmp / "page.html"
    path.write_text(page, encoding="utf-8")
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)
    match = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, flags=re.S)
    assert match, done.stdout[-2000:]
    return html.unescape(match.group(1))


def run_js(body: str, tmp: Path) -> Any:
    """Run `body` (which sets `result`) after the checker script: in Chromium, else in node."""
    if CHROMIUM is not None:
        page = (f"<!doctype html><meta charset=utf-8><pre id=\"out\"></pre><script>{check_script()}</script>"
                f"<script>var result; {body}\ndocument.getElementById('out').textContent = "
                "JSON.stringify(result);</script>")
        return json.loads(in_chromium(page, tmp))
    if NODE is None:
        pytest.skip("neither Chromium nor node is installed")
    script = tmp / "run.js"
    script.write_text(check_script() + f"\nvar qzCheck = globalThis.qzCheck; var result; {body}\n"
                      "process.stdout.write(JSON.stringify(result));", encoding="utf-8")
    done = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_the_script_never_reads_as_anki_template_syntax() -> None:
    text = check_script()
    assert "{{" not in text and "}}" not in text
    assert not re.search(r"^\s*(const|let)\s", text, flags=re.M)  # Anki runs it again on every card


@pytest.mark.skipif(VECTORS is None, reason="no shared answer vectors")
def test_the_shared_answer_vectors_hold_in_the_card_script(tmp_path: Path) -> None:
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    pairs = [[v["expected"], v["given"]] for v in vectors]
    got = run_js(f"var pairs = {json.dumps(pairs)}; result = pairs.map(function (p) "
                 "{ return qzCheck.matches(p[0], p[1]); });", tmp_path)
    wrong = [(v["why"], v["match"], g) for v, g in zip(vectors, got, strict=True) if g != v["match"]]
    assert wrong == []
    assert got == [matches(e, g) for e, g in pairs]  # the terminal's verdict, too
    print(f"{len(vectors)} shared vectors: all agree ({'Chromium' if CHROMIUM else 'node'})")


def _variants(question: Question, lang: str) -> Iterator[str]:
    answer = question.answer.get(lang)  # type: ignore[arg-type]
    yield answer
    yield answer.upper()
    yield f"  {answer}. "
    yield answer.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    yield answer.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    yield "ال" + answer
    yield "the " + answer
    yield answer.replace("ا", "أ", 1).replace("ي", "ى")
    yield answer[:-1]
    yield answer[1:2] + answer[:1] + answer[2:]
    yield answer + "x"
    yield from question.accept.get(lang)  # type: ignore[arg-type]
    if answer.isdigit():
        for delta in (-3, -2, -1, 1, 2, 3):
            yield str(int(answer) + delta)
        yield answer + "م"
        yield "عام " + answer


def test_typed_answers_of_the_bank_get_the_terminals_verdict(tmp_path: Path) -> None:
    bank = load_bank().bank
    cases: list[tuple[Question, str, str]] = []
    for question in bank.studyable():
        if question.kind is not Kind.TYPED:
            continue
        for lang in ("ar", "en"):
            cases.extend((question, lang, given) for given in dict.fromkeys(_variants(question, lang)))
    payload = [[q.answer.get(lang), list(q.accept.get(lang)), q.tolerance, given]  # type: ignore[arg-type]
               for q, lang, given in cases]
    got = run_js(f"var cases = {json.dumps(payload, ensure_ascii=False)}; result = cases.map(function (c) "
                 "{ var v = qzCheck.gradeTyped(c[0], c[1], c[2], c[3]); return [v.correct, v.exact]; });", tmp_path)
    expected = []
    for question, lang, given in cases:
        verdict = grade_typed(question, given, lang)  # type: ignore[arg-type]
        expected.append([verdict.correct, verdict.exact])
    differ = [(q.id, lang, given, e, g) for (q, lang, given), e, g in zip(cases, expected, got, strict=True)
              if e != g]
    assert differ == []
    accepted = sum(1 for e in expected if e[0])
    assert len(cases) > 500 and 0 < accepted < len(cases)
    print(f"{len(cases)} typed answers: {accepted} accepted, all as the terminal decides")


@pytest.mark.skipif(CHROMIUM is None, reason="the card backs need Chromium's DOM")
def test_the_card_back_shows_the_quizs_verdict(tmp_path: Path, write_bank: Any) -> None:
    from anki_kit import TEACHER

    teacher = write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "both", "--no-builtin", "--bank", str(teacher))
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_apkg(col, out)
        typed_en = note_of(col, "t-typed", "en", "teacher").cards()[0].answer()
        typed_ar = note_of(col, "t-typed", "ar", "teacher").cards()[0].answer()
        recall = sorted(note_of(col, "gen-year-ev-one", "ar", "teacher").cards(), key=lambda c: c.ord)[1].answer()
        # Anki's own comparison of what was typed with the answer (what AnkiDroid's back shows when the answer
        # was typed into its input under the card, so the front kept nothing): typed, arrow, expected
        compared = {(expected, typed): col.compare_answer(expected, typed)
                    for expected in ("1945", "1905")
                    for typed in ("1946", "nineteen forty five", "1947", "١٩٤٥", "١٩٠٥م", "1906", "")}
    finally:
        col.close()
    # t-typed: answer 1945, tolerance 1, also "nineteen forty-five" in English
    cases = [
        (typed_en, "1945", "[[type:Answer]]", "1946", "Accepted (close enough)"),  # within the year tolerance
        (typed_en, "1945", "[[type:Answer]]", "nineteen forty five", "Accepted"),  # an alternative
        (typed_en, "1945", "[[type:Answer]]", "1947", "Not accepted"),
        (typed_ar, "1945", "[[type:Answer]]", "١٩٤٥", "إجابة مقبولة"),  # Arabic-Indic digits
        (recall, "1905", "[[type:Year]]", "١٩٠٥م", "إجابة مقبولة"),
        (recall, "1905", "[[type:Year]]", "1906", "إجابة غير مقبولة"),  # no tolerance on this one
        (typed_en, "1945", "[[type:Answer]]", "", ""),  # nothing typed: no verdict (Anki shows the answer alone)
    ]
    frames, wanted = [], []
    for back, expected, placeholder, typed, verdict in cases:
        for how in ("kept", "compared"):
            if how == "kept":  # the front kept what was typed (Anki desktop: one page for both sides)
                side = f"<script>window.qzTyped = {json.dumps(typed)};</script>" + back.replace(placeholder, "")
            else:  # only Anki's own comparison on the back
                side = back.replace(placeholder, compared[(expected, typed)])
            frames.append(f'<iframe srcdoc="{html.escape("<meta charset=utf-8>" + side)}"></iframe>')
            wanted.append([typed, how, verdict])
    page = ("<!doctype html><meta charset=utf-8><body>" + "".join(frames) + '<pre id="out"></pre><script>'
            "window.addEventListener('load', function () { var out = [];"
            "document.querySelectorAll('iframe').forEach(function (f) {"
            "var v = f.contentDocument.querySelector('.qz-verdict'); out.push(v ? v.textContent : null); });"
            "document.getElementById('out').textContent = JSON.stringify(out); });</script></body>")
    shown = json.loads(in_chromium(page, tmp_path))
    assert [[t, h, v] for (t, h, _), v in zip(wanted, shown, strict=True)] == wanted


@pytest.mark.skipif(CHROMIUM is None, reason="the card fronts need Chromium's DOM")
def test_the_card_front_keeps_what_is_typed_for_the_back(tmp_path: Path, write_bank: Any) -> None:
    from anki_kit import TEACHER

    teacher = write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--no-builtin", "--bank", str(teacher))
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_apkg(col, out)
        card = note_of(col, "t-typed", "en", "teacher").cards()[0]
        front, back = card.question(), card.answer()
    finally:
        col.close()
    box = '<input type="text" id="typeans">'  # what Anki's reviewer puts in place of [[type:Answer]]
    page = ("<!doctype html><meta charset=utf-8><body><div id=qa>" + front.replace("[[type:Answer]]", box)
            + "</div><pre id=\"out\"></pre><script>"
            "var b = document.getElementById('typeans'); b.value = '1946'; b.dispatchEvent(new Event('input'));"
            "var seen = [window.qzTyped];"
            # Anki desktop: the back replaces the card's HTML in the same page; scripts run as it is inserted
            f"var back = {json.dumps(back.replace('[[type:Answer]]', '')).replace('</', '<' + chr(92) + '/')};"
            "var qa = document.getElementById('qa'); qa.innerHTML = back;"
            "qa.querySelectorAll('script').forEach(function (old) { var s = document.createElement('script');"
            "s.textContent = old.textContent; old.replaceWith(s); });"
            "seen.push(document.querySelector('.qz-verdict').textContent);"
            "document.getElementById('out').textContent = JSON.stringify(seen);</script></body>")
    assert json.loads(in_chromium(page, tmp_path)) == ["1946", "Accepted (close enough)"]


@pytest.mark.skipif(CHROMIUM is None, reason="the card sides need Chromium's DOM")
def test_with_no_box_in_the_card_the_back_judges_ankis_comparison(tmp_path: Path, write_bank: Any) -> None:
    """AnkiDroid's default: its own input field under the card and "……" in the card's place for the box, then the
    back with Anki's comparison of what was typed. The front forgets what an earlier card kept, so the back judges
    this card's answer."""
    from anki_kit import TEACHER

    teacher = write_bank(tmp_path / "teacher", {"qs.yaml": TEACHER})
    out = tmp_path / "deck.apkg"
    export(out, "--lang", "en", "--no-builtin", "--bank", str(teacher))
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_apkg(col, out)
        card = note_of(col, "t-typed", "en", "teacher").cards()[0]
        front, back = card.question(), card.answer()
        comparison = col.compare_answer("1945", "1947")
    finally:
        col.close()
    script = json.dumps  # the sides as JS strings, with "</" kept out of the page's own script
    page = ("<!doctype html><meta charset=utf-8><body><div id=qa></div><pre id=\"out\"></pre><script>"
            "function show(side) { var qa = document.getElementById('qa'); qa.innerHTML = side;"
            "qa.querySelectorAll('script').forEach(function (old) { var s = document.createElement('script');"
            "s.textContent = old.textContent; old.replaceWith(s); }); }"
            "window.qzTyped = '1945'; try { sessionStorage.setItem('qz-typed', '1945'); } catch (e) {}"  # a card ago
            f"show({script(front.replace('[[type:Answer]]', '……')).replace('</', '<' + chr(92) + '/')});"
            "var kept = [typeof window.qzTyped, (function () { try { return sessionStorage.getItem('qz-typed'); }"
            " catch (e) { return null; } })()];"
            f"show({script(back.replace('[[type:Answer]]', comparison)).replace('</', '<' + chr(92) + '/')});"
            "document.getElementById('out').textContent = JSON.stringify([kept,"
            " document.querySelector('.qz-verdict').textContent]);</script></body>")
    assert json.loads(in_chromium(page, tmp_path)) == [["undefined", None], "Not accepted"]
