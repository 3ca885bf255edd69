"""Check risk phrases added to nlu/risk/<lang>.yml against every safe training message.

A phrase a reviewer adds must not fire on risk-free messages. This compares the
phrase lists of ``nlu/`` with an earlier copy (``git archive main nlu | tar -x -C /tmp/old``)
and, for every new phrase, lists the safe training messages (intent examples and
``category: none`` risk examples) where it still counts as a ``lexicon:`` hit after
negation, frames and hard negatives, and how many labelled disclosures it hits.

    PYTHONPATH=. python bench/risk_phrase_check.py /tmp/old/nlu [-v]

It never reads a test or blind set. Out-of-fold threshold choice: ``helpline nlu tune-risk``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from bot.nlu import training_data
from bot.nlu.base import RiskLevel
from bot.nlu.risk import RiskDetector
from bot.nlu.risk_lexicon import phrase_name
from bot.nlu.training_data import RiskPhrase


def _name(p: RiskPhrase) -> str:
    return phrase_name(p.language, p.category, p.level, p.pattern)


def main(old_dir: Path, verbose: bool) -> int:
    old = training_data.load(old_dir)
    data = training_data.load(Path("nlu"))
    known = {_name(p) for p in old.risk.phrases}
    new = [_name(p) for p in data.risk.phrases if _name(p) not in known]
    wanted = set(new)
    detector, before = RiskDetector(data, None), RiskDetector(old, None)
    safe: dict[str, list[str]] = defaultdict(list)
    risky: dict[str, int] = defaultdict(int)
    raised = 0
    messages = [(e.text, "none", RiskLevel.NONE) for e in data.examples]
    messages += [(e.text, e.category, e.level) for e in data.risk_examples]
    for text, category, level in messages:
        reading = detector.read(text)
        if reading is None:
            continue
        for item in reading.evidence:
            if item.startswith("lexicon:") and item[8:] in wanted:
                if category == "none":
                    safe[item[8:]].append(text)
                else:
                    risky[item[8:]] += 1
        if level >= RiskLevel.HIGH and reading.level >= RiskLevel.HIGH:
            earlier = before.read(text)
            raised += earlier is not None and earlier.level < RiskLevel.HIGH
    print(
        f"{len(new)} new phrases, {sum(1 for p in new if safe[p])} hit safe messages; "
        f"{raised} high/imminent disclosures now high+ from the lists"
    )
    for phrase in new:
        if safe[phrase] or verbose:
            print(f"{'SAFE' if safe[phrase] else 'ok  '} {phrase}  disclosures={risky[phrase]}")
            for text in safe[phrase][:5]:
                print(f"      {text}")
    return 1 if any(safe[p] for p in new) else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), "-v" in sys.argv))
