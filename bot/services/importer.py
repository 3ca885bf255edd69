"""`helpline services import`: check every row first, then apply all of them or none."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.services import store
from bot.services.csvfile import FileError, Parsed, read_csv

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class RowReport:
    row: int
    id: str
    action: str  # added | changed | unchanged | rejected
    detail: list[str] = field(default_factory=list)  # changed fields, or reasons


@dataclass
class ImportReport:
    rows: list[RowReport]
    applied: bool

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> int:
        return self.count("rejected")

    def lines(self) -> list[str]:
        out = []
        for r in self.rows:
            label = f"row {r.row} {r.id or '(no id)'}: {r.action}"
            if r.action == "rejected":
                label += ": " + "; ".join(r.detail)
            elif r.action == "changed":
                label += " (" + ", ".join(r.detail) + ")"
            out.append(label)
        totals = ", ".join(
            f"{self.count(a)} {a}" for a in ("added", "changed", "unchanged", "rejected")
        )
        out.append(
            f"{totals}: applied"
            if self.applied
            else f"{totals}: nothing applied (fix the rejected rows and import again)"
        )
        return out


def read_file(path: Path) -> list[Parsed]:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".json", ".yaml", ".yml"):
        from bot.services.hsds import read_hsds

        return read_hsds(data, yaml=suffix != ".json")
    if suffix in (".csv", ".txt", ""):
        return read_csv(data)
    raise FileError(f"unknown file kind {suffix!r}: .csv, .json, .yaml or .yml")


def import_parsed(session: Session, parsed: list[Parsed], by: str) -> ImportReport:
    """Apply every record when none was rejected; otherwise change nothing."""
    stored = store.get_records(session, {p.id for p in parsed if p.id})
    seen: dict[str, int] = {}
    rows: list[RowReport] = []
    ready: list[tuple[RowReport, Parsed]] = []
    for item in parsed:
        reasons = list(item.reasons)
        if item.id and item.id in seen:
            reasons.append(f"duplicate id (also row {seen[item.id]})")
        elif item.id:
            seen[item.id] = item.row
        if reasons or item.record is None:
            rows.append(RowReport(item.row, item.id, "rejected", reasons))
            continue
        record = item.record
        before = stored.get(record.id)
        if before is not None and item.absent:
            record = dataclasses.replace(
                record, **{name: getattr(before, name) for name in item.absent}
            )
            item.record = record
        if before is None:
            report = RowReport(item.row, item.id, "added")
        elif before == record:
            report = RowReport(item.row, item.id, "unchanged")
        else:
            report = RowReport(item.row, item.id, "changed", before.differences(record))
        rows.append(report)
        ready.append((report, item))
    if any(r.action == "rejected" for r in rows):
        return ImportReport(rows, applied=False)
    for report, item in ready:
        if report.action != "unchanged" and item.record is not None:
            store.put(session, item.record, by, existing=stored.get(item.id))
    session.flush()
    return ImportReport(rows, applied=True)
