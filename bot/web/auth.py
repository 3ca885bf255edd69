"""Bearer tokens for the staff API: `Authorization: Bearer <staff id>.<secret>`.

A missing, malformed, wrong or revoked token is the same 401 (the answer
never says which, nor whether the account exists). Roles are checked after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import JSONResponse

from bot.cases.staff import TokenCache, has_role, staff_for_token

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from starlette.requests import Request

    from bot.storage.models import Staff

MAX_HEADER = 300


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if len(header) > MAX_HEADER:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def unauthorized() -> JSONResponse:
    return JSONResponse(
        {"error": "a valid API token is needed (Authorization: Bearer <token>)"},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="helpline"'},
    )


def forbidden(role: str) -> JSONResponse:
    return JSONResponse({"error": f"this needs the {role} role"}, status_code=403)


class ApiAuth:
    """Checks tokens against the database; remembers argon2 results per process (bounded)."""

    def __init__(self, cache_size: int = 1024) -> None:
        self.cache = TokenCache(cache_size)

    def staff(self, session: Session, token: str | None) -> Staff | None:
        if token is None:
            return None
        return staff_for_token(session, token, self.cache)

    @staticmethod
    def allowed(staff: Staff, role: str) -> bool:
        return has_role(staff, role)
