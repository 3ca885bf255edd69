"""Read the training data in `nlu/` (formats in nlu/README.md).

Intent examples, synonyms and lookup tables are Rasa 3 YAML (files with a
top-level ``nlu:`` key); the language of an example is its folder
(``nlu/<lang>/...``). Risk phrase lists (``risk/<lang>.yml``, ``risk/extra-<lang>.yml``)
and labelled risk examples (``risk/examples/<lang>.yml``) are the helpline's
own format. Anything malformed raises :class:`TrainingDataError` naming the
file and the problem: bad data must fail training, not train a worse model.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.base import LANGUAGES, RISK_CATEGORIES, RiskLevel, split_intent_key, valid_intent_key
from bot.nlu.normalise import fold

# [written words](entity), [words](entity:value) or [words]{"entity": ..., "value": ...}
_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]*\}))")
_LANGUAGE_IN_NAME = re.compile(r"(?:^|[-_])(tr|ar|en|fa)$")


class TrainingDataError(ValueError):
    """The training data is malformed; the message names the file."""


@dataclass(frozen=True)
class Annotation:
    entity: str
    value: str
    text: str


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str | None
    entities: tuple[Annotation, ...] = ()
    # Rasa's retrieval intent "faq_registration/travel_permit": intent + topic
    topic: str | None = None
    # False for files whose topics nobody labelled (UNTOPICAL_FILES): the topic head
    # must not learn "no topic" from a question that has one
    topic_labelled: bool = True


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
    # when the model alone raises the level (risk/thresholds.yml, see bot/nlu/risk_tuning.py)
    thresholds: dict[str, float] = field(default_factory=dict)


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # value -> written forms
    lookups: dict[str, list[str]] = field(default_factory=dict)  # table -> entries
    risk: RiskLexicon = field(default_factory=RiskLexicon)
    risk_examples: list[RiskExample] = field(default_factory=list)

    def intent_texts_beyond_risk(self) -> list[str]:
        """The intent examples' texts that are not also risk examples, for the risk model.

        A risk-free risk example may be an intent example too (nlu/<lang>/risk_free.yml
        gives the hard negatives their intents): the risk model reads it once, as the
        risk example it is.
        """
        known = {e.text for e in self.risk_examples}
        return [e.text for e in self.examples if e.text not in known]


def strip_annotations(text: str) -> tuple[str, tuple[Annotation, ...]]:
    """``"a [lawyer](service_category)"`` → ``("a lawyer", (Annotation(...),))``."""
    annotations: list[Annotation] = []

    def replace(match: re.Match[str]) -> str:
        written = match.group("text")
        if match.group("short") is not None:
            entity, _, value = match.group("short").partition(":")
        else:
            try:
                spec = json.loads(match.group("json"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"bad entity annotation {match.group(0)!r}: {exc}") from exc
            if not isinstance(spec, dict) or "entity" not in spec:
                raise ValueError(f"entity annotation without 'entity': {match.group(0)!r}")
            entity, value = str(spec["entity"]), str(spec.get("value", ""))
        annotations.append(Annotation(entity.strip(), value.strip() or written, written))
        return written

    return _ANNOTATION.sub(replace, text), tuple(annotations)


def load(data_dir: Path) -> TrainingData:
    """Everything under *data_dir*: Rasa NLU files, risk lists, risk examples."""
    if not data_dir.is_dir():
        raise TrainingDataError(f"{data_dir}: NLU data directory not found")
    data = TrainingData()
    for path in _yaml_files(data_dir):
        content = _read_yaml(path)
        if not isinstance(content, dict):
            if content is None:
                continue
            raise TrainingDataError(f"{path}: expected a mapping at the top level")
        try:
            if "nlu" in content:
                labelled = path.name not in UNTOPICAL_FILES
                _load_rasa(content["nlu"], _language_of(path, data_dir), data, labelled)
            elif "risk_examples" in content:
                _load_risk_examples(content["risk_examples"], _language_from_name(path), data)
            elif "categories" in content:
                _load_risk_lexicon(content, path, data.risk)
            elif "frames" in content:
                _load_frames(content, path, data.risk)
            elif "thresholds" in content:
                data.risk.thresholds.update(_numbers(content["thresholds"], "thresholds"))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise TrainingDataError(f"{path}: {exc}") from exc
    return data


def fingerprint(data_dir: Path) -> str:
    """A digest of every YAML file under *data_dir* (names and bytes)."""
    digest = hashlib.sha256()
    for path in _yaml_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _yaml_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise TrainingDataError(f"{path}: not UTF-8: {exc}") from exc
    except yaml.YAMLError as exc:
        raise TrainingDataError(f"{path}: not valid YAML: {exc}") from exc


def _language_of(path: Path, data_dir: Path) -> str | None:
    parts = path.relative_to(data_dir).parts
    if len(parts) > 1 and parts[0] in LANGUAGES:
        return parts[0]
    return None


def _language_from_name(path: Path) -> str | None:
    match = _LANGUAGE_IN_NAME.search(path.stem)
    return match.group(1) if match else None


def _example_lines(block: Any, where: str) -> Iterator[str]:
    """Rasa's ``examples: |`` block (``- text`` lines) or a list of strings/``{text: ...}``."""
    if isinstance(block, str):
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("-"):
                raise ValueError(f"{where}: example line does not start with '- ': {line[:60]!r}")
            text = line[1:].strip()
            if text:
                yield text
    elif isinstance(block, list):
        for item in block:
            value: Any = item.get("text") if isinstance(item, dict) else item
            if not isinstance(value, str):
                raise ValueError(f"{where}: example is not text: {item!r}")
            if value.strip():
                yield value.strip()
    elif block is not None:
        raise ValueError(f"{where}: 'examples' must be a '|' block or a list")


# intent files labelled with intents only: nlu/<lang>/risk_free.yml gives the hard
# negatives their intents, not their topics
UNTOPICAL_FILES = frozenset({"risk_free.yml"})


def _load_rasa(
    items: Any, language: str | None, data: TrainingData, topics_labelled: bool = True
) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        raise ValueError("'nlu' must be a list of intent/synonym/lookup/regex items")
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"'nlu' item is not a mapping: {item!r}")
        if "intent" in item:
            key = str(item["intent"])
            if not valid_intent_key(key):
                raise ValueError(
                    f"unknown intent {key!r} (CONTRACT.md section 2 lists them; "
                    "a topic is written intent/topic_name)"
                )
            intent, topic = split_intent_key(key)
            for line in _example_lines(item.get("examples"), f"intent {key}"):
                text, entities = strip_annotations(line)
                data.examples.append(
                    Example(text, intent, language, entities, topic, topics_labelled)
                )
                for ann in entities:
                    if ann.value != ann.text:
                        data.synonyms.setdefault(ann.value, []).append(ann.text)
        elif "synonym" in item:
            value = str(item["synonym"])
            forms = list(_example_lines(item.get("examples"), f"synonym {value}"))
            data.synonyms.setdefault(value, []).extend(forms)
        elif "lookup" in item:
            table = str(item["lookup"])
            entries = list(_example_lines(item.get("examples"), f"lookup {table}"))
            data.lookups.setdefault(table, []).extend(entries)
        elif "regex" in item:
            continue  # Rasa's RegexFeaturizer uses them; the embedded NLU does not
        else:
            raise ValueError(f"'nlu' item has none of intent/synonym/lookup/regex: {item!r}")


def _load_risk_lexicon(content: dict[str, Any], path: Path, lexicon: RiskLexicon) -> None:
    language = str(content.get("language") or _language_from_name(path) or "")
    if language not in LANGUAGES:
        raise ValueError(f"risk list needs 'language' (one of {', '.join(LANGUAGES)})")
    lexicon.negations.setdefault(language, []).extend(
        _strings(content.get("negations"), "negations")
    )
    lexicon.hard_negatives.setdefault(language, []).extend(
        _strings(content.get("hard_negatives"), "hard_negatives")
    )
    lexicon.homographs.setdefault(language, []).extend(
        fold(word) for word in _strings(content.get("homographs"), "homographs")
    )
    categories = content["categories"]
    if not isinstance(categories, dict):
        raise ValueError("'categories' must map category -> level -> phrases")
    for category, levels in categories.items():
        if category not in RISK_CATEGORIES:
            raise ValueError(f"unknown risk category {category!r}")
        if not isinstance(levels, dict):
            raise ValueError(f"category {category}: expected levels imminent/high/medium")
        for level_name, phrases in levels.items():
            level = _level(str(level_name), f"category {category}")
            for phrase in _strings(phrases, f"{category}.{level_name}"):
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
)


def _load_frames(content: dict[str, Any], path: Path, lexicon: RiskLexicon) -> None:
    language = str(content.get("language") or _language_from_name(path) or "")
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
                for phrase in _strings(resolutions, f"frames.resolved.{category}"):
                    lexicon.frames.setdefault(language, []).append((f"resolved:{category}", phrase))
            continue
        for phrase in _strings(phrases, f"frames.{kind}"):
            lexicon.frames.setdefault(language, []).append((str(kind), phrase))
    lexicon.unresolved.setdefault(language, []).extend(
        _strings(content.get("unresolved"), "unresolved")
    )


def _load_risk_examples(items: Any, language: str | None, data: TrainingData) -> None:
    if not isinstance(items, list):
        raise ValueError("'risk_examples' must be a list of {category, level, examples}")
    for item in items:
        if not isinstance(item, dict) or "category" not in item:
            raise ValueError(f"risk example group without 'category': {item!r}")
        category = str(item["category"])
        if category != "none" and category not in RISK_CATEGORIES:
            raise ValueError(f"unknown risk category {category!r}")
        level = _level(str(item.get("level", "none")), f"category {category}")
        if (category == "none") != (level == RiskLevel.NONE):
            raise ValueError(f"category {category!r} with level {level.label!r}")
        for line in _example_lines(item.get("examples"), f"risk examples {category}"):
            text, _ = strip_annotations(line)
            data.risk_examples.append(RiskExample(text, category, level, language))


def _level(name: str, where: str) -> RiskLevel:
    try:
        return RiskLevel.parse(name)
    except KeyError:
        raise ValueError(f"{where}: unknown level {name!r} (imminent/high/medium/none)") from None


def _numbers(value: Any, where: str) -> dict[str, float]:
    if not isinstance(value, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
    ):
        raise ValueError(f"'{where}' must map names to numbers")
    return {str(k): float(v) for k, v in value.items()}


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"'{where}' must be a list of phrases")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str | int | float):
            raise ValueError(f"'{where}': phrase is not text: {item!r}")
        if str(item).strip():
            out.append(str(item).strip())
    return out
