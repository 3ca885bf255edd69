"""The admin's privacy endpoints, for the staff console (and scripts) to call.

- `POST /api/privacy/erase` `{"case_id", "include_open_cases"?}` (admin): erases the
  person of that case at once, in every table, without a message to them; 409 when
  they have an open high or imminent case, unless `include_open_cases` is true.
- `GET /api/privacy/export/{case_id}` (admin): the person's data as JSON (an access
  request).

Both run in the staff API's frame (token 401, role 403, one transaction) and
write an audit event (`erase`, `export`) with counts only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.cases.work import CaseError
from bot.privacy.access import erase_by_staff, export_person
from bot.web.api import Body, StaffApi

if TYPE_CHECKING:
    from starlette.requests import Request

    from bot.app import Helpline
    from bot.cases.work import Desk


def _case_id(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise CaseError(422, "case_id must be a case number")
    if len(str(raw)) > 12:
        raise CaseError(404, "no such case")
    return int(raw)


def privacy_routes(helpline: Helpline) -> list[BaseRoute]:
    api = StaffApi(helpline)

    def erase(desk: Desk, _request: Request, body: Body) -> Response:
        assert body is not None
        include = body.get("include_open_cases", False)
        if not isinstance(include, bool):
            raise CaseError(422, "include_open_cases must be true or false")
        case_id = _case_id(body.get("case_id"))
        counts = erase_by_staff(desk.session, case_id, desk.staff, include_open_cases=include)
        return JSONResponse({"case_id": case_id, "erased": counts})

    def export(desk: Desk, request: Request, _body: Body) -> Response:
        case_id = _case_id(request.path_params["case_id"])
        data = export_person(desk.session, helpline.vault, case_id, desk.staff, via="api")
        return JSONResponse(data)

    return [
        Route("/api/privacy/erase", api.endpoint("admin", erase, body=True), methods=["POST"]),
        Route("/api/privacy/export/{case_id}", api.endpoint("admin", export), methods=["GET"]),
    ]
