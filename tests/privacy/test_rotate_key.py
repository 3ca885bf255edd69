"""Key rotation: every value re-encrypted (and every lookup hash recomputed) under the new
key while the service keeps answering; every message stays readable; nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select

from bot.app import Helpline, create_app
from bot.channels.collecting import CollectingChannel
from bot.nlu.base import NLU
from bot.privacy.keys import remaining, rotate
from bot.storage import repository
from bot.storage.crypto import Vault
from bot.storage.db import Database
from bot.storage.models import Case, CaseEvent, Contact, Message, OutboxItem
from tests.conftest import Person, make_settings

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW = "the-old-secret-key", "the-new-secret-key"


def service(database_url: str, model_dir: Path, nlu: NLU, **keys: object) -> Helpline:
    settings = make_settings(database_url, model_dir, **keys)
    return create_app(settings, nlu=nlu, extra_channels=[CollectingChannel("test")])


def person_on(helpline: Helpline, sender_id: str) -> Person:
    channel = helpline.channels["test"]
    assert isinstance(channel, CollectingChannel)
    return Person(helpline=helpline, channel=channel, sender_id=sender_id, language_code="en")


def everything(db: Database, vault: Vault) -> dict[str, str]:
    """Every encrypted value, decrypted strictly (an unreadable one raises)."""
    values = {}
    with db.transaction() as session:
        for contact in session.scalars(select(Contact)):
            values[f"contact{contact.id}"] = vault.decrypt_strict(contact.platform_id_enc)
        for m in session.scalars(select(Message)):
            values[f"text{m.id}"] = vault.decrypt_strict(m.text_enc)
            if m.extras_enc:
                values[f"extras{m.id}"] = vault.decrypt_strict(m.extras_enc)
        for item in session.scalars(
            select(OutboxItem).where(OutboxItem.short_text_enc.is_not(None))
        ):
            values[f"short{item.id}"] = vault.decrypt_strict(item.short_text_enc or "")
        for event in session.scalars(select(CaseEvent)):
            if "text_enc" in event.detail:
                values[f"note{event.id}"] = vault.decrypt_strict(event.detail["text_enc"])
    return values


def a_conversation_with_a_note(helpline: Helpline, sender_id: str) -> None:
    person = person_on(helpline, sender_id)
    person.says("hello")
    person.says("when is the parenting session")
    person.says("menu")
    vault = helpline.vault
    with helpline.db.transaction() as session:
        contact = repository.find_contact(session, vault, "test", sender_id)
        assert contact is not None
        conversation = repository.active_conversation(session, contact)
        case = Case(contact_id=contact.id, conversation_id=conversation.id, status="open",
                    priority="medium", priority_rank=1, channel="test", language="en")  # fmt: skip
        session.add(case)
        session.flush()
        note = {"text_enc": vault.encrypt("her aunt in Bağcılar can help")}
        session.add(CaseEvent(case_id=case.id, kind="note", detail=note))


def test_rotation_while_the_service_runs_keeps_every_value_readable(
    database_url: str, nlu_model_dir: Path, nlu: NLU
) -> None:
    before_app = service(database_url, nlu_model_dir, nlu, secret_key=OLD)
    a_conversation_with_a_note(before_app, "amal-1")
    before = everything(before_app.db, Vault(OLD))
    before_app.db.dispose()

    # Restarted with the new key current and the old one still read; it keeps answering.
    running = service(database_url, nlu_model_dir, nlu, secret_key=NEW, previous_secret_keys=OLD)
    rotator = Database(database_url)
    counts: dict[str, int] = {}
    worker = threading.Thread(target=lambda: counts.update(rotate(rotator, running.vault)))
    person = person_on(running, "amal-1")
    person.says("hello", message_id="amal-1-1")  # a redelivery from before: still recognised
    assert person.result is not None and person.result.duplicate
    person.counter = 100
    try:
        worker.start()
        while worker.is_alive() or person.counter < 103:
            assert person.says("hello"), "the service stopped answering during the rotation"
        worker.join()
        counts = rotate(rotator, running.vault)  # a second run finds nothing left
        assert remaining(rotator, Vault(NEW)) == 0
        after = everything(running.db, Vault(NEW))  # the new key alone reads everything
        assert {k: v for k, v in after.items() if k in before} == before
        assert counts["unreadable"] == 0 and sum(counts.values()) == 0
        with running.db.transaction() as session:
            assert session.scalar(select(func.count()).select_from(Contact)) == 1  # no duplicate
            assert repository.find_contact(session, Vault(NEW), "test", "amal-1") is not None
            tokens = list(session.scalars(select(Message.text_enc)))
        assert all(Vault(OLD).decrypt(token) == "" for token in tokens)
    finally:
        rotator.dispose()
        running.db.dispose()


def helpline_command(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=180,
    )  # fmt: skip


def test_helpline_privacy_rotate_key(database_url: str, nlu_model_dir: Path, nlu: NLU) -> None:
    app = service(database_url, nlu_model_dir, nlu, secret_key=OLD)
    a_conversation_with_a_note(app, "amal-2")
    before = everything(app.db, Vault(OLD))
    app.db.dispose()
    env = {**os.environ, "HELPLINE_DATABASE_URL": database_url}
    env.pop("HELPLINE_PREVIOUS_SECRET_KEYS", None)

    wrong = helpline_command(["privacy", "rotate-key"], {**env, "HELPLINE_SECRET_KEY": "other"})
    assert wrong.returncode != 0 and "unreadable: " in wrong.stdout
    assert "keep the previous keys" in wrong.stderr
    keys = {"HELPLINE_SECRET_KEY": NEW, "HELPLINE_PREVIOUS_SECRET_KEYS": OLD}
    result = helpline_command(["privacy", "rotate-key"], {**env, **keys})
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ") for line in result.stdout.splitlines() if ": " in line)
    assert int(lines["messages.text_enc"]) >= 6 and int(lines["contacts.platform_id_enc"]) == 1
    assert int(lines["case_events.detail.text_enc"]) == 1 and lines["unreadable"] == "0"
    db = Database(database_url)
    try:
        assert everything(db, Vault(NEW)) == before
    finally:
        db.dispose()


def test_every_encrypted_column_of_every_model_module_is_rotated() -> None:
    from bot.privacy.keys import encrypted_columns

    names = {f"{c.class_.__tablename__}.{c.key}" for c in encrypted_columns()}
    assert {
        "messages.text_enc",
        "messages.extras_enc",
        "outbox.short_text_enc",
        "session_signups.first_name_enc",  # another module's table (programme sessions)
    } <= names
