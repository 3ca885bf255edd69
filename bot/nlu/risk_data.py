"""The helpline's own risk data: phrase lists, frames and labelled risk examples.

Formats in nlu/README.md: `risk/<lang>.yml` (categories -> levels -> phrases,
negation cues, hard negatives, homographs), `risk/frames-<lang>.yml` (frames and
the words that undo a resolution) and `risk/examples/*.yml` (labelled messages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.nlu.base import LANGUAGES, RISK_CATEGORIES, RiskLevel
from bot.nlu.normalise import fold
from bot.nlu.yaml_data import (
    example_lines,
    language_from_name,
    level_named,
    strings,
    strip_annotations,
)


@dataclass(frozen=True)
class RiskPhrase:
    language: str
    category: str
    level: RiskLevel
    pattern: str


@dataclass(frozen=True)
class RiskExample:
    text: str
    category: str  # "none" for hard negatives and safe messages
    level: RiskLevel
    language: str | None


@dataclass
class RiskLexicon:
    phrases: list[RiskPhrase] = field(default_factory=list)
    negations: dict[str, list[str]] = field(default_factory=dict)
    hard_negatives: dict[str, list[str]] = field(default_factory=dict)
    # language -> folded words that are another common word once the letters are gone
    homographs: dict[str, list[str]] = field(default_factory=dict)
    # language -> (frame kind, phrase): a clause that asks about a topic, tells news or
    # fiction, reassures, or names a thing (not a person) lost or hurt; a question about
    # an emergency service ("service"); a resolution of one category's past event
    # ("resolved:missing_child": "we found him")
    frames: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # language -> words that, touching a resolution, undo it ("still", a thing found
    # instead of the child, a harm): frames-*.yml's `unresolved`
    unresolved: dict[str, list[str]] = field(default_factory=dict)
    # language -> (who, phrase): words naming a "partner" (a husband, a co-wife, an in-law)
    # or a "child"; a child-abuse phrase in a message that names a partner and no child
    # is violence at home against the writer ("beni sopayla dövüyor")
    people: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # when the model alone raises the level (risk/thresholds.yml, see bot/nlu/risk_tuning.py)
    thresholds: dict[str, float] = field(default_factory=dict)


PEOPLE = ("partner", "child")


def load_risk_lexicon(content: dict[str, Any], path: Path, lexicon: RiskLexicon) -> None:
    language = str(content.get("language") or language_from_name(path) or "")
    if language not in LANGUAGES:
        raise ValueError(f"risk list needs 'language' (one of {', '.join(LANGUAGES)})")
    lexicon.negations.setdefault(language, []).extend(
        strings(content.get("negations"), "negations")
    )
    lexicon.hard_negatives.setdefault(language, []).extend(
        strings(content.get("hard_negatives"), "hard_negatives")
    )
    lexicon.homographs.setdefault(language, []).extend(
        fold(word) for word in strings(content.get("homographs"), "homographs")
    )
    people = content.get("people") or {}
    if not isinstance(people, dict) or set(people) - set(PEOPLE):
        raise ValueError(f"'people' must map {' / '.join(PEOPLE)} to phrases")
    for who, phrases in people.items():
        for phrase in strings(phrases, f"people.{who}"):
            lexicon.people.setdefault(language, []).append((str(who), phrase))
    categories = content["categories"]
    if not isinstance(categories, dict):
        raise ValueError("'categories' must map category -> level -> phrases")
    for category, levels in categories.items():
        if category not in RISK_CATEGORIES:
            raise ValueError(f"unknown risk category {category!r}")
        if not isinstance(levels, dict):
            raise ValueError(f"category {category}: expected levels imminent/high/medium")
        for level_name, phrases in levels.items():
            level = level_named(str(level_name), f"category {category}")
            for phrase in strings(phrases, f"{category}.{level_name}"):
                lexicon.phrases.append(RiskPhrase(language, category, level, phrase))


FRAME_KINDS = (
    "topic",
    "general",
    "media",
    "reassurance",
    "past",
    "object",
    "service",
    "resolved",
    "idiom",
)


def load_frames(content: dict[str, Any], path: Path, lexicon: RiskLexicon) -> None:
    language = str(content.get("language") or language_from_name(path) or "")
    if language not in LANGUAGES:
        raise ValueError(f"frames need 'language' (one of {', '.join(LANGUAGES)})")
    frames = content["frames"]
    if not isinstance(frames, dict):
        raise ValueError("'frames' must map a kind to phrases")
    for kind, phrases in frames.items():
        if kind not in FRAME_KINDS:
            raise ValueError(f"unknown frame kind {kind!r} (one of {', '.join(FRAME_KINDS)})")
        if kind == "resolved":
            # a resolution resolves one category's hits: "resolved:missing_child"
            if not isinstance(phrases, dict):
                raise ValueError("'frames.resolved' must map a risk category to phrases")
            for category, resolutions in phrases.items():
                if category not in RISK_CATEGORIES:
                    raise ValueError(f"frames.resolved: unknown risk category {category!r}")
                for phrase in strings(resolutions, f"frames.resolved.{category}"):
                    lexicon.frames.setdefault(language, []).append((f"resolved:{category}", phrase))
            continue
        for phrase in strings(phrases, f"frames.{kind}"):
            lexicon.frames.setdefault(language, []).append((str(kind), phrase))
    lexicon.unresolved.setdefault(language, []).extend(
        strings(content.get("unresolved"), "unresolved")
    )


def read_risk_examples(items: Any, language: str | None) -> list[RiskExample]:
    """The labelled messages of a `risk_examples:` list."""
    out: list[RiskExample] = []
    if not isinstance(items, list):
        raise ValueError("'risk_examples' must be a list of {category, level, examples}")
    for item in items:
        if not isinstance(item, dict) or "category" not in item:
            raise ValueError(f"risk example group without 'category': {item!r}")
        category = str(item["category"])
        if category != "none" and category not in RISK_CATEGORIES:
            raise ValueError(f"unknown risk category {category!r}")
        level = level_named(str(item.get("level", "none")), f"category {category}")
        if (category == "none") != (level == RiskLevel.NONE):
            raise ValueError(f"category {category!r} with level {level.label!r}")
        for line in example_lines(item.get("examples"), f"risk examples {category}"):
            text, _ = strip_annotations(line)
            out.append(RiskExample(text, category, level, language))
    return out
