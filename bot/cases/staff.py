"""Staff accounts: console passwords (argon2) and API tokens (stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import select

from bot.storage.models import Staff

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROLES = ("caseworker", "supervisor", "admin")


class StaffError(Exception):
    pass


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_staff(
    session: Session, name: str, role: str, languages: list[str], password: str
) -> tuple[Staff, str]:
    """Create an account; return it with its API token (shown once, stored hashed)."""
    name = name.strip()
    if not name:
        raise StaffError("the name must not be empty")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise StaffError("the password must have at least 10 characters")
    if session.scalar(select(Staff).where(Staff.name == name)) is not None:
        raise StaffError(f"a staff account named {name!r} already exists")
    token = secrets.token_urlsafe(32)
    staff = Staff(
        name=name,
        role=role,
        languages=languages,
        password_hash=PasswordHasher().hash(password),
        token_hash=token_digest(token),
    )
    session.add(staff)
    session.flush()
    return staff, token


def staff_for_token(session: Session, token: str) -> Staff | None:
    return session.scalar(
        select(Staff).where(Staff.token_hash == token_digest(token), Staff.active.is_(True))
    )


def check_password(staff: Staff, password: str) -> bool:
    try:
        return PasswordHasher().verify(staff.password_hash, password)
    except VerificationError:
        return False
