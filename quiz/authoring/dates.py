"""Dates in timeline text, for `quiz derive`: year spans in headings, dates and date ranges in sentences."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from quiz.model import EventDate

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_DASH = r"[-–—−‐‑]"
_PRESENT = r"present|today|now|الآن|الان|اليوم|الحاضر|الوقت الحاضر"
SPAN_RE = re.compile(
    rf"(?<!\d)(\d{{3,4}})\s*(?:{_DASH}|\bto\b|\buntil\b|\btill\b|\bthrough\b|إلى|الى|حتى)\s*"
    rf"(\d{{3,4}}|\d{{2}}(?!\d)|{_PRESENT})(?!\d)",
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
_BC = r"\s*(?:BCE?\b|B\.C\.|ق\.?\s*م)"
_YEAR = rf"(?<![\d.,/:$£€])(\d{{4}})(?![\d]|s\b|'s\b|,\d|\.\d|\s*هـ|{_BC})"
_DAY = r"(?<![\d.,])(\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"{_DAY}\s+(?:of\s+)?({_EN_MONTH}),?\s+{_YEAR}"), "dmy"),
    (re.compile(rf"({_EN_MONTH})\s+{_DAY},?\s+{_YEAR}"), "mdy"),
    (re.compile(rf"({_EN_MONTH}),?\s+(?:of\s+)?{_YEAR}"), "my"),
    (re.compile(rf"{_DAY}\s+(?:من\s+)?({_AR_MONTH_TOKEN})\s*(?:من\s+)?(?:عام|سنة|العام)?\s*{_YEAR}"), "dmy"),
    (re.compile(rf"(?<![\w])({_AR_MONTH_TOKEN})\s*(?:من\s+)?(?:عام|سنة|العام)?\s*{_YEAR}"), "my"),
    (re.compile(_YEAR), "y"),
)

# Years of one to three digits, only where the words around make the number a year, never a plain number ("in 300
# ships", "12 provinces", "by 40 votes" are counts): "in 711", "In 732,", "(622)", "AD 800", "800 CE", "between 711
# and 732", «عام 711», «في 711م». The year is the group `y` (and `y2`, a range's end); a Hijri year («سنة 92 هـ») is
# found too, but not dated: converting it would be a guess of one year in two (a Hijri year overlaps two years AD),
# so derive reports the sentence as undated and asks for the year AD.
_SHORT = r"(?<![\d.,/:$£€])(?P<y>\d{1,3})(?![\d]|s\b|'s\b|,\d|\.\d|\s*هـ)"
_SHORT3 = _SHORT.replace(r"\d{1,3}", r"\d{3}")  # a bare number after "in" is a year only with three digits
_SHORT_END = r"(?P<y2>\d{1,4})(?![\d]|s\b|'s\b|,\d|\.\d|\s*هـ)"
_AD = r"(?:AD|A\.D\.|CE|C\.E\.)(?!\w)"
_END = r"(?:\s*(?:[,.;:!?)\]،؛؟]|$))"  # the number closes a clause: "In 732, …", "… in 711."
_FUNCTION = r"(?:the|a|an|when|after|before|while|as|he|she|it|they|his|her|its|their|with|under)\b"
_LEAD = r"(?i:in|since|until|till|circa|c\.)"  # not "by", "about", "to": "by 40 votes", "about 300."
_NOT_BC = rf"(?!{_BC})"
SHORT_YEAR_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"(?<![\w])(?i:between|from)\s+{_SHORT3}\s+(?:and|to|until|till)\s+{_SHORT_END}{_NOT_BC}"
               rf"(?={_END}|\s+{_FUNCTION}|\s*{_AD})"),
    re.compile(rf"(?<![\w])(?P<at>AD|A\.D\.)\s*{_SHORT}"),
    re.compile(rf"{_SHORT}(?=\s*{_AD})"),
    re.compile(rf"(?<![\w])In\s+{_SHORT3}{_NOT_BC}(?={_END}|\s+{_FUNCTION}|\s+[A-Z])"),
    re.compile(rf"(?<![\w]){_LEAD}\s+{_SHORT3}{_NOT_BC}(?={_END}|\s+{_FUNCTION})"),
    re.compile(rf"(?P<at>\(){_SHORT3}\)"),
    re.compile(rf"(?:بين|من)\s+(?:عامي|سنتي|العامين|عام|سنة)\s*{_SHORT}\s*(?:و|إلى|الى|حتى)\s*"
               rf"(?:(?:عام|سنة)\s*)?{_SHORT_END}{_NOT_BC}"),
    re.compile(rf"(?:عام|سنة|العام)\s*{_SHORT}{_NOT_BC}"),
    re.compile(rf"(?<![\w\u0600-\u06FF]){_SHORT}(?=\s*(?:م|ميلادية|ميلادي|للميلاد)(?![\w\u0600-\u06FF]))"),
    re.compile(rf"(?:^|(?<=\s))(?:و|ف)?في\s+{_SHORT3}{_NOT_BC}(?={_END})"),
)
HIJRI_RE = re.compile(r"(?<![\d.,/:])(\d{1,4})\s*هـ")


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



@dataclass(frozen=True, slots=True)
class DateMention:
    date: EventDate | None  # None when the day or month does not exist, or the year is not AD
    start: int
    end: int
    text: str
    reason: str = ""  # why `date` is None, when not because the day or month does not exist


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
    for pattern in SHORT_YEAR_PATTERNS:
        for match in pattern.finditer(text):
            years = [(int(match.group(name)), match.start(name), match.end(name)) for name in ("y", "y2")
                     if name in pattern.groupindex and match.group(name) is not None]
            if "at" in pattern.groupindex:  # "(622)", "AD 800": the brackets and the era mark leave with the year
                years = [(years[0][0], match.start(), match.end())]
            if any(a < end and start < b for _, a, b in years for start, end in taken):
                continue
            for year, start, end in years:
                if year < 1:
                    continue
                taken.append((start, end))
                found.append(DateMention(EventDate(year), start, end, sentence[start:end]))
    for match in HIJRI_RE.finditer(text):
        if not any(match.start() < end and start < match.end() for start, end in taken):
            found.append(DateMention(None, match.start(), match.end(), sentence[match.start():match.end()],
                                     f"'{match.group(0)}' is a Hijri year; add the year AD (like 92 هـ / 711م) "
                                     "to date it"))
    found.sort(key=lambda m: m.start)
    return found




# --- the date phrases of a sentence ----------------------------------------------------------------------------

# What goes with a date and leaves with it: "in", "on", "in early", "in the spring of", «في», «وفي شهر», «عام».
_EN_BEFORE = (r"(?:\b(?:in|on|by|during|since|until|around|about|at|early|late|mid|mid-)\s+){0,2}"
              r"(?:(?:the\s+)?(?:year|spring|summer|autumn|fall|winter|end|beginning|start|middle|night|morning)\s+"
              r"(?:of\s+)?)?")
_AR_BEFORE = (r"(?:(?:^|\s)(?:و|ف)?(?:في|منذ|خلال|بتاريخ|حتى|مطلع|أواخر|اواخر|أوائل|اوائل|منتصف|نهاية|بداية|ربيع|"
              r"صيف|خريف|شتاء|ليلة|صباح)\s+)*(?:(?:شهر|يوم)\s+)?(?:(?:عام|سنة|العام)\s*)?")
BEFORE_DATE = re.compile(rf"(?:{_EN_BEFORE}|{_AR_BEFORE})$", re.IGNORECASE)
_AFTER_DATE = re.compile(r"^(?:\s*(?:م|ميلادية|ميلادي|للميلاد|AD|CE)(?![\w\u0600-\u06FF]))", re.IGNORECASE)
_RANGE_LEAD = re.compile(r"(?:\b(?:between|from)|(?:^|\s)(?:و|ف)?(?:بين|من|ما\s+بين)"
                         r"(?:\s+(?:عامي|عام|سنتي|سنة|العامين))?)\s*$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|[-–—]|و|إلى|الى|حتى)\s*(?:(?:عام|سنة)\s*)?$",
                         re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """One event's date in a sentence, with the words that go with it (`start`–`stop` in the sentence)."""

    date: EventDate
    end: EventDate | None  # the end of a range ("between 1969 and 1972"), else None
    start: int
    stop: int


def date_phrases(sentence: str) -> list[DatePhrase]:
    """Every usable date of a sentence, a range ("between 1969 and 1972", "1969–1972", «بين عامي 1969 و1972»)
    as one phrase dated by its start, each with its preposition and era marks (`in`, «في شهر», «م»)."""
    mentions = [m for m in find_dates(sentence) if m.date is not None]
    out: list[DatePhrase] = []
    i = 0
    while i < len(mentions):
        mention = mentions[i]
        assert mention.date is not None
        before = sentence[: mention.start]
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if following is not None and following.date is not None and following.date.year >= mention.date.year:
            lead = _RANGE_LEAD.search(before)
            joined = _RANGE_JOIN.match(sentence[mention.end: following.start])
            dashed = joined is not None and re.fullmatch(r"\s*[-–—]\s*", sentence[mention.end: following.start])
            if joined and (lead or dashed):
                start = _before(sentence, lead.start() if lead else mention.start)
                out.append(DatePhrase(mention.date, following.date, start, _after(sentence, following.end)))
                i += 2
                continue
        out.append(DatePhrase(mention.date, None, _before(sentence, mention.start), _after(sentence, mention.end)))
        i += 1
    return out


# The Hijri year given beside the year AD leaves with it: «سنة 92 هـ الموافق 711م», «عام 711م (92 هـ)».
_HIJRI_BEFORE = re.compile(r"(?:(?:عام|سنة|العام)\s*)?\d{1,4}\s*هـ\s*(?:الموافق\s*(?:لعام|لسنة|ل)?\s*|[/(،,-]\s*)$")
_HIJRI_AFTER = re.compile(r"^\s*(?:\(\s*\d{1,4}\s*هـ\s*\)|/\s*\d{1,4}\s*هـ|،?\s*الموافق\s*\d{1,4}\s*هـ)")


def _before(sentence: str, start: int) -> int:
    hijri = _HIJRI_BEFORE.search(sentence[:start].translate(DIGITS))
    if hijri:
        start = hijri.start()
    match = BEFORE_DATE.search(sentence[:start])
    return match.start() if match and match.group(0).strip() else start


def _after(sentence: str, stop: int) -> int:
    match = _AFTER_DATE.match(sentence[stop:])
    stop = stop + match.end() if match else stop
    hijri = _HIJRI_AFTER.match(sentence[stop:].translate(DIGITS))
    return stop + hijri.end() if hijri else stop
