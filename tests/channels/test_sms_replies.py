"""SMS through Twilio: replies within the segment budget, numbered choices, STOP/START."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.datastructures import ImmutableMultiDict

from bot.channels.sms import keyword_command
from bot.channels.sms_text import UCS2, count_segments
from bot.channels.twilio_webhooks import parse_inbound
from bot.nlu.base import NLU
from bot.services.records import flat_record
from bot.services.store import put
from tests.channels.twilio_harness import TwilioRig, rig_for, twilio_rig_fixture  # noqa: F401
from tests.fakes.twilio_api import fixture

NUMBERED = re.compile(r"^(\d+)\. ", re.MULTILINE)


def arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum(0x0600 <= ord(c) < 0x0700 for c in letters) > 0.6 * len(letters)


def test_an_arabic_sms_conversation_stays_within_three_segments(twilio_rig: TwilioRig) -> None:
    number = "+905555000001"
    assert twilio_rig.sms(number, "مرحبا، أحتاج مساعدة").status_code == 200
    bodies = twilio_rig.answered(number)
    menu = [body for body in bodies if NUMBERED.search(body)]
    assert menu, bodies
    assert [int(n) for n in NUMBERED.findall(menu[-1])] == list(range(1, 14))
    # The second choice, with an Arabic-Indic digit: the health answer.
    assert twilio_rig.sms(number, "٢").status_code == 200
    bodies = twilio_rig.answered(number)
    # A worried parent: the safety answer must arrive whole, with the emergency number (then
    # the question whether a caseworker may write).
    assert twilio_rig.sms(number, "زوجي يضربني ويضرب أطفالي كل يوم").status_code == 200
    bodies = twilio_rig.answered(number)
    assert len(bodies) >= 5
    for body in bodies:
        segments = count_segments(body)
        assert segments.encoding == UCS2 and segments.count <= 3, (segments, body)
        assert arabic(body), body
    assert any("112" in body for body in bodies[-4:])
    assert twilio_rig.fake.unexpected == []


@pytest.mark.parametrize(
    ("stop", "start"),
    [("STOP", "START"), ("dur", "BAŞLA"), ("İPTAL", "basla"), ("توقف", "ابدأ"), ("إلغاء", "ابدا")],
)
def test_stop_and_start_in_english_turkish_and_arabic(
    twilio_rig: TwilioRig, stop: str, start: str
) -> None:
    number = "+905555000002"
    assert twilio_rig.sms(number, "merhaba").status_code == 200
    twilio_rig.answered(number)
    contact = twilio_rig.contact(number)
    assert contact is not None and not contact.opted_out
    assert twilio_rig.sms(number, stop).status_code == 200
    twilio_rig.answered(number)
    contact = twilio_rig.contact(number)
    assert contact is not None and contact.opted_out
    assert twilio_rig.sms(number, start).status_code == 200
    twilio_rig.answered(number)
    contact = twilio_rig.contact(number)
    assert contact is not None and not contact.opted_out


def test_stop_inside_a_sentence_is_not_a_command(twilio_rig: TwilioRig) -> None:
    number = "+905555000003"
    assert twilio_rig.sms(number, "merhaba").status_code == 200
    twilio_rig.answered(number)
    assert twilio_rig.sms(number, "okulda dur dedi öğretmen").status_code == 200
    twilio_rig.answered(number)
    contact = twilio_rig.contact(number)
    assert contact is not None and not contact.opted_out


def test_a_number_that_opted_out_at_twilio_is_a_dead_letter_with_the_reason(
    twilio_rig: TwilioRig,
) -> None:
    number = "+905555000004"
    twilio_rig.fake.opt_out(number)  # Twilio blocks sends after the person's STOP
    assert twilio_rig.sms(number, "merhaba").status_code == 200
    twilio_rig.answered(number)
    ids = twilio_rig.outbound_ids(number)
    assert ids
    for message_id in ids:
        message, item = twilio_rig.message_by_id(message_id)
        assert (message.status, message.error_code) == ("dead", "21610")
        assert item is not None and item.status == "dead"
        assert "opted out" in (item.last_error or "")
    refused = [c for c in twilio_rig.fake.calls if c.params["To"] == number]
    assert len(refused) == len(ids)  # never retried
    assert twilio_rig.fake.sent(number) == []


def test_the_configured_segment_budget_is_kept(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    with rig_for(database_url, nlu_model_dir, nlu, twilio={"sms_max_segments": 2}) as rig:
        assert rig.sms("+905555000005", "مرحبا").status_code == 200
        bodies = rig.answered("+905555000005")
        assert len(bodies) >= 2
        for body in bodies:
            lines = body.splitlines()
            if count_segments(body).count > 2:
                # Choices are never dropped: a list longer than the budget goes whole, with
                # the short question.
                assert lines[0] == "اختر موضوعاً:", body
                assert all(NUMBERED.match(line) for line in lines[1:]), body
            else:
                # Cut back to whole sentences or lines, never inside a word.
                assert body.rstrip()[-1] in ".؟!:⁩" or NUMBERED.match(lines[-1]), body
        assert count_segments(bodies[0]).count <= 2 and "112" in bodies[0]


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("STOP", "stop"),
        (" stop ", "stop"),
        ("Unsubscribe", "stop"),
        ("DUR", "stop"),
        ("İPTAL", "stop"),
        ("iptal", "stop"),
        ("توقف", "stop"),
        ("إلغاء", "stop"),
        ("إيقاف", "stop"),
        ("لغو", "stop"),
        ("START", "start"),
        ("BAŞLA", "start"),
        ("ابدأ", "start"),
        ("شروع", "start"),
        ("stop please", None),
        ("durum", None),
        ("merhaba", None),
    ],
)
def test_keywords_are_whole_messages(text: str, command: str | None) -> None:
    assert keyword_command(text) == command


def test_twilio_advanced_opt_out_type_is_honoured_for_words_we_do_not_know() -> None:
    form = fixture("inbound_sms")
    form.update(Body="AYRIL", OptOutType="STOP")
    assert parse_inbound(ImmutableMultiDict(form)).command == "stop"
    form.update(Body="GERI", OptOutType="START")
    assert parse_inbound(ImmutableMultiDict(form)).command == "start"
    form.pop("OptOutType")
    assert parse_inbound(ImmutableMultiDict(form)).command is None


def test_services_found_by_sms_keep_every_name_and_phone_within_three_segments(
    twilio_rig: TwilioRig,
) -> None:
    phones = ["+902120000001", "+902120000002", "+902120000003"]
    with twilio_rig.helpline.db.transaction() as session:
        for n, (name, phone) in enumerate(
            zip(
                [
                    "Esenyurt Göçmen Sağlığı Merkezi",
                    "Esenyurt Devlet Hastanesi",
                    "Esenyurt 3 No'lu Aile Sağlığı Merkezi",
                ],
                phones,
                strict=True,
            )
        ):
            record = flat_record(
                f"h{n}",
                name,
                ["health"],
                district="Esenyurt",
                address="Cumhuriyet Mahallesi, Atatürk Caddesi No: 12",
                phone=phone,
                opening_hours="Mo-Fr 08:00-17:00",
            )
            put(session, record, "test")
    number = "+905555000006"
    assert twilio_rig.sms(number, "مرحبا").status_code == 200
    before = len(twilio_rig.answered(number))
    assert twilio_rig.sms(number, "وين في مستشفى قريب باسنيورت").status_code == 200
    [found, *_] = twilio_rig.answered(number)[before:]
    assert count_segments(found).count <= 3, found
    assert all(phone in found for phone in phones), found
    assert "Devlet Hastanesi" in found
