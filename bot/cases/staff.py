"""Staff accounts: console passwords and API tokens, both stored as argon2 hashes.

An API token is `<staff id>.<secret>`: the id finds the account, then the
secret is checked against its argon2 hash. Verifying argon2 takes tens of
milliseconds, so a `TokenCache` (per process, bounded) remembers which token
matched which stored hash; the account row is still read on every request,
so a revocation takes effect at once in every process.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import OrderedDict
from threading import Lock
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from bot.storage.models import Staff, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROLES = ("caseworker", "supervisor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
TOKEN = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{20,100})$")

# Console passwords are chosen by people: argon2id with the library's default (RFC 9106) cost.
_hasher = PasswordHasher()
# API token secrets are 256 random bits, beyond any guessing whatever the hash costs; argon2id
# with a small cost keeps the first check of a token in a process at a few milliseconds.
_token_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


class StaffError(Exception):
    pass


def has_role(staff: Staff, role: str) -> bool:
    """At least `role`: an admin can do what a supervisor can, who can do what a caseworker can."""
    return ROLE_RANK.get(staff.role, -1) >= ROLE_RANK[role]


class TokenCache:
    """Which token verified against which stored hash; bounded, least recently used goes."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._lock = Lock()

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def matches(self, token: str, stored_hash: str) -> bool:
        key = self._key(token)
        with self._lock:
            if self._entries.get(key) != stored_hash:
                return False
            self._entries.move_to_end(key)
            return True

    def remember(self, token: str, stored_hash: str) -> None:
        with self._lock:
            self._entries[self._key(token)] = stored_hash
            self._entries.move_to_end(self._key(token))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def parse_languages(text: str) -> list[str]:
    languages = [code.strip().lower() for code in text.split(",") if code.strip()]
    bad = [code for code in languages if not LANGUAGE_CODE.match(code)]
    if bad:
        raise StaffError(f"languages must be two-letter codes like tr,ar,en (not {bad[0]!r})")
    return list(dict.fromkeys(languages))


def add_staff(
    session: Session, name: str, role: str, languages: list[str], password: str
) -> tuple[Staff, str]:
    """Create an account; return it with its API token (shown once, stored hashed)."""
    name = name.strip()
    if not name:
        raise StaffError("the name must not be empty")
    if len(name) > 120:
        raise StaffError("the name must have at most 120 characters")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise StaffError("the password must have at least 10 characters")
    if session.scalar(select(Staff).where(Staff.name == name)) is not None:
        raise StaffError(f"a staff account named {name!r} already exists")
    staff = Staff(
        name=name,
        role=role,
        languages=languages,
        password_hash=_hasher.hash(password),
        token_hash=None,
    )
    session.add(staff)
    session.flush()
    secret = secrets.token_urlsafe(32)
    staff.token_hash = _token_hasher.hash(secret)
    return staff, f"{staff.id}.{secret}"


def revoke_staff(session: Session, name: str) -> Staff:
    """End the account's access: its API token, its console sessions and its password login."""
    staff = session.scalar(select(Staff).where(Staff.name == name.strip()).with_for_update())
    if staff is None:
        raise StaffError(f"no staff account named {name!r}")
    staff.token_hash = None
    staff.active = False
    staff.session_version += 1
    if staff.revoked_at is None:
        staff.revoked_at = utcnow()
    return staff


def staff_for_token(session: Session, token: str, cache: TokenCache | None = None) -> Staff | None:
    """The active account this API token belongs to, or None (unknown, wrong or revoked)."""
    match = TOKEN.match(token)
    if match is None:
        return None
    staff = session.get(Staff, int(match.group(1)))
    if staff is None or not staff.active or staff.revoked_at is not None or not staff.token_hash:
        return None
    stored = staff.token_hash
    if cache is not None and cache.matches(token, stored):
        return staff
    try:
        _token_hasher.verify(stored, match.group(2))
    except (VerificationError, InvalidHashError):
        return None
    if cache is not None:
        cache.remember(token, stored)
    return staff


def check_password(staff: Staff, password: str) -> bool:
    """The console password is right and the account has not been revoked."""
    if not staff.active or staff.revoked_at is not None:
        return False
    try:
        return _hasher.verify(staff.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def staff_for_login(session: Session, name: str, password: str) -> Staff | None:
    """The account a console login names, when its password is right and it is not revoked."""
    staff = session.scalar(select(Staff).where(Staff.name == name.strip()))
    if staff is None:
        _hasher.hash(password)  # the same work either way: timing does not tell names apart
        return None
    return staff if check_password(staff, password) else None


def session_is_current(staff: Staff, version: int) -> bool:
    """A console session made at `version` still holds (revocation raises the version)."""
    return staff.active and staff.revoked_at is None and staff.session_version == version
