"""A fifth conversation language added as files alone: a catalog and the settings' list.

Kurmanji Kurdish (`ku`) stands in: a tmp copy of locales/ plus a catalog written
from the English one (every text marked), the flows unchanged, no Python touched.
The NLU has no Kurdish data; its language guess keeps the person's chosen one.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po, write_po

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.languages import catalog_languages, text_direction
from bot.nlu.base import NLU
from bot.settings import Settings, SettingsError
from bot.web.app import build_web_app
from tests.conftest import ROOT, Person, make_settings
from tests.live import serving

MARK = "[ku] "


def kurdish_locales(tmp_path: Path) -> Path:
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    with (ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog.locale = "ku"  # type: ignore[assignment]
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(MARK + text for text in message.string)
        else:
            message.string = MARK + message.string
    catalog["language.changed"].string = "Baş e, ji niha ve ez ê bi kurdî binivîsim."
    catalog.add("language.ku", "Kurdî")
    target = locales / "ku" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    return locales


@pytest.fixture
def kurdish(tmp_path: Path, database_url: str, nlu_model_dir: Path, nlu: NLU) -> Iterator[Helpline]:
    locales = kurdish_locales(tmp_path)
    settings = make_settings(
        database_url,
        nlu_model_dir,
        locales_dir=locales,
        languages=["tr", "ar", "en", "fa", "ku"],
    )
    app = create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")])
    yield app
    app.db.dispose()


def test_the_catalogs_present_are_the_languages(tmp_path: Path, nlu_model_dir: Path) -> None:
    locales = kurdish_locales(tmp_path)
    assert catalog_languages(locales) == ["ar", "en", "fa", "ku", "tr"]
    assert [text_direction(code) for code in ("ar", "fa", "ku", "tr")] == [
        "rtl", "rtl", "ltr", "ltr",
    ]  # fmt: skip
    settings = make_settings("sqlite://", nlu_model_dir, locales_dir=locales, languages=[])
    assert settings.languages[0] == settings.default_language == "tr"
    assert set(settings.languages) == {"ar", "en", "fa", "ku", "tr"}
    with pytest.raises(SettingsError, match="'xx' has no catalog"):
        make_settings("sqlite://", nlu_model_dir, locales_dir=locales, languages=["tr", "xx"])


def test_a_fifth_language_is_offered_chosen_and_spoken(kurdish: Helpline) -> None:
    channel = kurdish.channels["test"]
    assert isinstance(channel, CollectingChannel)
    person = Person(helpline=kurdish, channel=channel, language_code="en")
    texts = kurdish.engine.texts
    person.says("hello")
    person.taps(texts.get("en", "menu.language"))
    # offered in the language question although flows/main.yml does not name it
    assert "Kurdî" in [b.label for m in person.last for b in m.buttons]
    person.taps("Kurdî")
    assert person.last[0].text == "Baş e, ji niha ve ez ê bi kurdî binivîsim."
    assert person.last[-1].text == MARK + texts.get("en", "menu.prompt")
    # a Kurdish sentence: the NLU does not know Kurdish, the conversation stays in it
    person.says("ez li Esenyurtê dijîm û pirsek min heye")
    assert person.last and all(m.text.startswith(MARK) for m in person.last)
    person.says("menu")
    person.says("2")
    assert person.last[0].text == MARK + texts.get("en", "faq.health")


def test_a_fifth_language_through_the_web_chat(kurdish: Helpline) -> None:
    with serving(build_web_app(kurdish)) as base:
        session = "k" * 24
        posted = httpx.post(
            f"{base}/chat/api/messages",
            json={"session": session, "text": "silav", "language": "ku"},
        )
        assert posted.status_code == 202
        deadline, out = time.monotonic() + 10, []
        while len(out) < 2 and time.monotonic() < deadline:
            got = httpx.get(
                f"{base}/chat/api/messages", headers={"X-Chat-Session": session}
            ).json()["messages"]
            out = [m for m in got if m["direction"] == "out"]
            time.sleep(0.1)
    assert len(out) >= 2 and all(m["text"].startswith(MARK) for m in out)
    assert out[-1]["buttons"]


def test_settings_name_only_catalogs(settings: Settings) -> None:
    assert set(settings.languages) == {"tr", "ar", "en", "fa"}
