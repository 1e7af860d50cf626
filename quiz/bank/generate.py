"""Questions generated from events: *in which year…*, *which came first…*, *put these in order…*, *which era…*.

Every generated id is derived from the ids of the events it names (`gen-year-<event>`, `gen-first-<hash>`, …),
and every choice of pairs and groups is made by a hash of those ids alone, so adding an unrelated event never
changes an existing generated question.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import replace

try:  # blake2b without hashlib, which loads OpenSSL (~4 ms at start-up) for hashes quiz never uses
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

from quiz.model import Era, Event, EventDate, Kind, OrderItem, Question, Source, Text

AR_MONTHS = (
    "يناير/كانون الثاني", "فبراير/شباط", "مارس/آذار", "أبريل/نيسان", "مايو/أيار", "يونيو/حزيران",
    "يوليو/تموز", "أغسطس/آب", "سبتمبر/أيلول", "أكتوبر/تشرين الأول", "نوفمبر/تشرين الثاني", "ديسمبر/كانون الأول",
)
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)


@functools.lru_cache(maxsize=4096)
def date_text(date: EventDate) -> Text:
    """A date as people write it: '4 October 1957' / '4 أكتوبر/تشرين الأول 1957'."""
    if date.month is None:
        return Text(str(date.year), str(date.year))
    ar = f"{AR_MONTHS[date.month - 1]} {date.year}"
    en = f"{EN_MONTHS[date.month - 1]} {date.year}"
    if date.day:
        ar, en = f"{date.day} {ar}", f"{date.day} {en}"
    return Text(ar, en)


def _h(*parts: str) -> int:
    return int.from_bytes(blake2b("|".join(parts).encode(), digest_size=8).digest(), "big")


def _short(*parts: str) -> str:
    return blake2b("|".join(parts).encode(), digest_size=5).hexdigest()


def _event_source(*events: Event) -> Source | None:
    return events[0].source


def _tags(*events: Event) -> tuple[str, ...]:
    tags: dict[str, None] = {"generated": None}
    for event in events:
        tags.update(dict.fromkeys(event.tags))
    return tuple(tags)


def generate_questions(events: Sequence[Event], eras: Sequence[Era]) -> list[Question]:
    """Questions drawn from events. Each depends only on the events it names (and the eras), so adding an
    unrelated event never changes an existing generated question: pairs and groups are chosen by a hash of
    their own event ids, never by their neighbours."""
    usable = [e for e in events if e.generate and not e.draft]
    out: list[Question] = []
    for event in usable:
        out.extend(_year_questions(event))
        era_question = _era_question(event, eras)
        if era_question is not None:
            out.append(era_question)
    by_era: dict[str, list[Event]] = {}
    for event in usable:
        by_era.setdefault(event.era, []).append(event)
    spans = {era.id: era.end - era.start for era in eras}
    for era_id, group in by_era.items():
        group.sort(key=lambda e: (e.date.sort_key(), e.id))
        window = pair_window(spans.get(era_id, 0))
        out.extend(_first_questions(group, window))
        out.extend(_order_questions(group, window))
    return out


def pair_window(span: int) -> int:
    """How many years apart two events of an era may be to be compared or ordered together: half the era's
    span, at least 10. Close events make the better question, and the window keeps the number of generated
    questions in proportion to an era's density instead of growing with the square of its size."""
    return max(10, span // 2)


def _first_pairs(group: Sequence[Event], window: int) -> Iterator[tuple[Event, Event]]:
    """Pairs (earlier, later) chosen by a hash of their own two ids: one in four of the pairs of events of
    different years at most `window` years apart."""
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            if b.date.year - a.date.year > window:
                break
            if a.date.year != b.date.year and _h("first", a.id, b.id) % 4 == 0:
                yield a, b


def _year_questions(event: Event) -> list[Question]:
    year = str(event.date.year)
    when = date_text(event.date)
    detail = event.detail if (event.detail.ar or event.detail.en) else Text()
    explanation = Text(
        f"{event.title.ar}: {when.ar}. {detail.ar}".strip(),
        f"{_cap(event.title.en)}: {when.en}. {detail.en}".strip(),
    )
    prompt = Text(f"في أي عام كان {event.title.ar}؟", f"In which year did {event.title.en} take place?")
    typed = Question(
        f"gen-year-{event.id}", Kind.TYPED, event.era, prompt, Text(year, year), explanation, _event_source(event),
        tags=_tags(event), generated=True, events=(event.id,), loc=event.loc,
    )
    offsets = [d for d in range(-6, 7) if d != 0]
    seed = _h("yearpick", event.id)
    picked: list[int] = []
    while len(picked) < 3:
        index = seed % len(offsets)
        picked.append(offsets.pop(index))
        seed //= 13
    years = sorted([event.date.year, *(event.date.year + d for d in picked)])
    choices = tuple(Text(str(y), str(y)) for y in years)
    pick = replace(typed, id=f"gen-yearpick-{event.id}", kind=Kind.CHOICE, choices=choices)
    return [typed, pick]


def _era_question(event: Event, eras: Sequence[Era]) -> Question | None:
    own = next((era for era in eras if era.id == event.era), None)
    others = [era for era in eras if era.id != event.era and not era.start <= event.date.year <= era.end]
    if own is None or len(others) < 1:
        return None
    # Ordered by _h("era", event.id, era.id), the shared prefix hashed once.
    prefix = blake2b(f"era|{event.id}|".encode(), digest_size=8)

    def rank(era: Era) -> int:
        digest = prefix.copy()
        digest.update(era.id.encode())
        return int.from_bytes(digest.digest(), "big")

    others.sort(key=rank)
    options = sorted([own, *others[:3]], key=lambda era: (era.start, era.end))
    return Question(
        f"gen-era-{event.id}", Kind.CHOICE, event.era,
        Text(f"إلى أي مرحلة من مراحل العلاقات ينتمي {event.title.ar}؟",
             f"To which era of the relationship does {event.title.en} belong?"),
        own.title,
        Text(f"{event.title.ar} ({date_text(event.date).ar}) من مرحلة «{own.title.ar}» ({own.start}–{own.end}).",
             f"{_cap(event.title.en)} ({date_text(event.date).en}) belongs to “{own.title.en}” "
             f"({own.start}–{own.end})."),
        _event_source(event),
        choices=tuple(era.title for era in options),
        tags=_tags(event), generated=True, events=(event.id,), loc=event.loc, asks_era=True,
    )


def _first_questions(group: Sequence[Event], window: int) -> list[Question]:
    out: list[Question] = []
    for a, b in _first_pairs(group, window):
        # Show the pair in a fixed order that does not give the answer away.
        shown = (a, b) if _h("firstshow", a.id, b.id) % 2 else (b, a)
        out.append(Question(
            f"gen-first-{_short(a.id, b.id)}", Kind.CHOICE, a.era,
            Text(f"أيهما كان أولًا: {shown[0].title.ar}، أم {shown[1].title.ar}؟",
                 f"Which came first: {shown[0].title.en}, or {shown[1].title.en}?"),
            a.title,
            Text(f"{a.title.ar} ({date_text(a.date).ar}) سبق {b.title.ar} ({date_text(b.date).ar}).",
                 f"{_cap(a.title.en)} ({date_text(a.date).en}) came before {b.title.en} "
                 f"({date_text(b.date).en})."),
            _event_source(a, b),
            choices=(shown[0].title, shown[1].title),
            tags=_tags(a, b), generated=True, events=(a.id, b.id), loc=a.loc,
        ))
    return out


def _order_questions(group: Sequence[Event], window: int) -> list[Question]:
    """Chains a < b < c of chosen pairs within the window, one in two kept by a hash of their own ids; a
    chain extends to a fourth event the same way, one in six. Each depends only on the events it names."""
    later: dict[str, list[Event]] = {}
    for a, b in _first_pairs(group, window):
        later.setdefault(a.id, []).append(b)
    out: list[Question] = []
    for a in group:
        for b in later.get(a.id, ()):
            for c in later.get(b.id, ()):
                if c.date.year - a.date.year > window or _h("order3", a.id, b.id, c.id) % 2:
                    continue
                out.append(_order_question([a, b, c]))
                for d in later.get(c.id, ()):
                    if d.date.year - a.date.year <= window and _h("order4", a.id, b.id, c.id, d.id) % 3 == 0:
                        out.append(_order_question([a, b, c, d]))
    return out


def _order_question(members: Sequence[Event]) -> Question:
    ids = [m.id for m in members]
    items = tuple(OrderItem(m.title, m.date.year) for m in members)
    return Question(
        f"gen-order-{_short(*ids)}", Kind.ORDER, members[0].era,
        Text("رتّب هذه الأحداث ترتيبًا زمنيًا، من الأقدم إلى الأحدث.",
             "Put these events in chronological order, oldest first."),
        Text(),
        Text("؛ ".join(f"{m.title.ar} ({date_text(m.date).ar})" for m in members) + ".",
             "; ".join(f"{_cap(m.title.en)} ({date_text(m.date).en})" for m in members) + "."),
        _event_source(*members),
        items=items, tags=_tags(*members), generated=True, events=tuple(ids), loc=members[0].loc,
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
