"""Running `helpline services ...` in-process (click's runner) against a test database."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "data" / "services-sample.csv"


def helpline(database_url: str, *args: str, by: str | None = None) -> Result:
    env = {**os.environ, "HELPLINE_DATABASE_URL": database_url, "HELPLINE_SECRET_KEY": "t"}
    argv = list(args)
    if by is not None and argv[:2] == ["services", "import"]:
        argv[2:2] = ["--by", by]
    return CliRunner().invoke(main, argv, env=env, catch_exceptions=False)
