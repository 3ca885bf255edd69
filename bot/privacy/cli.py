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
