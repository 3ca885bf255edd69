"""Every text the helpline can send fits the SMS budget whole, in every language.

Rendered as the SMS channel renders it (the full text, else the `<msgid>.sms` one written
for SMS, with the choices numbered), counted as the network counts it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.sms import render_sms
from bot.channels.sms_text import GSM7, UCS2, count_segments
from bot.engine.flows import load_flows
from bot.engine.messages import Button, Outbound
from bot.engine.texts import ENGINE_MESSAGE_IDS, PLURAL_MESSAGE_IDS, SHORT_SUFFIX, Texts

ROOT = Path(__file__).resolve().parent.parent.parent
LANGUAGES = ["tr", "ar", "en", "fa"]
FLOWS = load_flows(ROOT / "flows")
TEXTS = Texts(ROOT / "locales", LANGUAGES)
PARAMS = {
    "name": "Esenyurt Göçmen Sağlığı Merkezi",
    "address": "Cumhuriyet Mahallesi, Atatürk Caddesi No: 5",
    "phone": "+902125550000",
    "hours": "Pzt-Cum 09:00-17:00",
    "when": "Pazartesi 2 Aralık, 09:00",
    "staffed_hours": "Pazartesi-Cuma 09:00-17:00",
    "count": 3,
    "days": 365,
    "chat_days": 90,
    # the service look-up's pieces (bot/services/replies.py)
    "details": "Cumhuriyet Mahallesi, Atatürk Caddesi No: 5\nTelefon: +902125550000",
    "time": "17:00",
    "date": "1 Kasım 2025",
    "languages": "Türkçe, Arapça",
    # programme sessions (bot/programmes)
    "title": "Şiddetsiz ebeveynlik",
    "place": "Esenyurt Psikososyal Destek Merkezi, Esenyurt",
    "places": "boş yer: 3",
    "position": 2,
    "district": "Küçükçekmece",
}
CHOICES = {
    step.argument: [choice.label for choice in step.choices]
    for flow in FLOWS.flows.values()
    for step in flow.steps
    if step.choices
}
SENT_IDS = sorted(
    msgid
    for msgid in FLOWS.message_ids() | set(ENGINE_MESSAGE_IDS)
    if not msgid.endswith(SHORT_SUFFIX)
)


def outbound(language: str, msgid: str) -> Outbound:
    if msgid in PLURAL_MESSAGE_IDS:
        text = TEXTS.plural(language, msgid, 3)
    else:
        text = TEXTS.get(language, msgid, **PARAMS)
    buttons = tuple(
        Button(f"b{n}", TEXTS.get(language, label), TEXTS.short(language, label))
        for n, label in enumerate(CHOICES.get(msgid, []))
    )
    short = TEXTS.short(language, msgid, **PARAMS)
    return Outbound("sms", "+905550000000", text, buttons, language, short_text=short)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_fits_three_segments_without_cutting(language: str) -> None:
    problems = {}
    for msgid in SENT_IDS:
        body, fitted = render_sms(outbound(language, msgid), 3)
        segments = count_segments(body)
        if not fitted or segments.count > 3:
            problems[msgid] = segments
    assert not problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_question_fits_with_each_of_its_choice_lists(language: str) -> None:
    """A question asked by several steps (`after.topics`) fits with each step's own choices."""
    problems = {}
    for flow in FLOWS.flows.values():
        for step in flow.steps:
            if not step.choices:
                continue
            buttons = tuple(
                Button(f"b{n}", TEXTS.get(language, c.label), TEXTS.short(language, c.label))
                for n, c in enumerate(step.choices)
            )
            text = TEXTS.get(language, step.argument, **PARAMS)
            short = TEXTS.short(language, step.argument, **PARAMS)
            message = Outbound("sms", "+905550000000", text, buttons, language, short_text=short)
            body, fitted = render_sms(message, 3)
            if not fitted or count_segments(body).count > 3:
                problems[f"{step.argument} ({len(buttons)} choices)"] = count_segments(body)
    assert not problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_full_text_is_kept_when_it_fits(language: str) -> None:
    message = outbound(language, "stop.done")
    assert render_sms(message, 3) == (message.text, True)


@pytest.mark.parametrize(
    ("language", "encoding", "segments"),
    [("tr", UCS2, 3), ("ar", UCS2, 3), ("en", GSM7, 2), ("fa", UCS2, 3)],
)
def test_the_menu_by_sms_is_numbered_with_short_labels(
    language: str, encoding: str, segments: int
) -> None:
    message = outbound(language, "menu.prompt")
    body, fitted = render_sms(message, 3)
    assert fitted
    assert count_segments(body).encoding == encoding
    assert count_segments(body).count == segments
    lines = body.splitlines()
    # English and Persian fit with the full question and short labels; Turkish and Arabic need
    # both short.
    assert lines[0] == (message.text if language in ("en", "fa") else message.short_text)
    assert [line.split(". ", 1)[0] for line in lines[1:]] == [str(n) for n in range(1, 14)]
    # With room for more, the full texts and labels are used.
    roomy, _ = render_sms(message, 10)
    assert roomy.startswith(message.text) and message.buttons[0].label in roomy


@pytest.mark.parametrize(
    ("language", "msgid", "encoding", "count"),
    [
        ("tr", "safety.domestic_violence", UCS2, 3),
        ("ar", "safety.domestic_violence", UCS2, 3),
        ("en", "safety.domestic_violence", GSM7, 3),
        ("tr", "greeting.welcome", UCS2, 3),
        ("ar", "greeting.welcome", UCS2, 2),
        ("en", "greeting.welcome", GSM7, 3),
        ("en", "stop.done", GSM7, 1),
        ("fa", "safety.domestic_violence", UCS2, 3),
        ("fa", "greeting.welcome", UCS2, 3),
        ("fa", "stop.done", UCS2, 2),
    ],
)
def test_segment_counts_of_real_texts(language: str, msgid: str, encoding: str, count: int) -> None:
    body, _ = render_sms(outbound(language, msgid), 3)
    assert count_segments(body).encoding == encoding
    assert count_segments(body).count == count
    assert "112" in body or msgid == "stop.done"


def test_a_budget_of_one_segment_cuts_at_a_sentence_never_inside_a_word() -> None:
    message = outbound("ar", "safety.domestic_violence")
    body, fitted = render_sms(message, 1)
    assert not fitted
    assert count_segments(body).count == 1
    assert message.short_text is not None and message.short_text.startswith(body)
    assert body.endswith((".", "؟", "!"))
