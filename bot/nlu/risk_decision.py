"""How a message's reading becomes its risk: the thresholds, and the lists and model combined.

The lists (bot/nlu/risk.py) read a message first; the learned model may raise
the level they give, within the thresholds chosen out of fold
(bot/nlu/risk_tuning.py, nlu/risk/thresholds.yml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.nlu.base import Risk, RiskLevel
from bot.nlu.risk_model import NONE, ModelView

MAX_EVIDENCE = 20  # distinct items; a long message repeating a phrase names it once


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


def thresholds_from(values: dict[str, float]) -> RiskThresholds:
    """Thresholds from `risk/thresholds.yml`'s mapping; an unknown name is an error."""
    defaults = RiskThresholds()
    unknown = set(values) - set(defaults.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown risk thresholds: {', '.join(sorted(unknown))}")
    typed = {name: type(getattr(defaults, name))(value) for name, value in values.items()}
    return replace(defaults, **typed)


@dataclass(frozen=True)
class ListHit:
    """A reviewed phrase that counted, at the level it counted for (a nearby negation lowers it)."""

    name: str  # the evidence after "lexicon:", e.g. "tr:domestic_violence:high:kocam ... döv*"
    level: RiskLevel
    category: str


# Harm someone does: when such a phrase and a medical one hit the same message ("he beat
# me, my face is black and blue"), the case is filed under the harm, as a caseworker acts
# on the person doing it first; the level stays the highest hit's.
CAUSES = ("domestic_violence", "child_abuse", "child_labour", "trafficking_exploitation")
MEDICAL = "medical_emergency"


def strongest(hits: Sequence[ListHit], adults_only: bool = False) -> tuple[RiskLevel, str | None]:
    """The level of the highest hit and its category (the first of equals), or none.

    A medical emergency beside a harm someone does takes the harm's category (`CAUSES`);
    violence at home that also hurts a child is child abuse, as child protection acts first,
    unless more of the phrases at that level tell of violence against the writer ("my husband
    beat me with a stick": two of violence, one of a stick). Out of fold 65 of 94
    two-category disclosures right, from 59. In a message that names a partner or an in-law
    and no child (*adults_only*), a child-abuse phrase ("sopayla döv*", "with a belt") tells
    of violence at home against the writer.
    """
    top = max(hits, key=lambda h: h.level, default=None)
    if top is None:
        return RiskLevel.NONE, None
    if adults_only and top.category in ("child_abuse", "domestic_violence"):
        return top.level, "domestic_violence"
    if top.category == "domestic_violence":
        at_top = [h.category for h in hits if h.level == top.level]
        if 0 < at_top.count("child_abuse") >= at_top.count("domestic_violence"):
            return top.level, "child_abuse"
    if top.category == MEDICAL:
        cause = max((h for h in hits if h.category in CAUSES), key=lambda h: h.level, default=None)
        if cause is not None:
            return top.level, cause.category
    return top.level, top.category


@dataclass(frozen=True)
class Reading:
    """The lexicon's verdict and the model's view of one message, before thresholds."""

    level: RiskLevel
    category: str | None
    evidence: tuple[str, ...]
    view: ModelView | None  # None: no model, or nothing for it to read
    words: int
    # every clause is framed (a question about a topic, news, reassurance...): the
    # model had to read those clauses, so alone it may only ask (medium)
    framed: bool = False
    hits: tuple[ListHit, ...] = ()  # the phrases behind `level`, one per "lexicon:" evidence
    adults_only: bool = False  # names a partner or an in-law, and no child (see `strongest`)


# evidence that the lists set a hit aside (or lowered it)
SET_ASIDE = ("hard_negative:", "negated:", "frame:", "framed_imminent:", "adult_age:")


def combine(reading: Reading, t: RiskThresholds) -> Risk:
    """The risk of a message from its reading: the lists first, the model may raise."""
    level, category, evidence = reading.level, reading.category, list(reading.evidence)
    view = reading.view
    if view is None:
        return Risk(level, category if level else None, tuple(dict.fromkeys(evidence)))
    model_level = model_level_of(view, t)
    if reading.words <= t.short_words and view.p_risk < t.short_sure:
        # too short to be sure: at most a worry, and only from a clear model signal
        short_cap = RiskLevel.MEDIUM if view.p_risk >= t.short_medium else RiskLevel.NONE
        model_level = min(model_level, short_cap)
    dropped = reading.framed or any(e.startswith(SET_ASIDE) for e in evidence)
    lowered = any(e.startswith("framed_imminent:") for e in evidence)
    if dropped and (level == RiskLevel.NONE or lowered):
        # a hard negative, a frame or a clear negation removed (or lowered) the lexicon
        # hit: the model must be sure to put it back, and then only as a worry (medium)
        if view.p_risk < t.keep_dropped:
            model_level = RiskLevel.NONE
        else:
            model_level = min(model_level, RiskLevel.MEDIUM)
    if model_level > level:
        # the model may raise the level; a reviewed phrase's category stands ("my husband is
        # held" is detention, though the model reads "husband" as violence): out of fold,
        # category accuracy 0.871 -> 0.893 (bench/results.md)
        level, category = model_level, category or view.category
        if reading.adults_only and category == "child_abuse":
            category = "domestic_violence"
        evidence.append(f"model:{view.category}:{view.p_risk:.2f}")
    elif level and view.category == category and view.p_risk >= t.medium:
        evidence.append(f"model:{view.category}:{view.p_risk:.2f}")
    unique = tuple(dict.fromkeys(evidence))[:MAX_EVIDENCE]
    if level == RiskLevel.NONE:
        return Risk(RiskLevel.NONE, None, unique)
    unsure = level == RiskLevel.MEDIUM and not any(e.startswith("lexicon:") for e in unique)
    return Risk(level, category, unique, unsure=unsure)


def model_level_of(view: ModelView, t: RiskThresholds) -> RiskLevel:
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
