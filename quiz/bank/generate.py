"""Questions generated from events: *in which year…*, *which came first…*, *put these in order…*, *which era…*.

Every generated id is derived from the ids of the events it names (`gen-year-<event>`, `gen-first-<hash>`, …),
and every choice of pairs and groups is made by a hash of those ids alone, within one era. So an event added to
another era changes no generated question; one added to the same era keeps every id but the era's fallback
comparison and order (added only when the hash chose none), and may change its year questions' wrong years.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence

from quiz.bank.choice_hash import blake2b, hash_bytes
from quiz.bank.choice_hash import choice_hash as _h
from quiz.bank.choice_hash import short_hash as _short
from quiz.bank.event_wording import _cap, _lower, _quoted, _tags, _Words
from quiz.bank.event_wording import date_text as date_text  # quiz.bank's `date_text`
from quiz.bank.year_options import YearSpan, reaches, year_options, year_spans
from quiz.model import LANGS, Alternatives, Era, Event, Kind, OrderItem, Question, Text


def generate_questions(events: Sequence[Event], eras: Sequence[Era],
                       ties: Mapping[str, Collection[int]] | None = None,
                       out: list[Question] | None = None) -> list[Question]:
    """Questions drawn from events, era by era: an event added to another era changes none of them (but the wrong
    years of the eras before it, when it is the first event of a new last era: `reaches`). Pairs and
    groups are chosen by a hash of their own event ids, never by their neighbours, so an event added to the same
    era removes none of them except the era's fallbacks (`_fallback_pair`, `_fallback_chain`: an era of three
    events or more always gets a comparison and, given three years, an order); it may change the wrong years of
    the era's year questions (`year_spans`), never their ids.

    `ties`: event id -> years a linked hand-written question ties to the event (never offered as wrong years).
    A language in which an event has no title generates nothing in that language (`Question.has`).
    `out`: where the questions go, only ever appended to (a sink may write each away as it comes; the cold load
    does, `quiz.bank.format`); a new list when not given."""
    usable = [e for e in events if e.generate and not e.draft]
    era_of = {era.id: era for era in eras}
    by_era: dict[str, list[Event]] = {}
    for event in usable:
        by_era.setdefault(event.era, []).append(event)
    wrong_years: dict[str, YearSpan] = {}
    ends = reaches(by_era, era_of)
    for era_id, group in by_era.items():
        wrong_years.update(year_spans(group, era_of.get(era_id), ties or {}, ends[era_id]))
    words = {id(event): _Words(event) for event in usable}
    era_options = _EraOptions(eras)
    out = [] if out is None else out
    for event in usable:
        said = words[id(event)]
        out.extend(_year_questions(event, wrong_years[event.id], (ties or {}).get(event.id, ()), said))
        era_question = _era_question(event, era_options, said)
        if era_question is not None:
            out.append(era_question)
    spans = {era.id: era.end - era.start for era in eras}
    for era_id, group in by_era.items():
        group.sort(key=lambda e: (e.date.sort_key(), e.id))
        window = pair_window(spans.get(era_id, 0))
        pairs = _first_pairs(group, window)
        out.extend(_first_questions(group, window, pairs, words))
        out.extend(_order_questions(group, window, pairs, words))
    return out


def generate_by_bank(events: Sequence[Event], eras: Sequence[Era], era_banks: Mapping[str, str],
                     languages: Mapping[str, tuple[str, ...]], ties: Mapping[str, Collection[int]],
                     out: list[Question] | None = None) -> list[Question]:
    """Questions generated bank by bank: a bank's events with the eras of the banks they name, so nothing of
    one bank (an era title among the choices) appears in another's questions. Each is marked with its bank.

    `era_banks`: era id -> the bank defining it; `languages`: bank id -> its languages (a bank in one language
    gets no half-empty template in the other); `out`: as for `generate_questions`."""
    by_bank: dict[str, list[Event]] = {}
    for event in events:
        by_bank.setdefault(event.bank, []).append(event)
    out = [] if out is None else out
    for bank_id, group in by_bank.items():
        banks = {bank_id} | {era_banks.get(event.era, bank_id) for event in group}
        bank_eras = [era for era in eras if era_banks.get(era.id) in banks]
        only = languages.get(bank_id, LANGS)
        generate_questions(group, bank_eras, ties, _Marked(out, bank_id, only[0] if len(only) == 1 else None))
    return out


class _Marked(list[Question]):
    """Where `generate_by_bank` has one bank's questions go: each marked with its bank (and in a one-language
    bank stripped of the other language's template text), then passed on to `out`, as it comes."""

    def __init__(self, out: list[Question], bank_id: str, lang: str | None) -> None:
        super().__init__()
        self.out, self.bank_id, self.lang = out, bank_id, lang

    def append(self, question: Question) -> None:
        # Fresh values no one else holds yet: set in place, a `replace` per question costs ~1 s a million.
        object.__setattr__(question, "bank", self.bank_id)
        self.out.append(question if self.lang is None else _in_one_language(question, self.lang))

    def extend(self, questions: Iterable[Question]) -> None:
        for question in questions:
            self.append(question)


def tied_years(questions: Sequence[Question]) -> dict[str, set[int]]:
    """Event id -> years its linked hand-written questions answer or accept: never a wrong year option."""
    ties: dict[str, set[int]] = {}
    for question in questions:
        if not question.events:
            continue
        years = {int(t) for t in (question.answer.en, question.answer.ar, *question.accept.en,
                                  *question.accept.ar) if t.strip().isdigit() and len(t.strip()) <= 4}
        for event_id in question.events:
            ties.setdefault(event_id, set()).update(years)
    return ties


def _in_one_language(question: Question, lang: str) -> Question:
    """A generated question of a one-language bank with the other language's template text removed."""
    from dataclasses import replace

    def keep(text: Text) -> Text:
        return Text(text.ar, "") if lang == "ar" else Text("", text.en)

    return replace(
        question, prompt=keep(question.prompt), answer=keep(question.answer),
        explanation=keep(question.explanation), choices=tuple(keep(c) for c in question.choices),
        items=tuple(OrderItem(keep(i.text), i.year) for i in question.items),
    )

def pair_window(span: int) -> int:
    """How many years apart two events of an era may be to be compared or ordered together: half the era's
    span, at least 10. Close events make the better question, and the window keeps the number of generated
    questions in proportion to an era's density instead of growing with the square of its size."""
    return max(10, span // 2)


FIRST_SHARE = 2
"""One pair in FIRST_SHARE (by a hash of the pair's own two ids) becomes a *which came first* question; one chain
in two of chosen pairs becomes a *put in order*. Choices by a pair's or a chain's own ids alone keep every
hash-chosen question when other events are added; an era where they choose none gets a fallback."""


def _first_pairs(group: Sequence[Event], window: int) -> list[tuple[Event, Event]]:
    """Pairs (earlier, later) of events of different years at most `window` years apart, one in FIRST_SHARE by
    a hash of their own two ids (`choice_hash("first", a.id, b.id)`)."""
    pairs: list[tuple[Event, Event]] = []
    for i, a in enumerate(group):
        year = a.date.year
        prefix = f"first|{a.id}|"
        for b in group[i + 1:]:
            later = b.date.year
            if later - year > window:
                break
            if year != later and hash_bytes((prefix + b.id).encode()) % FIRST_SHARE == 0:
                pairs.append((a, b))
    return pairs


def year_prompt(title: Text) -> Text:
    """The year question of an event without its own `year_question`: agreement-free, for a noun-phrase title of
    either gender («ما العام الذي شهد …؟» agrees with «العام»). Empty in a language the title lacks."""
    return Text(f"ما العام الذي شهد {title.ar}؟" if title.ar else "",
                f"Which year saw {_lower(title.en)}?" if title.en else "")


def era_prompt(title: Text) -> Text:
    """The era question of an event: topic-neutral and agreement-free («شهدت» agrees with «حقبة»)."""
    return Text(f"أيّ حقبة شهدت {title.ar}؟" if title.ar else "",
                f"Which period saw {_lower(title.en)}?" if title.en else "")


def _year_questions(event: Event, era: YearSpan, tied: Collection[int], said: _Words) -> list[Question]:
    year = str(event.date.year)
    title = event.title
    own = event.year_question
    has_ar, has_en = bool(title.ar), bool(title.en)  # only the languages the event is titled in
    detail = event.detail
    explanation = Text(f"{title.ar}: {said.when_ar}. {detail.ar}".strip() if has_ar else "",
                       f"{said.en}: {said.when_en}. {detail.en}".strip() if has_en else "")
    recognition = Text((own.ar or f"ما العام الذي شهد {title.ar}؟") if has_ar else "",  # year_prompt
                       (own.en or f"Which year saw {said.lower}?") if has_en else "")
    recall = Text(f"{recognition.ar} اكتب العام بالأرقام." if has_ar else "",
                  f"{recognition.en} Type the year." if has_en else "")
    also = tuple(str(y) for y in event.also_right)
    answer = Text(year, year)
    source = event.source
    events = (event.id,)
    pick = Question(
        f"gen-yearpick-{event.id}", Kind.CHOICE, event.era, recognition, answer, explanation, source,
        choices=tuple(map(_year_text, year_options(event, era, tied))),
        tags=said.tags, generated=True, events=events, loc=event.loc,
    )
    typed = Question(
        f"gen-year-{event.id}", Kind.TYPED, event.era, recall, answer, explanation, source,
        accept=Alternatives(also, also), tags=said.tags, generated=True, events=events, loc=event.loc,
        requires=(pick.id,),
    )
    return [typed, pick]


@functools.lru_cache(maxsize=4096)
def _year_text(year: int) -> Text:
    return Text(str(year), str(year))


class _EraOptions:
    """The eras an era question may offer, for the events of one `generate_questions`: each event's own era (the
    first of that id) and the others not spanning its year, found once for each era and year."""

    def __init__(self, eras: Sequence[Era]) -> None:
        self.eras = eras
        self.own: dict[str, Era] = {}
        for era in eras:
            self.own.setdefault(era.id, era)
        self.others: dict[tuple[str, int], tuple[list[Era], list[bytes]]] = {}

    def wrong(self, event: Event) -> tuple[list[Era], list[bytes]]:
        """The eras other than the event's that do not span its year, in bank order, and their ids as bytes."""
        key = (event.era, event.date.year)
        found = self.others.get(key)
        if found is None:
            era_id, year = key
            others = [era for era in self.eras if era.id != era_id and not era.start <= year <= era.end]
            found = self.others[key] = others, [era.id.encode() for era in others]
        return found


def _era_question(event: Event, eras: _EraOptions, said: _Words) -> Question | None:
    own = eras.own.get(event.era)
    others, ids = eras.wrong(event)
    if own is None or len(others) < 1:
        return None
    # The three others with the lowest choice_hash("era", event.id, era.id), the shared prefix hashed once: an
    # 8-byte big-endian digest orders as its number does (equal ones keep the eras' order, as ever).
    prefix = blake2b(f"era|{event.id}|".encode(), digest_size=8)
    copy = prefix.copy
    digests: list[bytes] = []
    add = digests.append
    for era_id in ids:
        digest = copy()
        digest.update(era_id)
        add(digest.digest())
    lowest = heapq.nsmallest(3, digests)
    if len(set(lowest)) < len(lowest):  # two equal digests: the earlier era first
        chosen = [others[i] for i in sorted(range(len(digests)), key=digests.__getitem__)[:3]]
    else:
        chosen = [others[digests.index(digest)] for digest in lowest]
    options = sorted([own, *chosen], key=lambda era: (era.start, era.end))
    title = event.title
    return Question(
        f"gen-era-{event.id}", Kind.CHOICE, event.era,
        era_prompt(title),
        own.title,
        # No verb agrees with the title (either gender in Arabic, either number in English).
        Text(f"{said.dated_ar}: من حقبة «{own.title.ar}»." if title.ar else "",
             f"{said.dated_cap}: part of the period “{own.title.en}”." if title.en else ""),
        event.source,
        choices=tuple(era.title for era in options),
        tags=said.tags, generated=True, events=(event.id,), loc=event.loc, asks_era=True,
    )


def _first_questions(group: Sequence[Event], window: int, pairs: list[tuple[Event, Event]],
                     words: Mapping[int, _Words]) -> list[Question]:
    return [_first_question(a, b, words) for a, b in pairs or _fallback_pair(group, window)]


def _fallback_pair(group: Sequence[Event], window: int) -> list[tuple[Event, Event]]:
    """An era of three or more events (of at least two years) where the hash chose no pair gets one: the pair
    with the lowest hash, within the window if one is. It is the era's only *which came first*, and the only
    generated question an event added to the same era may remove (the hash-chosen pairs never change)."""
    if len(group) < 3:
        return []
    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1:] if a.date.year < b.date.year]
    pool = [(a, b) for a, b in pairs if b.date.year - a.date.year <= window] or pairs
    return [min(pool, key=lambda p: (_h("first", p[0].id, p[1].id), p[0].id, p[1].id))] if pool else []


def _first_question(a: Event, b: Event, words: Mapping[int, _Words]) -> Question:
    said_a, said_b = words[id(a)], words[id(b)]
    # Show the pair in a fixed order that does not give the answer away.
    x, y = (said_a, said_b) if _h("firstshow", a.id, b.id) % 2 else (said_b, said_a)
    return Question(
        f"gen-first-{_short(a.id, b.id)}", Kind.CHOICE, a.era,
        # «أيّ الحدثين» is the subject, so nothing agrees with a title; the titles are quoted so that commas
        # inside one do not blur where it ends.
        Text(f"أيّ الحدثين أسبق: {x.quoted} أم {y.quoted}؟" if x.ar and y.ar else "",
             f"Which came first: {x.lower} or {y.lower}?" if x.en and y.en else ""),
        said_a.item.text,
        Text(f"الأسبق: {said_a.dated_ar}، ثم {said_b.dated_ar}." if said_a.ar and said_b.ar else "",
             f"{said_a.dated_cap} came before {said_b.dated_lower}." if said_a.en and said_b.en else ""),
        a.source,
        choices=(x.item.text, y.item.text),
        tags=_tags(said_a, said_b), generated=True, events=(a.id, b.id), loc=a.loc,
    )


def _order_questions(group: Sequence[Event], window: int, pairs: list[tuple[Event, Event]],
                     words: Mapping[int, _Words]) -> list[Question]:
    """Chains a < b < c of chosen pairs (`_first_pairs`) within the window, one in two kept by a hash of their own
    ids; a chain extends to a fourth event the same way, one in three. Each
    depends only on the events it names."""
    later: dict[str, list[Event]] = {}
    for a, b in pairs:
        later.setdefault(a.id, []).append(b)
    out: list[Question] = []
    for a in group:
        start = a.date.year
        for b in later.get(a.id, ()):
            for c in later.get(b.id, ()):
                if c.date.year - start > window:
                    continue
                three = f"{a.id}|{b.id}|{c.id}"
                if hash_bytes(f"order3|{three}".encode()) % 2:  # choice_hash("order3", a.id, b.id, c.id)
                    continue
                out.append(_order_question([a, b, c], words))
                for d in later.get(c.id, ()):
                    if d.date.year - start <= window and hash_bytes(f"order4|{three}|{d.id}".encode()) % 3 == 0:
                        out.append(_order_question([a, b, c, d], words))
    return out or [_order_question(chain, words) for chain in _fallback_chain(group, window)]


def _fallback_chain(group: Sequence[Event], window: int) -> list[tuple[Event, Event, Event]]:
    """An era of events in three or more years where the hash chose no chain gets one: the three events of
    distinct years with the lowest hash, within the window if any are; the era's only *put in order*."""
    years = [e.date.year for e in group]
    if len(set(years)) < 3:
        return []
    best: tuple[tuple[int, str, str, str], tuple[Event, Event, Event]] | None = None
    for near in (True, False):
        for i, a in enumerate(group):
            for j in range(i + 1, len(group)):
                b = group[j]
                if near and b.date.year - a.date.year > window:
                    break
                for c in group[j + 1:]:
                    if near and c.date.year - a.date.year > window:
                        break
                    if a.date.year < b.date.year < c.date.year:
                        key = (_h("order3", a.id, b.id, c.id), a.id, b.id, c.id)
                        if best is None or key < best[0]:
                            best = key, (a, b, c)
        if best is not None:
            return [best[1]]
    return []


def _order_question(members: Sequence[Event], words: Mapping[int, _Words]) -> Question:
    ids = tuple([m.id for m in members])
    said = [words[id(m)] for m in members]
    items = tuple([s.item for s in said])
    titles = [s.ar for s in said]
    has_ar = "" not in titles
    has_en = "" not in [s.en for s in said]
    # Named by what it orders, so no two share a prompt, listed never in the answer's order.
    ar = "، ".join(map(_quoted, _not_in_order(titles))) if has_ar else ""
    en = "; ".join(_not_in_order([s.lower for s in said])) if has_en else ""
    return Question(
        f"gen-order-{_short(*ids)}", Kind.ORDER, members[0].era,
        Text(f"رتّب هذه الأحداث من الأقدم إلى الأحدث: {ar}." if has_ar else "",
             f"Put these events in order, oldest first: {en}." if has_en else ""),
        _NO_TEXT,
        Text("، ثم ".join([s.dated_ar for s in said]) + "." if has_ar else "",
             _cap(", then ".join([s.dated_lower for s in said])) + "." if has_en else ""),
        members[0].source,
        items=items, tags=_tags(*said), generated=True, events=ids, loc=members[0].loc,
    )


_NO_TEXT = Text()


def _not_in_order(titles: Sequence[str]) -> list[str]:
    """Titles (given oldest first) alphabetically, the first two swapped when the alphabet happens to be the
    chronology or its reverse: a prompt that lists the events never hands over the answer."""
    listed = sorted(titles, key=str.casefold)
    if listed in (list(titles), list(titles)[::-1]):
        listed[0], listed[1] = listed[1], listed[0]
    return listed
