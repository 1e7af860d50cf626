"""The linter's one-pass checks against plain reference versions on Hypothesis-made banks: near-duplicates
(compact keys, key words of plain texts by one regular expression and of others remembered per piece, rapidfuzz
before the significant words), distractors and choices in other spelling (each text split once), proposed links
(a digit pre-check, then the plain test of `reference_proposed_links`) must find what the straightforward
versions find, in the same order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from quiz.bank import facts, lint, paraphrase
from quiz.bank.duplicates import SIMILAR, _item_set, _similar
from quiz.bank.link_proposals import LinkFinder
from quiz.bank.rules import DISTRACTOR_EQUALS, NEAR_DUPLICATE_CHOICE, Rule, fold
from quiz.grading import allowed_edits, normalize, within_edits
from quiz.model import LANGS, Event, EventDate, Kind, Lang, OrderItem, Question, Text


def reference_key_words(text: str, lang: Lang) -> tuple[str, ...]:
    tokens = list(facts.WORD_RUN.findall(normalize(text)))
    table, stop = paraphrase._BY_FIRST[lang], paraphrase._STOP[lang]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        for sequence, marker, at_start in table.get(word, ()):
            if (not at_start or i == 0) and tuple(tokens[i:i + len(sequence)]) == sequence:
                out.append(marker)
                i += len(sequence)
                break
        else:
            i += 1
            if word in stop:
                continue
            if lang == "ar" and word.startswith("ال") and len(word) > 3 and not word[2:].isdigit():
                word = word[2:]
            out.append(word)
    return tuple(out)


def reference_paraphrases(texts: Sequence[str], lang: Lang) -> Iterator[tuple[int, int]]:
    keys = [reference_key_words(text, lang) if text else () for text in texts]
    content = [frozenset(w for w in key if not w.startswith("@")) for key in keys]
    frequency = Counter(word for words_ in content for word in words_)
    joined = [" ".join(key) for key in keys]
    marks = [paraphrase.significant(sorted(words_)) for words_ in content]
    index: dict[str, list[int]] = {}
    for i, words_ in enumerate(content):
        if len(words_) < 2:
            continue
        numbers = sorted(w for w in words_ if w[0].isdigit())
        rare = sorted([(frequency[w], w) for w in words_ if not w[0].isdigit()])[:paraphrase.BLOCKING_WORDS]
        blocking = [*numbers, *(w for _, w in rare)]
        seen: set[int] = set()
        for word in blocking:
            for j in index.get(word, ()):
                if j in seen:
                    continue
                seen.add(j)
                if marks[j] == marks[i] and fuzz.token_sort_ratio(joined[j], joined[i], score_cutoff=paraphrase.SCORE):
                    yield j, i
        for word in blocking:
            bucket = index.setdefault(word, [])
            if len(bucket) < paraphrase.MAX_BLOCK:
                bucket.append(i)


def reference_near_duplicates(questions: Sequence[Question]) -> list[tuple[str, str]]:
    pairs: dict[str, tuple[Question, Question]] = {}
    orders = [q for q in questions if q.kind is Kind.ORDER]
    others = [q for q in questions if q.kind is not Kind.ORDER]
    langs: tuple[Lang, ...] = ("en", "ar")
    for lang in langs:
        found = [(orders, pair) for pair in _similar([_item_set(q, lang) for q in orders], SIMILAR)]
        found += [(others, pair) for pair in reference_paraphrases([getattr(q.prompt, lang) for q in others], lang)]
        for group, (i, j) in found:
            a, b = group[i], group[j]
            if a.id != b.id and b.id not in pairs:
                pairs[b.id] = (b, a)
    order = {q.id: index for index, q in enumerate(questions)}
    return [(b.id, a.id) for b, a in sorted(pairs.values(), key=lambda pair: order[pair[0].id])]


def reference_near_equal(a: str, b: str) -> bool:
    x, y = facts.words(a), facts.words(b)
    if not x or not y:
        return False
    if x == y or "".join(x) == "".join(y):
        return paraphrase.significant(x) == paraphrase.significant(y)
    if len(x) != len(y) or paraphrase.significant(x) != paraphrase.significant(y):
        return False
    for p, q in zip(x, y, strict=True):
        if p == q:
            continue
        if p[0].isdigit() or q[0].isdigit() or paraphrase.ROMAN.match(p) or paraphrase.ROMAN.match(q):
            return False
        if not within_edits(p, q, allowed_edits(min(len(p), len(q)))):
            return False
    return True


def reference_choice_fault(answer: Text, choices: Sequence[Text]) -> tuple[Rule, str, str] | None:
    for lang in ("ar", "en"):
        expected = getattr(answer, lang)
        texts = [getattr(choice, lang) for choice in choices]
        if expected:
            for text in texts:
                if text and text != expected and fold(text) != fold(expected) and reference_near_equal(expected, text):
                    return DISTRACTOR_EQUALS, expected, text
        for i, first in enumerate(texts):
            for second in texts[i + 1:]:
                if not first or not second or first == expected or second == expected or fold(first) == fold(second):
                    continue
                if reference_near_equal(first, second):
                    return NEAR_DUPLICATE_CHOICE, first, second
    return None


VOCAB = ["In which year", "What year", "when", "When did", "who", "which country", "how many", "the", "of", "Moscow",
         "Summit", "treaty", "Yalta", "Potsdam", "conference", "Khrushchev", "Khrushchov", "Lend-Lease", "Lend Lease",
         "Alexander", "II", "III", "first", "second", "1945", "1962", "1961", "Cuban", "crisis", "missile", "signed",
         "في أي عام", "متى", "من هو", "كم عدد", "في", "موسكو", "قمة", "معاهدة", "يالطا", "خروتشوف", "خروشوف",
         "الاتحاد", "١٩٤٥", "۱۹۶۲", "１９６１", "²", "(1945)", "1,945", "1.5", "نيو ستارت", "نيوستارت",
         "Yalta?", "{{Potsdam}}", "«يالطا»؟", "الأزمة", "أيّ"]
EVENTS = [
    Event("yalta", EventDate(1945), "e", Text("مؤتمر يالطا", "Yalta conference"), Text(), None),
    Event("potsdam", EventDate(1945), "e", Text("مؤتمر بوتسدام", "Potsdam conference"), Text(), None),
    Event("cuba", EventDate(1962), "e", Text("أزمة الصواريخ الكوبية", "Cuban missile crisis"), Text(), None),
    Event("wall", EventDate(1961), "e", Text("جدار", "Berlin wall"), Text(), None),
    Event("two", EventDate(2), "e", Text("", "Two"), Text(), None),
]
text = st.lists(st.sampled_from(VOCAB), max_size=6).map(" ".join)
texts = st.builds(Text, text, text)


@st.composite
def questions(draw: st.DrawFn) -> list[Question]:
    out: list[Question] = []
    for n in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from([Kind.TYPED, Kind.CHOICE, Kind.CLOZE, Kind.ORDER, Kind.CARD]))
        answer = draw(texts)
        choices = (answer, *draw(st.lists(texts, max_size=3))) if kind is Kind.CHOICE else ()
        items = tuple(OrderItem(t) for t in draw(st.lists(texts, max_size=3))) if kind is Kind.ORDER else ()
        events = tuple(draw(st.lists(st.sampled_from([e.id for e in EVENTS]), max_size=1)))
        qid = f"q{draw(st.integers(0, n))}"  # ids may repeat, as in a bank with a duplicate id
        out.append(Question(qid, kind, "e", draw(texts), answer, draw(texts), None, choices=choices, items=items,
                            generated=draw(st.booleans()) and n % 3 == 0, events=events))
    return out


@settings(max_examples=300, deadline=None)
@given(questions())
def test_near_duplicates_are_what_the_reference_finds(bank: list[Question]) -> None:
    paraphrase.forget()
    assert [(b.id, a.id) for b, a in lint.near_duplicates(bank)] == reference_near_duplicates(bank)


@settings(max_examples=300, deadline=None)
@given(st.lists(text, max_size=10), st.sampled_from(["en", "ar"]))
def test_key_words_and_paraphrases_are_the_reference_ones(prompts: list[str], lang: Lang) -> None:
    assert [paraphrase.key_words(p, lang) for p in prompts] == [reference_key_words(p, lang) for p in prompts]
    assert list(paraphrase.paraphrases(prompts, lang)) == list(reference_paraphrases(prompts, lang))


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(texts, max_size=4))
def test_choice_faults_are_the_reference_ones(answer: Text, others: list[Text]) -> None:
    choices = [answer, *others]
    fault = lint.choice_fault("q", answer, choices, paraphrase.word_memo())
    expected = reference_choice_fault(answer, choices)
    assert (fault[0] if fault else None) == (expected[0] if expected else None)
    if fault and expected:
        assert repr(expected[1]) in fault[1] and repr(expected[2]) in fault[1]


@settings(max_examples=300, deadline=None)
@given(questions())
def test_proposed_links_are_what_the_plain_reference_finds(bank: list[Question]) -> None:
    finder = LinkFinder(EVENTS, paraphrase.word_memo())
    found = [(q.id, [e.id for e in finder.events_of(q)]) for q in bank]
    assert [pair for pair in found if pair[1]] == [
        (q.id, [e.id for e in events]) for q, events in reference_proposed_links(bank, EVENTS)]


def reference_proposed_links(questions: Sequence[Question],
                             events: Sequence[Event]) -> list[tuple[Question, list[Event]]]:
    """What `quiz.bank.link_proposals` finds, done plainly (the linter's own code before its one-pass version):
    hand-written questions without `events:` that name an event's year and at least two key words of its title
    (all of them when it has fewer), in either language."""
    by_year: dict[str, list[tuple[Event, Mapping[Lang, frozenset[str]]]]] = {}
    for event in events:
        title_keys: Mapping[Lang, frozenset[str]] = {
            lang: facts._key_words(getattr(event.title, lang)) for lang in LANGS}
        by_year.setdefault(str(event.date.year), []).append((event, title_keys))
    out: list[tuple[Question, list[Event]]] = []
    for question in questions:
        if question.generated or question.events:
            continue
        bag: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        for lang in LANGS:
            for _, text in facts._places(question, lang):
                bag[lang].update(facts.words(text))
        years = {w for w in bag["en"] | bag["ar"] if facts._YEAR.match(w)}
        matches: list[Event] = []
        for year in sorted(years):
            for event, keys in by_year.get(year, ()):
                for lang in LANGS:
                    need = keys[lang]
                    if need and len(need & bag[lang]) >= min(2, len(need)):
                        matches.append(event)
                        break
        if matches:
            out.append((question, matches))
    return out


def reference_empty(question: Question) -> list[str]:
    """Q407 as first written: every language the question is asked in without an answer, or none at all."""
    out = [f"no {lang} answer" for lang in question.langs
           if not question.answer_text(lang).strip() and question.kind is not Kind.CARD]
    return out + ([] if question.langs else ["empty"])


sparse = st.builds(Text, st.sampled_from(["", " ", "Yalta", "يالطا"]), st.sampled_from(["", "\t", "Potsdam"]))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(list(Kind)), sparse, sparse, st.lists(sparse, max_size=3), st.booleans())
def test_empty_questions_are_the_reference_ones(kind: Kind, prompt: Text, answer: Text, others: list[Text],
                                                truth: bool) -> None:
    choices = tuple(others) if kind is Kind.CHOICE else ()
    items = tuple(OrderItem(t) for t in others) if kind is Kind.ORDER else ()
    question = Question("q", kind, "e", prompt, answer, Text(), None, choices=choices, items=items, truth=truth)
    found = lint._empty(question)
    assert [p.message.split("' ", 1)[1] for p in found] == [
        "has no ar answer though it is asked in ar; write it" if m == "no ar answer" else
        "has no en answer though it is asked in en; write it" if m == "no en answer" else
        "is empty in both languages; write its prompt (and choices or items)" for m in reference_empty(question)]
