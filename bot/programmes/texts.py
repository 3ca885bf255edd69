"""Message ids of the programmes (sessions), listed for the catalogs' extraction."""

from __future__ import annotations

PROGRAMME_MESSAGE_IDS = (
    "programmes.list",
    "programmes.item",
    "programmes.places_left",
    "programmes.full_mark",
    "programmes.online",
    "programmes.confirmed",
    "programmes.cancel_button",
    "programmes.already",
    "programmes.full",
    "programmes.wait_button",
    "programmes.waiting",
    "programmes.cancelled",
    "programmes.left_waiting",
    "programmes.promoted",
    "programmes.reminder",
    "programmes.nothing_to_cancel",
    "programmes.gone",
    "programmes.cancel_words",
    "programmes.session_words",
    "programmes.none",
    "awareness.subscribe_words",
    "awareness.unsubscribe_words",
    "awareness.subscribed",
    "awareness.subscribed_citywide",
    "awareness.unsubscribed",
)
