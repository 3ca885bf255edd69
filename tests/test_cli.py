"""The `helpline` command as a person runs it: real processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cases.staff import check_password, staff_for_token
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
HELPLINE = [sys.executable, "-c", "from bot.cli import main; main()"]


def run(
    args: list[str], env: dict[str, str], stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        HELPLINE + args,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


@pytest.fixture
def env(database_url: str, nlu_model_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HELPLINE_DATABASE_URL": database_url,
        "HELPLINE_SECRET_KEY": "cli-test-secret",
        "HELPLINE_NLU__MODEL_PATH": str(nlu_model_dir / "nlu.pkl"),
    }


def test_staff_add_prints_a_working_token_on_its_last_line(
    env: dict[str, str], database_url: str
) -> None:
    result = run(["staff", "add", "Ayşe Yılmaz", "--role", "caseworker"], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    token = lines[-1]
    password = next(line.split(": ", 1)[1] for line in lines if line.startswith("Console password"))
    db = Database(database_url)
    with db.transaction() as session:
        account = staff_for_token(session, token)
        assert account is not None and account.role == "caseworker"
        assert account.languages == ["tr", "ar", "en", "fa"]  # every language spoken
        assert check_password(account, password)
        assert token not in str(session.execute(select(account.__class__.token_hash)).all())
    db.dispose()


def test_staff_add_reads_the_password_from_stdin(env: dict[str, str], database_url: str) -> None:
    result = run(
        [
            "staff",
            "add",
            "Omar",
            "--role",
            "supervisor",
            "--languages",
            "ar,en",
            "--password-stdin",
        ],
        env,
        stdin="a long enough secret\n",
    )
    assert result.returncode == 0, result.stderr
    assert "password" not in result.stdout.lower()
    db = Database(database_url)
    with db.transaction() as session:
        account = staff_for_token(session, result.stdout.strip().splitlines()[-1])
        assert account is not None and check_password(account, "a long enough secret")
        assert account.languages == ["ar", "en"]
    db.dispose()


def test_staff_add_refuses_a_duplicate_or_a_bad_role(env: dict[str, str]) -> None:
    assert run(["staff", "add", "Deniz", "--role", "caseworker"], env).returncode == 0
    again = run(["staff", "add", "Deniz", "--role", "caseworker"], env)
    assert again.returncode != 0 and "already exists" in again.stderr
    bad = run(["staff", "add", "Eda", "--role", "boss"], env)
    assert bad.returncode != 0 and "boss" in bad.stderr


def test_chat_in_the_terminal_goes_greeting_menu_answer_switch_answer(env: dict[str, str]) -> None:
    lines = "merhaba\n2\ndil\n3\nhow do i enrol my child in school\n"
    result = run(["chat", "--lang", "tr"], env, stdin=lines)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "112" in out
    assert "1. " in out and "13. " in out  # the menu as a numbered list
    assert "MHRS" in out  # the health answer
    assert "English" in out
    assert out.rstrip().count("bot> ") >= 8


def test_a_broken_flow_stops_the_service_with_file_and_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    for flow in (ROOT / "flows").glob("*.yml"):
        (tmp_path / flow.name).write_text(flow.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yml").write_text("oops:\n  steps:\n    - goto: nowhere\n", encoding="utf-8")
    result = run(["chat"], {**env, "HELPLINE_FLOWS_DIR": str(tmp_path)}, stdin="hi\n")
    assert result.returncode != 0
    assert "broken.yml:3" in result.stderr and "nowhere" in result.stderr


def test_a_bad_setting_is_named(env: dict[str, str]) -> None:
    result = run(["chat"], {**env, "HELPLINE_NLU__BACKEND": "magic"}, stdin="")
    assert result.returncode != 0
    assert "nlu.backend" in result.stderr


def test_every_command_of_the_contract_is_there(env: dict[str, str]) -> None:
    """CONTRACT.md section 1: each command answers --help (none is a stub any more)."""
    commands = [
        ["serve"], ["chat"], ["staff", "add"], ["staff", "revoke"], ["nlu", "train"],
        ["nlu", "parse"], ["nlu", "evaluate"], ["services", "import"], ["services", "export"],
        ["services", "search"], ["sessions", "import"], ["sessions", "list"],
        ["privacy", "purge"], ["privacy", "rotate-key"], ["privacy", "export"],
    ]  # fmt: skip
    for command in commands:
        result = run([*command, "--help"], env)
        assert result.returncode == 0, (command, result.stderr)
        assert "not available yet" not in result.stdout + result.stderr
