"""`helpline staff add` and `helpline staff revoke` as an administrator runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cases.staff import (
    TokenCache,
    check_password,
    session_is_current,
    staff_for_login,
    staff_for_token,
)
from bot.storage.db import Database
from bot.storage.models import Staff

ROOT = Path(__file__).resolve().parents[2]
HELPLINE = [sys.executable, "-c", "from bot.cli import main; main()"]


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        HELPLINE + args, input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HELPLINE_DATABASE_URL": database_url,
        "HELPLINE_SECRET_KEY": "cli-test-secret",
        "HELPLINE_KEY_FILE": str(tmp_path / "helpline.key"),
    }


def test_add_prints_the_password_then_the_token_on_the_last_line(
    env: dict[str, str], database_url: str
) -> None:
    result = run(["staff", "add", "Zeynep", "--role", "admin", "--languages", "tr,fa"], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-2].startswith("Console password: ")
    token = lines[-1]
    assert re.fullmatch(r"[0-9]+\.[A-Za-z0-9_-]{40,}", token)
    db = Database(database_url)
    try:
        with db.transaction() as session:
            account = staff_for_token(session, token)
            assert account is not None and account.role == "admin"
            assert account.languages == ["tr", "fa"]
            assert account.token_hash is not None and account.token_hash.startswith("$argon2")
            assert account.password_hash.startswith("$argon2")
            assert token.split(".", 1)[1] not in account.token_hash
            assert check_password(account, lines[-2].split(": ", 1)[1])
    finally:
        db.dispose()


def test_add_refuses_bad_languages_and_short_passwords(env: dict[str, str]) -> None:
    bad = run(["staff", "add", "Ali", "--role", "caseworker", "--languages", "turkish"], env)
    assert bad.returncode != 0 and "two-letter" in bad.stderr
    short = run(["staff", "add", "Ali", "--role", "caseworker", "--password-stdin"], env, "short\n")
    assert short.returncode != 0 and "10 characters" in short.stderr


def test_revoke_ends_the_token_the_sessions_and_the_password(
    env: dict[str, str], database_url: str
) -> None:
    added = run(
        ["staff", "add", "Hasan", "--role", "supervisor", "--password-stdin"], env, "x" * 12
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    db = Database(database_url)
    cache = TokenCache()
    try:
        with db.transaction() as session:
            account = staff_for_token(session, token, cache)
            assert account is not None
            version = account.session_version
            assert session_is_current(account, version)
            assert staff_for_login(session, "Hasan", "x" * 12) is not None
            assert staff_for_login(session, "Hasan", "y" * 12) is None
            assert staff_for_login(session, "Nobody", "x" * 12) is None
        assert len(cache) == 1  # verified once, remembered
        revoked = run(["staff", "revoke", "Hasan"], env)
        assert revoked.returncode == 0, revoked.stderr
        assert "Hasan" in revoked.stdout
        with db.transaction() as session:
            # the cached verification does not outlive the revocation
            assert staff_for_token(session, token, cache) is None
            account = session.scalar(select(Staff).where(Staff.name == "Hasan"))
            assert account is not None
            assert account.revoked_at is not None and account.token_hash is None
            assert account.session_version == version + 1
            assert not check_password(account, "x" * 12)
            assert staff_for_login(session, "Hasan", "x" * 12) is None
            assert not session_is_current(account, version)
            assert not session_is_current(account, account.session_version)
    finally:
        db.dispose()
    unknown = run(["staff", "revoke", "Nobody"], env)
    assert unknown.returncode != 0 and "Nobody" in unknown.stderr


def test_the_token_cache_is_bounded() -> None:
    cache = TokenCache(size=3)
    for n in range(5):
        cache.remember(f"{n}.secret-number-{n}-abcdefghijkl", f"hash-{n}")
    assert len(cache) == 3
    assert not cache.matches("0.secret-number-0-abcdefghijkl", "hash-0")  # the oldest went
    assert cache.matches("4.secret-number-4-abcdefghijkl", "hash-4")
    assert not cache.matches("4.secret-number-4-abcdefghijkl", "another-hash")
