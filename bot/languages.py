"""Which languages the helpline speaks: the catalogs under `locales/`, chosen in settings.

Adding a language is adding files: `locales/<code>/LC_MESSAGES/messages.po`
and the code in `helpline.languages` of config.yml (without it, every catalog
present is spoken). Nothing in the code lists languages; the writing direction
comes from CLDR (Babel) for the code, left to right when Babel does not know it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError

# A catalog's directory name: "fa", "ku", "pt_BR".
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")


def catalog_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / language / "LC_MESSAGES" / "messages.po"


def catalog_languages(locales_dir: Path) -> list[str]:
    """The languages with a catalog under `locales_dir`, sorted."""
    if not locales_dir.is_dir():
        return []
    return sorted(
        entry.name
        for entry in locales_dir.iterdir()
        if LANGUAGE_CODE.fullmatch(entry.name) and catalog_path(locales_dir, entry.name).is_file()
    )


@cache
def text_direction(language: str) -> Literal["ltr", "rtl"]:
    """Right to left for Arabic, Persian, Sorani Kurdish (ckb)...; left to right otherwise."""
    try:
        direction = Locale.parse(language).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if direction == "rtl" else "ltr"


def is_rtl(language: str) -> bool:
    return text_direction(language) == "rtl"
