"""Discretion: the first line of the messages that open a conversation or close it (the
part a phone shows in a notification, perhaps to the person who hurts them) names no harm.

Safety replies answer what the person just wrote and may name it; they are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.engine.flows import load_flows
from bot.engine.texts import ENGINE_MESSAGE_IDS, SHORT_SUFFIX, Texts

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["tr", "ar", "en", "fa"]
FLOWS = load_flows(ROOT / "flows")
# The first message of a conversation, the notice, and what follows stop, erasure, exit.
NEUTRAL = (
    "greeting.welcome", "language.choose", "menu.prompt", "privacy.notice", "exit.done",
    "stop.done", "stop.resumed", "erase.confirm", "erase.done", "erase.kept",
    "handoff.queued", "handoff.ack", "fallback.error", "goodbye.reply",
)  # fmt: skip
PARAMS = {
    "name": "x", "address": "x", "phone": "x", "hours": "x", "when": "x", "days": 1,
    "chat_days": 1, "staffed_hours": "x", "count": 1,
}  # fmt: skip
SENSITIVE = re.compile(
    r"abus|violen|suicid|self-harm|rape|traffick|beat|kill|marri|danger|"
    r"şiddet|istismar|intihar|tecavüz|dövü|evlen|tehlike|"
    r"عنف|اعتداء|انتحار|اغتصاب|ضرب|زواج|في خطر|در خطر|خشونت|آزار|خودکشی",
    re.IGNORECASE,
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_first_line_names_a_danger(language: str) -> None:
    texts = Texts(ROOT / "locales", LANGUAGES)
    found = {}
    for msgid in NEUTRAL:
        for variant in (msgid, f"{msgid}{SHORT_SUFFIX}"):
            text = texts.get(language, variant, **PARAMS)
            first = text.strip().split("\n")[0]
            if text != variant and SENSITIVE.search(first):
                found[variant] = first[:80]
    assert found == {}


def test_every_neutral_text_exists() -> None:
    assert set(NEUTRAL) <= FLOWS.message_ids() | set(ENGINE_MESSAGE_IDS)
