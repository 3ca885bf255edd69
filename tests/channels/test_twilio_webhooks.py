"""`POST /webhooks/twilio`: signatures, duplicates, malformed bodies, replies only via REST.

The real twilio library against the fake Twilio REST API, through the real app on loopback.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from bot.nlu.base import NLU
from tests.channels.twilio_harness import (  # noqa: F401  (fixture)
    TwilioRig,
    new_sid,
    rig_for,
    twilio_rig_fixture,
)
from tests.fakes.twilio_api import ACCOUNT_SID, FROM_SMS, FROM_WHATSAPP, fixture

ARABIC_LETTERS = range(0x0600, 0x0700)
PERSON = "+905550000002"
WA = f"whatsapp:{PERSON}"


def is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    arabic = [c for c in letters if ord(c) in ARABIC_LETTERS]
    return len(arabic) > 0.6 * len(letters)


def test_an_arabic_whatsapp_message_gets_an_arabic_reply_through_the_rest_api(
    twilio_rig: TwilioRig,
) -> None:
    response = twilio_rig.whatsapp(PERSON, "مرحبا، أحتاج مساعدة")
    assert response.status_code == 200
    # The webhook answers empty TwiML: the reply does not travel in the response body.
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Message" not in response.text and "Response" in response.text
    bodies = twilio_rig.answered(WA)
    assert bodies and all(is_arabic(body) for body in bodies), bodies
    call = twilio_rig.fake.sent(WA)[0]
    assert call.params["From"] == FROM_WHATSAPP
    assert call.params["StatusCallback"] == (
        "https://helpline.example.org/base/webhooks/twilio/status"
    )
    # The create answer's status is kept (no callback is ever sent for it).
    assert call.sid is not None and twilio_rig.message(call.sid).status == "sent"


def test_a_forged_signature_gets_403_and_nothing_is_stored(twilio_rig: TwilioRig) -> None:
    params = fixture("inbound_whatsapp_text")
    forged = twilio_rig.fake.sign(twilio_rig.signed_url("/webhooks/twilio"), params)
    params["Body"] = "changed after signing"
    assert twilio_rig.post("/webhooks/twilio", params, signature=forged).status_code == 403
    no_header = twilio_rig.client.post(f"{twilio_rig.url}/webhooks/twilio", data=params)
    assert no_header.status_code == 403
    # Signed over the URL the service sees rather than the public one Twilio calls: refused.
    local = twilio_rig.fake.sign(f"{twilio_rig.url}/webhooks/twilio", params)
    assert twilio_rig.post("/webhooks/twilio", params, signature=local).status_code == 403
    # Signed with another account's token.
    other = httpx.post(
        f"{twilio_rig.url}/webhooks/twilio/status",
        data=fixture("status_delivered"),
        headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
    )
    assert other.status_code == 403
    assert twilio_rig.contact(WA) is None
    assert twilio_rig.fake.calls == []


def test_a_valid_signature_over_the_public_url_behind_a_proxy_is_accepted(
    twilio_rig: TwilioRig,
) -> None:
    # Twilio signed https://helpline.example.org/base/webhooks/twilio; the service itself
    # listens on http://127.0.0.1:PORT (the TLS proxy forwards), and rebuilds the URL.
    assert twilio_rig.public_url and not twilio_rig.url.startswith(twilio_rig.public_url)
    response = twilio_rig.whatsapp(PERSON, "مرحبا", sid=new_sid())
    assert response.status_code == 200
    assert twilio_rig.answered(WA)


def test_without_a_public_url_the_signature_is_checked_against_the_url_called(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    with rig_for(database_url, nlu_model_dir, nlu, public_url=None) as rig:
        params = fixture("inbound_sms")
        signed_public = rig.fake.sign("https://helpline.example.org/webhooks/twilio", params)
        assert rig.post("/webhooks/twilio", params, signature=signed_public).status_code == 403
        assert rig.post("/webhooks/twilio", params).status_code == 200  # signed over rig.url
        assert rig.answered(params["From"])
        assert "StatusCallback" not in rig.fake.sent()[0].params


def test_a_redelivered_message_sid_is_answered_once(twilio_rig: TwilioRig) -> None:
    sid = new_sid()
    assert twilio_rig.whatsapp(PERSON, "مرحبا", sid=sid).status_code == 200
    first = twilio_rig.answered(WA)
    assert first
    replies = twilio_rig.outbound_ids(WA)
    # Twilio retries after a timeout with the same MessageSid (and the same signature).
    for _ in range(3):
        assert twilio_rig.whatsapp(PERSON, "مرحبا", sid=sid).status_code == 200
    assert twilio_rig.inbound_count(WA) == 1
    assert twilio_rig.outbound_ids(WA) == replies
    # A new message is answered, and only its replies are added.
    assert twilio_rig.whatsapp(PERSON, "شكرا", sid=new_sid()).status_code == 200
    after = twilio_rig.answered(WA)
    assert twilio_rig.inbound_count(WA) == 2
    assert after[: len(first)] == first and len(after) > len(first)


def test_sms_from_a_plain_number_is_sms_and_answered_from_the_sms_sender(
    twilio_rig: TwilioRig,
) -> None:
    assert twilio_rig.sms("+905550000003", "merhaba").status_code == 200
    assert twilio_rig.answered("+905550000003")
    call = twilio_rig.fake.sent("+905550000003")[0]
    assert call.params["From"] == FROM_SMS
    assert twilio_rig.contact("+905550000003") is not None
    assert twilio_rig.contact("whatsapp:+905550000003") is None


def test_malformed_and_huge_requests_get_a_clean_4xx(twilio_rig: TwilioRig) -> None:
    url = f"{twilio_rig.url}/webhooks/twilio"
    signed = {"X-Twilio-Signature": "x"}
    huge = twilio_rig.client.post(url, data={"Body": "a" * 200_000}, headers=signed)
    assert huge.status_code == 413
    json_body = twilio_rig.client.post(url, json={"Body": "hi"}, headers=signed)
    assert json_body.status_code == 415
    not_utf8 = twilio_rig.client.post(
        url,
        content=b"Body=%FF%FE&From=%2B90",
        headers={**signed, "content-type": "application/x-www-form-urlencoded"},
    )
    assert not_utf8.status_code in (400, 403)
    too_many = twilio_rig.client.post(
        url,
        content="&".join(f"f{i}=v" for i in range(5000)).encode(),
        headers={**signed, "content-type": "application/x-www-form-urlencoded"},
    )
    assert too_many.status_code == 400
    # Signed correctly but without the fields a message has: 400, nothing stored.
    empty = {"AccountSid": ACCOUNT_SID, "Body": "hi"}
    assert twilio_rig.post("/webhooks/twilio", empty).status_code == 400
    status_without_sid = {"AccountSid": ACCOUNT_SID}
    assert twilio_rig.post("/webhooks/twilio/status", status_without_sid).status_code == 400
    # A real message that is long (Twilio allows 1,600 characters, WhatsApp more) is stored.
    long_text = "أحتاج مساعدة في التسجيل " * 200
    assert twilio_rig.whatsapp(PERSON, long_text).status_code == 200
    assert twilio_rig.answered(WA)
    assert twilio_rig.fake.unexpected == []


def test_media_and_location_are_received(twilio_rig: TwilioRig) -> None:
    media = fixture("inbound_whatsapp_media")
    assert twilio_rig.post("/webhooks/twilio", media).status_code == 200
    assert twilio_rig.answered(media["From"])
    location = fixture("inbound_whatsapp_location")
    assert twilio_rig.post("/webhooks/twilio", location).status_code == 200
    assert twilio_rig.answered(location["From"])


def test_no_phone_number_or_message_text_is_logged(
    twilio_rig: TwilioRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    text = "ابني مريض جداً ونحتاج طبيباً"
    assert twilio_rig.whatsapp(PERSON, text).status_code == 200
    bodies = twilio_rig.answered(WA)
    assert twilio_rig.status("status_delivered", twilio_rig.fake.sent(WA)[0].sid or "").is_success
    logged = caplog.text
    assert logged  # the service did log (at DEBUG and up), so the check below means something
    for secret in [PERSON, PERSON.lstrip("+"), text, *bodies]:
        assert secret not in logged
