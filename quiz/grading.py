"""Answer normalisation and matching (Arabic + English), true/false and order parsing, verdicts.

Everything here is pure: strings in, values out, nothing raised for any input.

Matching (see DESIGN.md, "Answer matching") works on the *normalised* text (`normalize`), then:

- the optional article goes: a leading English word "the", and a leading `ال` on every Arabic word whose rest
  still has at least two letters (`القرم` ~ `قرم`, while `الا` stays `الا`);
- every word is split into digit runs (numbers, with decimals such as `7.2`) and letter runs;
- numbers must be the same, in the same order, exactly (`1962` ≠ `62`, `1991 و 1992` ≠ `1991`);
- the letters, with all spaces removed (`أبولو11` = `أبولو 11`, `نيوستارت` = `نيو ستارت`), may differ by
  0 edits up to 5 letters, 1 edit for 6–10 letters, 2 above, counted on the expected answer; an edit is an
  insertion, deletion, substitution or swap of two adjacent letters (optimal string alignment distance);
- a purely numeric answer (a year) accepts only era words beside the number (`1962م`, `1962 AD`);
- no matching across scripts: a given answer with letters of a script the expected answer lacks never matches.
"""


from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quiz.edits import _MAX_DIGITS, allowed_edits, within_edits
from quiz.model import Kind, Lang, Question, Rating
from quiz.normalize import _is_integer, _scripts, _Tokens, _tokens, has_roman, normalize, tokenize

__all__ = [
    "Verdict",
    "allowed_edits",
    "grade",
    "grade_choice",
    "grade_order",
    "grade_truefalse",
    "grade_typed",
    "is_exact",
    "kendall_distance",
    "answered_in",
    "match_choice",
    "matches",
    "near_miss",
    "normalize",
    "order_score",
    "parse_order",
    "parse_truefalse",
    "tokenize",
    "within_edits",
]

# ----------------------------------------------------------------------------------------------------
# Matching


def _tokens_match(expected: _Tokens, given: _Tokens) -> bool:
    if expected.numbers != given.numbers:
        return False
    if expected.numeric:
        return given.numeric
    want, got = expected.letters, given.letters
    if not want:
        return not got
    if not got or not _scripts(got) <= _scripts(want):
        return False
    return within_edits(want, got, allowed_edits(len(want)))


def matches(expected: str, given: str) -> bool:
    """Whether `given` is an acceptable spelling of `expected` (see the module docstring); never raises."""
    want, got = normalize(expected), normalize(given)
    if not want or not got:
        return False
    roman = has_roman(expected)
    return _tokens_match(_tokens(want, roman), _tokens(got, roman))


def is_exact(expected: str, given: str) -> bool:
    """Whether `given` equals `expected` up to normalisation, spacing and articles (no spelling edits)."""
    want, got = normalize(expected), normalize(given)
    if not want or not got:
        return False
    roman = has_roman(expected)
    a, b = _tokens(want, roman), _tokens(got, roman)
    if a.numeric and b.numeric:
        return a.numbers == b.numbers
    return a.numbers == b.numbers and a.letters == b.letters


# ----------------------------------------------------------------------------------------------------
# Verdicts


@dataclass(frozen=True, slots=True)
class Verdict:
    """The grader's decision on one answer.

    `correct`: accepted. `exact`: accepted as spelled (False for an accepted near miss, so the interface can
    show the right spelling; always False when not correct). `partial`: not correct but nearly (an order with
    one item out of place). `expected`: the right answer as words, in the asked language. `score`: 0.0–1.0.
    """

    correct: bool
    exact: bool
    partial: bool
    expected: str
    score: float
    picked: int | None = field(default=None, compare=False)
    """For `choice`: the index in `question.choices` of the option picked (by number, letter or text)."""

    @property
    def rating(self) -> Rating:
        """The suggested rating: right → Good, partly right → Hard, wrong → Again (learners may override)."""
        if self.correct:
            return Rating.GOOD
        return Rating.HARD if self.partial else Rating.AGAIN


def _right(expected: str, *, exact: bool = True) -> Verdict:
    return Verdict(correct=True, exact=exact, partial=False, expected=expected, score=1.0)


def _wrong(expected: str) -> Verdict:
    return Verdict(correct=False, exact=False, partial=False, expected=expected, score=0.0)


def _other(lang: Lang) -> Lang:
    return "en" if lang == "ar" else "ar"


def _candidates(question: Question, lang: Lang) -> list[str]:
    """Accepted answers: the answer and alternatives in `lang`, plus the other language's numeric ones."""
    found = [question.answer.get(lang), *question.accept.get(lang)]
    other = _other(lang)
    for text in (question.answer.get(other), *question.accept.get(other)):
        normalized = normalize(text)
        if normalized and _tokens(normalized).numeric:
            found.append(text)
    return [text for text in dict.fromkeys(found) if normalize(text)]


def _single_integer(tokens: _Tokens) -> int | None:
    if tokens.numeric and len(tokens.numbers) == 1:
        number = tokens.numbers[0]
        if _is_integer(number) and len(number) <= _MAX_DIGITS:
            return int(number)
    return None


def grade_typed(question: Question, given: str, lang: Lang) -> Verdict:
    """Grade a free-text answer (`typed` and `cloze` questions) against the answer and accepted alternatives.

    With `question.tolerance > 0`, a numeric answer also accepts any integer within ±tolerance of it
    (marked not exact unless equal); numbers are otherwise exact.
    """
    expected = question.answer.get(lang)
    got = normalize(given)
    if not got:
        return _wrong(expected)
    given_plain = _tokens(got)
    near = False
    for candidate in _candidates(question, lang):
        roman = has_roman(candidate)
        want = _tokens(normalize(candidate), roman)
        given_tokens = _tokens(got, True) if roman else given_plain
        if _tokens_match(want, given_tokens):
            if is_exact(candidate, given):
                return _right(expected)
            near = True
    if near:
        return _right(expected, exact=False)
    if question.tolerance > 0:
        value = _single_integer(given_plain)
        if value is not None:
            for candidate in _candidates(question, lang):
                target = _single_integer(_tokens(normalize(candidate)))
                if target is not None and abs(value - target) <= question.tolerance:
                    return _right(expected, exact=value == target)
    return _wrong(expected)


def grade_choice(question: Question, chosen: int, lang: Lang = "ar") -> Verdict:
    """Grade a multiple-choice pick: `chosen` indexes `question.choices` (not the shuffled display order)."""
    expected = question.answer.get(lang)
    if 0 <= chosen < len(question.choices) and question.choices[chosen] == question.answer:
        return Verdict(True, True, False, expected, 1.0, picked=chosen)
    picked = chosen if 0 <= chosen < len(question.choices) else None
    return Verdict(False, False, False, expected, 0.0, picked=picked)


def _unique(indices: Iterable[int]) -> int | None:
    found = set(indices)
    return found.pop() if len(found) == 1 else None


def match_choice(question: Question, given: str, langs: Sequence[Lang]) -> int | None:
    """The option (an index in `question.choices`) a reply names by its text in one of `langs`, or None.

    Tried in turn, the first that names exactly one option wins: the text as written (up to normalisation and
    articles), the text with a spelling slip (as typed answers allow), a year or number the option carries, an
    unambiguous beginning of the text (at least two letters), or of one of its later words (at least four:
    `pragmatic` for "A pragmatic understanding"). Numbers stay strict: `1809` never names `1808`.
    """
    got = normalize(given)
    if not got or not question.choices:
        return None
    texts = [(index, choice.get(lang)) for index, choice in enumerate(question.choices) for lang in langs
             if normalize(choice.get(lang))]
    for test in (is_exact, matches):
        found = _unique(index for index, text in texts if test(text, given))
        if found is not None:
            return found
    given_tokens = _tokens(got)
    if given_tokens.numeric:
        return _unique(index for index, text in texts if given_tokens.numbers[0] in _tokens(normalize(text)).numbers
                       and len(given_tokens.numbers) == 1)
    letters = given_tokens.letters
    if len(letters) < 2 or given_tokens.numbers:
        return None
    found = _unique(index for index, text in texts if _tokens(normalize(text)).letters.startswith(letters)
                    and _scripts(letters) <= _scripts(text))
    if found is not None or len(letters) < 4:
        return found
    # A word of the option and what follows it ("pragmatic" for "A pragmatic understanding …").
    return _unique(index for index, text in texts if _scripts(letters) <= _scripts(text)
                   and any(_tokens(" ".join(normalize(text).split()[start:])).letters.startswith(letters)
                           for start in range(1, len(normalize(text).split()))))


def _near(expected: str, given: str) -> bool:
    """A slip one edit beyond what is accepted, with the same numbers (`Sitca` for `Sitka`, `Malta` for `Yalta`):
    worth asking again, never accepted."""
    want, got = normalize(expected), normalize(given)
    if not want or not got:
        return False
    a, b = _tokens(want), _tokens(got)
    if a.numbers != b.numbers or a.numeric or not a.letters or not b.letters or _tokens_match(a, b):
        return False
    if not _scripts(b.letters) <= _scripts(a.letters):
        return False
    return within_edits(a.letters, b.letters, allowed_edits(len(a.letters)) + 1)


def near_miss(question: Question, given: str, lang: Lang) -> bool:
    """Whether a reply that was not accepted is a near miss of an accepted answer (of an option, for `choice`)
    and of nothing else on screen: the learner gets one more try ("Close — check the spelling")."""
    if question.kind is Kind.CHOICE:
        if match_choice(question, given, (lang,)) is not None:
            return False
        close = {index for index, choice in enumerate(question.choices) if _near(choice.get(lang), given)}
        return len(close) == 1
    if question.kind not in (Kind.TYPED, Kind.CLOZE):
        return False
    return any(_near(candidate, given) for candidate in _candidates(question, lang))


def answered_in(question: Question, given: str, lang: Lang) -> bool:
    """Whether a reply not accepted in `lang` is right (or names an option) in `lang`'s other language."""
    other = _other(lang)
    if question.kind is Kind.CHOICE:
        return match_choice(question, given, (other,)) is not None and match_choice(question, given, (lang,)) is None
    if question.kind in (Kind.TYPED, Kind.CLOZE):
        return grade_typed(question, given, other).correct
    return False


_TRUE = frozenset({"t", "y", "true", "yes", "ص", "صح", "صحيح", "نعم", "صواب"})
_FALSE = frozenset({"f", "n", "false", "no", "خ", "خطا", "خطء", "خاطء", "خاطيء", "لا", "غلط"})


def parse_truefalse(given: str) -> bool | None:
    """True for t/y/true/yes/ص/صح/صحيح/نعم/صواب, False for f/n/false/no/خ/خطأ/خطا/خاطئ/لا/غلط, else None."""
    answer = normalize(given)
    if answer in _TRUE:
        return True
    if answer in _FALSE:
        return False
    return None


def grade_truefalse(question: Question, value: bool, lang: Lang = "ar") -> Verdict:
    expected = question.answer_text(lang)
    if question.truth is not None and value == question.truth:
        return _right(expected)
    return _wrong(expected)


# ----------------------------------------------------------------------------------------------------
# Order

_ABJAD = "ابجدهوزحطيكلمنسعفصقرشتثخذضظغ"  # أ ب ج د ه و ز ح ط ي … (after normalisation أ is ا)
_LATIN = "abcdefghijklmnopqrstuvwxyz"


def _label(token: str) -> int | None:
    if _is_integer(token):
        return int(token) - 1 if len(token) <= _MAX_DIGITS else None
    if len(token) == 1:
        for alphabet in (_LATIN, _ABJAD):
            if token in alphabet:
                return alphabet.index(token)
    return None


def parse_order(given: str, n: int) -> tuple[int, ...] | None:
    """The 0-based positions, in the shown list, of the items in the order the learner put them.

    Items are named by number ("3 1 2", "3,1,2", "312" when n ≤ 9, Arabic-Indic digits) or by letter ("c a b",
    "cab", Arabic أ ب ج د ه و … in abjad order). None unless it names each of the n items exactly once.
    """
    if n <= 0:
        return None
    tokens = normalize(given).replace(".", " ").split()
    if len(tokens) != n:
        joined = "".join(tokens)
        if len(joined) != n or (_is_integer(joined) and n > 9):
            return None
        tokens = list(joined)
    order: list[int] = []
    for token in tokens:
        index = _label(token)
        if index is None:
            return None
        order.append(index)
    return tuple(order) if sorted(order) == list(range(n)) else None


def kendall_distance(order: tuple[int, ...]) -> int:
    """The number of pairs out of order (inversions): the adjacent swaps needed to sort `order`."""
    return sum(1 for i, x in enumerate(order) for y in order[i + 1 :] if x > y)


def order_score(order: tuple[int, ...]) -> float:
    """The fraction of pairs in the right relative order (1.0 for fewer than two items)."""
    pairs = len(order) * (len(order) - 1) // 2
    return 1.0 if pairs == 0 else 1.0 - kendall_distance(order) / pairs


def _longest_increasing(order: tuple[int, ...]) -> int:
    best = [1] * len(order)
    for i in range(len(order)):
        for j in range(i):
            if order[j] < order[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


def grade_order(
    question: Question, shown_order: tuple[int, ...], given_indices: tuple[int, ...], lang: Lang = "ar"
) -> Verdict:
    """Grade an ordering.

    `shown_order[k]` is the index in `question.items` (which are in the right order) of the k-th item shown;
    `given_indices` are positions in the shown list, in the learner's order (as from `parse_order`).

    Correct when every item is in place. Partial (rating Hard) when exactly one item is out of place: the
    answer is one move away from right, that is, taking one item out and putting it back elsewhere fixes it
    (n − longest increasing subsequence = 1); a swap of two neighbours is such a move. Score: the fraction of
    pairs in the right relative order (1 − Kendall tau distance / pairs).
    """
    expected = question.answer_text(lang)
    n = len(question.items)
    if sorted(shown_order) != list(range(n)) or sorted(given_indices) != list(range(n)):
        return _wrong(expected)
    order = tuple(shown_order[position] for position in given_indices)
    score = order_score(order)
    if order == tuple(range(n)):
        return _right(expected)
    partial = _longest_increasing(order) == n - 1
    return Verdict(correct=False, exact=False, partial=partial, expected=expected, score=score)


def _names_an_option(question: Question, token: str) -> bool:
    """A one-token reply that is itself an option's text (`1`, `1809` or `a` as an option) names that option."""
    return any(normalize(choice.get(lang)) == token for choice in question.choices for lang in ("ar", "en"))


def grade(question: Question, given: str, lang: Lang, shown_order: tuple[int, ...] = (),
          langs: Sequence[Lang] = ()) -> Verdict | None:
    """Grade a typed reply for any kind; None for a reply that cannot be understood (ask again) or a card.

    For `choice`, the reply is the 1-based number (or letter) of a choice as listed in `shown_order`
    (identity if empty), or an option's text in one of `langs` (default: `lang`; see `match_choice`); for
    `order`, as in `parse_order`, against `shown_order`.
    """
    if question.kind in (Kind.TYPED, Kind.CLOZE):
        return grade_typed(question, given, lang)
    if question.kind is Kind.TRUEFALSE:
        value = parse_truefalse(given)
        return None if value is None else grade_truefalse(question, value, lang)
    shown = shown_order or tuple(range(len(question.items or question.choices)))
    if question.kind is Kind.CHOICE:
        tokens = normalize(given).split()
        position = _label(tokens[0]) if len(tokens) == 1 else None
        if position is not None and 0 <= position < len(shown) and not _names_an_option(question, tokens[0]):
            return grade_choice(question, shown[position], lang)
        picked = match_choice(question, given, langs or (lang,))
        return None if picked is None else grade_choice(question, picked, lang)
    if question.kind is Kind.ORDER:
        indices = parse_order(given, len(question.items))
        return None if indices is None else grade_order(question, shown, indices, lang)
    return None
