"""Reading the YAML files of `nlu/`: which files, their language, example blocks, values.

Shared by the intent data (bot/nlu/training_data.py) and the risk data
(bot/nlu/risk_data.py). Anything malformed raises :class:`TrainingDataError`
or a ValueError that the loader turns into one naming the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.base import LANGUAGES, RiskLevel

# [written words](entity), [words](entity:value) or [words]{"entity": ..., "value": ...}
_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]*\}))")
_LANGUAGE_IN_NAME = re.compile(r"(?:^|[-_])(tr|ar|en|fa)$")


class TrainingDataError(ValueError):
    """The training data is malformed; the message names the file."""


@dataclass(frozen=True)
class Annotation:
    entity: str
    value: str
    text: str


def strip_annotations(text: str) -> tuple[str, tuple[Annotation, ...]]:
    """``"a [lawyer](service_category)"`` → ``("a lawyer", (Annotation(...),))``."""
    annotations: list[Annotation] = []

    def replace(match: re.Match[str]) -> str:
        written = match.group("text")
        if match.group("short") is not None:
            entity, _, value = match.group("short").partition(":")
        else:
            try:
                spec = json.loads(match.group("json"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"bad entity annotation {match.group(0)!r}: {exc}") from exc
            if not isinstance(spec, dict) or "entity" not in spec:
                raise ValueError(f"entity annotation without 'entity': {match.group(0)!r}")
            entity, value = str(spec["entity"]), str(spec.get("value", ""))
        annotations.append(Annotation(entity.strip(), value.strip() or written, written))
        return written

    return _ANNOTATION.sub(replace, text), tuple(annotations)


def yaml_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise TrainingDataError(f"{path}: not UTF-8: {exc}") from exc
    except yaml.YAMLError as exc:
        raise TrainingDataError(f"{path}: not valid YAML: {exc}") from exc


def language_of(path: Path, data_dir: Path) -> str | None:
    parts = path.relative_to(data_dir).parts
    if len(parts) > 1 and parts[0] in LANGUAGES:
        return parts[0]
    return None


def language_from_name(path: Path) -> str | None:
    match = _LANGUAGE_IN_NAME.search(path.stem)
    return match.group(1) if match else None


def example_lines(block: Any, where: str) -> Iterator[str]:
    """Rasa's ``examples: |`` block (``- text`` lines) or a list of strings/``{text: ...}``."""
    if isinstance(block, str):
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("-"):
                raise ValueError(f"{where}: example line does not start with '- ': {line[:60]!r}")
            text = line[1:].strip()
            if text:
                yield text
    elif isinstance(block, list):
        for item in block:
            value: Any = item.get("text") if isinstance(item, dict) else item
            if not isinstance(value, str):
                raise ValueError(f"{where}: example is not text: {item!r}")
            if value.strip():
                yield value.strip()
    elif block is not None:
        raise ValueError(f"{where}: 'examples' must be a '|' block or a list")


def level_named(name: str, where: str) -> RiskLevel:
    try:
        return RiskLevel.parse(name)
    except KeyError:
        raise ValueError(f"{where}: unknown level {name!r} (imminent/high/medium/none)") from None


def numbers(value: Any, where: str) -> dict[str, float]:
    if not isinstance(value, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
    ):
        raise ValueError(f"'{where}' must map names to numbers")
    return {str(k): float(v) for k, v in value.items()}


def strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"'{where}' must be a list of phrases")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str | int | float):
            raise ValueError(f"'{where}': phrase is not text: {item!r}")
        if str(item).strip():
            out.append(str(item).strip())
    return out
