"""The `helpline` command (CONTRACT.md section 1)."""

from __future__ import annotations

import logging
import secrets
import sys
from typing import TYPE_CHECKING

import click

from bot.heap import release_freed_memory
from bot.nlu.commands import nlu
from bot.privacy.cli import privacy
from bot.programmes.commands import sessions
from bot.services.commands import services
from bot.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from bot.app import Helpline
    from bot.settings import Settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _helpline(settings: Settings, **kwargs: object) -> Helpline:
    from bot.app import create_app
    from bot.engine.flows import FlowError

    try:
        return create_app(settings, **kwargs)  # type: ignore[arg-type]
    except (FlowError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@click.option("--verbose", is_flag=True, help="Log more (never message text).")
def main(verbose: bool) -> None:
    """A helpline for refugee families: information, services and safe hand-off to people."""
    from bot.logs import configure

    configure(logging.DEBUG if verbose else logging.INFO)  # JSON lines, no personal data


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--polling", is_flag=True, help="Telegram long polling instead of a webhook.")
def serve(host: str, port: int, polling: bool) -> None:
    """Run the whole service: web chat, outbox sender, webhooks, console and API."""
    import uvicorn

    from bot.web.app import build_web_app

    settings = _settings()
    if polling:
        if not settings.telegram_bot_token:
            raise click.ClickException("--polling needs TELEGRAM_BOT_TOKEN")
        telegram = settings.telegram.model_copy(update={"polling": True})
        settings = settings.model_copy(update={"telegram": telegram})
    helpline = _helpline(settings)
    release_freed_memory()
    click.echo(f"Helpline web chat: http://{host}:{port}/", err=True)
    # Logging stays ours (JSON lines, bot/logs.py); no access log (client addresses).
    uvicorn.run(build_web_app(helpline), host=host, port=port, log_config=None, access_log=False)


@main.command()
@click.option(
    "--lang",
    "language",
    default=None,
    help="Your language, one of helpline.languages (tr, ar, en, fa...); else the bot finds it.",
)
@click.option("--user", default=None, help="Who you are to the bot (a new person by default).")
def chat(language: str | None, user: str | None) -> None:
    """Talk to the helpline in the terminal (end with Ctrl-D)."""
    from bot.channels.terminal import TerminalChannel
    from bot.channels.terminal import chat as run_chat

    logging.getLogger().setLevel(logging.WARNING)
    settings = _settings()
    if language is not None and language not in settings.languages:
        raise click.BadParameter(
            f"{language!r} is not one of {', '.join(settings.languages)}", param_hint="--lang"
        )
    helpline = _helpline(settings, terminal_out=sys.stdout)
    channel = helpline.channels["terminal"]
    assert isinstance(channel, TerminalChannel)
    user_id = user or f"terminal-{secrets.token_hex(8)}"
    run_chat(helpline.engine, helpline.sender, channel, language, user_id)


@main.group()
def staff() -> None:
    """Staff accounts for the console and API."""


@staff.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["caseworker", "supervisor", "admin"]), required=True)
@click.option("--languages", default=None, help="Comma-separated; default: every language spoken.")
@click.option("--password-stdin", is_flag=True, help="Read the console password from stdin.")
def staff_add(name: str, role: str, languages: str | None, password_stdin: bool) -> None:
    """Create a staff account; prints its API token on the last line."""
    from bot.cases.staff import StaffError, add_staff, parse_languages
    from bot.storage.db import Database

    settings = _settings()
    try:
        langs = parse_languages(languages or ",".join(settings.languages))
    except StaffError as exc:
        raise click.ClickException(str(exc)) from exc
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        generated = False
    else:
        password = secrets.token_urlsafe(12)
        generated = True
    db = Database(settings.database_url)
    db.migrate()
    try:
        with db.transaction() as session:
            account, token = add_staff(session, name, role, langs, password)
    except StaffError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {account.role} {account.name!r} (id {account.id}).")
    if generated:
        click.echo(f"Console password: {password}")
    click.echo(token)


@staff.command("revoke")
@click.argument("name")
def staff_revoke(name: str) -> None:
    """Revoke an account's API token, console sessions and password login."""
    from bot.cases.staff import StaffError, revoke_staff
    from bot.storage.db import Database

    db = Database(_settings().database_url)
    db.migrate()
    try:
        with db.transaction() as session:
            account = revoke_staff(session, name)
    except StaffError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Revoked {account.role} {account.name!r} (id {account.id}): token and sessions.")


main.add_command(nlu)
main.add_command(privacy)
main.add_command(services)
main.add_command(sessions)
