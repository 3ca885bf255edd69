"""Telegram translation without a server: recorded updates in, messages out, errors mapped."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram_errors import send_error
from bot.channels.telegram_render import (
    MAX_CALLBACK_DATA,
    QUICK_EXIT_DATA,
    chat_message_ids,
    platform_id,
    render,
    split_text,
    utf16_len,
)
from bot.channels.telegram_updates import command_of, from_raw, parse_update, received
from bot.engine.flows import load_flows
from bot.engine.messages import OFFER_EXIT, Button, Outbound
from bot.engine.turn import button_payload
from tests.channels.telegram_env import fixture
from tests.conftest import ROOT
from tests.fakes.telegram_api import DEFAULT_TOKEN

BOT = Bot(DEFAULT_TOKEN)


def inbound_of(name: str):  # type: ignore[no-untyped-def]
    got = received(parse_update(fixture(name), BOT))
    assert got is not None
    return got


def test_a_text_message_keeps_update_and_message_ids_and_the_language() -> None:
    inbound = inbound_of("text_ar").inbound
    assert inbound is not None
    assert inbound.sender_id == "5512340001"
    assert inbound.platform_message_id == "912345001:5512340001:17"
    assert inbound.platform_ref == "17"
    assert inbound.language_code == "ar"
    assert inbound.command is None and inbound.media is None
    assert inbound.text.startswith("مرحبا")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/start", "start"),
        ("/menu@helpline_bot", "menu"),
        ("/start campaign-7", "start"),
        ("/HUMAN", "human"),
        ("/help", "menu"),
        ("/exit", "exit"),
        ("/unknown", None),
        ("menu", None),
        ("/", None),
    ],
)
def test_commands_are_the_engines_commands(text: str, command: str | None) -> None:
    assert command_of(text) == command


def test_start_fixture_is_the_start_command() -> None:
    inbound = inbound_of("start").inbound
    assert inbound is not None and inbound.command == "start" and inbound.language_code == "tr"


def test_a_tap_carries_the_payload_and_the_label_and_must_be_answered() -> None:
    got = inbound_of("callback_query")
    assert got.callback_id == "4382985736251843012"
    assert got.inbound is not None
    assert got.inbound.button == "menu:0:1"
    assert got.inbound.text == "الصحة"  # the label of the tapped button
    assert got.inbound.platform_ref is None  # a tap is no message in the chat


def test_the_quick_exit_button_is_the_exit_command() -> None:
    update = fixture("callback_query")
    update["callback_query"]["data"] = QUICK_EXIT_DATA
    got = received(parse_update(update, BOT))
    assert got is not None and got.inbound is not None
    assert got.inbound.command == "exit" and got.inbound.button is None


def test_a_location_is_kept_without_writing_it_into_the_text() -> None:
    inbound = inbound_of("location").inbound
    assert inbound is not None
    assert inbound.location == pytest.approx((41.034567, 28.680123))
    assert "41" not in inbound.text


@pytest.mark.parametrize(
    ("name", "media", "caption"),
    [
        ("photo", "photo", None),
        ("voice", "voice", None),
        ("sticker", "sticker", None),
        ("document", "document", "this is my document"),
        ("edited_message", "edited", "Where is the nearest hospital?"),
    ],
)
def test_what_is_not_text_is_named(name: str, media: str, caption: str | None) -> None:
    inbound = inbound_of(name).inbound
    assert inbound is not None
    assert inbound.media == media and inbound.has_media
    assert inbound.text  # a sign a caseworker can read, never empty
    if caption:
        assert caption in inbound.text
    else:
        assert not any(ch.isalnum() for ch in inbound.text)  # no words for the NLU


def test_an_edit_is_a_new_event_but_keeps_its_message_ref() -> None:
    inbound = inbound_of("edited_message").inbound
    assert inbound is not None
    assert inbound.platform_ref == "22" and inbound.command is None
    assert inbound.platform_message_id == "912345009:5512340003:22"


def test_group_messages_are_not_conversations() -> None:
    assert received(parse_update(fixture("group_message"), BOT)) is None


def test_a_payload_ptb_refuses_is_still_read_when_it_is_a_private_text_message() -> None:
    raw = fixture("malformed_message")
    with pytest.raises((TypeError, ValueError, KeyError)):
        parse_update(raw, BOT)
    inbound = from_raw(raw)
    assert inbound is not None
    assert inbound.text == "I need a lawyer for my residence permit"
    assert inbound.platform_message_id == "912345011:5512340004:26"
    assert from_raw({"update_id": 1}) is None
    assert from_raw(fixture("group_message")) is None


def test_split_keeps_order_and_cuts_at_lines_then_words() -> None:
    lines = [f"line {n} " + "word " * 40 for n in range(60)]
    text = "\n".join(lines)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(utf16_len(part) <= 4096 for part in parts)
    assert "\n".join(parts).split() == text.split()
    assert all(part.split("\n")[0].startswith("line ") for part in parts)  # cut at line ends
    one_line = "kelime " * 1500
    parts = split_text(one_line)
    assert all(utf16_len(p) <= 4096 for p in parts) and " ".join(parts).split() == one_line.split()


def test_split_counts_utf16_units_like_telegram() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, no spaces
    parts = split_text(text)
    assert [utf16_len(p) for p in parts] == [4096, 6000 - 4096]
    assert "".join(parts) == text
    assert split_text("short") == ["short"]


def test_the_keyboard_rides_on_the_last_part_and_the_quick_exit_comes_last() -> None:
    message = Outbound(
        channel="telegram",
        recipient_id="1",
        text="x " * 3000,
        buttons=(Button("menu:0:1", "Health"), Button("m" * (MAX_CALLBACK_DATA + 1), "Too long")),
        action=OFFER_EXIT,
    )
    parts = render(message, "Quick exit")
    assert len(parts) == 2 and parts[0].markup is None
    markup = parts[1].markup
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Health", "menu:0:1")], [("Quick exit", QUICK_EXIT_DATA)]]
    plain = render(Outbound(channel="telegram", recipient_id="1", text="hi"), "Quick exit")
    assert plain[0].markup is None  # the quick exit only where the engine offers it


def test_every_button_of_the_flows_fits_telegrams_callback_data() -> None:
    flows = load_flows(ROOT / "flows")
    payloads = [
        button_payload(name, index, choice)
        for name, flow in flows.flows.items()
        for index, step in enumerate(flow.steps)
        for choice in range(len(step.choices))
    ]
    assert payloads
    assert max(len(p.encode()) for p in payloads) <= MAX_CALLBACK_DATA


def test_stored_refs_give_back_the_chats_message_ids() -> None:
    assert platform_id([12, 13], 7) == "12,13#7"
    assert chat_message_ids(("5", "12,13#7", "web-3", "9#8")) == [5, 9, 12, 13]


def test_errors_map_to_what_the_outbox_does() -> None:
    blocked = send_error(Forbidden("Forbidden: bot was blocked by the user"))
    assert blocked.permanent and "blocked" in str(blocked) and blocked.code == "403"
    flood = send_error(RetryAfter(7))
    assert not flood.permanent and flood.retry_after == 7
    bad = send_error(BadRequest("Bad Request: chat not found"))
    assert bad.permanent and "chat not found" in str(bad).lower()
    for transient in (TimedOut(), NetworkError("Bad Gateway")):
        error = send_error(transient)
        assert not error.permanent and error.retry_after is None and not error.hold
