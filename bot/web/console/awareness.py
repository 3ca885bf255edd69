"""The console's awareness page (supervisors and admins): write, choose the audience,
preview (people, SMS segments, WhatsApp window), send; every send with its counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.cases import audit
from bot.programmes import awareness
from bot.storage.programme_models import PROGRAMMES, AwarenessSend

if TYPE_CHECKING:
    from starlette.responses import Response

    from bot.app import Helpline
    from bot.web.console.frame import Ask, Console

HISTORY = 20


class AwarenessPage:
    def __init__(self, console: Console, helpline: Helpline) -> None:
        self.console = console
        self.helpline = helpline

    def _form(self, ask: Ask) -> tuple[dict[str, str], awareness.Audience]:
        languages = list(self.helpline.settings.languages)
        texts = {lang: ask.form.get(f"text_{lang}", "").strip() for lang in languages}
        language = ask.form.get("language", "")
        programme = ask.form.get("programme", "")
        chosen = awareness.Audience(
            language=language if language in languages else "",
            district=ask.form.get("district", "").strip()[:64],
            programme=programme if programme in PROGRAMMES else "",
        )
        if chosen.language:
            texts = {chosen.language: texts.get(chosen.language, "")}
        return {k: v[:1000] for k, v in texts.items() if v}, chosen

    def _render(self, ask: Ask, **extra: object) -> Response:
        session = ask.desk.session
        sends = list(
            session.scalars(select(AwarenessSend).order_by(AwarenessSend.id.desc()).limit(HISTORY))
        )
        history = [(s, awareness.counts(session, s)) for s in sends]
        context: dict[str, object] = {
            "text_languages": list(self.helpline.settings.languages),
            "programmes": PROGRAMMES,
            "history": history,
            "form": ask.form,
            "preview": None,
            "sent": None,
        }
        context.update(extra)
        return self.console.page("awareness.html", ask, **context)

    def page(self, ask: Ask) -> Response:
        return self._render(ask)

    def submit(self, ask: Ask) -> Response:
        texts, chosen = self._form(ask)
        settings = self.helpline.settings
        if ask.form.get("action") == "send" and texts:
            record = awareness.send(
                ask.desk.session, self.helpline.vault, settings, ask.staff.id, texts, chosen,
                ask.desk.now,
            )  # fmt: skip
            audit.record(
                ask.desk.session, ask.staff, "awareness_send",
                detail={
                    "send": record.id,
                    "recipients": record.recipients,
                    **{k: v.replace(" ", "_") for k, v in chosen.as_json().items()},
                },
            )  # fmt: skip
            self.helpline.sender.wake()
            return self._render(ask, sent=record, form={})
        shown = awareness.preview(ask.desk.session, settings, texts, chosen, ask.desk.now)
        return self._render(ask, preview=shown)
