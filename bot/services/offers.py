"""Which choices of a question the service map has something for (`from_map: true` asks).

The kinds of help offered are those with a service on the map; the districts
offered are those with a service of the kind asked for. A choice without a
value, or with the value `any`, is always offered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.nlu.normalise import fold
from bot.services.directory import map_index

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.engine.flows import Step

ANY = "any"


def offered(session: Session, step: Step, slots: dict[str, Any]) -> list[int]:
    """Indices of the step's choices to show, in their order."""
    index = map_index(session)
    if step.slot == "service_category":
        have = set(index.by_category)
    elif step.slot == "district":
        category = slots.get("service_category")
        entries = index.by_category.get(category, []) if category else index.entries
        have = {district for entry in entries for district in entry.districts if district}
    else:
        return list(range(len(step.choices)))
    shown = []
    for position, choice in enumerate(step.choices):
        value = choice.value
        key = fold(value) if value and step.slot == "district" else value
        if value is None or value == ANY or key in have:
            shown.append(position)
    return shown


def real_options(step: Step, shown: list[int]) -> int:
    """How many of the shown choices pick something (not "any", not a way out)."""
    return sum(1 for i in shown if step.choices[i].value not in (None, ANY))
