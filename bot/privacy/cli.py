"""`helpline privacy purge | rotate-key | export CASE_ID` (CONTRACT.md section 1)."""

from __future__ import annotations

import click


@click.group()
def privacy() -> None:
    """Retention, key rotation and access requests."""


@privacy.command("purge")
def purge_command() -> None:
    """Delete what the retention periods say has expired; print counts by kind."""
    from bot.cli import _settings
    from bot.privacy.schedule import PurgeSchedule
    from bot.storage.db import Database

    settings = _settings()
    db = Database(settings.database_url)
    db.migrate()
    try:
        counts = PurgeSchedule(db, settings.privacy).run_once()
    finally:
        db.dispose()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")


@privacy.command("rotate-key")
def rotate_key_command() -> None:
    """Re-encrypt every encrypted column under the current key (previous keys still read)."""
    from bot.app import open_vault
    from bot.cli import _settings
    from bot.privacy.keys import remaining, rotate
    from bot.storage.db import Database

    settings = _settings()
    db = Database(settings.database_url)
    db.migrate()
    try:
        vault = open_vault(settings)
        counts = rotate(db, vault)
        left = remaining(db, vault)
    finally:
        db.dispose()
    for column, count in counts.items():
        click.echo(f"{column}: {count}")
    if left:
        raise click.ClickException(
            f"{left} encrypted values are not under the current key "
            f"({counts['unreadable']} no configured key opens); keep the previous keys"
        )
    click.echo(
        "Every encrypted value is under the current key. The previous keys can go "
        "(wait a day, so platform redeliveries hashed under them are still recognised)."
    )


@privacy.command("export")
@click.argument("case_id", type=click.IntRange(min=1))
@click.option("--staff", "staff_name", default=None, help="The admin answering the request.")
def export_command(case_id: int, staff_name: str | None) -> None:
    """One person's data (the person of CASE_ID) as JSON, for an access request; audited."""
    import json

    from sqlalchemy import select

    from bot.app import open_vault
    from bot.cli import _settings
    from bot.privacy.access import AccessError, export_person
    from bot.storage.db import Database
    from bot.storage.models import Staff

    settings = _settings()
    db = Database(settings.database_url)
    db.migrate()
    try:
        vault = open_vault(settings)
        with db.transaction() as session:
            staff = None
            if staff_name is not None:
                staff = session.scalar(select(Staff).where(Staff.name == staff_name))
                if staff is None or staff.role != "admin" or not staff.active or staff.revoked_at:
                    raise click.ClickException(f"--staff {staff_name!r} is not an active admin")
            data = export_person(session, vault, case_id, staff, via="cli")
    except AccessError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        db.dispose()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
