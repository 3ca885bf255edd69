"""Choosing the risk thresholds honestly: on out-of-fold predictions over the training data.

Every labelled risk example (and every intent example, as a message without
risk) is read by a model that never saw it: the data is split in folds, a
model is trained on all folds but one and reads the one left out. The lists
(reviewed content, not learned) read everything. The thresholds are then
searched on these readings: the lowest false-escalation rate among the
settings that keep the recall targets. No test or blind set is involved.

``helpline nlu tune-risk`` runs it, prints the trade-off and (with ``--write``)
writes the chosen thresholds to ``nlu/risk/thresholds.yml``, which training
reads like the rest of ``nlu/``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from sklearn.model_selection import StratifiedKFold

from bot.nlu.base import RiskLevel
from bot.nlu.risk import NONE, RiskDetector, RiskModel
from bot.nlu.risk_decision import Reading, RiskThresholds, combine, strongest
from bot.nlu.risk_model import labelled_messages
from bot.nlu.training_data import TrainingData

THRESHOLDS_FILE = Path("risk") / "thresholds.yml"

# Targets the thresholds must keep on out-of-fold readings (issue 8), with a margin.
TARGETS = {"high_recall": 0.975, "any_recall": 0.96, "imminent_recall": 0.90}


@dataclass(frozen=True)
class Row:
    text: str
    level: RiskLevel
    category: str | None
    source: str  # "risk" (a labelled risk example, incl. hard negatives) or "intent"
    reading: Reading


def out_of_fold(
    data: TrainingData,
    folds: int = 5,
    seed: int = 13,
    make_model: Callable[[], RiskModel] = RiskModel,
) -> list[Row]:
    """Read every training message with a model trained without it."""
    texts, categories, levels = labelled_messages(data)
    risky = len(data.risk_examples)
    sources = ["risk"] * risky + ["intent"] * (len(texts) - risky)
    detector = RiskDetector(data, None)
    readings: list[Reading | None] = [None] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, held in splitter.split(texts, categories):
        model = make_model()
        model.fit(
            [texts[i] for i in train], [categories[i] for i in train], [levels[i] for i in train]
        )
        for i in held:
            readings[i] = detector.read(texts[i], model)
    rows = []
    for i, reading in enumerate(readings):
        if reading is None:
            continue
        level = RiskLevel.parse(levels[i])
        category = categories[i] if categories[i] != NONE else None
        rows.append(Row(texts[i], level, category, sources[i], reading))
    return rows


def shared_phrases_only(rows: Sequence[Row]) -> list[Row]:
    """The rows with each phrase credited on a disclosure only if it hits another one too.

    Reviewers write phrases from the training disclosures, so out of fold the
    lists catch those disclosures far better than they catch a fresh message
    (93% of the high ones against about half on the blind sets). A phrase that
    hits a single training disclosure was most likely written from it; without
    its credit the readings are closer to what fresh messages get. Risk-free
    rows are left as they are.
    """
    credited: Counter[str] = Counter()
    for row in rows:
        if row.level >= RiskLevel.MEDIUM:
            credited.update({h.name for h in row.reading.hits})
    out = []
    for row in rows:
        if row.level < RiskLevel.MEDIUM:
            out.append(row)
            continue
        hits = tuple(h for h in row.reading.hits if credited[h.name] > 1)
        dropped = {f"lexicon:{h.name}" for h in row.reading.hits if credited[h.name] <= 1}
        level, category = strongest(hits, row.reading.adults_only)
        reading = replace(
            row.reading,
            level=level,
            category=category,
            evidence=tuple(e for e in row.reading.evidence if e not in dropped),
            hits=hits,
        )
        out.append(replace(row, reading=reading))
    return out


def measure(rows: Sequence[Row], t: RiskThresholds) -> dict[str, float]:
    """The issue's risk measures for thresholds *t* over *rows*."""
    decided = [(row, combine(row.reading, t)) for row in rows]
    safe = [(r, d) for r, d in decided if r.level == RiskLevel.NONE]
    hard = [(r, d) for r, d in safe if r.source == "risk"]
    high = [(r, d) for r, d in decided if r.level >= RiskLevel.HIGH]
    imminent = [(r, d) for r, d in decided if r.level == RiskLevel.IMMINENT]
    risky = [(r, d) for r, d in decided if r.level >= RiskLevel.MEDIUM]
    found = [(r, d) for r, d in risky if d.level >= RiskLevel.MEDIUM]

    def share(items: Sequence[tuple[Row, Any]], hit: Any) -> float:
        return round(sum(1 for item in items if hit(*item)) / len(items), 4) if items else 0.0

    return {
        "false_escalation": share(safe, lambda r, d: d.level >= RiskLevel.HIGH),
        "hard_negative_escalation": share(hard, lambda r, d: d.level >= RiskLevel.HIGH),
        "safe_asked": share(safe, lambda r, d: d.level == RiskLevel.MEDIUM),
        "high_recall": share(high, lambda r, d: d.level >= RiskLevel.HIGH),
        "any_recall": share(risky, lambda r, d: d.level >= RiskLevel.MEDIUM),
        "imminent_recall": share(imminent, lambda r, d: d.level == RiskLevel.IMMINENT),
        "category_accuracy": share(found, lambda r, d: d.category == r.category),
        "safe": len(safe),
        "hard_negatives": len(hard),
        "risk": len(risky),
    }


GRID: dict[str, Sequence[float]] = {
    "medium": (0.1, 0.2, 0.3, 0.4),
    "high": (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9),
    "serious": (0.1, 0.3, 0.5),
    "imminent": (0.3, 0.4, 0.5, 0.6),
}


def search(
    rows: Sequence[Row], grid: dict[str, Sequence[float]] | None = None
) -> tuple[RiskThresholds, dict[str, float], list[dict[str, Any]]]:
    """The thresholds with the fewest false escalations that keep every target.

    Ties go to the setting that asks fewer people without risk whether they are
    safe. Returns the choice, its measures and the whole table (best first).
    """
    grid = grid or GRID
    names = list(grid)
    table = []
    for values in itertools.product(*(grid[n] for n in names)):
        chosen: dict[str, Any] = dict(zip(names, values, strict=True))
        t = replace(RiskThresholds(), **chosen)
        if t.medium > t.high:
            continue
        result = measure(rows, t)
        table.append({**dict(zip(names, values, strict=True)), **result})
    keeping = [r for r in table if all(r[k] >= v for k, v in TARGETS.items())]
    ranked = sorted(
        keeping or table,
        key=lambda r: (
            r["false_escalation"],
            r["safe_asked"],
            -r["high_recall"],
        ),
    )
    best = ranked[0]
    picked: dict[str, Any] = {n: best[n] for n in names}
    thresholds = replace(RiskThresholds(), **picked)
    return thresholds, measure(rows, thresholds), ranked


def save_thresholds(t: RiskThresholds, path: Path, note: str) -> None:
    """Write the chosen thresholds where training reads them (a comment says how and why)."""
    header = [f"# {line}" if line else "#" for line in note.splitlines()]
    body = yaml.safe_dump({"thresholds": asdict(t)}, sort_keys=True)
    path.write_text("\n".join([*header, body]), encoding="utf-8")


def mistakes(rows: Iterable[Row], t: RiskThresholds, limit: int = 40) -> list[str]:
    """Out-of-fold false escalations and missed high-risk messages, for reading."""
    out = []
    for row in rows:
        decided = combine(row.reading, t)
        if row.level == RiskLevel.NONE and decided.level >= RiskLevel.HIGH:
            out.append(f"FALSE {decided.level.label}/{decided.category}: {row.text}")
        elif row.level >= RiskLevel.HIGH and decided.level < RiskLevel.HIGH:
            got = decided.level.label
            out.append(f"MISS {row.level.label}/{row.category} got {got}: {row.text}")
    return out[:limit] if limit else out
