"""The console over HTTP without a browser: login, cookies, CSRF, rate limit, roles, escaping,
languages, phone numbers (the browser journey is in test_console_browser.py)."""

from __future__ import annotations

import base64
import io
import logging
import re
import wave
from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from bot.app import Helpline
from bot.storage.models import AuditEvent, Case, CaseEvent, Contact, Message
from tests.cases.conftest import Api
from tests.console.conftest import ConsoleClient


def test_login_gives_a_signed_httponly_samesite_cookie_and_the_queue_most_urgent_first(
    console: ConsoleClient, staff_api: Api
) -> None:
    worker = staff_api.staff("caseworker")
    old_medium = staff_api.case("medium", age=timedelta(hours=3))
    older_high = staff_api.case("high", age=timedelta(hours=2))
    new_high = staff_api.case("high", age=timedelta(minutes=1))
    imminent = staff_api.case("imminent", age=timedelta(seconds=5))
    assert console.http.get("/console").headers["location"] == "/console/login"

    answer = console.login(worker)
    assert (answer.status_code, answer.headers["location"]) == (303, "/console")
    cookie = answer.headers["set-cookie"].lower()
    assert "helpline_console=" in cookie and "httponly" in cookie
    assert "samesite=strict" in cookie and "path=/console" in cookie
    page = console.page("/console")
    assert page.status_code == 200
    ids = [int(part.split('"')[0]) for part in page.text.split('data-case-id="')[1:]]
    assert ids == [imminent, older_high, new_high, old_medium]
    assert f'data-case-id="{imminent}" data-priority="imminent"' in page.text
    assert "Content-Security-Policy" in page.headers


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
    console: ConsoleClient, staff_api: Api
) -> None:
    worker = staff_api.staff("caseworker")
    wrong = console.login(worker, password="not the password")
    worker.name = "nobody-of-that-name"
    unknown = console.login(worker)
    assert wrong.status_code == unknown.status_code == 401
    assert "The name or the password is wrong." in wrong.text
    assert "helpline_console=" not in wrong.headers.get("set-cookie", "")


def test_login_attempts_are_rate_limited(console: ConsoleClient, staff_api: Api) -> None:
    worker = staff_api.staff("caseworker")
    for _ in range(3):  # settings: console.login_rate = 3/minute
        assert console.login(worker, password="guess guess guess").status_code == 401
    limited = console.login(worker)  # the right password, too late
    assert limited.status_code == 429
    assert "Too many attempts" in limited.text


def test_a_forged_or_missing_csrf_token_is_refused(
    console: ConsoleClient, staff_api: Api, helpline: Helpline
) -> None:
    worker = staff_api.staff("caseworker")
    case_id = staff_api.case()
    # The login form needs its token too.
    assert (
        console.http.post(
            "/console/login", data={"name": worker.name, "password": "x", "csrf_token": "forged"}
        ).status_code
        == 403
    )
    console.login(worker)
    console.page("/console")
    forged = URLSafeSerializer("another key", salt="console-csrf").dumps("a-nonce")
    for token in (str(forged), "", console.csrf + "x"):
        refused = console.act(case_id, "claim", token=token)
        assert refused.status_code == 403, token
    form_without = console.http.post(f"/console/cases/{case_id}/claim", data={"csrf_token": "no"})
    assert form_without.status_code == 403
    assert staff_api.row(case_id).status == "open"
    # Another session's token does not fit this session.
    other = ConsoleClient(helpline)
    other.login(staff_api.staff("caseworker"))
    other.page("/console")
    assert console.act(case_id, "claim", token=other.csrf).status_code == 403
    assert console.act(case_id, "claim").status_code == 200
    assert staff_api.row(case_id).assignee_id == worker.id


def test_a_script_in_a_message_is_shown_as_text(console: ConsoleClient, staff_api: Api) -> None:
    console.login(staff_api.staff("caseworker"))
    case_id = staff_api.case(text='<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = console.page(f"/console/cases/{case_id}")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in (
        page.text
    )
    assert "<script>alert" not in page.text and "<img src=x" not in page.text


def test_a_caseworker_cannot_reassign_and_a_supervisor_can(
    helpline: Helpline, staff_api: Api
) -> None:
    worker, other = staff_api.staff("caseworker"), staff_api.staff("caseworker")
    case_id = staff_api.case()
    as_worker = ConsoleClient(helpline)
    as_worker.login(worker)
    page = as_worker.page(f"/console/cases/{case_id}")
    assert 'data-test="reassign-submit"' not in page.text
    refused = as_worker.act(case_id, "reassign", staff=other.name)
    assert refused.status_code == 403
    assert staff_api.row(case_id).assignee_id is None
    as_supervisor = ConsoleClient(helpline)
    as_supervisor.login(staff_api.staff("supervisor"))
    assert as_supervisor.act(case_id, "reassign", staff=other.name).status_code == 200
    assert staff_api.row(case_id).assignee_id == other.id


def test_actions_follow_the_case_rules_and_answer_errors_in_the_console_language(
    helpline: Helpline, staff_api: Api
) -> None:
    first, second = ConsoleClient(helpline), ConsoleClient(helpline, language="tr")
    first.login(staff_api.staff("caseworker"))
    second.login(staff_api.staff("caseworker"))
    case_id = staff_api.case()
    assert first.act(case_id, "claim").status_code == 200
    held = second.act(case_id, "reply", text="I am here")
    assert held.status_code == 409 and held.json()["error"].startswith("Bu işlem yapılamadı")
    assert first.act(case_id, "note", text="called the school").status_code == 201
    assert first.act(case_id, "close", outcome="no such outcome").status_code == 422
    assert "called the school" in first.page(f"/console/cases/{case_id}").text
    assert first.act(case_id, "handback").status_code == 200
    closed = first.act(case_id, "close", outcome="resolved")
    assert closed.status_code == 200 and closed.json()["state"]["status"] == "closed"
    assert staff_api.row(case_id).outcome == "resolved"
    # A form post without script is answered with the case page.
    missing = first.http.post("/console/cases/999999/claim", data={"csrf_token": first.csrf})
    assert missing.status_code == 404 and "There is no such page or case." in missing.text


def test_logout_and_revocation_end_the_session(helpline: Helpline, staff_api: Api) -> None:
    account = staff_api.staff("caseworker")
    client = ConsoleClient(helpline)
    client.login(account)
    client.page("/console")
    stolen = dict(client.http.cookies)
    out = client.http.post("/console/logout", data={"csrf_token": client.csrf})
    assert (out.status_code, out.headers["location"]) == (303, "/console/login")
    replay = ConsoleClient(helpline)
    replay.http.cookies.update(stolen)
    assert replay.http.get("/console").status_code == 303
    client.login(account)
    assert client.page("/console").status_code == 200
    staff_api.revoke(account)
    assert client.http.get("/console").headers["location"] == "/console/login"


@pytest.mark.parametrize(
    ("accept", "lang", "direction"),
    [
        ("ar-SY,ar;q=0.9,en;q=0.5", "ar", "rtl"),
        ("fa-AF,fa;q=0.9", "fa", "rtl"),
        ("tr-TR", "tr", "ltr"),
        ("de,en;q=0.3", "en", "ltr"),
    ],
)
def test_the_console_speaks_the_browsers_language_unless_staff_choose(
    helpline: Helpline, staff_api: Api, accept: str, lang: str, direction: str
) -> None:
    client = ConsoleClient(helpline, language=accept)
    login = client.http.get("/console/login")
    assert f'<html lang="{lang}" dir="{direction}">' in login.text
    client.login(staff_api.staff("caseworker"))
    page = client.page("/console")
    assert f'<html lang="{lang}" dir="{direction}">' in page.text
    chosen = client.http.post(
        "/console/language", data={"language": "ar", "csrf_token": client.csrf}
    )
    assert chosen.status_code == 303
    assert '<html lang="ar" dir="rtl">' in client.page("/console").text


def test_phone_numbers_are_hidden_from_caseworkers_unless_allowed(
    helpline: Helpline, staff_api: Api
) -> None:
    case_id = staff_api.case()
    with helpline.db.transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.channel = "whatsapp"
        contact = session.get(Contact, case.contact_id)
        assert contact is not None
        contact.channel = "whatsapp"
        contact.platform_id_enc = helpline.vault.encrypt("+905551234567")
    worker, supervisor = ConsoleClient(helpline), ConsoleClient(helpline)
    worker.login(staff_api.staff("caseworker"))
    supervisor.login(staff_api.staff("supervisor"))
    assert "+905551234567" not in worker.page(f"/console/cases/{case_id}").text
    assert "+905551234567" in supervisor.page(f"/console/cases/{case_id}").text
    helpline.settings.console.caseworkers_see_phone_numbers = True
    assert "+905551234567" in worker.page(f"/console/cases/{case_id}").text


def test_no_case_content_in_the_logs(
    console: ConsoleClient, staff_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    console.login(staff_api.staff("caseworker"))
    case_id = staff_api.case(text="my neighbour Leyla hits her children")
    console.page(f"/console/cases/{case_id}")
    console.act(case_id, "reply", text="Ayşe will call you at 15:00")
    console.act(case_id, "note", text="mother afraid of the uncle")
    for words in ("Leyla", "Ayşe", "uncle"):
        assert words not in caplog.text


def test_the_case_page_shows_the_risk_evidence_that_fired(
    console: ConsoleClient, staff_api: Api, helpline: Helpline
) -> None:
    console.login(staff_api.staff("caseworker"))
    case_id = staff_api.case("high", language="ar")
    evidence = ["lexicon:ar:domestic_violence:high:يضربني", "model:domestic_violence:0.93"]
    with helpline.db.transaction() as session:
        session.add(
            CaseEvent(
                case_id=case_id,
                kind="escalated",
                detail={"level": "high", "category": "domestic_violence", "evidence": evidence},
            )
        )
    page = console.page(f"/console/cases/{case_id}").text
    assert '<code>lexicon ar high</code></bdi> <q dir="auto">يضربني</q>' in page
    assert '<code>model</code></bdi> <q dir="auto">0.93</q>' in page
    assert "domestic violence" in page


def test_the_queue_carries_its_own_short_chime(console: ConsoleClient, staff_api: Api) -> None:
    console.login(staff_api.staff("caseworker"))
    page = console.page("/console").text
    found = re.search(r'<audio id="chime" preload="auto" src="data:audio/wav;base64,([^"]+)"', page)
    assert found is not None
    with wave.open(io.BytesIO(base64.b64decode(found.group(1)))) as chime:
        seconds = chime.getnframes() / chime.getframerate()
    assert 0.1 < seconds < 1.0
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from elsewhere


def test_prepared_replies_come_in_the_persons_language(
    console: ConsoleClient, staff_api: Api, helpline: Helpline
) -> None:
    console.login(staff_api.staff("caseworker"))
    arabic = console.page(f"/console/cases/{staff_api.case(language='ar')}").text
    for name in ("introduce", "call_112"):
        text = helpline.engine.texts.get("ar", f"canned.{name}")
        assert f'data-text="{text}"' in arabic
    assert "Introduce yourself" in arabic  # the button speaks the console's language
    persian = console.page(f"/console/cases/{staff_api.case(language='fa')}").text
    assert "canned-reply" not in persian  # no Persian catalog yet: nothing in another language


def test_a_persian_case_in_the_persian_console_shows_whether_it_is_safe_to_write(
    helpline: Helpline, staff_api: Api
) -> None:
    client = ConsoleClient(helpline, language="fa-AF,fa;q=0.9")
    client.login(staff_api.staff("caseworker", languages=["fa"]))
    case_id = staff_api.case("high", language="fa")
    texts = helpline.engine.texts
    page = client.page(f"/console/cases/{case_id}").text
    assert '<html lang="fa" dir="rtl">' in page
    assert texts.get("fa", "console.safe_contact.unknown") in page
    assert texts.get("fa", "canned.introduce") in page  # prepared replies in the person's language
    with helpline.db.transaction() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.safe_contact = "18:00-22:00"
    page = client.page(f"/console/cases/{case_id}").text
    assert texts.get("fa", "console.safe_contact.window", hours="18:00-22:00") in page


def test_an_admin_erases_a_person_from_the_case_page_and_a_caseworker_cannot(
    helpline: Helpline, staff_api: Api
) -> None:
    case_id = staff_api.case("high", text="kocam beni dövüyor")
    as_worker = ConsoleClient(helpline)
    as_worker.login(staff_api.staff("caseworker"))
    assert 'data-test="erase-submit"' not in as_worker.page(f"/console/cases/{case_id}").text
    assert as_worker.act(case_id, "erase").status_code == 403
    as_admin = ConsoleClient(helpline)
    as_admin.login(staff_api.staff("admin"))
    assert 'data-test="erase-submit"' in as_admin.page(f"/console/cases/{case_id}").text
    assert as_admin.act(case_id, "erase", token="forged").status_code == 403
    kept = as_admin.act(case_id, "erase")  # an open high case is kept unless asked
    assert kept.status_code == 409
    staff_api.row(case_id)
    erased = as_admin.act(case_id, "erase", include_open_cases="yes")
    assert erased.status_code == 200, erased.text
    with helpline.db.transaction() as session:
        assert session.get(Case, case_id) is None
        texts = [helpline.vault.decrypt(m.text_enc) for m in session.scalars(select(Message))]
        assert "kocam beni dövüyor" not in texts
        actions = [e.action for e in session.scalars(select(AuditEvent))]
        assert "erase" in actions
