"""Every table that holds rows about one person, found from the models.

Other parts of the helpline add tables of their own (`bot/storage/*_models.py`).
Erasure, export and key rotation must not miss one, so they read the models
rather than a list: every `*_models` module is imported, then a table with a
`contact_id` column is a person's table, and a `*_enc` column is encrypted.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import Table

import bot.storage
from bot.storage.models import Base


def load_models() -> None:
    """Import every model module, so `Base.metadata` knows every table."""
    for module in pkgutil.iter_modules(bot.storage.__path__):
        if module.name.endswith("models"):
            importlib.import_module(f"bot.storage.{module.name}")


def person_tables(handled: set[str]) -> list[Table]:
    """Tables with a `contact_id` column, but those in `handled` (erased on their own terms)."""
    load_models()
    return [
        table
        for table in Base.metadata.sorted_tables
        if "contact_id" in table.c and table.name not in handled
    ]
