"""The web chat in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Skipped with a clear reason when Chromium is not installed, unless
HELPLINE_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from bot.app import Helpline
from bot.web.app import build_web_app
from tests.live import launch_chromium, require_chromium, serving

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(helpline: Helpline) -> Iterator[Callable[[str], Page]]:
    """Opens the web chat in a fresh browser context with the given browser language."""
    require_chromium()
    with serving(build_web_app(helpline)) as url, sync_playwright() as pw:
        browser = launch_chromium(pw)

        def open_page(locale: str) -> Page:
            page = browser.new_context(locale=locale).new_page()
            page.goto(url)
            return page

        yield open_page
        browser.close()


def text_of(helpline: Helpline, language: str, msgid: str) -> str:
    return helpline.engine.texts.get(language, msgid)


def first_line(text: str) -> str:
    return text.splitlines()[0]


def type_message(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def bot_says(page: Page, text: str) -> None:
    page.locator(".msg.out", has_text=first_line(text)).last.wait_for(timeout=15_000)


def tap(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).last.click()


JOURNEYS = [
    (
        "tr",
        "merhaba",
        "menu.health",
        "faq.health",
        "en",
        "how do I enrol my child in school",
        "faq.education",
    ),
    (
        "ar",
        "مرحبا",
        "menu.legal",
        "faq.legal",
        "tr",
        "çocuğumu okula nasıl kaydederim",
        "faq.education",
    ),
    (
        "en",
        "hello",
        "menu.registration",
        "faq.registration",
        "ar",
        "وين بقدر اعمل كرت الهلال الاحمر وكيف بستلم المساعدة",
        "faq.financial_aid",
    ),
]


@pytest.mark.parametrize("journey", JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_a_conversation_in_the_browser(
    browser_page: Callable[[str], Page], helpline: Helpline, journey: tuple[str, ...]
) -> None:
    language, hello, menu_item, answer, other, question, other_answer = journey
    page = browser_page(language)
    type_message(page, hello)
    bot_says(page, text_of(helpline, language, "greeting.welcome"))
    bot_says(page, text_of(helpline, language, "menu.prompt"))

    tap(page, text_of(helpline, language, menu_item))
    bot_says(page, text_of(helpline, language, answer))

    type_message(page, "menu")
    bot_says(page, text_of(helpline, language, "menu.prompt"))
    tap(page, text_of(helpline, language, "menu.language"))
    bot_says(page, text_of(helpline, language, "language.choose"))
    tap(page, text_of(helpline, language, f"language.{other}"))
    bot_says(page, text_of(helpline, other, "language.changed"))

    type_message(page, question)
    bot_says(page, text_of(helpline, other, other_answer))


def test_arabic_bubbles_render_right_to_left(browser_page: Callable[[str], Page]) -> None:
    page = browser_page("ar")
    type_message(page, "مرحبا")
    bubble = page.locator(".msg.out").first
    bubble.wait_for(timeout=15_000)
    direction = bubble.evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
    page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "helpline-ar.png"))
