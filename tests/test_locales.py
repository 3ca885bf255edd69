"""The catalogs: every message id in every language, not fuzzy, right plurals, RTL isolates."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.engine.flows import load_flows
from bot.engine.texts import ENGINE_MESSAGE_IDS, FSI, PDI, PLURAL_MESSAGE_IDS, Texts
from bot.web.console.texts import CONSOLE_MESSAGE_IDS

ROOT = Path(__file__).resolve().parent.parent
# Every catalog present: a language added under locales/ is checked without changing this file.
LANGUAGES = sorted(
    p.parent.parent.name for p in (ROOT / "locales").glob("*/LC_MESSAGES/messages.po")
)
RTL = [language for language in LANGUAGES if Locale.parse(language).text_direction == "rtl"]
ARABIC_PLURALS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);"
)


def catalog(language: str) -> Catalog:
    with (ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def expected_ids() -> set[str]:
    return (
        load_flows(ROOT / "flows").message_ids()
        | set(ENGINE_MESSAGE_IDS)
        | set(CONSOLE_MESSAGE_IDS)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_id_is_translated_and_not_fuzzy(language: str) -> None:
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(language) if m.id}
    missing = sorted(expected_ids() - set(messages))
    assert not missing, f"{language}: missing {missing}"
    fuzzy = sorted(i for i, m in messages.items() if m.fuzzy)
    assert not fuzzy, f"{language}: fuzzy {fuzzy}"
    empty = sorted(
        i
        for i, m in messages.items()
        if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    )
    assert not empty, f"{language}: untranslated {empty}"


def test_the_extracted_template_matches_the_catalogs(tmp_path: Path) -> None:
    """`pybabel extract` (babel.cfg) finds exactly the ids the catalogs hold."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted == expected_ids()


def test_plural_forms_follow_cldr() -> None:
    assert catalog("ar").plural_forms == ARABIC_PLURALS
    assert catalog("tr").num_plurals == 2
    assert catalog("en").num_plurals == 2
    assert catalog("fa").num_plurals == 2
    for language in LANGUAGES:
        for msgid in PLURAL_MESSAGE_IDS:
            message = catalog(language)[msgid]
            assert message is not None and isinstance(message.string, tuple)
            assert len(message.string) == catalog(language).num_plurals


@pytest.mark.parametrize(
    ("count", "form"), [(0, 0), (1, 1), (2, 2), (5, 3), (11, 4), (100, 5), (103, 3), (111, 4)]
)
def test_arabic_plural_forms_are_chosen_right(count: int, form: int) -> None:
    texts = Texts(ROOT / "locales", ["ar"])
    expected = catalog("ar")["services.found"].string[form].format(count=f"{FSI}{count}{PDI}")
    assert texts.plural("ar", "services.found", count) == expected


LATIN_RUN = re.compile(r"[A-Za-z0-9İıŞşĞğÜüÖöÇç][A-Za-z0-9İıŞşĞğÜüÖöÇç .:+/@_–-]*")


def unisolated_latin(text: str) -> list[str]:
    """Latin/digit runs outside U+2068…U+2069, ignoring {placeholders}."""
    outside, depth = [], 0
    current = []
    for char in re.sub(r"\{[a-z_]+\}", "", text):
        if char == FSI:
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            current.append(char)
            continue
        current.append(" ")
    outside_text = "".join(current)
    outside = [m.group(0).strip() for m in LATIN_RUN.finditer(outside_text) if m.group(0).strip()]
    return outside


def test_the_four_languages_are_there() -> None:
    assert {"tr", "ar", "en", "fa"} <= set(LANGUAGES)
    assert RTL == ["ar", "fa"]


@pytest.mark.parametrize("language", RTL)
def test_right_to_left_catalogs_isolate_every_latin_number_and_name(language: str) -> None:
    problems = {}
    for message in catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            runs = unisolated_latin(text)
            if runs:
                problems[str(message.id)] = runs
    assert not problems


def test_the_isolate_check_can_fail() -> None:
    assert unisolated_latin("اتصل بالرقم 112") == ["112"]
    assert unisolated_latin(f"اتصل بالرقم {FSI}112{PDI}") == []


def test_values_put_into_arabic_texts_are_isolated() -> None:
    texts = Texts(ROOT / "locales", ["ar"])
    filled = texts.get(
        "ar",
        "services.item",
        name="Esenyurt Hastanesi",
        details=texts.get("ar", "services.line.phone", phone="+902125550000"),
    )
    assert f"{FSI}+902125550000{PDI}" in filled
    assert unisolated_latin(filled) == []
