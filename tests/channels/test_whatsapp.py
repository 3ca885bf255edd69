"""WhatsApp through Twilio: numbered choices and the 24-hour customer-service window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.nlu.base import NLU
from tests.channels.twilio_harness import (  # noqa: F401  (fixture)
    TwilioRig,
    rig_for,
    twilio_rig_fixture,
)

TEMPLATE = "HX" + "0" * 32
NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


def menu_of(body: str) -> list[str]:
    return [label for _, label in NUMBERED.findall(body)]


def test_choices_are_a_numbered_list_and_every_way_of_saying_two_picks_the_second(
    twilio_rig: TwilioRig,
) -> None:
    answers = {"+905551000001": "2", "+905551000002": "٢", "+905551000003": "۲"}
    menus = {}
    for number in [*answers, "+905551000004"]:
        assert twilio_rig.whatsapp(number, "مرحبا").status_code == 200
        bodies = twilio_rig.answered(f"whatsapp:{number}")
        menus[number] = [menu_of(body) for body in bodies if menu_of(body)][-1]
    menu = menus["+905551000001"]
    assert len(menu) >= 3 and all(m == menu for m in menus.values())
    answers["+905551000004"] = menu[1]  # the label itself
    after = {}
    for number, answer in answers.items():
        to = f"whatsapp:{number}"
        before = len(twilio_rig.fake.sent(to))
        assert twilio_rig.whatsapp(number, answer).status_code == 200
        after[number] = twilio_rig.answered(to)[before:]
    first = after["+905551000001"]
    assert first, "the answer to the menu got no reply"
    assert all(replies == first for replies in after.values()), after
    # A third choice is not the second: the numbers mean something.
    assert twilio_rig.whatsapp("+905551000005", "مرحبا").status_code == 200
    before = len(twilio_rig.answered("whatsapp:+905551000005"))
    assert twilio_rig.whatsapp("+905551000005", "٣").status_code == 200
    assert twilio_rig.answered("whatsapp:+905551000005")[before:] != first


PERSON = "+905552000001"
WA = f"whatsapp:{PERSON}"


def test_outside_the_window_a_message_is_held_marked_and_sent_when_the_person_writes(
    twilio_rig: TwilioRig,
) -> None:
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    twilio_rig.answered(WA)
    calls = len(twilio_rig.fake.calls)
    twilio_rig.close_window(WA)
    held_id = twilio_rig.queue_reply(WA, "رسالة من المرشدة")
    message = twilio_rig.wait_for_status(held_id, "held")
    _, item = twilio_rig.message_by_id(held_id)
    assert message.error_code == "63016"
    assert item is not None and item.status == "held" and "24-hour" in (item.last_error or "")
    # Not sent free-form, and no template is configured: Twilio was not called at all.
    assert len(twilio_rig.fake.calls) == calls
    # The person writes: the window opens and the held message goes, before the new replies.
    assert twilio_rig.whatsapp(PERSON, "شكرا").status_code == 200
    bodies = twilio_rig.answered(WA)
    assert "رسالة من المرشدة" in bodies
    assert twilio_rig.wait_for_status(held_id, "sent").error_code in (None, "63016")


def test_with_a_template_configured_it_is_sent_once_when_the_window_has_closed(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    twilio = {"whatsapp_template_content_sid": TEMPLATE}
    with rig_for(database_url, nlu_model_dir, nlu, twilio=twilio) as rig:
        assert rig.whatsapp(PERSON, "مرحبا").status_code == 200
        rig.answered(WA)
        rig.close_window(WA)
        first = rig.queue_reply(WA, "الرسالة الأولى")
        rig.wait_for_status(first, "held")
        templates = [c for c in rig.fake.sent(WA) if "ContentSid" in c.params]
        assert len(templates) == 1
        assert templates[0].params["ContentSid"] == TEMPLATE
        assert "Body" not in templates[0].params
        second = rig.queue_reply(WA, "الرسالة الثانية")
        rig.wait_for_status(second, "held")
        assert len([c for c in rig.fake.sent(WA) if "ContentSid" in c.params]) == 1
        assert rig.whatsapp(PERSON, "نعم").status_code == 200
        bodies = rig.answered(WA)
        assert bodies.index("الرسالة الأولى") < bodies.index("الرسالة الثانية")


def test_twilio_refusing_with_63016_holds_the_message_too(twilio_rig: TwilioRig) -> None:
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    twilio_rig.answered(WA)
    # Our clock says the window is open, Twilio's says closed.
    twilio_rig.fake.fail(400, 63016, to=WA)
    held = twilio_rig.queue_reply(WA, "رد المرشدة")
    assert twilio_rig.wait_for_status(held, "held").error_code == "63016"
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    assert "رد المرشدة" in twilio_rig.answered(WA)


def test_a_failed_callback_with_63016_holds_a_message_twilio_had_accepted(
    twilio_rig: TwilioRig,
) -> None:
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    twilio_rig.answered(WA)
    message_id = twilio_rig.queue_reply(WA, "رد بعد قبول")
    sent = twilio_rig.wait_for_status(message_id, "sent")
    assert sent.platform_message_id
    response = twilio_rig.status("status_failed", sent.platform_message_id, error_code="63016")
    assert response.status_code == 200
    held, item = twilio_rig.message_by_id(message_id)
    assert held.status == "held" and held.error_code == "63016"
    assert item is not None and item.status == "held"
    count = twilio_rig.fake.bodies(WA).count("رد بعد قبول")
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    assert twilio_rig.answered(WA).count("رد بعد قبول") == count + 1


@pytest.mark.parametrize(("hours", "status"), [(1, "sent"), (23.5, "sent"), (23.99, "held")])
def test_the_window_is_24_hours_from_the_last_message_less_a_safety_margin(
    twilio_rig: TwilioRig, hours: float, status: str
) -> None:
    assert twilio_rig.whatsapp(PERSON, "مرحبا").status_code == 200
    twilio_rig.answered(WA)
    twilio_rig.close_window(WA, hours=hours)
    message_id = twilio_rig.queue_reply(WA, "رسالة")
    assert twilio_rig.wait_for_status(message_id, status)
    assert ("رسالة" in twilio_rig.fake.bodies(WA)) == (status == "sent")


def test_a_template_twilio_refuses_leaves_the_message_held_not_dead(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    twilio = {"whatsapp_template_content_sids": {"ar": TEMPLATE}}
    with rig_for(database_url, nlu_model_dir, nlu, twilio=twilio) as rig:
        assert rig.whatsapp(PERSON, "مرحبا").status_code == 200
        rig.answered(WA)
        rig.close_window(WA)
        rig.fake.fail(400, 63027, to=WA)  # the template was rejected
        held = rig.queue_reply(WA, "رسالة تنتظر")
        assert rig.wait_for_status(held, "held").error_code == "63016"
        [refused] = [c for c in rig.fake.calls if c.params.get("ContentSid") == TEMPLATE]
        assert refused.status == 400
