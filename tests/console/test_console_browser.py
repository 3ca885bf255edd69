"""The staff console in headless Chromium (Debian's /usr/bin/chromium, Playwright), against the
whole service on loopback: Telegram through the fake Bot API, the outbox sender running, the
console's live streams polling the real database.

One journey per database, in its own language: English on SQLite, Arabic on PostgreSQL.
A person discloses on Telegram; the case appears in the open queue without a reload (the title
changes for an imminent case); the caseworker claims it, replies, the reply leaves through the
outbox to the fake Telegram, the person's answer (with a script in it) appears live as text;
the case is closed. A forged CSRF token is refused from the page itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot.app import Helpline, create_app
from bot.cases.staff import add_staff
from bot.nlu.base import NLU
from bot.storage.models import Case, utcnow
from bot.web.app import build_web_app
from tests.cases.conftest import PASSWORD, Api
from tests.cases.escalation_support import disclosure
from tests.channels.telegram_env import SECRET, WEBHOOK
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.live import launch_chromium, require_chromium, serving

pytestmark = pytest.mark.browser
CHAT = {"en": 81001, "ar": 81002}
REPLY = {
    "en": "I am Sara from the helpline. Are you safe now?",
    "ar": "أنا سارة من خط الدعم. هل أنت بأمان الآن؟",
}
RED = "rgb(179, 38, 30)"  # --late in console.css
# A busy 2-core CI machine: every wait for the page is generous.
expect.set_options(timeout=15_000)
ANSWER = "<script>window.pwned = 1</script><b>yes</b> thank you"


@dataclass
class Service:
    helpline: Helpline
    fake: FakeTelegram
    url: str
    browser: Browser
    worker: str

    def person_says(self, language: str, text: str) -> None:
        update = self.fake.message_update(CHAT[language], text, language_code=language)
        answer = httpx.post(
            f"{self.url}{WEBHOOK}",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            timeout=30,
        )
        assert answer.status_code == 200

    def sent_to(self, language: str, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.fake.sent_texts(CHAT[language]):
            assert time.monotonic() < deadline, self.fake.sent_texts(CHAT[language])
            time.sleep(0.05)

    def case(self) -> Case:
        with self.helpline.db.transaction() as session:
            [case] = session.query(Case).filter(Case.channel == "telegram").all()
            return case

    def overdue_case(self, language: str) -> int:
        """A medium case on the test channel whose first-response deadline passed."""
        case_id = Api(self.helpline, None).case("medium", language=language, age=timedelta(hours=2))  # type: ignore[arg-type]
        with self.helpline.db.transaction() as session:
            case = session.get(Case, case_id)
            assert case is not None
            case.deadline_at = utcnow() - timedelta(minutes=30)
        return case_id


@pytest.fixture
def service(database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[tuple[str, Service]]:
    """The whole service on the journey's database, with Chromium ready."""
    require_chromium()
    language = "en" if database_url.startswith("sqlite") else "ar"
    with FakeTelegram() as fake:
        settings = make_settings(
            database_url,
            nlu_model_dir,
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
            telegram_webhook_secret=SECRET,
            delivery={"poll_seconds": 0.2},
            console={"poll_seconds": 0.2, "login_rate": "100/minute"},
        )
        helpline = create_app(settings, nlu=nlu)
        name = f"sara-{language}"
        with helpline.db.transaction() as session:
            add_staff(session, name, "caseworker", ["tr", "ar", "en"], PASSWORD)
        try:
            with serving(build_web_app(helpline)) as base, sync_playwright() as pw:
                # The chime may play without a click first (the page only tries).
                browser = launch_chromium(pw, "--autoplay-policy=no-user-gesture-required")
                yield language, Service(helpline, fake, base, browser, name)
                browser.close()
        finally:
            helpline.db.dispose()


def log_in(service: Service, language: str) -> Page:
    context = service.browser.new_context(locale={"en": "en-GB", "ar": "ar-SY"}[language])
    page = context.new_page()
    page.goto(f"{service.url}/console")
    page.fill('[data-test="login-name"]', service.worker)
    page.fill('[data-test="login-password"]', PASSWORD)
    page.click('[data-test="login-submit"]')
    page.wait_for_url(f"{service.url}/console")
    return page


def direction(page: Page, selector: str) -> Any:
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).direction")


def test_a_caseworker_takes_a_telegram_disclosure_from_queue_to_close(
    service: tuple[str, Service], nlu: NLU, tmp_path: Path
) -> None:
    language, svc = service
    overdue = svc.overdue_case(language)
    page = log_in(svc, language)
    expected = "rtl" if language == "ar" else "ltr"
    assert direction(page, '[data-test="queue"]') == expected
    late = page.locator(f'[data-test="case-row"][data-case-id="{overdue}"]')
    expect(late).to_have_class(re.compile(r"\blate\b"))  # red: its deadline passed
    assert late.locator(".deadline").evaluate("el => getComputedStyle(el).color") == RED
    page.evaluate("window.stillHere = true")
    title = page.title()

    told = disclosure(nlu, "imminent", language)
    svc.person_says(language, told.text)
    rows = page.locator('[data-test="case-row"]')
    expect(rows).to_have_count(2)
    case = svc.case()
    row = rows.first  # most urgent first
    assert row.get_attribute("data-case-id") == str(case.id)
    assert row.get_attribute("data-priority") == "imminent"
    expect(row.locator(".deadline")).to_contain_text(":")  # counting down, not yet late
    assert page.evaluate("window.stillHere") is True  # no reload: the stream added the row
    expect(page).not_to_have_title(title)
    assert page.locator("body").get_attribute("data-alerts") == "1"
    if language == "ar":
        page.screenshot(path=str(tmp_path / "console-queue-ar.png"), full_page=True)

    row.click()
    page.wait_for_url(f"{svc.url}/console/cases/{case.id}")
    person = page.locator('[data-test="message"][data-direction="in"]')
    expect(person.first).to_contain_text(told.text)
    forged = page.evaluate(
        """async (id) => (await fetch(`/console/cases/${id}/claim`, {method: "POST",
             headers: {"X-CSRF-Token": "forged.token", "Accept": "application/json"}})).status""",
        case.id,
    )
    assert forged == 403

    page.click('[data-test="claim"]')
    expect(page.locator('[data-test="claim"]')).to_be_hidden()
    box = page.locator('[data-test="reply-text"]')
    assert direction(page, '[data-test="reply-text"]') == expected
    page.locator(".canned-reply").first.click()
    expect(box).to_have_value(svc.helpline.engine.texts.get(language, "canned.introduce"))
    box.fill(REPLY[language])
    page.click('[data-test="reply-send"]')
    svc.sent_to(language, REPLY[language])
    mine = page.locator('[data-test="message"][data-direction="out"]', has_text=REPLY[language])
    expect(mine).to_have_count(1, timeout=10_000)

    svc.person_says(language, ANSWER)
    answer = page.locator('[data-test="message"][data-direction="in"]', has_text="thank you")
    expect(answer).to_have_count(1, timeout=15_000)
    assert answer.locator(".text").inner_text() == ANSWER  # shown as text, not run or rendered
    assert page.evaluate("window.pwned") is None
    if language == "ar":
        assert direction(page, '[data-test="message"]') == "rtl"
        page.screenshot(path=str(tmp_path / "console-case-ar.png"), full_page=True)
        assert (tmp_path / "console-case-ar.png").stat().st_size > 10_000

    page.select_option('[data-test="close-outcome"]', "resolved")
    page.click('[data-test="close-submit"]')
    expect(page.locator('[data-test="close-submit"]')).to_be_hidden()
    closed = svc.case()
    assert (closed.status, closed.outcome) == ("closed", "resolved")
    page.context.close()
