"""Measuring the NLU: on a labelled JSONL file, and by cross-validation on `nlu/`.

A labelled line (tests/data/nlu_test/*.jsonl) is the contract's JSON with the
expected answers; keys other than ``text`` are optional::

    {"text": "...", "language": "ar", "intent": "faq_legal",
     "entities": [{"entity": "service_category", "value": "legal"}],
     "risk": {"level": "high", "category": "domestic_violence"}}

(``risk`` may also be a level string, or ``risk_level``/``risk_category`` keys;
``service_category`` may be a top-level key.) Intent accuracy is measured on
lines without risk; a service category counts as found when the expected
value is among the categories the NLU returned.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from bot.nlu.base import NLU, RiskLevel
from bot.nlu.intent_models import CANDIDATES
from bot.nlu.intents import CHOSEN, IntentClassifier
from bot.nlu.training_data import Example


@dataclass(frozen=True)
class Labelled:
    text: str
    language: str | None
    intent: str | None
    service_category: str | None
    risk_level: RiskLevel
    risk_category: str | None


def read_labelled(path: Path) -> list[Labelled]:
    """Lines of a labelled JSONL file; a malformed line raises ValueError naming it."""
    out: list[Labelled] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_labelled(json.loads(line)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return out


def _labelled(row: dict[str, Any]) -> Labelled:
    risk = row.get("risk")
    if isinstance(risk, dict):
        level, category = risk.get("level") or "none", risk.get("category")
    elif isinstance(risk, str):
        level, category = risk, row.get("risk_category")
    else:
        level, category = row.get("risk_level") or "none", row.get("risk_category")
    service = row.get("service_category")
    for entity in row.get("entities") or []:
        if entity.get("entity") == "service_category" and service is None:
            service = entity.get("value")
    return Labelled(
        text=str(row["text"]),
        language=row.get("language"),
        intent=row.get("intent"),
        service_category=service,
        risk_level=RiskLevel.parse(str(level)),
        risk_category=category if level != "none" else None,
    )


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def evaluate(nlu: NLU, lines: Sequence[Labelled]) -> dict[str, Any]:
    """The issue's measures over *lines*, overall and per language."""
    results = []
    started = time.perf_counter()
    for line in lines:
        results.append((line, nlu.parse(line.text)))
    elapsed = time.perf_counter() - started
    report: dict[str, Any] = {"lines": len(lines), "seconds": round(elapsed, 3)}
    report.update(_measures(results))
    languages = sorted({line.language for line in lines if line.language})
    report["per_language"] = {
        lang: _measures([r for r in results if r[0].language == lang]) for lang in languages
    }
    gold = [r[0].intent for r in results if r[0].intent and r[0].risk_level == RiskLevel.NONE]
    pred = [r[1].intent for r in results if r[0].intent and r[0].risk_level == RiskLevel.NONE]
    report["per_intent_f1"] = _per_label_f1(gold, pred)
    report["confusions"] = _confusions(gold, pred)
    misses = [
        {"expected": f"{r[0].risk_level.label}/{r[0].risk_category}", "got": r[1].risk.level.label}
        for r in results
        if r[0].risk_level >= RiskLevel.HIGH and r[1].risk.level < RiskLevel.HIGH
    ]
    report["high_risk_misses"] = len(misses)
    return report


def _measures(results: Sequence[tuple[Labelled, Any]]) -> dict[str, Any]:
    intent_lines = [
        (g, p) for g, p in results if g.intent is not None and g.risk_level == RiskLevel.NONE
    ]
    language_lines = [(g, p) for g, p in results if g.language]
    service_lines = [(g, p) for g, p in results if g.service_category]
    high = [(g, p) for g, p in results if g.risk_level >= RiskLevel.HIGH]
    risky = [(g, p) for g, p in results if g.risk_level >= RiskLevel.MEDIUM]
    safe = [(g, p) for g, p in results if g.risk_level == RiskLevel.NONE]
    high_found = [(g, p) for g, p in high if p.risk.level >= RiskLevel.HIGH]
    imminent = [(g, p) for g, p in results if g.risk_level == RiskLevel.IMMINENT]
    detected = [(g, p) for g, p in risky if p.risk.level >= RiskLevel.MEDIUM]
    # "hard negatives": risk-free messages with words of the risk lists in them
    hard = [(g, p) for g, p in safe if any(e.startswith(RISK_WORDS) for e in p.risk.evidence)]
    return {
        "intent_accuracy": _ratio(
            sum(g.intent == p.intent for g, p in intent_lines), len(intent_lines)
        ),
        "intent_lines": len(intent_lines),
        "language_accuracy": _ratio(
            sum(g.language == p.language for g, p in language_lines), len(language_lines)
        ),
        "service_category_accuracy": _ratio(
            sum(g.service_category in _categories(p) for g, p in service_lines),
            len(service_lines),
        ),
        "service_lines": len(service_lines),
        "high_imminent_recall": _ratio(len(high_found), len(high)),
        "high_imminent_lines": len(high),
        "high_category_accuracy": _ratio(
            sum(g.risk_category == p.risk.category for g, p in high_found), len(high_found)
        ),
        "any_risk_recall": _ratio(
            sum(p.risk.level >= RiskLevel.MEDIUM for _, p in risky), len(risky)
        ),
        "risk_lines": len(risky),
        "false_escalation_rate": _ratio(
            sum(p.risk.level >= RiskLevel.HIGH for _, p in safe), len(safe)
        ),
        "safe_lines": len(safe),
        "imminent_recall": _ratio(
            sum(p.risk.level == RiskLevel.IMMINENT for _, p in imminent), len(imminent)
        ),
        "imminent_lines": len(imminent),
        "category_accuracy": _ratio(
            sum(g.risk_category == p.risk.category for g, p in detected), len(detected)
        ),
        "hard_negative_escalation_rate": _ratio(
            sum(p.risk.level >= RiskLevel.HIGH for _, p in hard), len(hard)
        ),
        "hard_negative_lines": len(hard),
    }


# Evidence that a word of the risk lists was in the message, kept or set aside.
RISK_WORDS = ("lexicon:", "frame:", "negated:", "hard_negative:", "adult_age:", "framed_imminent:")


def _categories(understanding: Any) -> set[str]:
    return {e.value for e in understanding.entities if e.entity == "service_category"}


def _per_label_f1(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    if not gold:
        return {}
    labels = sorted(set(gold))
    scores = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    return {label: round(float(s), 3) for label, s in zip(labels, scores, strict=True)}


def _confusions(gold: Iterable[str], pred: Iterable[str], top: int = 10) -> list[list[Any]]:
    counts = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    return [[g, p, n] for (g, p), n in counts.most_common(top)]


def cross_validate(
    examples: Sequence[Example], candidate: str = CHOSEN, folds: int = 5, threshold: float = 0.0
) -> dict[str, Any]:
    """Stratified k-fold over the intent examples: macro-F1, per intent, per language."""
    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    predicted = [""] * len(examples)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=13)
    fit_seconds = 0.0
    for train_idx, test_idx in splitter.split(texts, labels):
        started = time.perf_counter()
        model = IntentClassifier(candidate).fit(
            [texts[i] for i in train_idx], [labels[i] for i in train_idx]
        )
        fit_seconds += time.perf_counter() - started
        batch = model.predict_many([texts[i] for i in test_idx], threshold)
        for i, prediction in zip(test_idx, batch, strict=True):
            predicted[i] = prediction.intent
    per_language: dict[str, float | None] = {}
    for lang in sorted({e.language or "-" for e in examples}):
        idx = [i for i, e in enumerate(examples) if (e.language or "-") == lang]
        per_language[lang] = _ratio(sum(labels[i] == predicted[i] for i in idx), len(idx))
    return {
        "candidate": candidate,
        "examples": len(examples),
        "folds": folds,
        "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
        "accuracy": _ratio(
            sum(g == p for g, p in zip(labels, predicted, strict=True)), len(labels)
        ),
        "mean_fit_seconds": round(fit_seconds / folds, 2),
        "per_intent_f1": _per_label_f1(labels, predicted),
        "confusions": _confusions(labels, predicted),
        "per_language_accuracy": per_language,
    }


def compare_candidates(examples: Sequence[Example], folds: int = 5) -> list[dict[str, Any]]:
    """Every candidate model's cross-validated scores, best macro-F1 first."""
    rows = []
    for name in CANDIDATES:
        result = cross_validate(examples, name, folds)
        rows.append(
            {
                k: result[k]
                for k in (
                    "candidate",
                    "macro_f1",
                    "accuracy",
                    "mean_fit_seconds",
                    "per_language_accuracy",
                )
            }
        )
    return sorted(rows, key=lambda r: -float(r["macro_f1"]))


def format_report(report: dict[str, Any]) -> str:
    """A short human-readable rendering of :func:`evaluate`'s or :func:`cross_validate`'s dict."""
    lines: list[str] = []
    skip = {"per_intent_f1", "confusions", "per_language", "per_language_accuracy"}
    for key, value in report.items():
        if key not in skip:
            lines.append(f"{key:28} {value}")
    if report.get("per_intent_f1"):
        lines.append("per-intent F1:")
        items = sorted(report["per_intent_f1"].items(), key=lambda kv: kv[1])
        lines.extend(f"  {name:24} {score:.3f}" for name, score in items)
    if report.get("confusions"):
        lines.append("main confusions (expected -> got: count):")
        lines.extend(f"  {g} -> {p}: {n}" for g, p, n in report["confusions"])
    for key in ("per_language_accuracy", "per_language"):
        if report.get(key):
            lines.append(f"{key.replace('_', ' ')}:")
            for lang, value in report[key].items():
                if isinstance(value, dict):
                    shown = ", ".join(
                        f"{k}={v}" for k, v in value.items() if not k.endswith("_lines")
                    )
                    lines.append(f"  {lang}: {shown}")
                else:
                    lines.append(f"  {lang}: {value}")
    return "\n".join(lines)
