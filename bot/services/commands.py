"""`helpline services ...`: import, export and search the service map (CONTRACT.md section 1)."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime
from pathlib import Path

import click

from bot.settings import SettingsError, load_settings
from bot.storage.db import Database


def _database() -> Database:
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    db = Database(settings.database_url)
    db.migrate()
    return db


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group("services")
def services() -> None:
    """The local service map."""


@services.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", default=None, help="Who is making the change (kept with it).")
@click.option("--if-empty", is_flag=True, help="Only when the map has no service yet.")
def import_command(file: Path, by: str | None, if_empty: bool) -> None:
    """Load a service map (CSV or HSDS-shaped YAML/JSON), all or nothing."""
    from bot.services import store
    from bot.services.csvfile import FileError
    from bot.services.importer import import_parsed, read_file

    try:
        parsed = read_file(file)
    except FileError as exc:
        raise click.ClickException(f"{file}: {exc}; nothing applied") from exc
    db = _database()
    try:
        with db.transaction() as session:
            if if_empty and store.revision(session)[1]:
                click.echo("the service map has services already: nothing imported")
                return
            report = import_parsed(session, parsed, by or _who())
    finally:
        db.dispose()
    for line in report.lines():
        click.echo(line)
    if report.rejected:
        sys.exit(1)


@services.command("export")
@click.option("--format", "kind", type=click.Choice(["csv", "hsds"]), default="csv")
@click.option("--yaml", "as_yaml", is_flag=True, help="HSDS as YAML instead of JSON.")
def export_command(kind: str, as_yaml: bool) -> None:
    """Write the service map to standard output; importing it again changes nothing."""
    from bot.services import store
    from bot.services.csvfile import write_csv

    db = _database()
    try:
        with db.transaction() as session:
            records = store.all_records(session)
    finally:
        db.dispose()
    if kind == "csv":
        sys.stdout.write(write_csv(records))
        return
    from bot.services.hsds import write_hsds

    sys.stdout.write(write_hsds(records, yaml=as_yaml))


def _near(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        latitude, longitude = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise click.BadParameter("LAT,LON, for example 41.03,28.67", param_hint="--near") from exc
    return latitude, longitude


def _at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("an ISO 8601 date and time", param_hint="--at") from exc
    if moment.tzinfo is None:
        from bot.services.hours import ISTANBUL

        moment = moment.replace(tzinfo=ISTANBUL)  # a clock time without offset: Istanbul's
    return moment


@services.command("search")
@click.option("--category", default=None)
@click.option("--district", default=None)
@click.option("--language", default=None)
@click.option("--near", default=None, metavar="LAT,LON")
@click.option("--open-now", is_flag=True)
@click.option("--at", "at_text", default=None, metavar="ISO-DATETIME")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="JSON (the only output there is).")
def search_command(
    category: str | None,
    district: str | None,
    language: str | None,
    near: str | None,
    open_now: bool,
    at_text: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Services that fit, best first, as a JSON list."""
    from bot.engine.texts import SERVICE_CATEGORIES
    from bot.services.directory import search

    if category is not None and category not in SERVICE_CATEGORIES:
        raise click.BadParameter(f"one of {', '.join(SERVICE_CATEGORIES)}", param_hint="--category")
    location, moment = _near(near), _at(at_text)
    db = _database()
    try:
        with db.transaction() as session:
            found = search(
                session,
                category=category,
                district=district,
                language=language.lower() if language else None,
                near=location,
                open_now=open_now,
                at=moment,
                limit=limit,
            )
    finally:
        db.dispose()
    click.echo(json.dumps([f.as_json() for f in found], ensure_ascii=False, indent=2))
