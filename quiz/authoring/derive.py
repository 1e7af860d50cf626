"""`quiz derive`: draft eras and events from a timeline document (plain text or Markdown, Arabic or English).

- A heading with a year span becomes an era: `## The Cold War (1945–1991)`, `الحرب الباردة 1945-1991`,
  `(٢٠١٤-٢٠٢٢)` (Arabic-Indic and Persian digits are read), `1991 to 2000`, `من 2022 حتى اليوم`. A heading is a
  Markdown heading (`#`), or a short line with a span that does not end like a sentence.
- Paragraphs are counted from 1 within each section (headings and advertisement markers such as `إعلان` do not
  count); text before the first heading is the section `intro`.
- Each date of a sentence becomes an event (`quiz.authoring.dates` reads them: `4 October 1957`, `October 1957`,
  `in 1957`, `4 أكتوبر 1957`, `فبراير/شباط 2022`, `آذار (مارس) 2003`, `عام 1962`; a range "between 1969 and 1972"
  is one event dated by its start, the range said in the detail). `quiz.authoring.sentences` cuts the sentence
  into the clause each date dates, the date phrase out whole and lists kept whole; `quiz.authoring.phrasing`
  turns the clause into a noun-phrase title and a `year_question` in the clause's own finite verb. The detail is
  the whole sentence, the source `{doc: <file stem>, era: <section>, para: N}`. Markdown table rows are read one
  by one (the date cell, then the first other cell as the clause).
- The era is the section's when the year falls within it, else the era whose span holds it; a file without
  era headings gets one era spanning its years, named after the document.
- Ids: English titles give words and the year; Arabic ones the document's id and the date (see `_readable_id`).
- Everything is written with `draft: true`: drafts validate but are never studied or exported until a teacher
  has checked them and removed the mark. Dated sentences that could not become events (a year outside every
  era, a day that does not exist) are listed with their line.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.authoring import yamledit
from quiz.authoring.add import slug_words, unique_id
from quiz.authoring.dates import ADVERT, DIGITS, SPAN_RE, date_phrases, find_dates, find_span
from quiz.authoring.sentences import Unit, choose_clause, sentence_units, split_sentences
from quiz.model import Document, EventDate, Text

__all__ = ["Derivation", "derive", "derive_file", "find_dates", "find_span", "sentence_units", "split_sentences"]
_ARABIC = re.compile(r"[\u0600-\u06FF]")

@dataclass(frozen=True, slots=True)
class DerivedEra:
    id: str
    start: int
    end: int
    title: Text
    line: int


@dataclass(frozen=True, slots=True)
class DerivedEvent:
    id: str
    date: EventDate
    era: str
    title: Text
    detail: Text
    section: str | None  # an era id, "intro", or None (a section of the document that is not an era)
    para: int
    line: int
    end: EventDate | None = None  # a range event's end ("between 1969 and 1972"); the date is its start
    year_question: Text | None = None  # in finite-verb form, when the title is drawn from a clause
    checked: bool = True  # False: the title is still a clause; the teacher must rewrite it as a noun phrase


@dataclass(frozen=True, slots=True)
class Skipped:
    """A dated sentence that did not become an event, and why."""

    line: int
    sentence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Derivation:
    """The drafts derived from one timeline: its source document (id, title, file name), eras and events, and the
    dated sentences that did not become events."""

    document: Document
    eras: tuple[DerivedEra, ...]
    events: tuple[DerivedEvent, ...]
    skipped: tuple[Skipped, ...]
    dated: int  # sentences with a date

    @property
    def doc_id(self) -> str:
        return self.document.id

    @property
    def doc_title(self) -> Text:
        return self.document.title

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        """The drafts as bank-file sections (plain data for `yamledit`)."""
        doc = self.document
        source = {"id": doc.id, "title": _text(doc.title), "file": doc.file, "kind": doc.kind}
        eras = [{"id": e.id, "start": e.start, "end": e.end, "title": _text(e.title), "draft": True}
                for e in self.eras]
        order = {era.id: index for index, era in enumerate(self.eras)}
        events = sorted(self.events, key=lambda e: (order[e.era], e.date.sort_key()))
        rendered = [
            {"id": e.id, "date": _date_value(e.date), "era": e.era, "title": _text(e.title),
             **({"year_question": _text(e.year_question)} if e.year_question else {}),
             "detail": _text(e.detail),
             "source": {"doc": doc.id, **({"era": e.section} if e.section else {}), "para": e.para},
             "draft": True}
            for e in events
        ]
        return {"sources": [source], "eras": eras, "events": rendered}

    def questions(self) -> list[str]:
        """What the generator will ask once the draft marks are gone, for derive's summary, in the words it
        will use (the generator itself drafts them): each event's year question and, with two eras or more, its
        era question; then the questions comparing events (which came first, put in order)."""
        from quiz.bank.generate import generate_questions
        from quiz.model import Era, Event

        eras = [Era(e.id, e.start, e.end, e.title) for e in self.eras]
        events = [Event(e.id, e.date, e.era, e.title, e.detail, None, year_question=e.year_question or Text())
                  for e in self.events]
        generated = {q.id: q for q in generate_questions(events, eras)}

        def asked(qid: str, lang: str) -> str | None:
            question = generated.get(qid)
            return getattr(question.prompt, lang) or None if question is not None else None

        lines: list[str] = []
        langs: set[str] = set()
        for e in self.events:
            lang = "ar" if e.title.ar else "en"
            langs.add(lang)
            flag = "" if e.checked else "  [the title is a clause: rewrite it as a noun phrase]"
            year = asked(f"gen-yearpick-{e.id}", lang) or ""
            lines.append(f"{e.id} ({e.date.iso()}{'–' + e.end.iso() if e.end else ''}): {year}{flag}")
            era = asked(f"gen-era-{e.id}", lang)
            if era:
                lines.append(f"  {era}")
        lang = "ar" if langs == {"ar"} else "en"
        comparing = [text for q in generated.values() if q.id.startswith(("gen-first-", "gen-order-"))
                     and (text := getattr(q.prompt, lang))]
        if comparing:
            lines.append(f"Comparing events ({len(comparing)}):")
            lines.extend(f"  {text}" for text in comparing)
        return lines

    def render(self) -> str:
        counts = f"{_count(len(self.eras), 'era')}, {_count(len(self.events), 'event')}"
        header = (f"Drafted by quiz derive from {self.document.file}: {counts}.\n"
                  "Every era and event is a draft (draft: true): it validates but is never studied or exported.\n"
                  "Check each title, date and era, add the other language, then delete the draft line.")
        text, _ = yamledit.render_file(self.sections(), header)
        return text


def _text(text: Text) -> dict[str, str]:
    return {lang: getattr(text, lang) for lang in ("ar", "en") if getattr(text, lang)}


def _date_value(date: EventDate) -> Any:
    import datetime

    if date.month is None:
        return date.year
    if date.day is None:
        return date.iso()
    return datetime.date(date.year, date.month, date.day)


def _lang_text(value: str) -> Text:
    return Text(ar=value) if _ARABIC.search(value) else Text(en=value)


# --- reading the document --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Heading:
    line: int
    text: str
    span: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class _Paragraph:
    line: int
    lines: tuple[tuple[int, str], ...]
    cells: tuple[str, ...] = ()  # a Markdown table row: one paragraph, its cells


def _strip_markup(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return " ".join(text.split())


def _is_plain_heading(line: str, this_year: int) -> bool:
    text = _strip_markup(line)
    return (len(text.split()) <= 15 and not re.search(r"[.!?؟:;،,]$", text.rstrip(")]»\"”' "))
            and find_span(text, this_year) is not None)


def _blocks(text: str, this_year: int) -> list[_Heading | _Paragraph]:
    out: list[_Heading | _Paragraph] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if current:
            out.append(_Paragraph(current[0][0], tuple(current)))
            current.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or re.fullmatch(r"[-=*_]{3,}", line) or line.casefold().strip(":") in ADVERT:
            flush()
            continue
        if line.startswith("|"):
            flush()
            cells = tuple(_strip_markup(c) for c in line.strip("|").split("|"))
            if not all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) for c in cells):  # not the line under the header
                out.append(_Paragraph(number, ((number, " | ".join(cells)),), tuple(c.strip() for c in cells)))
            continue
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*$", line)
        item = re.match(r"^(?:[-*+•]|\d+[.)])\s+(.*)$", line)
        if heading or (not item and _is_plain_heading(line, this_year)):
            flush()
            title = _strip_markup(heading.group(1) if heading else line)
            found = find_span(title, this_year)
            out.append(_Heading(number, title, (found[0], found[1]) if found else None))
            continue
        if item:
            flush()
            line = item.group(1)
        current.append((number, _strip_markup(line)))
        if re.search(r"[.!?؟][\"'”’»)]*$", line):
            flush()
    flush()
    return out


def _era_title(heading: str) -> str:
    found = SPAN_RE.search(heading.translate(DIGITS))
    if not found:
        return heading
    title = heading[: found.start()] + heading[found.end():]
    title = re.sub(r"[(\[]\s*(?:من|from)?\s*[)\]]", " ", title)
    title = re.sub(r"\b(?:from|between)\s*$|(?:^|\s)(?:من|بين)\s*$", " ", title.strip())
    return " ".join(title.split()).strip(" -–—:،,()[]")


# --- the derivation --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draft:
    date: EventDate
    end: EventDate | None
    clause: str
    detail: str
    section: DerivedEra | None
    section_name: str | None
    para: int
    line: int
    sentence: str


def _row_units(cells: Sequence[str]) -> tuple[list[Unit], str]:
    """A table row: the date from its date cell, the clause from its first other cell."""
    for index, cell in enumerate(cells):
        phrases = date_phrases(cell)
        if phrases and len(re.sub(r"[\d\s/–—\-.,]", "", cell[: phrases[0].start] + cell[phrases[0].stop:])) <= 12:
            others = [c for i, c in enumerate(cells) if i != index and c]
            if not others:
                break
            detail = f"{cell}: " + ". ".join(c.rstrip(".") for c in others) + "."
            return [Unit(phrases[0], choose_clause(others[0]))], detail
    return [], ""


def _readable_id(title: str, date: EventDate, doc_id: str) -> str:
    """English titles give words and the year (`six-countries-signing-treaty-paris-1951`). Arabic titles give
    the document's id and the event's date (`arab-independence-1962-07-05`): a transliteration reads to no one
    (`twsa-walazmat`), while a date is read the same in both languages, says where the event sits in the
    file, and stays true when the teacher rewrites the title."""
    if _ARABIC.search(title):
        return f"{doc_id}-{date.iso()}"
    words = slug_words(title, max_words=5)
    return "-".join([*words, str(date.year)])


def derive(
    text: str,
    *,
    file_name: str,
    this_year: int,
    taken_docs: Collection[str] = (),
    taken_eras: Collection[str] = (),
    taken_events: Collection[str] = (),
) -> Derivation:
    """Draft eras and events from a timeline's text; ids avoid those already `taken` in the bank."""
    from quiz.authoring.phrasing import phrase

    stem = Path(file_name).stem
    doc_words = [] if _ARABIC.search(stem) else slug_words(stem.replace("_", " "), max_words=6)
    doc_id = unique_id("-".join(doc_words) or "timeline", taken_docs)
    blocks = _blocks(text.lstrip("\ufeff"), this_year)
    eras: list[DerivedEra] = []
    era_ids = set(taken_eras)
    doc_title = ""
    for block in blocks:
        if isinstance(block, _Heading) and block.span is not None:
            title = _era_title(block.text) or f"{block.span[0]}–{block.span[1]}"
            words = [] if _ARABIC.search(title) else slug_words(title, max_words=4)
            era_id = unique_id("-".join(words) if words else f"era-{block.span[0]}-{block.span[1]}", era_ids)
            era_ids.add(era_id)
            eras.append(DerivedEra(era_id, block.span[0], block.span[1], _lang_text(title), block.line))
        elif isinstance(block, _Heading) and not doc_title and not eras:
            doc_title = block.text
    first = blocks[0] if blocks else None
    if (not doc_title and isinstance(first, _Paragraph) and len(first.lines) == 1 and not first.cells
            and len(first.lines[0][1].split()) <= 12 and not re.search(r"[.!?؟:;،,]$", first.lines[0][1])):
        doc_title = first.lines[0][1]  # a title line at the top: not a paragraph
        blocks = blocks[1:]
    if not doc_title:
        doc_title = stem.replace("_", " ").replace("-", " ")
    drafts: list[_Draft] = []
    skipped: list[Skipped] = []
    dated = 0
    section: DerivedEra | None = None
    section_name: str | None = "intro"  # the source's era: "intro" before the first era, None in other sections
    para = 0
    era_at = {era.line: era for era in eras}
    for block in blocks:
        if isinstance(block, _Heading):
            section = era_at.get(block.line)
            if section is not None:
                section_name = section.id
            elif eras and block.line > eras[0].line:
                section_name = None
            para = 0
            continue
        para += 1
        if block.cells:
            sentences = [" | ".join(block.cells)]
        else:
            sentences = split_sentences(" ".join(line for _, line in block.lines))
        for sentence in sentences:
            mentions = find_dates(sentence)
            if not mentions:
                continue
            dated += 1
            line = _line_of(sentence, block)
            units, detail = _row_units(block.cells) if block.cells else (sentence_units(sentence), sentence)
            if not units:
                reason = (mentions[0].reason or f"the date '{mentions[0].text}' does not exist"
                          if mentions[0].date is None else "no title could be drawn from the sentence")
                skipped.append(Skipped(line, sentence, reason))
                continue
            for unit in units:
                if len(unit.clause.split()) < 2:
                    skipped.append(Skipped(line, sentence, "no title could be drawn from the sentence"))
                    continue
                drafts.append(_Draft(unit.phrase.date, unit.phrase.end, unit.clause, detail, section,
                                     section_name, para, line, sentence))
    if not eras and drafts:
        # No era headings: one era spanning the timeline's years, named after the document.
        start = min(d.date.year for d in drafts)
        end = max((d.end or d.date).year for d in drafts)
        era_id = unique_id(doc_id if doc_id != "timeline" else f"era-{start}-{end}", era_ids)
        eras.append(DerivedEra(era_id, start, end, _lang_text(doc_title), 0))
    events: list[DerivedEvent] = []
    event_ids = set(taken_events)
    for draft in drafts:
        year = draft.date.year
        era = draft.section if draft.section is not None and draft.section.start <= year <= draft.section.end \
            else None
        era = era or next((e for e in eras if e.start <= year <= e.end), None)
        if era is None:
            spans = ", ".join(f"{e.id} {e.start}–{e.end}" for e in eras)
            skipped.append(Skipped(draft.line, draft.sentence, f"{year} is outside every era ({spans})"))
            continue
        drafted = phrase(draft.clause, ranged=draft.end is not None)
        event_id = unique_id(_readable_id(drafted.title, draft.date, doc_id), event_ids)
        event_ids.add(event_id)
        question = _lang_text(drafted.year_question) if drafted.year_question else None
        events.append(DerivedEvent(event_id, draft.date, era.id, _lang_text(drafted.title),
                                   _lang_text(draft.detail), draft.section_name, draft.para, draft.line,
                                   end=draft.end, year_question=question, checked=drafted.checked))
    skipped.sort(key=lambda s: s.line)
    document = Document(doc_id, _lang_text(doc_title), file=Path(file_name).name)
    return Derivation(document, tuple(eras), tuple(events), tuple(skipped), dated)


def _line_of(sentence: str, block: _Paragraph) -> int:
    probe = sentence[:20]
    for number, line in block.lines:
        if probe and probe in line:
            return number
    return block.line


def derive_file(path: Path, *, this_year: int, taken_docs: Collection[str] = (), taken_eras: Collection[str] = (),
                taken_events: Collection[str] = ()) -> Derivation:
    from quiz.errors import AuthoringError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuthoringError(f"cannot read the file ({exc.strerror or exc})", where=str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AuthoringError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                             where=f"{path}:{line}") from None
    return derive(text, file_name=path.name, this_year=this_year, taken_docs=taken_docs, taken_eras=taken_eras,
                  taken_events=taken_events)


def list_skipped(derivation: Derivation, shown: str) -> Sequence[str]:
    return [f"{shown}:{s.line}: {s.reason}: {_short(s.sentence)}" for s in derivation.skipped]


def _short(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
