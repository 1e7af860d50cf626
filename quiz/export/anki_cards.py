"""Which cards genanki makes of a note (`genanki.Note.cards`), found from its fields as the package is written
(`quiz.export.anki`): genanki's own objects are read here, genanki is not imported."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

CardsOf = Callable[[Sequence[str]], list[int]]
"""A note type's `_cards_of`, its requirements looked up once (`cards_maker`)."""


def cards_maker(model: Any) -> CardsOf:
    """`_cards_of(model, fields)` as a function of the fields, for a note type's many notes: a front/back note
    type's one template (every question note type) that needs one field or all of some, tested directly."""
    if model.model_type == model.FRONT_BACK and len(model._req) == 1:
        ((card_ord, any_or_all, required),) = model._req
        needed = tuple(required)
        test = any if any_or_all == "any" else all
        if len(needed) == 1:
            (only,) = needed
            return lambda fields: [card_ord] if fields[only] else []
        return lambda fields: [card_ord] if test(fields[i] for i in needed) else []
    return lambda fields: _cards_of(model, fields)


def _cards_of(model: Any, fields: Sequence[str]) -> list[int]:
    """The ordinals of the cards genanki makes of a note (`genanki.Note.cards`): a front/back note type's
    templates whose required fields are filled (`Model._req`), a cloze note type's `{{cN::…}}` numbers."""
    if model.model_type == model.FRONT_BACK:
        return [card_ord for card_ord, any_or_all, required in model._req
                if (any if any_or_all == "any" else all)(fields[i] for i in required)]
    ords: set[int] = set()  # genanki's `_cloze_cards`, its set order included (a note with no cloze: no card)
    qfmt = model.templates[0]["qfmt"]
    for field_name in set(re.findall(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}", qfmt) + re.findall("<%cloze:(.+?)%>", qfmt)):
        at = next((i for i, f in enumerate(model.fields) if f["name"] == field_name), -1)
        value = fields[at] if at >= 0 else ""
        ords.update(int(m) - 1 for m in re.findall(r"{{c(\d+)::.+?}}", value, re.DOTALL) if int(m) > 0)
    return list(ords)
