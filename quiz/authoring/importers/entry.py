"""What every reader of an imported file gives back: one `Entry` per question, with the line it starts on."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.authoring.add import NewQuestion
from quiz.authoring.ids import prefixed as prefixed
from quiz.model import Text

TRUE_WORDS = {"true", "t", "yes", "y", "1", "صح", "صحيح", "نعم"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "خطأ", "خطا", "لا", "غلط"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One question read from the imported file: the line it starts on, the question, and what is wrong."""

    line: int
    question: NewQuestion | None
    problems: tuple[str, ...] = ()
    title: str = ""  # GIFT ::title::, used for the id
    skipped: str = ""  # why nothing was read here, when that is no error (a warning)




def lang_text(lang: str, value: str) -> Text:
    return Text(ar=value) if lang == "ar" else Text(en=value)



