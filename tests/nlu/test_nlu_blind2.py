"""Issue 8's measures on blind set 2 (tests/data/nlu_blind2), written by an author who read
neither the training data nor the tests. Nothing was tuned on it; it was read once, at the end.

Where the issue's target is not reached yet, the floor asserted is the figure first measured
(rounded down), so the suite catches a regression; FLOORS_BELOW_TARGET lists them and the
issue stays open for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.evaluate import evaluate, read_labelled

BLIND2 = Path(__file__).resolve().parents[1] / "data" / "nlu_blind2" / "blind2.jsonl"

ISSUE_TARGETS = {
    "high_imminent_recall": 0.97,
    "any_risk_recall": 0.95,
    "imminent_recall": 0.90,
    "category_accuracy": 0.90,
    "intent_accuracy": 0.90,
}
ISSUE_CEILINGS = {"false_escalation_rate": 0.05, "hard_negative_escalation_rate": 0.10}
# Measured once on 2026-12-02 (blind set 2, 771 messages): category 0.8772, intent 0.8589,
# false escalation 0.1100, hard negatives 0.3538 (23 of 65). Recalls met the targets:
# high+imminent 0.9819, any risk 0.9862, imminent 0.9437.
FLOORS_BELOW_TARGET: dict[str, float] = {"category_accuracy": 0.87, "intent_accuracy": 0.85}
CEILINGS_ABOVE_TARGET: dict[str, float] = {
    "false_escalation_rate": 0.12,
    "hard_negative_escalation_rate": 0.36,
}


@pytest.fixture(scope="module")
def report(full_nlu: EmbeddedNLU) -> dict[str, Any]:
    return evaluate(full_nlu, read_labelled(BLIND2))


@pytest.mark.slow
@pytest.mark.parametrize("measure", list(ISSUE_TARGETS))
def test_floor(report: dict[str, Any], measure: str) -> None:
    floor = FLOORS_BELOW_TARGET.get(measure, ISSUE_TARGETS[measure])
    assert report[measure] >= floor, (measure, report[measure], report["per_language"])


@pytest.mark.slow
@pytest.mark.parametrize("measure", list(ISSUE_CEILINGS))
def test_ceiling(report: dict[str, Any], measure: str) -> None:
    ceiling = CEILINGS_ABOVE_TARGET.get(measure, ISSUE_CEILINGS[measure])
    assert report[measure] <= ceiling, (measure, report[measure], report["per_language"])
