"""Choosing the topic threshold on out-of-fold predictions of the training data.

Each intent example is read by a model trained without it (3 folds). For
each threshold it prints, per language and overall: how many topic examples
get their topic (recall), how many topics given are right (precision), and
how many examples without a topic get one anyway (false topics). The chosen
threshold is the one with the best F1 whose false-topic rate stays under 2%;
it is `TOPIC_THRESHOLD` in bot/nlu/intents.py. No test or blind set is read.

    python bench/topic_bench.py
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu import training_data  # noqa: E402
from bot.nlu.intents import IntentClassifier  # noqa: E402

THRESHOLDS = (0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MAX_FALSE_TOPICS = 0.02


def main() -> None:
    started = time.perf_counter()
    # only examples whose topics were labelled (not nlu/<lang>/risk_free.yml)
    examples = [e for e in training_data.load(ROOT / "nlu").examples if e.topic_labelled]
    labels = [e.topic or e.intent for e in examples]
    guesses: list[tuple[str | None, float]] = [(None, 0.0)] * len(examples)
    for train, held in StratifiedKFold(3, shuffle=True, random_state=7).split(labels, labels):
        model = IntentClassifier().fit(
            [examples[i].text for i in train],
            [examples[i].intent for i in train],
            [examples[i].topic for i in train],
        )
        for i in held:
            guesses[i] = model.topic_scores(examples[i].text)
    print(
        f"{len(examples)} examples, {sum(1 for e in examples if e.topic)} with a topic, "
        f"{time.perf_counter() - started:.0f} s"
    )
    print("threshold | language | recall | precision | false topics | F1")
    best: tuple[float, float] | None = None
    for threshold in THRESHOLDS:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for example, (topic, sure) in zip(examples, guesses, strict=True):
            given = topic if sure >= threshold else None
            for key in (example.language or "?", "all"):
                c = counts[key]  # topic examples, right, given, no-topic examples, false
                if example.topic:
                    c[0] += 1
                    c[1] += given == example.topic
                else:
                    c[3] += 1
                    c[4] += given is not None
                c[2] += given is not None
        for language in sorted(counts):
            topics, right, given, plain, false = counts[language]
            recall = right / topics if topics else 0.0
            precision = right / given if given else 0.0
            f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
            false_rate = false / plain if plain else 0.0
            print(
                f"{threshold} | {language} | {recall:.3f} | {precision:.3f} | "
                f"{false_rate:.3f} | {f1:.3f}"
            )
            keeps = language == "all" and false_rate <= MAX_FALSE_TOPICS
            if keeps and (best is None or f1 > best[1]):
                best = (threshold, f1)
    print(f"chosen threshold: {best[0] if best else 'none keeps false topics under 2%'}")


if __name__ == "__main__":
    main()
