"""Flows: the conversation as content, loaded from `flows/*.yml` and checked at load.

A mistake in a flow file is reported with its file, line and what is wrong,
and the service refuses to start (see the header of `flows/main.yml` for the
format).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.cases import safe_contact
from bot.languages import LANGUAGE_CODE
from bot.nlu.base import SERVICE_CATEGORIES, split_intent_key, valid_intent_key

ACTIONS = (
    "say",
    "ask",
    "set_language",
    "set_slot",
    "services",
    "sessions",
    "handoff",
    "opt_out",
    "erase",
    "follow_up",
    "safety_answer",
    "safe_contact",
    "goto",
    "end",
)
PRIORITIES = ("imminent", "high", "medium")
# `sessions: parenting` lists upcoming parenting sessions; `children` the children's ones
# (bot/programmes/conversation.py).
SESSION_LISTS = ("parenting", "children")


class FlowError(Exception):
    """A flow file is wrong; the message says where and what."""


@dataclass(frozen=True)
class Choice:
    label: str
    goto: str | None = None
    set_language: str | None = None
    value: str | None = None
    intent: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    action: str
    argument: Any
    choices: tuple[Choice, ...] = ()
    slot: str | None = None
    skip_if_set: bool = False
    where: str = ""
    # Other slots that, when set, make the ask unnecessary too (`skip_if_set: [location]`).
    skip_slots: tuple[str, ...] = ()
    # Offer only the choices the service map has something for (bot/services/offers.py).
    from_map: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    triggers: tuple[str, ...] = ()
    where: str = ""


@dataclass(frozen=True)
class FlowBook:
    """All flows, and which flow each intent starts."""

    flows: dict[str, Flow]
    by_intent: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Flow:
        return self.flows[name]

    def for_intent(self, intent_key: str) -> Flow | None:
        """The flow an intent starts; for ``intent/topic``, the topic's flow if there is one."""
        name = self.by_intent.get(intent_key) or self.by_intent.get(split_intent_key(intent_key)[0])
        return self.flows[name] if name else None

    def message_ids(self) -> set[str]:
        ids: set[str] = set()
        for flow in self.flows.values():
            for step in flow.steps:
                if step.action in ("say", "ask"):
                    ids.add(step.argument)
                ids.update(choice.label for choice in step.choices)
        return ids


class _LineLoader(yaml.SafeLoader):
    """Records the line of every mapping so errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _fail(where: str, problem: str) -> FlowError:
    return FlowError(f"{where}: {problem}")


def _is_code(value: object) -> bool:
    """A language code; which languages exist is the catalogs' business (bot/languages.py)."""
    return isinstance(value, str) and LANGUAGE_CODE.fullmatch(value) is not None


def _choice(raw: Any, where: str) -> Choice:
    if not isinstance(raw, dict):
        raise _fail(where, "a choice must be a mapping with a label")
    here = f"{where.rsplit(':', 1)[0]}:{raw.get('__line__', '?')}"
    known = {"label", "goto", "set_language", "value", "intent", "keywords", "__line__"}
    unknown = set(raw) - known
    if unknown:
        raise _fail(here, f"unknown key(s) in choice: {', '.join(sorted(unknown))}")
    if not isinstance(raw.get("label"), str):
        raise _fail(here, "a choice needs a `label` (a message id)")
    if raw.get("set_language") is not None and not _is_code(raw["set_language"]):
        raise _fail(here, "set_language takes a language code such as tr or fa")
    if raw.get("intent") is not None and not valid_intent_key(raw["intent"]):
        raise _fail(here, f"unknown intent {raw.get('intent')!r}")
    if not any(raw.get(k) for k in ("goto", "set_language", "value")):
        raise _fail(here, "a choice must do something: goto, set_language or value")
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise _fail(here, "keywords must be a list of words")
    return Choice(
        label=raw["label"],
        goto=raw.get("goto"),
        set_language=raw.get("set_language"),
        value=raw.get("value"),
        intent=raw.get("intent"),
        keywords=tuple(keywords),
    )


def _step(raw: Any, file: str) -> Step:
    if not isinstance(raw, dict):
        raise FlowError(f"{file}: a step must be a mapping such as `say: greeting.welcome`")
    where = f"{file}:{raw.get('__line__', '?')}"
    actions = [key for key in raw if key in ACTIONS]
    if len(actions) != 1:
        found = [k for k in raw if k != "__line__"]
        raise _fail(where, f"a step does exactly one of {', '.join(ACTIONS)}; found {found}")
    action = actions[0]
    argument = raw[action]
    extra = set(raw) - {action, "__line__", "choices", "slot", "skip_if_set", "from_map"}
    if extra:
        raise _fail(where, f"unknown key(s) in step: {', '.join(sorted(extra))}")
    if action in ("say", "ask", "goto") and not isinstance(argument, str):
        raise _fail(where, f"`{action}` takes a name, got {argument!r}")
    if action == "set_language" and not _is_code(argument):
        raise _fail(where, "set_language takes a language code such as tr or fa")
    if action == "safe_contact" and not safe_contact.valid(argument):
        raise _fail(where, "safe_contact takes now, reply_first or a window such as 18:00-22:00")
    if action == "set_slot":
        if not isinstance(argument, dict):
            raise _fail(where, "set_slot takes a mapping of slot: value")
        argument = {k: v for k, v in argument.items() if k != "__line__"}
        bad = [
            v
            for k, v in argument.items()
            if k == "service_category" and v not in SERVICE_CATEGORIES
        ]
        if bad:
            raise _fail(where, f"unknown service category {bad[0]!r}")
    if action == "handoff":
        if not isinstance(argument, dict) or argument.get("priority") not in PRIORITIES:
            raise _fail(where, f"handoff needs a category and a priority in {PRIORITIES}")
        category = argument.get("category")  # none: the person asked for a person
        argument = {
            "category": str(category) if category is not None else None,
            "priority": argument["priority"],
        }
    if action == "sessions" and argument not in SESSION_LISTS:
        raise _fail(where, f"sessions is one of {', '.join(SESSION_LISTS)}")
    if action == "safety_answer" and argument not in ("yes", "no"):
        raise _fail(where, "safety_answer is `yes` or `no`")
    choices = tuple(_choice(c, where) for c in raw.get("choices") or [])
    if action == "ask" and not choices:
        raise _fail(where, "`ask` needs at least one choice")
    if action != "ask" and choices:
        raise _fail(where, "only `ask` steps have choices")
    skip = raw.get("skip_if_set", False)
    others = tuple(str(s) for s in skip) if isinstance(skip, list) else ()
    return Step(
        action=action,
        argument=argument,
        choices=choices,
        slot=raw.get("slot"),
        skip_if_set=bool(skip),
        where=where,
        skip_slots=others,
        from_map=bool(raw.get("from_map", False)),
    )


def _flows_in(path: Path) -> Iterable[Flow]:
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        raise FlowError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(content, dict):
        raise FlowError(f"{path}: a flow file is a mapping of flow names to flows")
    for name, raw in content.items():
        if name == "__line__":
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
            raise FlowError(f"{path}:{_line(raw)}: flow {name!r} needs a list of `steps`")
        unknown = set(raw) - {"steps", "triggers", "__line__"}
        if unknown:
            raise FlowError(
                f"{path}:{raw['__line__']}: unknown key(s) in flow {name!r}: "
                f"{', '.join(sorted(unknown))}"
            )
        triggers = tuple(raw.get("triggers") or ())
        for intent in triggers:
            if not valid_intent_key(intent):
                raise FlowError(
                    f"{path}:{raw['__line__']}: flow {name!r}: unknown intent "
                    f"{intent!r} in triggers"
                )
        if not raw["steps"]:
            raise FlowError(f"{path}:{raw['__line__']}: flow {name!r} has no steps")
        steps = tuple(_step(s, str(path)) for s in raw["steps"])
        yield Flow(name=name, steps=steps, triggers=triggers, where=f"{path}:{raw['__line__']}")


def _line(raw: Any) -> object:
    return raw.get("__line__", "?") if isinstance(raw, dict) else "?"


def load_flows(directory: Path) -> FlowBook:
    """Load and check every `*.yml` in `directory`; raise FlowError on the first mistake."""
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise FlowError(f"{directory}: no flow files (*.yml) found")
    flows: dict[str, Flow] = {}
    by_intent: dict[str, str] = {}
    for path in files:
        for flow in _flows_in(path):
            if flow.name in flows:
                raise FlowError(
                    f"{flow.where}: flow {flow.name!r} is already defined at "
                    f"{flows[flow.name].where}"
                )
            flows[flow.name] = flow
            for intent in flow.triggers:
                if intent in by_intent:
                    raise FlowError(
                        f"{flow.where}: intent {intent!r} already starts flow {by_intent[intent]!r}"
                    )
                by_intent[intent] = flow.name
    _check_references(flows)
    _check_loops(flows)
    for required in ("start", "menu", "choose_language", "fallback"):
        if required not in flows:
            raise FlowError(f"{directory}: the flow {required!r} is required")
    return FlowBook(flows=flows, by_intent=by_intent)


def _check_references(flows: dict[str, Flow]) -> None:
    for flow in flows.values():
        for step in flow.steps:
            targets = [step.argument] if step.action == "goto" else []
            targets += [c.goto for c in step.choices if c.goto]
            for target in targets:
                if target not in flows:
                    raise FlowError(f"{step.where}: `goto: {target}`: there is no such flow")
            if (
                step.choices
                and step.slot is None
                and any(c.value and not c.goto for c in step.choices)
            ):
                raise FlowError(f"{step.where}: choices with a `value` need the ask's `slot`")


def _check_loops(flows: dict[str, Flow]) -> None:
    """Refuse flows that would jump around forever without asking anything."""

    def jumps(flow: Flow) -> str | None:
        for step in flow.steps:
            if step.action in ("ask", "end"):
                return None
            if step.action == "goto":
                return str(step.argument)
        return None

    for start in flows.values():
        seen = [start.name]
        target = jumps(start)
        while target is not None:
            if target in seen:
                path = " → ".join([*seen, target])
                raise FlowError(f"{start.where}: flows loop without asking anything: {path}")
            seen.append(target)
            target = jumps(flows[target])


def extract_flow_ids(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterable[tuple[int, str | None, str, list[str]]]:
    """Babel extractor: the message ids of one flow file, with their lines."""
    content = yaml.load(fileobj.read().decode("utf-8"), Loader=_LineLoader)
    for name, raw in (content or {}).items():
        if name == "__line__":
            continue
        for step in raw.get("steps", []):
            for key in ("say", "ask"):
                if key in step:
                    yield step["__line__"], None, step[key], [f"flow {name}"]
            for choice in step.get("choices") or []:
                yield choice["__line__"], None, choice["label"], [f"flow {name}, button"]
