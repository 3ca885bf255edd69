"""What staff do in the console: log in and out, choose a language, and act on a case.

Case actions call the same `bot.cases.work` functions as the staff API (one
rule set, one audit trail). A fetch gets JSON back; a plain form post is
redirected to the case page (303).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.cases import views, work
from bot.cases.staff import staff_for_login
from bot.privacy.access import erase_by_staff
from bot.storage.models import Staff
from bot.web.console.frame import Ask, Console, read_form, wants_json
from bot.web.console.pages import case_state
from bot.web.console.security import CSRF_FIELD, CSRF_HEADER

if TYPE_CHECKING:
    from starlette.requests import Request


def case_id_of(ask: Ask) -> int:
    raw = str(ask.request.path_params["case_id"])
    if not raw.isdigit() or len(raw) > 12:
        raise work.CaseError(404, "no such case")
    return int(raw)


class Actions:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.helpline = console.helpline

    # -- login, logout, language ------------------------------------------

    async def login_page(self, request: Request) -> Response:
        console = self.console
        if console.guard.session(request) is not None:
            return RedirectResponse("/console", status_code=303)
        return self._login_form(request, None, 200)

    def _login_form(self, request: Request, error: str | None, status: int) -> Response:
        console = self.console
        known = console.guard.prelogin_nonce(request)
        nonce = known or console.guard.fresh_nonce()
        words = console.words(request)
        csrf = console.guard.token(nonce)
        response = console.render("login.html", words, status, error=error, staff=None, csrf=csrf)
        if known is None:
            console.guard.prelogin_cookie(response, nonce)
        return response

    async def login(self, request: Request) -> Response:
        console = self.console
        form = await read_form(request)
        words = console.words(request)
        nonce = console.guard.prelogin_nonce(request)
        if not console.guard.token_matches(form.get(CSRF_FIELD), nonce):
            return console.error(words, 403, "console.error.csrf", request)
        name, password = form.get("name", "")[:120], form.get("password", "")[:1000]
        client = request.client.host if request.client else "unknown"
        if not console.guard.login_allowed(client, name):
            return self._login_form(request, words("console.login.limited"), 429)

        def check() -> tuple[int, int] | None:
            with self.helpline.db.transaction() as session:
                staff = staff_for_login(session, name, password) if name and password else None
                return (staff.id, staff.session_version) if staff is not None else None

        found = await run_in_threadpool(check)
        if found is None:
            return self._login_form(request, words("console.login.failed"), 401)
        response = RedirectResponse("/console", status_code=303)
        console.guard.start_session(response, *found)
        return response

    def logout(self, ask: Ask) -> Response:
        """Ends every console session of the account (a cookie copied elsewhere stops working)."""
        staff = ask.desk.session.get(Staff, ask.staff.id)
        assert staff is not None
        staff.session_version += 1
        response = RedirectResponse("/console/login", status_code=303)
        self.console.guard.end_session(response)
        return response

    async def language(self, request: Request) -> Response:
        console = self.console
        form = await read_form(request)
        session = console.guard.session(request)
        nonce = session.nonce if session is not None else console.guard.prelogin_nonce(request)
        submitted = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        if not console.guard.token_matches(submitted, nonce):
            return console.error(console.words(request), 403, "console.error.csrf", request)
        chosen = form.get("language", "")
        back = "/console" if session is not None else "/console/login"
        target = form.get("next", back)
        if not target.startswith("/console") or "//" in target or "\\" in target:
            target = back
        response = RedirectResponse(target, status_code=303)
        if chosen in console.languages:
            console.guard.language_cookie(response, chosen)
        return response

    # -- case actions ----------------------------------------------------------

    def _done(self, ask: Ask, case_id: int, status: int = 200) -> Response:
        if not wants_json(ask.request):
            return RedirectResponse(f"/console/cases/{case_id}", status_code=303)
        case = work.get_case(ask.desk, case_id)
        ask.desk.session.flush()
        detail = views.cases_json(ask.desk.session, self.helpline.vault, [case])[0]
        return JSONResponse(
            {"ok": True, "state": case_state(ask.desk, case, detail, ask.words)},
            status_code=status,
        )

    def claim(self, ask: Ask) -> Response:
        case = work.claim(ask.desk, case_id_of(ask))
        return self._done(ask, case.id)

    def reply(self, ask: Ask) -> Response:
        case_id = case_id_of(ask)
        work.reply(ask.desk, self.helpline.vault, case_id, ask.form.get("text"))
        self.helpline.sender.wake()
        return self._done(ask, case_id, 201)

    def note(self, ask: Ask) -> Response:
        case_id = case_id_of(ask)
        work.note(ask.desk, self.helpline.vault, case_id, ask.form.get("text"))
        return self._done(ask, case_id, 201)

    def handback(self, ask: Ask) -> Response:
        case = work.handback(ask.desk, case_id_of(ask))
        return self._done(ask, case.id)

    def reassign(self, ask: Ask) -> Response:
        case = work.reassign(ask.desk, case_id_of(ask), ask.form.get("staff"))
        return self._done(ask, case.id)

    def close(self, ask: Ask) -> Response:
        outcomes = self.helpline.settings.cases.outcomes
        service = ask.form.get("service_id") or None
        case = work.close(ask.desk, case_id_of(ask), ask.form.get("outcome"), outcomes, service)
        return self._done(ask, case.id)

    def erase(self, ask: Ask) -> Response:
        """An admin erases the person of the case (audited); an open serious case only when
        the form says so explicitly."""
        include = ask.form.get("include_open_cases") == "yes"
        case_id = case_id_of(ask)
        counts = erase_by_staff(
            ask.desk.session, case_id, ask.desk.staff, include_open_cases=include
        )
        if wants_json(ask.request):
            return JSONResponse({"ok": True, "erased": counts})
        return RedirectResponse("/console", status_code=303)
