"""Sessions in the conversation: the list that fits, sign-up by button or number, cancel.

The list's buttons carry `ps:j:<session id>` (join), the full-session question
`ps:w:<id>` (waiting list) and every confirmation `ps:c:<id>` (cancel), so a
late tap still means what it said. A numbered answer ("2", "٢") picks from the
last buttons this module sent (slot `programme_choices`), as SMS shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.engine.choices import choice_by_number
from bot.nlu.normalise import fold
from bot.programmes import awareness, feedback, signups
from bot.programmes.ages import find_age
from bot.programmes.catalogue import upcoming
from bot.storage.programme_models import PROGRAMMES, ProgrammeSession

if TYPE_CHECKING:
    from bot.engine.turn import Turn

PREFIX = "ps:"
CHOICES_SLOT = "programme_choices"
AGE_SLOT = "child_age"
LISTED = 5
LISTS: dict[str, tuple[str, ...] | None] = {
    "parenting": ("parenting",),
    "children": tuple(p for p in PROGRAMMES if p not in ("parenting", "language_course")),
    "all": None,
}
# These flows list sessions themselves, after their answer (flows/faq.yml).
LISTING_INTENTS = frozenset({"faq_parenting", "faq_child_activities"})


def _offer_buttons(turn: Turn, text: str, buttons: list[dict[str, Any]]) -> None:
    turn.send(text, buttons)
    turn.set_slot(CHOICES_SLOT, [b["payload"] for b in buttons])


def offer(turn: Turn, kind: str) -> bool:
    """List upcoming sessions of this kind that fit the person; False when none does."""
    age = None
    if kind != "parenting":
        age = find_age(turn.inbound.text) or turn.slots.get(AGE_SLOT)
        if age is not None:
            turn.set_slot(AGE_SLOT, age)
    found = upcoming(
        turn.session,
        now=turn.desk.now(),
        age=age,
        district=turn.slots.get("district"),
        language=turn.language,
        programmes=LISTS[kind],
    )[:LISTED]
    if not found:
        return False
    lines = [turn.texts.get(turn.language, "programmes.list")]
    buttons = []
    for number, listed in enumerate(found, 1):
        row = turn.session.get(ProgrammeSession, listed.record.id)
        assert row is not None
        info = signups.details(turn.session, turn.texts, turn.language, row)
        places = (
            turn.texts.get(turn.language, "programmes.places_left", count=listed.places_left)
            if listed.places_left
            else turn.texts.get(turn.language, "programmes.full_mark")
        )
        lines.append(turn.texts.get(turn.language, "programmes.item", places=places, **info))
        buttons.append({"payload": f"{PREFIX}j:{row.id}", "label": f"{number}. {info['title']}"})
    _offer_buttons(turn, "\n\n".join(lines), buttons)
    turn.rest()
    return True


def asked(turn: Turn, text: str) -> bool:
    """A question about sessions ("what sessions are there for my 9-year-old?"): the list.

    A word of `programmes.session_words` (a word starting with one) decides; with a
    child's age the children's sessions are listed, otherwise all of them.
    """
    if turn.understanding.intent in LISTING_INTENTS:
        return False
    stems = {fold(w) for w in turn.texts.get(turn.language, "programmes.session_words").split(",")}
    stems.discard("")
    if not any(word.startswith(stem) for word in fold(text).split() for stem in stems):
        return False
    age = find_age(text)
    if not offer(turn, "children" if age is not None and age < 18 else "all"):
        turn.say("programmes.none")
    return True


def tap(turn: Turn, payload: str) -> bool:
    """A button of this module: join, join the waiting list, or cancel. True when handled."""
    if feedback.tap(turn, payload):
        return True
    if not payload.startswith(PREFIX) or payload.count(":") < 2:
        return False
    _, verb, session_id = payload.split(":", 2)
    turn.set_slot(CHOICES_SLOT, None)
    turn.rest()
    if verb in ("j", "w"):
        _join(turn, session_id, wait=verb == "w")
    elif verb == "c":
        _cancel(turn, session_id)
    else:
        return False
    return True


def answer(turn: Turn, text: str) -> bool:
    """A number picking one of the last session buttons, or the one word for cancel.

    The word cancels a place only for someone who has one; otherwise it means what it
    means elsewhere (stop, or an answer to a question asked).
    """
    if feedback.answer(turn, text):
        return True  # a complaint, or a rating and its comment
    if awareness.answer(turn, text):
        return True  # subscribe, or unsubscribe, with one word
    pending = turn.slots.get(CHOICES_SLOT) or []
    if pending and turn.conversation.flow is None:
        index = choice_by_number(text, len(pending))
        if index is not None:
            return tap(turn, str(pending[index]))
        turn.set_slot(CHOICES_SLOT, None)
    words = {fold(w) for w in turn.texts.get(turn.language, "programmes.cancel_words").split(",")}
    if fold(text) not in words - {""}:
        return False
    places = signups.upcoming_places(turn.session, turn.contact.id, turn.desk.now())
    if not places:
        if turn.conversation.flow is not None or turn.understanding.intent == "stop":
            return False  # not about a session: the word may mean something else here
        turn.say("programmes.nothing_to_cancel")
    elif len(places) == 1:
        _cancel(turn, places[0].session_id)
    else:
        buttons = []
        for place in places:
            row = turn.session.get(ProgrammeSession, place.session_id)
            assert row is not None
            label = signups.details(turn.session, turn.texts, turn.language, row)["title"]
            buttons.append({"payload": f"{PREFIX}c:{row.id}", "label": f"✕ {label}"})
        _offer_buttons(turn, turn.texts.get(turn.language, "programmes.cancel_button"), buttons)
    return True


def _say_about(
    turn: Turn, msgid: str, row: ProgrammeSession, buttons: list[dict[str, Any]], **extra: Any
) -> None:
    info = signups.details(turn.session, turn.texts, turn.language, row)
    turn.send(turn.texts.get(turn.language, msgid, **info, **extra), buttons or None)


def _join(turn: Turn, session_id: str, *, wait: bool) -> None:
    outcome = signups.join(turn.session, session_id, turn.contact.id, turn.desk.now(), wait=wait)
    row = outcome.row
    cancel = [signups.cancel_button(turn.texts, turn.language, session_id)]
    if row is None:
        turn.say("programmes.gone")
    elif outcome.kind in ("confirmed", "already"):
        msgid = "programmes.confirmed" if outcome.kind == "confirmed" else "programmes.already"
        _say_about(turn, msgid, row, cancel)
    elif outcome.kind == "full":
        wait_button = {
            "payload": f"{PREFIX}w:{session_id}",
            "label": turn.texts.get(turn.language, "programmes.wait_button"),
        }
        info = signups.details(turn.session, turn.texts, turn.language, row)
        _offer_buttons(
            turn, turn.texts.get(turn.language, "programmes.full", **info), [wait_button]
        )
    else:  # waiting, already_waiting
        _say_about(turn, "programmes.waiting", row, cancel, position=outcome.position or 1)


def _cancel(turn: Turn, session_id: str) -> None:
    outcome = signups.cancel(turn.session, session_id, turn.contact.id, turn.desk.now())
    if outcome.row is None or outcome.kind == "nothing":
        turn.say("programmes.nothing_to_cancel")
        return
    msgid = "programmes.cancelled" if outcome.kind == "cancelled" else "programmes.left_waiting"
    _say_about(turn, msgid, outcome.row, [])
    if outcome.promoted is not None:
        signups.tell(
            turn.session, turn.vault, turn.texts, outcome.promoted, "programmes.promoted",
            turn.default_language,
        )  # fmt: skip
