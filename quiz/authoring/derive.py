"""`quiz derive`: draft eras and events from a timeline document (plain text or Markdown, Arabic or English).

- A heading with a year span becomes an era: `## The Cold War (1945–1991)`, `الحرب الباردة 1945-1991`,
  `(٢٠١٤-٢٠٢٢)` (Arabic-Indic and Persian digits are read), `1991 to 2000`, `من 2022 حتى اليوم`. A heading is a
  Markdown heading (`#`), or a short line with a span that does not end like a sentence.
- Paragraphs are counted from 1 within each section (headings and advertisement markers such as `إعلان` do not
  count); text before the first heading is the section `intro`.
- Each sentence with a date becomes an event: `4 October 1957`, `October 4, 1957`, `October 1957`, `in 1957`,
  `4 أكتوبر 1957`, `شباط 2022`, `فبراير/شباط 2022`, `آذار (مارس) 2003`, `عام 1962`. The first date of the sentence is
  the event's date; the era is the section's when the year falls within it, else the era whose span holds it.
  The title is drawn from the sentence (the date phrase taken out, cut at the first clause), the detail is the
  whole sentence, and the source is `{doc: <file stem>, era: <section>, para: N}`.
- Everything is written with `draft: true`: drafts validate but are never studied or exported until a teacher
  has checked them and removed the mark. Dated sentences that could not become events (a year outside every
  era, a day that does not exist) are listed with their line.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quiz.authoring import yamledit
from quiz.authoring.add import slug_words, unique_id
from quiz.model import EventDate, Text

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_DASH = r"[-–—−‐‑]"
_PRESENT = r"present|today|now|الآن|الان|اليوم|الحاضر|الوقت الحاضر"
SPAN_RE = re.compile(
    rf"(?<!\d)(\d{{3,4}})\s*(?:{_DASH}|\bto\b|\buntil\b|\btill\b|\bthrough\b|إلى|الى|حتى)\s*"
    rf"(\d{{4}}|\d{{2}}(?!\d)|{_PRESENT})(?!\d)",
    re.IGNORECASE,
)
ADVERT = {"إعلان", "اعلان", "advertisement", "ad", "sponsored"}

EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_A = "[اأإآ]"
AR_MONTHS: tuple[tuple[str, int], ...] = (
    # the Levantine / Iraqi names (two words first, so كانون الثاني is not read as something shorter)
    (rf"كانون\s+ال{_A}ول", 12), (r"كانون\s+الثاني", 1), (rf"تشرين\s+ال{_A}ول", 10), (r"تشرين\s+الثاني", 11),
    (r"شباط", 2), (rf"{_A}ذار", 3), (r"نيسان", 4), (rf"{_A}يار", 5), (r"حزيران", 6), (r"تموز", 7), (rf"{_A}ب", 8),
    (rf"{_A}يلول", 9),
    # the names of the Gregorian months used in Egypt and the Gulf
    (r"يناير", 1), (r"فبراير", 2), (r"مارس", 3), (rf"{_A}بريل", 4), (r"مايو", 5), (r"يونيو|يونيه", 6),
    (r"يوليو|يوليه", 7), (rf"{_A}غسطس", 8), (r"سبتمبر", 9), (rf"{_A}كتوبر", 10), (r"نوفمبر", 11), (r"ديسمبر", 12),
)
_AR_MONTH = "|".join(f"(?:{pattern})" for pattern, _ in AR_MONTHS)
_AR_MONTH_TOKEN = rf"(?:{_AR_MONTH})(?:\s*[/(]\s*(?:{_AR_MONTH})\s*\)?)?"
_EN_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
             r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_YEAR = r"(?<![\d.,/:$£€])(\d{4})(?![\d]|s\b|'s\b|,\d|\.\d|\s*هـ)"
_DAY = r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"{_DAY}\s+(?:of\s+)?({_EN_MONTH}),?\s+{_YEAR}"), "dmy"),
    (re.compile(rf"({_EN_MONTH})\s+{_DAY},?\s+{_YEAR}"), "mdy"),
    (re.compile(rf"({_EN_MONTH}),?\s+(?:of\s+)?{_YEAR}"), "my"),
    (re.compile(rf"{_DAY}\s+(?:من\s+)?({_AR_MONTH_TOKEN})\s*(?:من\s+)?(?:عام|سنة|العام)?\s*{_YEAR}"), "dmy"),
    (re.compile(rf"(?<![\w])({_AR_MONTH_TOKEN})\s*(?:من\s+)?(?:عام|سنة|العام)?\s*{_YEAR}"), "my"),
    (re.compile(_YEAR), "y"),
)
_SENTENCE_END = re.compile(r"[.!?؟](?:[\"'”’»)\]]*)(?=\s+|$)")
_ABBREVIATIONS = {"st", "mr", "mrs", "ms", "dr", "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "gen", "col", "lt",
                  "gov", "sen", "rep", "pres", "prof", "approx"}
_BEFORE_DATE = re.compile(
    r"(?:\b(?:in|on|by|during|since|from|until|around|about|of|early|late|mid|at|the\s+end\s+of|the\s+year)"
    r"(?:\s+the\s+year)?\s*|(?:(?:في|منذ|خلال|بتاريخ|حتى|مطلع|أواخر|اواخر|أوائل|اوائل|منتصف|نهاية|بداية)\s+)?"
    r"(?:(?:عام|سنة|العام)\s*)?)$")
_WEAK_END = {"the", "a", "an", "of", "and", "to", "in", "on", "by", "with", "for", "at", "from", "was", "were",
             "و", "في", "من", "إلى", "الى", "على", "عن", "عام", "سنة", "بعد", "قبل", "لم", "به", "التي", "الذي"}
_LEAD_EN = re.compile(
    r"^(?:(?:in|on|by|during|from|since|until|around|about|early|late|mid|year|of|then|later|and|but|when|"
    r"as|also|however|after|before)\b[\s,]*)+", re.IGNORECASE)
_LEAD_AR = re.compile(r"^(?:(?:في|وفي|ففي|منذ|خلال|بتاريخ|عام|سنة|العام|ثم|و|وقد|قد|كما|بعد|قبل|حين|عندما|مطلع|"
                      r"أواخر|اواخر|أوائل|اوائل|منتصف|من)(?:\s+|$)[\s،,]*)+")


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


@dataclass(frozen=True, slots=True)
class Skipped:
    """A dated sentence that did not become an event, and why."""

    line: int
    sentence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Derivation:
    doc_id: str
    doc_title: Text
    file_name: str
    eras: tuple[DerivedEra, ...]
    events: tuple[DerivedEvent, ...]
    skipped: tuple[Skipped, ...]
    dated: int  # sentences with a date

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        """The drafts as bank-file sections (plain data for `yamledit`)."""
        source = {"id": self.doc_id, "title": _text(self.doc_title), "file": self.file_name, "kind": "reference"}
        eras = [{"id": e.id, "start": e.start, "end": e.end, "title": _text(e.title), "draft": True}
                for e in self.eras]
        order = {era.id: index for index, era in enumerate(self.eras)}
        events = sorted(self.events, key=lambda e: (order[e.era], e.date.sort_key()))
        rendered = [
            {"id": e.id, "date": _date_value(e.date), "era": e.era, "title": _text(e.title),
             "detail": _text(e.detail),
             "source": {"doc": self.doc_id, **({"era": e.section} if e.section else {}), "para": e.para},
             "draft": True}
            for e in events
        ]
        return {"sources": [source], "eras": eras, "events": rendered}

    def render(self) -> str:
        header = (f"Drafted by quiz derive from {self.file_name}: {len(self.eras)} eras, {len(self.events)} events.\n"
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


def _strip_markup(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return " ".join(text.split())


def find_span(text: str, this_year: int) -> tuple[int, int, re.Match[str]] | None:
    match = SPAN_RE.search(text.translate(DIGITS))
    if not match:
        return None
    start = int(match.group(1))
    raw_end = match.group(2)
    if raw_end.isdigit():
        end = int(raw_end)
        if len(raw_end) == 2:
            end = start // 100 * 100 + end
    else:
        end = this_year
    if end < start:
        return None
    return start, end, match


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


def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start:match.start()]
        word = re.split(r"\s", before)[-1].casefold() if before else ""
        if match.group(0).startswith(".") and (re.fullmatch(r"(?:[a-z]\.)*[a-z]", word) or word in _ABBREVIATIONS):
            continue
        sentences.append(paragraph[start:match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if s]


@dataclass(frozen=True, slots=True)
class DateMention:
    date: EventDate | None  # None when the day or month does not exist
    start: int
    end: int
    text: str


def _month(token: str) -> int:
    token = token.strip().rstrip(".")
    if token.casefold() in EN_MONTHS:
        return EN_MONTHS[token.casefold()]
    first = re.split(r"\s*[/(]\s*", token)[0]
    for pattern, number in AR_MONTHS:
        if re.fullmatch(pattern, first):
            return number
    return 0


def find_dates(sentence: str) -> list[DateMention]:
    """Every date mentioned in a sentence, most specific first where two overlap, in reading order."""
    text = sentence.translate(DIGITS)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, shape in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            groups = match.groups()
            day = month = 0
            if shape == "dmy":
                day, month, year = int(groups[0]), _month(groups[1]), int(groups[2])
            elif shape == "mdy":
                month, day, year = _month(groups[0]), int(groups[1]), int(groups[2])
            elif shape == "my":
                month, year = _month(groups[0]), int(groups[1])
            else:
                year = int(groups[0])
                if not 1000 <= year <= 2199:
                    continue
            date: EventDate | None
            if month and day and not 1 <= day <= calendar.monthrange(year, month)[1]:
                date = None
            else:
                date = EventDate(year, month or None, day or None)
            taken.append((match.start(), match.end()))
            found.append(DateMention(date, match.start(), match.end(), sentence[match.start():match.end()]))
    found.sort(key=lambda m: m.start)
    return found


def draw_title(sentence: str, mention: DateMention, *, max_words: int = 12) -> str:
    """A short title from a sentence: the date phrase out, leading connectors out, the first clause."""
    left = _BEFORE_DATE.sub("", sentence[: mention.start].rstrip())
    text = (left + " " + sentence[mention.end:]).strip()
    text = re.sub(r"\s+([,،])", r"\1", " ".join(text.split()))
    arabic = bool(_ARABIC.search(text))
    lead = _LEAD_AR if arabic else _LEAD_EN
    text = lead.sub("", text.lstrip(" ,،:-–—")).lstrip(" ,،:-–—")
    clauses = [c.strip() for c in re.split(r"[,،;؛:(]|\s[-–—]\s", text) if len(c.strip().split()) >= 2]
    text = clauses[0] if clauses else text
    words = text.split()
    words = words[:max_words]
    while len(words) > 2 and words[-1].casefold().strip(",،") in _WEAK_END:
        words.pop()
    title = " ".join(words).strip(" .!?؟،,;:\"'”“»«")
    if re.match(r"(?:The|A|An)\s", title):
        title = title[:1].lower() + title[1:]  # reads well mid-sentence, like the bank's titles
    return title


# --- the derivation --------------------------------------------------------------------------------------------


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
    stem = Path(file_name).stem
    doc_id = unique_id("-".join(slug_words(stem.replace("_", " "), max_words=6)) or "timeline", taken_docs)
    blocks = _blocks(text.lstrip("\ufeff"), this_year)
    eras: list[DerivedEra] = []
    era_ids = set(taken_eras)
    doc_title = ""
    for block in blocks:
        if isinstance(block, _Heading) and block.span is not None:
            title = _era_title(block.text) or f"{block.span[0]}–{block.span[1]}"
            words = slug_words(title, max_words=4)
            era_id = unique_id("-".join(words) if words else f"era-{block.span[0]}-{block.span[1]}", era_ids)
            era_ids.add(era_id)
            eras.append(DerivedEra(era_id, block.span[0], block.span[1], _lang_text(title), block.line))
        elif isinstance(block, _Heading) and not doc_title and not eras:
            doc_title = block.text
    first = blocks[0] if blocks else None
    if (not doc_title and isinstance(first, _Paragraph) and len(first.lines) == 1
            and len(first.lines[0][1].split()) <= 12 and not re.search(r"[.!?؟:;،,]$", first.lines[0][1])):
        doc_title = first.lines[0][1]  # a title line at the top: not a paragraph
        blocks = blocks[1:]
    if not doc_title:
        doc_title = stem.replace("_", " ").replace("-", " ")
    events: list[DerivedEvent] = []
    skipped: list[Skipped] = []
    event_ids = set(taken_events)
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
        paragraph = " ".join(line for _, line in block.lines)
        for sentence in split_sentences(paragraph):
            mentions = find_dates(sentence)
            if not mentions:
                continue
            dated += 1
            line = _line_of(sentence, block)
            mention = next((m for m in mentions if m.date is not None), None)
            if mention is None or mention.date is None:
                skipped.append(Skipped(line, sentence, f"the date '{mentions[0].text}' does not exist"))
                continue
            year = mention.date.year
            era = section if section is not None and section.start <= year <= section.end else None
            era = era or next((e for e in eras if e.start <= year <= e.end), None)
            if era is None:
                spans = ", ".join(f"{e.id} {e.start}–{e.end}" for e in eras) or "no era headings with a year span"
                skipped.append(Skipped(line, sentence, f"{year} is outside every era ({spans})"))
                continue
            title = draw_title(sentence, mention)
            if len(title.split()) < 2:
                skipped.append(Skipped(line, sentence, "no title could be drawn from the sentence"))
                continue
            words = slug_words(title, max_words=5)
            event_id = unique_id("-".join([*words, str(year)]), event_ids)
            event_ids.add(event_id)
            events.append(DerivedEvent(event_id, mention.date, era.id, _lang_text(title), _lang_text(sentence),
                                       section_name, para, line))
    return Derivation(doc_id, _lang_text(doc_title), Path(file_name).name, tuple(eras), tuple(events),
                      tuple(skipped), dated)


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
