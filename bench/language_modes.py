"""Language identification: lingua's high- and low-accuracy modes, side by side.

For each mode: the memory and time lingua's models take to load, the accuracy
of the whole identifier (rules + lingua + the learned Latin-script model),
out of fold on the examples of `nlu/` (their language is their folder; the
learned model is fitted on four fifths and scored on the fifth it did not
see), and the time one detection takes.

    .venv/bin/python bench/language_modes.py
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from bot.nlu import training_data
from bot.nlu.language import LanguageIdentifier, learn_language_help

ROOT = Path(__file__).resolve().parents[1]
FOLDS = 5


def rss_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    data = training_data.load(ROOT / "nlu")
    examples = [e for e in data.examples if e.language]
    random.Random(7).shuffle(examples)
    folds = [examples[i::FOLDS] for i in range(FOLDS)]
    helps = [
        learn_language_help(
            dataclasses.replace(
                data, examples=[e for j, f in enumerate(folds) if j != i for e in f]
            )
        )
        for i in range(FOLDS)
    ]
    print(f"{len(examples)} labelled examples, {FOLDS} folds")
    for accuracy in ("low", "high"):  # low first: memory freed later is not given back
        before, started = rss_mb(), time.perf_counter()
        identifier = LanguageIdentifier(accuracy=accuracy)
        load_s, load_mb = time.perf_counter() - started, rss_mb() - before
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        times = []
        for fold, help in zip(folds, helps, strict=True):
            for example in fold:
                t = time.perf_counter()
                found = identifier.detect(example.text, None, help).language
                times.append(time.perf_counter() - t)
                total[example.language or ""] += 1
                right[example.language or ""] += found == example.language
        per = " ".join(f"{lang} {right[lang] / total[lang]:.3f}" for lang in sorted(total))
        print(
            f"{accuracy:<5} load {load_s:.2f} s, +{load_mb:.0f} MB; out-of-fold accuracy "
            f"{sum(right.values()) / len(examples):.4f} ({per}); "
            f"p50 {statistics.median(times) * 1000:.3f} ms"
        )
        del identifier


if __name__ == "__main__":
    main()
