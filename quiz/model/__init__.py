"""The values everything else passes around: frozen, typed, free of I/O. Import them from here.

| module | owns |
| --- | --- |
| `content` | the bank's content: `Text`, `Alternatives`, `Location`, `Source`, `Document`, `Era`, `EventDate`, |
| | `Event`, `Kind`, `OrderItem`, `Question` |
| `bank` | a loaded bank as one value: `Bank`, `BankInfo`, `sync_fingerprint` |
| `progress` | a learner's progress: `Rating`, `CardPhase`, `CardState`, `Review` |
"""

from quiz.model.bank import Bank, BankInfo, sync_fingerprint
from quiz.model.content import (
    LANGS,
    Alternatives,
    Document,
    Era,
    Event,
    EventDate,
    Kind,
    Lang,
    Location,
    OrderItem,
    Question,
    Source,
    Text,
)
from quiz.model.progress import CardPhase, CardState, Rating, Review

__all__ = [
    "LANGS", "Alternatives", "Bank", "BankInfo", "CardPhase", "CardState", "Document", "Era", "Event", "EventDate",
    "Kind", "Lang", "Location", "OrderItem", "Question", "Rating", "Review", "Source", "Text", "sync_fingerprint",
]
