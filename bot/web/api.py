"""The staff API (CONTRACT.md section 3): cases, audit, referrals; bearer tokens.

Every request runs in one transaction: the token is checked (401), then the
role (403), then the input (400 for bodies that are not JSON objects, 422 for
values that cannot be used), then the case (404, 403 for a case offered to
other languages first, 409 for a state conflict). An error rolls the whole
transaction back, so nothing is changed, and is answered as `{"error": "..."}`.
Every staff action writes an audit event in the same transaction.

`GET /api/cases` answers a JSON list (most urgent first, then oldest) and
pages with `limit`/`offset`; the total is in `X-Total-Count`, the next page
in a `Link: <...>; rel="next"` header.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.cases import audit, referrals, views, work
from bot.cases.listing import QueryError, list_cases, parse_query
from bot.cases.work import CaseError, Desk
from bot.storage.models import utcnow
from bot.web.auth import ApiAuth, bearer_token, forbidden, unauthorized

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.app import Helpline

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
Body = dict[str, Any] | None
Action = Callable[[Desk, "Request", Body], Response]


def problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"error": detail}, status_code=status)


class _RollbackError(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def _read_body(request: Request) -> Body | JSONResponse:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return problem(413, f"the body must be at most {MAX_BODY_BYTES} bytes")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return problem(400, "the body must be a JSON object")
    if not isinstance(payload, dict):
        return problem(400, "the body must be a JSON object")
    return payload


def _case_id(request: Request) -> int:
    raw = str(request.path_params["case_id"])
    if not raw.isdigit() or len(raw) > 12:
        raise CaseError(404, f"no case {raw[:20]!r}")
    return int(raw)


class StaffApi:
    def __init__(self, helpline: Helpline) -> None:
        self.helpline = helpline
        self.auth = ApiAuth()

    # -- the frame every endpoint runs in -------------------------------

    def endpoint(
        self, role: str, action: Action, *, body: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            payload: Body | JSONResponse = await _read_body(request) if body else None
            token = bearer_token(request)
            try:
                return await run_in_threadpool(self._run, token, role, action, payload, request)
            except OperationalError:
                log.warning("staff API: database busy or unreachable")
                return problem(503, "the database is busy; try again")

        return handle

    def _run(
        self, token: str | None, role: str, action: Action, payload: Any, request: Request
    ) -> Response:
        try:
            with self.helpline.db.transaction() as session:
                staff = self.auth.staff(session, token)
                if staff is None:
                    return unauthorized()
                if not self.auth.allowed(staff, role):
                    return forbidden(role)
                if isinstance(payload, JSONResponse):
                    return payload
                desk = Desk(
                    session=session,
                    staff=staff,
                    now=utcnow(),
                    fallback_minutes=self.helpline.settings.cases.language_fallback_minutes,
                    timezone=self.helpline.settings.cases.timezone,
                )
                try:
                    return action(desk, request, payload)
                except CaseError as exc:
                    raise _RollbackError(problem(exc.status, exc.message)) from exc
                except QueryError as exc:
                    raise _RollbackError(problem(422, str(exc))) from exc
        except _RollbackError as rollback:
            return rollback.response

    # -- the endpoints --------------------------------------------------

    def list_cases(self, desk: Desk, request: Request, _body: Body) -> Response:
        params = dict(request.query_params)
        query = parse_query(params)
        cases, total = list_cases(desk.session, desk.staff, query, desk.fallback_minutes, desk.now)
        items = views.cases_json(desk.session, self.helpline.vault, cases)
        audit.record(
            desk.session,
            desk.staff,
            "list",
            detail={"case_ids": [case.id for case in cases], "total": total},
        )
        headers = {"X-Total-Count": str(total)}
        if query.offset + len(cases) < total:
            following = {**params, "offset": str(query.offset + query.limit)}
            headers["Link"] = f'<{request.url.path}?{urlencode(following)}>; rel="next"'
        return JSONResponse(items, headers=headers)

    def get_case(self, desk: Desk, request: Request, _body: Body) -> Response:
        case = work.get_case(desk, _case_id(request))
        audit.record(desk.session, desk.staff, "view", case.id)
        return JSONResponse(views.case_detail(desk.session, self.helpline.vault, case))

    def _case_answer(self, desk: Desk, case_id: int, status: int = 200) -> Response:
        case = work.get_case(desk, case_id)
        desk.session.flush()
        return JSONResponse(
            views.cases_json(desk.session, self.helpline.vault, [case])[0], status_code=status
        )

    def claim(self, desk: Desk, request: Request, _body: Body) -> Response:
        case = work.claim(desk, _case_id(request))
        return self._case_answer(desk, case.id)

    def reply(self, desk: Desk, request: Request, body: Body) -> Response:
        assert body is not None
        case_id = _case_id(request)
        message = work.reply(desk, self.helpline.vault, case_id, body.get("text"))
        desk.session.flush()
        names = {desk.staff.id: desk.staff.name}
        self.helpline.sender.wake()
        return JSONResponse(
            {
                "case_id": case_id,
                "message": views.message_json(message, self.helpline.vault, names),
            },
            status_code=201,
        )

    def note(self, desk: Desk, request: Request, body: Body) -> Response:
        assert body is not None
        case_id = _case_id(request)
        event = work.note(desk, self.helpline.vault, case_id, body.get("text"))
        names = {desk.staff.id: desk.staff.name}
        return JSONResponse(
            {"case_id": case_id, "note": views.event_json(event, self.helpline.vault, names)},
            status_code=201,
        )

    def handback(self, desk: Desk, request: Request, _body: Body) -> Response:
        case = work.handback(desk, _case_id(request))
        return self._case_answer(desk, case.id)

    def reassign(self, desk: Desk, request: Request, body: Body) -> Response:
        assert body is not None
        case_id = _case_id(request)
        case = work.reassign(desk, case_id, body.get("staff"))
        return self._case_answer(desk, case.id)

    def close(self, desk: Desk, request: Request, body: Body) -> Response:
        assert body is not None
        case_id = _case_id(request)
        outcomes = self.helpline.settings.cases.outcomes
        case = work.close(desk, case_id, body.get("outcome"), outcomes, body.get("service_id"))
        return self._case_answer(desk, case.id)

    def audit_log(self, desk: Desk, request: Request, _body: Body) -> Response:
        params = dict(request.query_params)
        limit = _int_param(params, "limit", 100, 1, 500)
        offset = _int_param(params, "offset", 0, 0, 10**9)
        case_id = _int_param(params, "case_id", None, 1, 10**12)
        action = params.get("action") or None
        if action is not None and action not in audit.ACTIONS:
            raise CaseError(422, f"action must be one of {', '.join(sorted(audit.ACTIONS))}")
        rows, total = audit.events(
            desk.session, limit=limit, offset=offset, case_id=case_id, action=action
        )
        items = [views.audit_json(event) for event in rows]
        audit.record(desk.session, desk.staff, "audit_read", detail={"count": len(items)})
        return JSONResponse(items, headers={"X-Total-Count": str(total)})

    def referrals_summary(self, desk: Desk, request: Request, _body: Body) -> Response:
        result = referrals.summary(desk.session)
        audit.record(desk.session, desk.staff, "report", detail={"report": "referrals"})
        return JSONResponse(result)


def _int_param(params: dict[str, str], name: str, default: int | None, low: int, high: int) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 12 or not low <= int(raw) <= high:
        raise CaseError(422, f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def api_routes(helpline: Helpline) -> list[BaseRoute]:
    api = StaffApi(helpline)
    case = "/api/cases/{case_id}"
    post = ["POST"]
    return [
        Route("/api/cases", api.endpoint("caseworker", api.list_cases), methods=["GET"]),
        Route(case, api.endpoint("caseworker", api.get_case), methods=["GET"]),
        Route(f"{case}/claim", api.endpoint("caseworker", api.claim), methods=post),
        Route(f"{case}/reply", api.endpoint("caseworker", api.reply, body=True), methods=post),
        Route(f"{case}/note", api.endpoint("caseworker", api.note, body=True), methods=post),
        Route(f"{case}/handback", api.endpoint("caseworker", api.handback), methods=post),
        Route(
            f"{case}/reassign", api.endpoint("supervisor", api.reassign, body=True), methods=post
        ),
        Route(f"{case}/close", api.endpoint("caseworker", api.close, body=True), methods=post),
        Route("/api/audit", api.endpoint("supervisor", api.audit_log), methods=["GET"]),
        Route(
            "/api/referrals/summary",
            api.endpoint("supervisor", api.referrals_summary),
            methods=["GET"],
        ),
    ]
