"""Key rotation: re-encrypt and re-hash everything under the current key, service running.

Procedure (README, "Data protection"): make the new secret the current one and
the old one a previous one (HELPLINE_SECRET_KEY + HELPLINE_PREVIOUS_SECRET_KEYS,
or a new first line in the key file), restart the service (it now writes
under the new key and reads both), run `helpline privacy rotate-key`, then
drop the previous key (after a day, so platform redeliveries hashed under it
are still recognised) and restart.

Rows are rotated in short batches, each its own transaction, with
compare-and-set updates (`WHERE id = … AND column = <old value>`): a row the
service changed meanwhile is left alone and picked up again by the next pass.
A value no configured key opens is never overwritten; it is counted as
`unreadable` and the command fails.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from cryptography.fernet import InvalidToken
from sqlalchemy import select, update

from bot.privacy.tables import load_models
from bot.storage.models import Base, CaseEvent, Contact

if TYPE_CHECKING:
    from sqlalchemy.orm import InstrumentedAttribute

    from bot.storage.crypto import Vault
    from bot.storage.db import Database


def encrypted_columns() -> list[InstrumentedAttribute[Any]]:
    """Every `*_enc` column of every model (so a column added later is rotated too), but the
    contact's platform id, rotated together with its lookup hash."""
    load_models()
    found = []
    for mapper in Base.registry.mappers:
        for attribute in mapper.column_attrs:
            if attribute.key.endswith("_enc") and attribute.class_attribute is not None:
                column = getattr(mapper.class_, attribute.key)
                if column is not Contact.platform_id_enc:
                    found.append(column)
    return sorted(found, key=lambda c: (c.class_.__tablename__, c.key))


BATCH = 200
MAX_PASSES = 5


def _column_batch(
    db: Database, vault: Vault, column: InstrumentedAttribute[Any], after: int, counts: Counter[str]
) -> int | None:
    """Rotate one batch of `column` after id `after`; the last id seen, None at the end."""
    model = column.class_
    name = f"{model.__tablename__}.{column.key}"
    with db.transaction() as session:
        rows = session.execute(
            select(model.id, column)
            .where(model.id > after, column.is_not(None))
            .order_by(model.id)
            .limit(BATCH)
        ).all()
        for row_id, token in rows:
            if vault.is_current(token):
                continue
            try:
                plain = vault.decrypt_strict(token)
            except InvalidToken:
                counts["unreadable"] += 1
                continue
            result = session.execute(
                update(model)
                .where(model.id == row_id, column == token)
                .values({column.key: vault.encrypt(plain)})
            )
            counts[name] += int(getattr(result, "rowcount", 0) or 0)
    return rows[-1][0] if rows else None


def _contact_batch(db: Database, vault: Vault, after: int, counts: Counter[str]) -> int | None:
    """Contacts: the platform id re-encrypted and its lookup hash recomputed together."""
    with db.transaction() as session:
        rows = session.execute(
            select(Contact.id, Contact.channel, Contact.platform_id_enc, Contact.platform_hash)
            .where(Contact.id > after)
            .order_by(Contact.id)
            .limit(BATCH)
        ).all()
        for row_id, channel, token, digest in rows:
            try:
                plain = vault.decrypt_strict(token)
            except InvalidToken:
                counts["unreadable"] += 1
                continue
            new_digest = vault.hash_id(channel, plain)
            if vault.is_current(token) and digest == new_digest:
                continue
            result = session.execute(
                update(Contact)
                .where(Contact.id == row_id, Contact.platform_id_enc == token)
                .values(platform_id_enc=vault.encrypt(plain), platform_hash=new_digest)
            )
            counts["contacts.platform_id_enc"] += int(getattr(result, "rowcount", 0) or 0)
    return rows[-1][0] if rows else None


def _note_batch(db: Database, vault: Vault, after: int, counts: Counter[str]) -> int | None:
    """Case notes keep their text encrypted inside the event's JSON detail."""
    with db.transaction() as session:
        events = list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.id > after).order_by(CaseEvent.id).limit(BATCH)
            )
        )
        for event in events:
            token = (event.detail or {}).get("text_enc")
            if not isinstance(token, str) or vault.is_current(token):
                continue
            try:
                plain = vault.decrypt_strict(token)
            except InvalidToken:
                counts["unreadable"] += 1
                continue
            event.detail = {**event.detail, "text_enc": vault.encrypt(plain)}
            counts["case_events.detail.text_enc"] += 1
    return events[-1].id if events else None


def rotate(db: Database, vault: Vault) -> dict[str, int]:
    """Re-encrypt (and re-hash) every value not under the current key; counts by column.

    Passes repeat while a pass still found values to rotate (rows the service
    wrote with an old process, or changed between read and update).
    """
    total: Counter[str] = Counter()
    unreadable = 0
    for _ in range(MAX_PASSES):
        counts: Counter[str] = Counter()
        after: int | None = 0
        while after is not None:
            after = _contact_batch(db, vault, after, counts)
        for column in encrypted_columns():
            after = 0
            while after is not None:
                after = _column_batch(db, vault, column, after, counts)
        after = 0
        while after is not None:
            after = _note_batch(db, vault, after, counts)
        unreadable = counts.pop("unreadable", 0)
        total.update(counts)
        if not counts:
            break
    return {**dict(sorted(total.items())), "unreadable": unreadable}


def remaining(db: Database, vault: Vault) -> int:
    """How many values the current key alone cannot open (0 when rotation is done)."""
    left = 0
    with db.transaction() as session:
        for token in session.scalars(select(Contact.platform_id_enc)):
            left += not vault.is_current(token)
        for column in encrypted_columns():
            for token in session.scalars(select(column).where(column.is_not(None))):
                left += not vault.is_current(token)
        for detail in session.scalars(select(CaseEvent.detail)):
            note = (detail or {}).get("text_enc")
            left += isinstance(note, str) and not vault.is_current(note)
    return left
