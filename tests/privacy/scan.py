"""Looking for a person in the database: every table's raw values, decrypted ones, a dump.

`traces` reads every row of every table (what `inspect` finds, so tables added
later are read too) as text and reports where any of the needles appears: in
the raw value, or, for a Fernet token, in what it decrypts to with the key.
`dump_text` is what an attacker holding only the database has: `pg_dump` output
on PostgreSQL, the database file (and its WAL) on SQLite.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from sqlalchemy import inspect, text

from bot.storage.crypto import Vault
from bot.storage.db import Database

FERNET = re.compile(r"gAAAAA[A-Za-z0-9_=-]{40,}")


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def rows(db: Database) -> list[tuple[str, str]]:
    """(table, one value as text) for every value of every row of every table."""
    found = []
    with db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                found += [(table, _as_text(value)) for value in row if value is not None]
    return found


def traces(db: Database, vault: Vault | None, needles: list[str]) -> list[str]:
    """Where any needle shows: `table: needle` (raw) or `table: needle (decrypted)`."""
    hits = []
    for table, value in rows(db):
        for needle in needles:
            if needle.lower() in value.lower():
                hits.append(f"{table}: {needle}")
        if vault is None:
            continue
        for token in FERNET.findall(value):
            plain = vault.decrypt(token).lower()
            hits += [f"{table}: {n} (decrypted)" for n in needles if n.lower() in plain]
    return hits


def dump_text(db: Database) -> str:
    """The database as someone without the key would read it."""
    url = db.url
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        data = b""
        for part in (path, Path(f"{path}-wal")):
            if part.exists():
                data += part.read_bytes()
        return data.decode("utf-8", "replace")
    parsed = urlparse(url.replace("postgresql+psycopg", "postgresql"))
    options = parse_qs(parsed.query).get("options", [""])[0]
    schema = options.split("search_path=")[-1] if "search_path=" in options else "public"
    result = subprocess.run(
        ["pg_dump", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432),
         "-U", parsed.username or "postgres", "-n", schema, parsed.path.lstrip("/")],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return result.stdout
