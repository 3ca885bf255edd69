"""Rows of an uploaded CSV file (the service map, programme sessions): one reader for both.

The file must be UTF-8 (a byte-order mark is fine) with a header naming every
required column and no column it does not know. Blank lines are skipped; a
row with more cells than the header is passed on as ``None`` for the caller
to reject with its row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator


class FileError(ValueError):
    """The file as a whole cannot be read (encoding, header)."""


def read_rows(
    data: bytes, required: Collection[str], allowed: Collection[str]
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | None, str]]]:
    """The header, and (row number, cells or None if too many, the row's id) for each row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(f"not UTF-8 (byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in allowed]
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unknown:
        problems.append("unknown columns: " + ", ".join(unknown))
    if problems:
        raise FileError("; ".join(problems))

    def rows() -> Iterator[tuple[int, dict[str, str] | None, str]]:
        for number, row in enumerate(reader, start=2):
            row_id = (row.get("id") or "").strip()
            if None in row:
                yield number, None, row_id
            elif any((v or "").strip() for v in row.values()):
                yield number, row, row_id

    return header, rows()
