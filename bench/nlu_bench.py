"""NLU benchmark: training time, parse latency (p50/p99 per message), peak memory,
the intent model comparison and the held-out measurements; writes bench/nlu_bench.md
(bench/results.md keeps the rounds' write-ups by hand, and is never overwritten).

    .venv/bin/python bench/nlu_bench.py            # all of it (a few minutes)
    .venv/bin/python bench/nlu_bench.py --no-compare
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlu.base import RiskLevel  # noqa: E402
from bot.nlu.embedded import EmbeddedNLU  # noqa: E402
from bot.nlu.evaluate import compare_candidates, evaluate, read_labelled  # noqa: E402
from bot.nlu.intents import CHOSEN  # noqa: E402
from bot.nlu.language import LanguageIdentifier  # noqa: E402
from bot.nlu.model_store import train  # noqa: E402
from bot.nlu.risk import RiskDetector  # noqa: E402
from bot.nlu.risk_decision import RiskThresholds  # noqa: E402
from bot.nlu.training_data import load  # noqa: E402

DATA = ROOT / "nlu"
SPLIT = ROOT / "tests" / "data" / "nlu_test"
BLIND = ROOT / "tests" / "data" / "nlu_blind"
RESULTS = ROOT / "bench" / "nlu_bench.md"
PASSES = 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-compare", action="store_true", help="skip the model comparison")
    args = parser.parse_args()

    started = time.perf_counter()
    data = load(DATA)  # the model keeps only what serving reads
    model = train(DATA, data=data)
    train_seconds = time.perf_counter() - started
    rss_after_training = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    languages = LanguageIdentifier()
    nlu = EmbeddedNLU(model, languages=languages)
    lines = [line for path in sorted(SPLIT.glob("*.jsonl")) for line in read_labelled(path)]
    texts = [line.text for line in lines]
    for text in texts[:50]:  # warm up
        nlu.parse(text)
    latencies: list[float] = []
    for _ in range(PASSES):
        for text in texts:
            t0 = time.perf_counter()
            nlu.parse(text)
            latencies.append((time.perf_counter() - t0) * 1000)
    tracemalloc.start()  # a separate pass: tracing slows Python down
    for text in texts:
        nlu.parse(text)
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    held_out = evaluate(nlu, lines)
    blind_files = sorted(BLIND.glob("*.jsonl"))
    blind = (
        evaluate(nlu, [x for p in blind_files for x in read_labelled(p)]) if blind_files else None
    )
    comparison = [] if args.no_compare else compare_candidates(data.examples)
    tradeoff = _risk_tradeoff(model, lines)

    figures = {
        "training_seconds": round(train_seconds, 2),
        "rss_after_training_mb": round(rss_after_training, 1),
        "parse_peak_traced_kb": round(parse_peak / 1024, 1),
        "parse_p50_ms": round(p50, 3),
        "parse_p99_ms": round(p99, 3),
        "parse_mean_ms": round(statistics.fmean(latencies), 3),
        "messages_timed": len(latencies),
        "peak_rss_mb": round(rss_mb, 1),
        "intent_examples": len(data.examples),
        "risk_phrases": len(data.risk.phrases),
        "risk_examples": len(data.risk_examples),
    }
    for key, value in figures.items():
        print(f"{key:26} {value}")
    text = _markdown(figures, held_out, blind, comparison) + _tradeoff_markdown(tradeoff)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")


MEASURES = [
    ("intent_accuracy", "intent accuracy (risk-free lines)", ">= 0.88"),
    ("language_accuracy", "language accuracy", ">= 0.97"),
    ("service_category_accuracy", "service category accuracy", ">= 0.80"),
    ("high_imminent_recall", "high+imminent recall", ">= 0.97"),
    ("any_risk_recall", "any-risk recall (medium and up)", ">= 0.90"),
    ("false_escalation_rate", "false escalation to high/imminent", "<= 0.05"),
]


SETTINGS = [
    ("chosen (recall first): high 0.45, serious 0.1", RiskThresholds()),
    ("high 0.4, serious 0.1", RiskThresholds(high=0.4)),
    ("high 0.5, serious 0.1", RiskThresholds(high=0.5)),
    ("high 0.45, serious 0.3", RiskThresholds(serious=0.3)),
    ("lists only (no model)", None),
]


def _risk_tradeoff(model: Any, lines: list[Any]) -> list[tuple[str, float, float, float]]:
    """High+imminent recall, any-risk recall and false escalation per threshold setting."""
    rows = []
    for name, thresholds in SETTINGS:
        detector = RiskDetector(model.data, model.risk_model if thresholds else None, thresholds)
        levels = [(line.risk_level, detector.assess(line.text).level) for line in lines]
        high = [got for gold, got in levels if gold >= RiskLevel.HIGH]
        risky = [got for gold, got in levels if gold >= RiskLevel.MEDIUM]
        safe = [got for gold, got in levels if gold == RiskLevel.NONE]
        rows.append(
            (
                name,
                round(sum(g >= RiskLevel.HIGH for g in high) / max(1, len(high)), 4),
                round(sum(g >= RiskLevel.MEDIUM for g in risky) / max(1, len(risky)), 4),
                round(sum(g >= RiskLevel.HIGH for g in safe) / max(1, len(safe)), 4),
            )
        )
    return rows


def _tradeoff_markdown(rows: list[tuple[str, float, float, float]]) -> str:
    out = [
        "",
        "## Risk thresholds: recall against false escalation (held-out split)",
        "",
        "| setting | high+imminent recall | any-risk recall | false escalation |",
        "| --- | --- | --- | --- |",
    ]
    out += [f"| {name} | {h} | {a} | {f} |" for name, h, a, f in rows]
    return "\n".join(out) + "\n"


def _table(report: dict[str, Any]) -> list[str]:
    langs = list(report["per_language"])
    out = [
        "| measure | target | all | " + " | ".join(langs) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in langs) + " |",
    ]
    for key, name, target in MEASURES:
        cells = [str(report["per_language"][lang].get(key)) for lang in langs]
        out.append(f"| {name} | {target} | {report[key]} | " + " | ".join(cells) + " |")
    out.append(
        f"\n{report['lines']} lines: {report['intent_lines']} intent lines, "
        f"{report['risk_lines']} risk lines ({report['high_imminent_lines']} high/imminent), "
        f"{report['safe_lines']} risk-free; category right on "
        f"{report['high_category_accuracy']} of the detected high/imminent lines."
    )
    return out


def _markdown(
    figures: dict[str, Any],
    held_out: dict[str, Any],
    blind: dict[str, Any] | None,
    comparison: list[dict[str, Any]],
) -> str:
    lines = [
        "# NLU benchmark",
        "",
        f"Run {date.today().isoformat()} on {platform.machine()}, "
        f"Python {platform.python_version()}, by `.venv/bin/python bench/nlu_bench.py`.",
        "",
        "## Speed and memory",
        "",
        "| figure | value | target |",
        "| --- | --- | --- |",
        f"| training time (intents + risk model, from nlu/) | {figures['training_seconds']} s"
        " | < 20 s |",
        f"| parse latency p50 per message | {figures['parse_p50_ms']} ms | < 5 ms |",
        f"| parse latency p99 per message | {figures['parse_p99_ms']} ms | |",
        f"| parse latency mean | {figures['parse_mean_ms']} ms | |",
        f"| peak RSS of the process | {figures['peak_rss_mb']} MB | |",
        f"| peak RSS after training | {figures['rss_after_training_mb']} MB | |",
        f"| peak traced allocation in a parse pass | {figures['parse_peak_traced_kb']} KB | |",
        "",
        f"Latency over {figures['messages_timed']} parses ({PASSES} passes over the held-out"
        " split): language + intent + entities + risk, one message at a time.",
        f"Data: {figures['intent_examples']} intent examples, {figures['risk_phrases']} risk"
        f" phrases, {figures['risk_examples']} risk examples.",
        "",
        "## Held-out split (tests/data/nlu_test)",
        "",
        *_table(held_out),
    ]
    if blind is not None:
        lines += ["", "## Blind set (tests/data/nlu_blind)", "", *_table(blind)]
    if comparison:
        lines += [
            "",
            "## Intent model comparison (5-fold stratified cross-validation on nlu/)",
            "",
            f"Chosen: `{CHOSEN}`. Features for all: TF-IDF char_wb 2-5 grams + word 1-2 grams"
            " on the folded text.",
            "",
            "| candidate | macro-F1 | accuracy | mean fit (s) | tr | ar | en | fa |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in comparison:
            per = row["per_language_accuracy"]
            lines.append(
                f"| {row['candidate']} | {row['macro_f1']} | {row['accuracy']} | "
                f"{row['mean_fit_seconds']} | {per.get('tr')} | {per.get('ar')} | "
                f"{per.get('en')} | {per.get('fa')} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
