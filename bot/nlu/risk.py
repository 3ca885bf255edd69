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
4. The learned model (a binary risk-vs-none model for P(risk), and on the risk
   examples alone a category and a level model) can RAISE the result, to catch
   indirect disclosures the lists miss; it never lowers a lexicon hit by
   itself. It reads the whole message and each clause of it, so that a
   question's words do not dilute a disclosure in its second sentence.

Evidence names what fired ("lexicon:tr:domestic_violence:high:kocam ... döv*",
"model:child_marriage:0.82"), never the user's words beyond a list phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.nlu.base import NO_RISK, Risk, RiskLevel
from bot.nlu.linear import CompiledLinear
from bot.nlu.normalise import fold
from bot.nlu.risk_lexicon import (
    Match,
    NegationCues,
    Pattern,
    PhraseIndex,
    collisions,
    compile_phrase,
    tokenize,
)
from bot.nlu.training_data import TrainingData

NONE = "none"
MAX_EVIDENCE = 20  # distinct items; a long message repeating a phrase names it once
# model windows: characters per window and step, so long texts cost bounded work each
WINDOW = 400
STEP = 300
# clause boundaries: sentence and clause punctuation in our four scripts
_CLAUSE = re.compile(r"[.!?;,\n\u060c\u061b\u061f\u06d4]+")
MIN_CLAUSE_WORDS = 3


@dataclass(frozen=True)
class RiskThresholds:
    """When the model alone raises the level (calibrated probabilities)."""

    # P(risk) is the binary risk-vs-none model's; `serious` is P(high or imminent | risk).
    # Chosen on the held-out split, recall first (bench/results.md has the trade-off).
    medium: float = 0.3  # P(risk) for medium: a worry that opens a case for follow-up
    high: float = 0.45  # P(risk) for high, with P(high or imminent | risk) >= `serious`
    serious: float = 0.1
    # a message of this many words or fewer ("ok", "see you") needs `short_sure`
    # for the model alone to make it high: short texts give char n-grams little to go on
    short_words: int = 3
    short_sure: float = 0.9
    short_medium: float = 0.6
    imminent: float = 0.5  # ... and P(imminent) above this for imminent
    keep_dropped: float = 0.8  # P(risk) that overrules a hard negative or clear negation


@dataclass(frozen=True)
class ModelView:
    """What the model makes of a message (its most worrying window)."""

    category: str
    p_risk: float  # 1 - P(none)
    p_serious: float  # P(high) + P(imminent)
    p_imminent: float


NO_VIEW = ModelView(NONE, 0.0, 0.0, 0.0)


class RiskModel:
    """Three linear classifiers on one TF-IDF feature space (char_wb 2-5 + word 1-2 grams).

    * risk: binary, some risk against none, over every example (the intent
      examples count as none): P(risk);
    * category: over the risk examples only, which kind of risk it would be;
    * level: over the risk examples only, P(high or imminent | risk) and
      P(imminent | risk).

    The binary model separates risk from none without the noise a
    many-class model with balanced class weights adds to P(none).
    """

    def __init__(self, c_risk: float = 10.0, balanced: bool = True, c_kind: float = 10.0) -> None:
        self.c_risk = c_risk
        self.balanced = balanced
        self.c_kind = c_kind
        self._risk: CompiledLinear | None = None
        self._category: CompiledLinear | None = None
        self._level: CompiledLinear | None = None

    def fit(self, texts: Sequence[str], categories: Sequence[str], levels: Sequence[str]) -> None:
        folded = [fold(t) for t in texts]
        risky = [i for i, c in enumerate(categories) if c != NONE]
        if len(set(categories)) < 3 or len(set(levels)) < 3 or len(risky) == len(texts):
            raise ValueError("the risk model needs 'none' and two risk categories and levels")
        features = _features().fit(folded)
        matrix = features.transform(folded)
        is_risk = ["risk" if c != NONE else NONE for c in categories]
        risk = LogisticRegression(
            C=self.c_risk, max_iter=1000, class_weight="balanced" if self.balanced else None
        ).fit(matrix, is_risk)
        kind_rows = matrix[risky]
        category = LogisticRegression(C=self.c_kind, max_iter=1000, class_weight="balanced").fit(
            kind_rows, [categories[i] for i in risky]
        )
        level = LogisticRegression(C=self.c_kind, max_iter=1000, class_weight="balanced").fit(
            kind_rows, [levels[i] for i in risky]
        )
        self._risk = CompiledLinear(Pipeline([("features", features), ("model", risk)]))
        self._category = CompiledLinear(Pipeline([("features", features), ("model", category)]))
        self._level = CompiledLinear(Pipeline([("features", features), ("model", level)]))

    def predict(self, windows: Sequence[str]) -> ModelView:
        """The window with the highest P(risk) speaks for the message."""
        if self._risk is None or self._category is None or self._level is None or not windows:
            return NO_VIEW
        best: ModelView = NO_VIEW
        risk_column = self._risk.classes.index("risk")
        for window in windows:
            columns, values = self._risk.features(fold(window))
            p_risk = float(self._risk.proba(columns, values)[risk_column])
            if best is not NO_VIEW and p_risk <= best.p_risk:
                continue
            kinds = self._category.proba(columns, values)
            category = self._category.classes[int(np.argmax(kinds))]
            levels = dict(zip(self._level.classes, self._level.proba(columns, values), strict=True))
            p_imminent = float(levels.get("imminent", 0.0))
            p_serious = p_imminent + float(levels.get("high", 0.0))
            best = ModelView(category, p_risk, p_serious, p_imminent)
        return best

    def level(self, view: ModelView, t: RiskThresholds) -> RiskLevel:
        """The level the model alone gives a message."""
        if view.category == NONE:
            return RiskLevel.NONE
        if view.p_risk >= t.high and view.p_serious >= t.serious:
            if view.p_imminent >= t.imminent:
                return RiskLevel.IMMINENT
            return RiskLevel.HIGH
        if view.p_risk >= t.medium:
            return RiskLevel.MEDIUM
        return RiskLevel.NONE


def _features() -> FeatureUnion:
    def block(analyzer: str, ngrams: tuple[int, int]) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=ngrams,
            sublinear_tf=True,
            lowercase=False,
            dtype=np.float32,
        )

    return FeatureUnion([("chars", block("char_wb", (2, 5))), ("words", block("word", (1, 2)))])


class RiskDetector:
    """Lexicon + model; build once from the training data, then :meth:`assess` messages."""

    def __init__(
        self, data: TrainingData, model: RiskModel | None, thresholds: RiskThresholds | None = None
    ) -> None:
        self._thresholds = thresholds or RiskThresholds()
        self._model = model
        spellings = collisions(e.text for e in data.examples)
        patterns = [
            compile_phrase(p.pattern, p.language, p.category, p.level, spellings)
            for p in data.risk.phrases
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
        tokens, spelled = tokenize(text)
        if not tokens:
            return NO_RISK
        level, category, evidence = self._lexicon(tokens, spelled)
        if self._model is None:
            return Risk(level, category if level else None, tuple(dict.fromkeys(evidence)))
        if not any(ch.isalpha() for token in tokens for ch in token):
            # numbers, emoji, symbols: nothing for the model to read
            return Risk(level, category if level else None, tuple(dict.fromkeys(evidence)))
        view = self._model.predict(_windows(text))
        t = self._thresholds
        model_level = self._model.level(view, t)
        if len(tokens) <= t.short_words and view.p_risk < t.short_sure:
            # too short to be sure: at most a worry, and only from a clear model signal
            short_cap = RiskLevel.MEDIUM if view.p_risk >= t.short_medium else RiskLevel.NONE
            model_level = min(model_level, short_cap)
        dropped = [e for e in evidence if e.startswith(("hard_negative:", "negated:"))]
        if dropped and level == RiskLevel.NONE:
            # a hard negative or a clear negation removed the lexicon hit: the model
            # must be sure to put it back, and then only as a worry (medium)
            if view.p_risk < t.keep_dropped:
                model_level = RiskLevel.NONE
            else:
                model_level = min(model_level, RiskLevel.MEDIUM)
        if model_level > level:
            level, category = model_level, view.category
            evidence.append(f"model:{view.category}:{view.p_risk:.2f}")
        elif level and view.category == category and view.p_risk >= t.medium:
            evidence.append(f"model:{view.category}:{view.p_risk:.2f}")
        unique = tuple(dict.fromkeys(evidence))[:MAX_EVIDENCE]
        if level == RiskLevel.NONE:
            return Risk(RiskLevel.NONE, None, unique)
        return Risk(level, category, unique)

    def _lexicon(
        self, tokens: list[str], spelled: list[str] | None = None
    ) -> tuple[RiskLevel, str | None, list[str]]:
        evidence: list[str] = []
        hard_spans: list[tuple[int, int, Pattern]] = [
            (m.start, m.end, m.pattern) for m in self._hard_negatives.find(tokens)
        ]
        best: tuple[RiskLevel, str | None] = (RiskLevel.NONE, None)
        for match in self._phrases.find(tokens, spelled):
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
    """The message in overlapping windows (one for a short message), and its clauses.

    A question with a disclosure in its second sentence ("I need a lawyer. Also
    I think of ending my life") is read clause by clause too, so that the
    question's words do not dilute the disclosure's.
    """
    if len(text) <= WINDOW:
        windows = [text]
    else:
        windows = [text[i : i + WINDOW] for i in range(0, max(1, len(text) - WINDOW + STEP), STEP)]
    clauses = [c.strip() for c in _CLAUSE.split(text[: WINDOW * 2])]
    clauses = [c for c in clauses if len(c.split()) >= MIN_CLAUSE_WORDS]
    if len(clauses) > 1:
        windows.extend(clauses)
    return windows


def train_risk_model(
    data: TrainingData, include_intent_examples: bool = True, include_phrases: bool = False
) -> RiskModel | None:
    """Fit the model on the risk examples (and, as safe messages, the intent examples)."""
    texts = [e.text for e in data.risk_examples]
    categories = [e.category for e in data.risk_examples]
    levels = [e.level.label for e in data.risk_examples]
    if include_phrases:
        # the reviewed phrases are short disclosures: they teach the model their words
        for phrase in data.risk.phrases:
            words = [w.rstrip("*") for w in phrase.pattern.split() if w not in ("...", "…")]
            texts.append(" ".join(words))
            categories.append(phrase.category)
            levels.append(phrase.level.label)
    if include_intent_examples:
        for example in data.examples:
            texts.append(example.text)
            categories.append(NONE)
            levels.append("none")
    if len(set(categories)) < 3 or len(set(levels)) < 3 or NONE not in categories:
        return None  # too little labelled data for a model: the lists work alone
    model = RiskModel()
    model.fit(texts, categories, levels)
    return model
