"""What the bot says, in the person's language, from the gettext catalogs in `locales/`.

Catalogs are read from the `.po` files with Babel at start (no compile step
needed to run); `pybabel extract/update/compile` keep them in shape (see
`babel.cfg` and the Makefile). In a right-to-left language (Arabic, Persian:
`bot.languages.text_direction`) values put into a text are wrapped in Unicode
isolates so Latin names and numbers keep their order.

A message id missing from a catalog (a language added as files only, whose
button `language.<code>` the other catalogs do not have yet) is taken from the
language it names, else from the first configured language, never shown raw.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.languages import catalog_path, is_rtl
from bot.nlu.base import RISK_CATEGORIES
from bot.programmes.texts import PROGRAMME_MESSAGE_IDS

FSI, PDI = "\u2068", "\u2069"

# Telegram's command menu, in this order (the channel registers `command.<name>` per language).
COMMAND_NAMES = ("start", "menu", "language", "human", "stop", "delete", "exit")

# `<msgid>.sms`: a shorter text for SMS, used when the full one does not fit its budget.
SHORT_SUFFIX = ".sms"
# The texts (and choice labels) written again, shorter, for SMS (`bot/channels/sms.py` takes
# the full one when it fits `twilio.sms_max_segments`, else this one).
SMS_TOPICS = (
    "registration", "health", "education", "legal", "financial_aid", "work", "parenting",
    "child_activities", "psychosocial", "helpline_info",
)  # fmt: skip
# The information-desk sub-topics (flows/faq.yml) whose answers have an SMS version.
SMS_SUBTOPICS = (
    "kimlik_deactivated", "travel_permit", "birth_registration", "edevlet_imei",
    "international_protection", "vaccination_interpreter", "school_adaptation",
    "marriage_registration", "voluntary_return",
)  # fmt: skip
SERVICE_CATEGORIES = (
    "health", "legal", "education", "psychosocial", "child_protection", "gbv", "financial",
    "food", "shelter", "employment", "language_course", "disability", "registration",
)  # fmt: skip
SMS_SHORT_IDS = (
    "greeting.welcome",
    "menu.prompt",
    *(f"menu.{topic}" for topic in (*SMS_TOPICS, "find_service", "human", "language")),
    *(f"faq.{topic}" for topic in SMS_TOPICS),
    *(f"faq.topic.{topic}" for topic in SMS_SUBTOPICS),
    "after.topics",  # with the registration topics' nine choices
    *(f"safety.{category}" for category in RISK_CATEGORIES),
    "services.which_category",
    *(f"services.category.{category}" for category in SERVICE_CATEGORIES),
    "services.which_district",
    "services.item",  # name and phone only, so three services fit
    "services.none",
    "erase.confirm",
    "followup.offer",
    "safety.caseworker",
    "hours.closed",
    "privacy.notice",
)

# Message ids the engine uses directly (the flows' ids are extracted from flows/*.yml).
ENGINE_MESSAGE_IDS = (
    "fallback.empty",
    "fallback.choose",
    "fallback.error",
    "services.found",
    "services.item",
    "services.none",
    "services.no_more",
    "services.picked",
    "services.pick_gone",
    "services.follow_up.ask",
    "services.follow_up.got_help",
    "services.follow_up.no_help",
    "services.follow_up.did_not_go",
    "services.follow_up.thanks_got_help",
    "services.follow_up.thanks_no_help",
    "services.follow_up.thanks_did_not_go",
    "services.open_until",
    "services.open_always",
    "services.opens_at",
    "services.closed",
    "services.line.phone",
    "services.line.languages",
    "services.unverified",
    "handoff.ack",
    "stop.resumed",
    "safety.imminent",
    "safety.caseworker",
    "safety.medium",
    *(f"safety.{category}" for category in RISK_CATEGORIES),
    "hours.open",
    "hours.closed",
    "hours.closed_on_call",
    "media.text_only",
    "media.edited",
    "exit.done",
    "exit.button",
    "erase.done",
    "erase.kept",
    "privacy.notice",
    *(f"command.{name}" for name in COMMAND_NAMES),
    *(f"{msgid}{SHORT_SUFFIX}" for msgid in SMS_SHORT_IDS),
    *PROGRAMME_MESSAGE_IDS,
)
PLURAL_MESSAGE_IDS = frozenset({"services.found"})


def isolate(value: str) -> str:
    """Wrap a value in first-strong isolates so it keeps its own direction."""
    return f"{FSI}{value}{PDI}"


def extract_engine_ids(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel extractor listing the engine's own message ids (see babel.cfg)."""
    for msgid in ENGINE_MESSAGE_IDS:
        if msgid in PLURAL_MESSAGE_IDS:
            yield 1, "ngettext", (msgid, msgid), ["used by the engine"]
        else:
            yield 1, None, msgid, ["used by the engine"]


MAX_LABEL = 60


class Texts:
    """Catalogs for every configured language."""

    def __init__(
        self,
        locales_dir: Path,
        languages: list[str],
        constants: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.languages = list(languages)
        # Values every text may use, per language (e.g. {staffed_hours}, from config.yml).
        self.constants = constants or {}
        self._catalogs: dict[str, Translations] = {}
        # every short one-line text (button labels), to tell our own words in a tap
        self._labels: set[str] = set()
        for language in languages:
            po_file = catalog_path(locales_dir, language)
            if not po_file.exists():
                raise FileNotFoundError(f"{po_file}: no catalog for language {language!r}")
            with po_file.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            self._labels.update(
                m.string.strip()
                for m in catalog
                if m.id
                and isinstance(m.string, str)
                and 0 < len(m.string) <= MAX_LABEL
                and "\n" not in m.string
                and "{" not in m.string
            )
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            self._catalogs[language] = Translations(fp=buffer)

    def _catalog(self, language: str) -> Translations:
        return self._catalogs.get(language) or self._catalogs[self.languages[0]]

    def _template(self, language: str, msgid: str) -> str:
        text = self._catalog(language).gettext(msgid)
        if text != msgid:
            return text
        named = msgid.removeprefix("language.")
        for other in (named, self.languages[0]):
            catalog = self._catalogs.get(other)
            if catalog is not None and catalog.gettext(msgid) != msgid:
                return catalog.gettext(msgid)
        return text

    def _fill(self, language: str, template: str, params: dict[str, Any]) -> str:
        if "{" not in template:
            return template
        params = {**self.constants.get(language, {}), **params}
        if is_rtl(language):
            params = {k: isolate(str(v)) for k, v in params.items()}
        return template.format(**params)

    def is_label(self, text: str) -> bool:
        """Whether *text* is one of our short texts, as a tapped button sends it back."""
        return text.strip() in self._labels

    def get(self, language: str, msgid: str, **params: Any) -> str:
        return self._fill(language, self._template(language, msgid), params)

    def short(self, language: str, msgid: str, **params: Any) -> str | None:
        """The shorter version written for SMS (`<msgid>.sms`), or None when there is none."""
        variant = f"{msgid}{SHORT_SUFFIX}"
        template = self._catalog(language).gettext(variant)
        return None if template == variant else self._fill(language, template, params)

    def plural(self, language: str, msgid: str, count: int, **params: Any) -> str:
        template = self._catalog(language).ngettext(msgid, msgid, count)
        return self._fill(language, template, {"count": count, **params})
