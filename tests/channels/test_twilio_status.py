"""`POST /webhooks/twilio/status`: delivery statuses move only forward, error codes are kept."""

from __future__ import annotations

import pytest

from bot.channels.twilio_store import next_status
from tests.channels.twilio_harness import TwilioRig, twilio_rig_fixture  # noqa: F401

PERSON = "+905553000001"
WA = f"whatsapp:{PERSON}"


def first_reply_sid(rig: TwilioRig, to: str) -> str:
    rig.answered(to)
    sid = rig.fake.sent(to)[0].sid
    assert sid is not None
    return sid


def test_callbacks_out_of_order_only_move_the_status_forward(twilio_rig: TwilioRig) -> None:
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    sid = first_reply_sid(twilio_rig, WA)
    assert twilio_rig.message(sid).status == "sent"  # from the create answer
    seen = []
    for callback in ["status_delivered", "status_sent", "status_read", "status_delivered"]:
        assert twilio_rig.status(callback, sid).status_code == 200
        seen.append(twilio_rig.message(sid).status)
    assert seen == ["delivered", "delivered", "read", "read"]
    # A failure reported after it was read changes nothing either.
    assert twilio_rig.status("status_failed", sid, error_code="30008").status_code == 200
    message = twilio_rig.message(sid)
    assert (message.status, message.error_code) == ("read", None)


def test_a_failure_keeps_its_error_code_and_ends_the_message(twilio_rig: TwilioRig) -> None:
    assert twilio_rig.sms("+905553000002", "merhaba").status_code == 200
    sid = first_reply_sid(twilio_rig, "+905553000002")
    assert twilio_rig.status("status_undelivered_sms", sid, error_code="30005").status_code == 200
    message = twilio_rig.message(sid)
    assert (message.status, message.error_code) == ("undelivered", "30005")
    for later in ["status_sent", "status_delivered"]:
        assert twilio_rig.status(later, sid).status_code == 200
    message = twilio_rig.message(sid)
    assert (message.status, message.error_code) == ("undelivered", "30005")


def test_a_callback_for_a_message_that_is_not_ours_is_acknowledged(twilio_rig: TwilioRig) -> None:
    response = twilio_rig.status("status_delivered", "SM" + "9" * 32)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("current", "reported", "expected"),
    [
        ("queued", "sent", "sent"),
        ("queued", "accepted", "sent"),
        ("sent", "queued", None),
        ("sent", "sending", None),
        ("sent", "delivered", "delivered"),
        ("delivered", "sent", None),
        ("delivered", "read", "read"),
        ("read", "delivered", None),
        ("sent", "failed", "failed"),
        ("sent", "undelivered", "undelivered"),
        ("delivered", "failed", None),
        ("failed", "delivered", None),
        ("undelivered", "read", None),
        ("dead", "sent", None),
        ("sent", "no-such-status", None),
    ],
)
def test_next_status(current: str, reported: str, expected: str | None) -> None:
    assert next_status(current, reported) == expected
