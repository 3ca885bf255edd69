"""Running `helpline sessions|services ...` in-process against a test database."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli import main
from bot.programmes.sessions_csv import COLUMNS

ROOT = Path(__file__).resolve().parent.parent.parent
SESSIONS_SAMPLE = ROOT / "data" / "sessions-sample.csv"
SERVICES_SAMPLE = ROOT / "data" / "services-sample.csv"


def helpline(database_url: str, *args: str) -> Result:
    env = {**os.environ, "HELPLINE_DATABASE_URL": database_url, "HELPLINE_SECRET_KEY": "t"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def session_row(session_id: str, *, days: float = 3, **cells: str) -> dict[str, str]:
    """A valid row starting `days` from now (Istanbul offset), overridden by `cells`."""
    starts = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
    from bot.services.hours import ISTANBUL

    begin = starts.astimezone(ISTANBUL)
    row = {
        "id": session_id, "programme": "parenting", "title_tr": "Ebeveynlik",
        "title_ar": "التربية الإيجابية", "title_en": "Parenting", "title_fa": "فرزندپروری",
        "min_age": "18", "max_age": "", "language": "ar", "service_id": "sample-esenyurt-pss",
        "district": "Esenyurt", "starts_at": begin.isoformat(),
        "ends_at": (begin + timedelta(hours=2)).isoformat(), "capacity": "10",
    }  # fmt: skip
    row.update(cells)
    return row


def write_sessions(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
