"""Service map search latency: p50/p99 of `bot.services.directory.search`.

Two maps: the sample (data/services-sample.csv) and 5,000 services made from
it (the sample's rows repeated across the seven districts with shifted
coordinates). Each query is one call as the bot makes it (a session, the
revision check, ranking), after a first call that builds the in-memory map.

    PYTHONPATH=. .venv/bin/python bench/services_bench.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.services.csvfile import read_csv
from bot.services.directory import search
from bot.services.hours import ISTANBUL
from bot.services.importer import import_parsed
from bot.services.records import ServiceRecord
from bot.services.store import put
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
AT = datetime(2026, 12, 3, 11, 0, tzinfo=ISTANBUL)
QUERIES: list[dict[str, object]] = [
    {"category": "legal", "district": "Esenyurt", "language": "ar"},
    {"category": "health", "near": (41.0343, 28.6801), "language": "fa"},
    {"category": "psychosocial", "district": "Fatih", "open_now": True},
    {"district": "Bağcılar", "language": "en", "open_now": True},
    {"category": "financial"},
]


def many(records: list[ServiceRecord], total: int) -> list[ServiceRecord]:
    out = []
    for n in range(total):
        base = records[n % len(records)]
        shift = (n // len(records)) * 0.0007
        places = tuple(
            dataclasses.replace(
                p,
                id=f"{p.id}-{n}",
                latitude=None if p.latitude is None else p.latitude + shift,
                longitude=None if p.longitude is None else p.longitude - shift,
            )
            for p in base.places
        )
        out.append(dataclasses.replace(base, id=f"{base.id}-{n}", places=places))
    return out


def measure(db: Database, rounds: int) -> tuple[float, float]:
    times = []
    with db.transaction() as session:
        search(session, at=AT)  # builds the in-memory map
    for _ in range(rounds):
        for query in QUERIES:
            with db.transaction() as session:
                start = time.perf_counter()
                search(session, at=AT, limit=3, **query)  # type: ignore[arg-type]
                times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    parsed = read_csv((ROOT / "data" / "services-sample.csv").read_bytes())
    records = [p.record for p in parsed if p.record is not None]
    with tempfile.TemporaryDirectory() as folder:
        for label, total in (("sample", len(records)), ("5000", 5000)):
            db = Database(f"sqlite:///{folder}/{label}.db")
            db.migrate()
            with db.transaction() as session:
                if label == "sample":
                    import_parsed(session, parsed, "bench")
                else:
                    for record in many(records, total):
                        put(session, record, "bench")
            p50, p99 = measure(db, args.rounds)
            print(f"{label:>6} services={total:5d} queries={args.rounds * len(QUERIES)} "
                  f"p50={p50:.2f} ms p99={p99:.2f} ms")  # fmt: skip
            db.dispose()


if __name__ == "__main__":
    main()
