"""`helpline sessions ...`: import and list programme sessions (CONTRACT.md section 1)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy import select

from bot.services.commands import _database, _who

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@click.group("sessions")
def sessions() -> None:
    """Programme sessions (parenting, children's peer support, clubs, ...)."""


@sessions.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", default=None, help="Who is making the change (kept with it).")
@click.option("--if-empty", is_flag=True, help="Only when there is no session yet.")
def import_command(file: Path, by: str | None, if_empty: bool) -> None:
    """Load sessions from the contract's CSV, all or nothing, with a row-by-row report."""
    from bot.programmes.catalogue import import_rows
    from bot.programmes.sessions_csv import read_csv
    from bot.spreadsheet import FileError
    from bot.storage.programme_models import ProgrammeSession

    try:
        parsed = read_csv(file.read_bytes())
    except FileError as exc:
        raise click.ClickException(f"{file}: {exc}; nothing applied") from exc
    db = _database()
    try:
        with db.transaction() as session:
            if if_empty and session.scalar(select(ProgrammeSession.id).limit(1)) is not None:
                click.echo("there are sessions already: nothing imported")
                return
            report = import_rows(session, parsed, by or _who())
            raised = [r.id for r in report.rows if r.action == "changed" and "capacity" in r.detail]
            promoted = _promote_waiting(session, raised) if report.applied and raised else 0
    finally:
        db.dispose()
    for line in report.lines():
        click.echo(line)
    if promoted:
        click.echo(f"{promoted} moved up from a waiting list and told")
    if report.rejected:
        sys.exit(1)


def _promote_waiting(session: Session, session_ids: list[str]) -> int:
    """A raised capacity gives its new places to the waiting list, as a cancellation does:
    first come first served, each person told (queued in the outbox, in their language)."""
    from bot.app import build_texts, open_vault
    from bot.programmes.signups import fill_places, tell
    from bot.settings import load_settings

    settings = load_settings()  # _database() has read it already
    promoted = fill_places(session, session_ids, datetime.now(UTC))
    if promoted:
        texts, vault = build_texts(settings), open_vault(settings)
        for signup in promoted:
            tell(session, vault, texts, signup, "programmes.promoted", settings.default_language)
    return len(promoted)


@sessions.command("list")
@click.option("--age", type=click.IntRange(0, 120), default=None)
@click.option("--district", default=None)
@click.option("--language", default=None)
@click.option("--json", "as_json", is_flag=True, help="JSON (the only output there is).")
def list_command(
    age: int | None, district: str | None, language: str | None, as_json: bool
) -> None:
    """Upcoming sessions that fit, soonest first, as a JSON list."""
    from bot.programmes.catalogue import upcoming

    db = _database()
    try:
        with db.transaction() as session:
            found = upcoming(
                session, now=datetime.now(UTC), age=age, district=district, language=language
            )
    finally:
        db.dispose()
    click.echo(json.dumps([f.as_json(language) for f in found], ensure_ascii=False, indent=2))
