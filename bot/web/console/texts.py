"""The console's words: message ids in the same gettext catalogs as the bot's (`locales/`).

The console speaks the languages the deployment configures (every one has a
catalog: bot/languages.py); staff choose one (a cookie), else the browser's Accept-Language
decides. Canned replies are content too: `canned.<name>` is the text sent to
the person (in the case's language), `console.canned.<name>` its label on the
button (in the console's language). Every id below exists in every catalog
(tests/test_locales.py); `pybabel extract` finds them through `extract_console_ids`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from bot.languages import text_direction
from bot.nlu.base import RISK_CATEGORIES

if TYPE_CHECKING:
    from bot.engine.texts import Texts

PRIORITIES = ("imminent", "high", "medium")
STATUSES = ("open", "claimed", "closed")
DELIVERY = (
    "received", "processed", "failed", "queued", "held", "sent", "delivered", "read",
    "undelivered", "dead",
)  # fmt: skip
OUTCOMES = (
    "resolved", "referred", "information_given", "emergency_services_called", "no_contact",
    "false_alarm", "duplicate",
)  # fmt: skip
CANNED = ("introduce", "safe_now", "call_112", "callback", "referral", "closing")

AWARENESS_CONSOLE_IDS = tuple(
    f"console.{name}"
    for name in (
        "nav.awareness", "awareness.heading", "awareness.note", "awareness.text",
        "awareness.audience", "awareness.any", "awareness.district", "awareness.programme",
        "awareness.preview", "awareness.send", "awareness.recipients", "awareness.segments",
        "awareness.whatsapp", "awareness.no_text", "awareness.sent", "awareness.history",
        "awareness.recipients_col", "awareness.delivery", "awareness.opted_out",
        "nav.complaints", "complaints.heading", "complaints.when", "complaints.kind",
        "complaints.rating", "complaints.text", "complaints.none",
        "nav.monitoring", "monitoring.heading", "monitoring.month", "monitoring.note",
        "monitoring.total",
        "nav.sessions", "sessions.heading", "sessions.places", "sessions.attended",
        "sessions.save", "sessions.names_note",
        "sessions.add", "sessions.id", "sessions.programme", "sessions.title", "sessions.min_age",
        "sessions.max_age", "sessions.language", "sessions.service", "sessions.online",
        "sessions.times_note", "sessions.starts", "sessions.ends", "sessions.capacity",
        "sessions.publish",
    )
)  # fmt: skip
CONSOLE_MESSAGE_IDS = (
    "console.title",
    "console.skip",
    "console.login.heading",
    "console.login.name",
    "console.login.password",
    "console.login.submit",
    "console.login.failed",
    "console.login.limited",
    "console.logout",
    "console.language",
    "console.language.save",
    "console.signed_in_as",
    "console.nav.queue",
    "console.nav.reports",
    "console.queue.heading",
    "console.queue.empty",
    "console.queue.new_imminent",
    "console.live.offline",
    "console.col.case",
    "console.col.priority",
    "console.col.category",
    "console.col.language",
    "console.col.channel",
    "console.col.age",
    "console.col.deadline",
    "console.col.status",
    "console.col.assignee",
    "console.deadline.passed",
    "console.deadline.none",
    "console.deadline.answered",
    *(f"console.priority.{p}" for p in PRIORITIES),
    *(f"console.status.{s}" for s in STATUSES),
    *(f"console.category.{c}" for c in RISK_CATEGORIES),
    "console.category.none",
    *(f"console.delivery.{d}" for d in DELIVERY),
    *(f"console.outcome.{o}" for o in OUTCOMES),
    "console.case.heading",
    "console.case.back",
    "console.case.conversation",
    "console.case.from_person",
    "console.case.from_bot",
    "console.case.from_staff",
    "console.case.evidence",
    "console.case.no_evidence",
    "console.case.assignee",
    "console.case.unassigned",
    "console.case.mode_human",
    "console.case.mode_bot",
    "console.case.phone",
    "console.case.claim",
    "console.case.reply",
    "console.case.send",
    "console.case.canned",
    "console.case.notes",
    "console.case.add_note",
    "console.case.reassign",
    "console.case.reassign_submit",
    "console.case.erase",
    "console.case.erase_explain",
    "console.case.erase_open",
    "console.case.handback",
    "console.case.close",
    "console.case.outcome",
    "console.case.close_submit",
    "console.case.done",
    "console.case.safe_contact",
    "console.safe_contact.now",
    "console.safe_contact.reply_first",
    "console.safe_contact.window",
    "console.safe_contact.unknown",
    *(f"console.canned.{name}" for name in CANNED),
    *(f"canned.{name}" for name in CANNED),
    "console.error.heading",
    "console.error.forbidden",
    "console.error.not_found",
    "console.error.csrf",
    "console.error.failed",
    "console.reports.heading",
    "console.reports.period",
    "console.reports.per_day",
    "console.reports.first_response",
    "console.reports.first_response_note",
    "console.reports.queue",
    "console.reports.outcomes",
    "console.reports.referrals",
    "console.reports.csv",
    "console.reports.within",
    "console.reports.missed",
    "console.reports.none",
    "console.reports.small_counts",
    *AWARENESS_CONSOLE_IDS,
)


def extract_console_ids(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor listing the console's message ids (see babel.cfg)."""
    for msgid in CONSOLE_MESSAGE_IDS:
        yield 1, None, msgid, ["staff console"]


def direction(language: str) -> str:
    return text_direction(language)


def choose_language(
    chosen: str | None, accept_language: str, available: tuple[str, ...], default: str
) -> str:
    """The staff member's choice, else the best of the browser's Accept-Language, else default."""
    if chosen in available:
        return str(chosen)
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip().lower().split("-")[0]))
    for quality, _index, code in sorted(ranked):
        if quality < 0 and code in available:
            return code
    return default if default in available else available[0]


def safe_contact_label(words: Words, preference: str | None) -> str:
    """What the person said about being written to (bot/cases/safe_contact.py), for staff."""
    if preference is None:
        return words("console.safe_contact.unknown")
    if preference in ("now", "reply_first"):
        return words(f"console.safe_contact.{preference}")
    return words("console.safe_contact.window", hours=preference)


class Words:
    """The console's words in one language, for one request (used by the templates)."""

    def __init__(self, texts: Texts, language: str) -> None:
        self.texts = texts
        self.language = language
        self.dir = direction(language)

    def __call__(self, msgid: str, **params: Any) -> str:
        return self.texts.get(self.language, msgid, **params)

    def label(self, prefix: str, value: str | None, fallback: str = "") -> str:
        """`console.<prefix>.<value>` translated, or the raw value when there is no such id."""
        if value is None:
            return fallback
        msgid = f"console.{prefix}.{value}"
        text = self.texts.get(self.language, msgid)
        return value if text == msgid else text
