"""The risk detector: reviewed phrase lists plus a learned model, recall first.

It runs on every message, whatever the intent. How the parts combine:

1. Every language's phrase list is matched (people switch languages
   mid-message; a Turkish phrase in an Arabic-labelled message still counts).
2. A *clearly* negated phrase ("my husband does not hit me", "kocam beni
   dövmüyor") is dropped; a negation cue merely nearby lowers it one level.
3. A hard negative ("what does the parenting course say about violence")
   lowers a medium/high hit that lies inside it to none, unless the model
   still sees a disclosure there. Imminent hits are never lowered by it, and
   hits outside the hard negative's words stay.
4. The learned model (char n-grams → category, and → level) can RAISE the
   result, to catch indirect disclosures the lists miss; it never lowers a
   lexicon hit by itself.

Evidence names what fired ("lexicon:tr:domestic_violence:high:kocam ... döv*",
"model:child_marriage:0.82"), never the user's words beyond a list phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.nlu.base import NO_RISK, Risk, RiskLevel
from bot.nlu.linear import CompiledLinear
from bot.nlu.normalise import fold
from bot.nlu.risk_lexicon import Match, NegationCues, Pattern, PhraseIndex, compile_phrase
from bot.nlu.training_data import TrainingData

NONE = "none"
# model windows: characters per window and step, so long texts cost bounded work each
WINDOW = 400
STEP = 300


@dataclass(frozen=True)
class RiskThresholds:
    """When the model alone raises the level (probabilities from the classifiers)."""

    medium: float = 0.45  # P(some risk) for medium
    high: float = 0.6  # P(some risk) for high, if the level model says high or imminent
    imminent: float = 0.75  # ... and P(imminent) above this for imminent
    keep_hard_negative: float = 0.7  # P(risk) that overrules a hard negative


class RiskModel:
    """Char n-gram linear classifiers: category (incl. none) and level."""

    def __init__(self) -> None:
        self._category: CompiledLinear | None = None
        self._level: CompiledLinear | None = None
        self._categories: tuple[str, ...] = ()
        self._levels: tuple[str, ...] = ()

    def fit(self, texts: Sequence[str], categories: Sequence[str], levels: Sequence[str]) -> None:
        folded = [fold(t) for t in texts]
        if len(set(categories)) < 3:
            raise ValueError("the risk model needs two risk categories and 'none'")
        self._category = CompiledLinear(_pipeline().fit(folded, list(categories)))
        self._categories = self._category.classes
        risky = [i for i, c in enumerate(categories) if c != NONE]
        risky_levels = {levels[i] for i in risky}
        if len(risky_levels) >= 3:
            pipeline = _pipeline().fit([folded[i] for i in risky], [levels[i] for i in risky])
            self._level = CompiledLinear(pipeline)
            self._levels = self._level.classes
        else:
            self._levels = tuple(sorted(risky_levels, key=RiskLevel.parse))[-1:]

    def predict(self, windows: Sequence[str]) -> tuple[str, float, str, float]:
        """Over all *windows* of a message: (category, P(category), level, P(imminent)).

        The window with the lowest P(none) speaks for the message.
        """
        if self._category is None or not windows:
            return NONE, 1.0, "none", 0.0
        folded = [fold(w) for w in windows]
        probabilities = np.array([self._category.predict_proba(w) for w in folded])
        none_column = self._categories.index(NONE) if NONE in self._categories else None
        if none_column is None:
            risk_share = np.ones(len(folded))
        else:
            risk_share = 1.0 - probabilities[:, none_column]
        best = int(np.argmax(risk_share))
        row = probabilities[best].copy()
        if none_column is not None:
            row[none_column] = -1.0
        column = int(np.argmax(row))
        category = self._categories[column]
        p_risk = float(risk_share[best])
        if self._level is not None:
            level_row = self._level.predict_proba(folded[best])
            levels = dict(zip(self._levels, (float(p) for p in level_row), strict=True))
            level = max(levels, key=lambda k: levels[k])
            p_imminent = levels.get("imminent", 0.0)
        else:
            level = self._levels[0] if self._levels else "high"
            p_imminent = 1.0 if level == "imminent" else 0.0
        return category, p_risk, level, p_imminent


def _pipeline() -> Pipeline:
    return Pipeline(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    lowercase=False,
                    dtype=np.float32,
                ),
            ),
            ("model", LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")),
        ]
    )


class RiskDetector:
    """Lexicon + model; build once from the training data, then :meth:`assess` messages."""

    def __init__(
        self, data: TrainingData, model: RiskModel | None, thresholds: RiskThresholds | None = None
    ) -> None:
        self._thresholds = thresholds or RiskThresholds()
        self._model = model
        patterns = [
            compile_phrase(p.pattern, p.language, p.category, p.level) for p in data.risk.phrases
        ]
        self._phrases = PhraseIndex(p for p in patterns if p is not None)
        hard = [
            compile_phrase(phrase, language)
            for language, phrases in data.risk.hard_negatives.items()
            for phrase in phrases
        ]
        self._hard_negatives = PhraseIndex(p for p in hard if p is not None)
        self._negations = {
            language: NegationCues(cues) for language, cues in data.risk.negations.items()
        }
        all_cues = [c for cues in data.risk.negations.values() for c in cues]
        self._any_negation = NegationCues(all_cues)

    def assess(self, text: str) -> Risk:
        tokens = fold(text).split()
        if not tokens:
            return NO_RISK
        level, category, evidence = self._lexicon(tokens)
        if self._model is None:
            return Risk(level, category, tuple(evidence)) if level else NO_RISK
        windows = _windows(text)
        m_category, p_risk, m_level, p_imminent = self._model.predict(windows)
        t = self._thresholds
        model_level = RiskLevel.NONE
        if m_category != NONE:
            if p_risk >= t.high and m_level in ("high", "imminent"):
                imminent = m_level == "imminent" and p_imminent >= t.imminent
                model_level = RiskLevel.IMMINENT if imminent else RiskLevel.HIGH
            elif p_risk >= t.medium:
                model_level = RiskLevel.MEDIUM
        dropped = [e for e in evidence if e.startswith(("hard_negative:", "negated:"))]
        if dropped and level == RiskLevel.NONE:
            # a hard negative or a clear negation removed the lexicon hit: the model
            # must be sure to put it back, and then only to what the lists said
            if p_risk < t.keep_hard_negative:
                model_level = RiskLevel.NONE
            else:
                model_level = min(model_level, RiskLevel.MEDIUM)
        if model_level > level:
            level, category = model_level, m_category
            evidence.append(f"model:{m_category}:{p_risk:.2f}")
        elif level and m_category == category and p_risk >= t.medium:
            evidence.append(f"model:{m_category}:{p_risk:.2f}")
        if level == RiskLevel.NONE:
            return Risk(RiskLevel.NONE, None, tuple(evidence))
        return Risk(level, category, tuple(evidence))

    def _lexicon(self, tokens: list[str]) -> tuple[RiskLevel, str | None, list[str]]:
        evidence: list[str] = []
        hard_spans: list[tuple[int, int, Pattern]] = [
            (m.start, m.end, m.pattern) for m in self._hard_negatives.find(tokens)
        ]
        best: tuple[RiskLevel, str | None] = (RiskLevel.NONE, None)
        for match in self._phrases.find(tokens):
            pattern = match.pattern
            level = pattern.level
            negation = self._negation(tokens, match)
            if negation is not None:
                cue, clear = negation
                if clear:
                    evidence.append(f"negated:{_name(pattern)}:{cue}")
                    continue
                level = max(RiskLevel.MEDIUM, RiskLevel(level - 1))
            if level < RiskLevel.IMMINENT:
                inside = next(
                    (h for h in hard_spans if h[0] <= match.start and match.end <= h[1]), None
                )
                if inside is not None:
                    evidence.append(f"hard_negative:{inside[2].language}:{inside[2].source}")
                    continue
            evidence.append(f"lexicon:{_name(pattern)}")
            if level > best[0]:
                best = (level, pattern.category)
        return best[0], best[1], evidence

    def _negation(self, tokens: list[str], match: Match) -> tuple[str, bool] | None:
        cues = self._negations.get(match.pattern.language, self._any_negation)
        return cues.negates(tokens, match)


def _name(pattern: Pattern) -> str:
    return f"{pattern.language}:{pattern.category}:{pattern.level.label}:{pattern.source}"


def _windows(text: str) -> list[str]:
    """The message in overlapping windows (one for a short message)."""
    if len(text) <= WINDOW:
        return [text]
    return [text[i : i + WINDOW] for i in range(0, max(1, len(text) - WINDOW + STEP), STEP)]


def train_risk_model(data: TrainingData, include_intent_examples: bool = True) -> RiskModel | None:
    """Fit the model on the risk examples (and, as safe messages, the intent examples)."""
    texts = [e.text for e in data.risk_examples]
    categories = [e.category for e in data.risk_examples]
    levels = [e.level.label for e in data.risk_examples]
    if include_intent_examples:
        for example in data.examples:
            texts.append(example.text)
            categories.append(NONE)
            levels.append("none")
    if len({c for c in categories if c != NONE}) < 2 or NONE not in categories:
        return None
    model = RiskModel()
    model.fit(texts, categories, levels)
    return model
