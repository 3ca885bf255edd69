"""Check changes to the risk lists (phrases, frames, hard negatives) against the training data.

A phrase a reviewer adds must not fire on risk-free messages, and a frame or
a narrowed phrase must not set aside a disclosure. This compares the lists of
``nlu/`` with an earlier copy (``git archive main nlu | tar -x -C /tmp/old``):

* for every new phrase, the safe training messages (intent examples and
  ``category: none`` risk examples) where it still counts as a ``lexicon:``
  hit after negation, frames and hard negatives, and how many labelled
  disclosures it hits;
* how many safe training messages the old lists put at high/imminent and the
  new ones no longer do (false alarms removed), and the reverse;
* every high/imminent labelled disclosure whose lexicon level drops, or that
  falls below high, under the new lists: each one is a missed disclosure to
  fix before landing (the exit code is 1 when there is one).

    PYTHONPATH=. python bench/risk_phrase_check.py /tmp/old/nlu [-v]

It reads the lists alone (no model) and never a test or blind set.
Out-of-fold threshold choice: ``helpline nlu tune-risk``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from bot.nlu import training_data
from bot.nlu.base import RiskLevel
from bot.nlu.risk import RiskDetector
from bot.nlu.risk_data import RiskPhrase
from bot.nlu.risk_lexicon import phrase_name


def _name(p: RiskPhrase) -> str:
    return phrase_name(p.language, p.category, p.level, p.pattern)


def main(old_dir: Path, verbose: bool) -> int:
    old = training_data.load(old_dir)
    data = training_data.load(Path("nlu"))
    known = {_name(p) for p in old.risk.phrases}
    # a phrase moved to a lower level ("kadın sığınma*" high -> medium) is not new
    levels = {(p.language, p.category, p.pattern): p.level for p in old.risk.phrases}
    lowered = [
        _name(p)
        for p in data.risk.phrases
        if _name(p) not in known and levels.get((p.language, p.category, p.pattern), 0) > p.level
    ]
    new = [_name(p) for p in data.risk.phrases if _name(p) not in known and _name(p) not in lowered]
    wanted = set(new)
    detector, before = RiskDetector(data, None), RiskDetector(old, None)
    safe: dict[str, list[str]] = defaultdict(list)
    risky: dict[str, int] = defaultdict(int)
    raised = 0
    quietened: list[str] = []  # safe: high+ from the old lists, below high now
    alarmed: list[str] = []  # safe: below high from the old lists, high+ now
    lost: list[str] = []  # high/imminent disclosures whose lexicon level dropped
    messages = [(e.text, "none", RiskLevel.NONE) for e in data.examples]
    messages += [(e.text, e.category, e.level) for e in data.risk_examples]
    for text, category, level in messages:
        reading = detector.read(text)
        if reading is None:
            continue
        earlier = before.read(text)
        was = earlier.level if earlier is not None else RiskLevel.NONE
        for item in reading.evidence:
            if item.startswith("lexicon:") and item[8:] in wanted:
                if category == "none":
                    safe[item[8:]].append(text)
                else:
                    risky[item[8:]] += 1
        if category == "none":
            if was >= RiskLevel.HIGH > reading.level:
                quietened.append(f"{was.label}->{reading.level.label}: {text}")
            elif reading.level >= RiskLevel.HIGH > was:
                alarmed.append(f"{reading.level.label}: {text}")
        elif level >= RiskLevel.HIGH:
            if reading.level >= RiskLevel.HIGH > was:
                raised += 1
            if reading.level < was:
                lost.append(f"{level.label} {was.label}->{reading.level.label}: {text}")
    print(
        f"{len(new)} new phrases, {sum(1 for p in new if safe[p])} hit safe messages; "
        f"{raised} high/imminent disclosures now high+ from the lists"
    )
    if lowered:
        print(f"{len(lowered)} phrases moved to a lower level: {', '.join(lowered)}")
    print(
        f"safe training messages no longer high+ from the lists: {len(quietened)}; "
        f"newly high+: {len(alarmed)}; "
        f"high/imminent disclosures whose lexicon level dropped: {len(lost)}"
    )
    for phrase in new:
        if safe[phrase] or verbose:
            print(f"{'SAFE' if safe[phrase] else 'ok  '} {phrase}  disclosures={risky[phrase]}")
            for text in safe[phrase][:5]:
                print(f"      {text}")
    for label, items in (("QUIET", quietened), ("ALARM", alarmed), ("LOST", lost)):
        for text in items if verbose or label != "QUIET" else []:
            print(f"{label} {text}")
    return 1 if lost or any(safe[p] for p in new) else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), "-v" in sys.argv))
