from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.flows import FlowError, load_flows
from bot.nlu.base import INTENTS

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = """
start:
  steps:
    - say: greeting.welcome
menu:
  steps:
    - ask: menu.prompt
      choices:
        - {label: menu.health, goto: start}
choose_language:
  steps:
    - say: language.choose
fallback:
  steps:
    - goto: menu
"""


def flows_with(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "main.yml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "extra.yml").write_text(extra, encoding="utf-8")
    return tmp_path


def test_the_real_flows_load_and_cover_every_intent_that_needs_a_flow() -> None:
    book = load_flows(ROOT / "flows")
    assert {key.split("/")[0] for key in book.by_intent} == set(INTENTS)
    assert "greeting.welcome" in book.message_ids()


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("x:\n  steps:\n    - sya: hello\n", r"extra\.yml:3: a step does exactly one of"),
        (
            "x:\n  steps:\n    - goto: nowhere\n",
            r"extra\.yml:3: `goto: nowhere`: there is no such flow",
        ),
        ("x:\n  steps:\n    - ask: q\n", r"extra\.yml:3: `ask` needs at least one choice"),
        (
            "x:\n  triggers: [pizza]\n  steps:\n    - say: a\n",
            r"extra\.yml:2: .*unknown intent 'pizza'",
        ),
        ("x:\n  steps: [\n", r"extra\.yml: not valid YAML"),
        ("x:\n  stepz: []\n", r"extra\.yml:2: flow 'x' needs a list of `steps`"),
        ("start:\n  steps:\n    - say: a\n", r"flow 'start' is already defined"),
        (
            "x:\n  steps:\n    - ask: q\n      choices:\n        - {label: a}\n",
            r"extra\.yml:5: a choice must do something",
        ),
        (
            "x:\n  steps:\n    - set_language: Turkish\n",
            r"extra\.yml:3: set_language takes a language code",
        ),
        (
            "x:\n  steps:\n    - say: a\n    - goto: y\ny:\n  steps:\n    - goto: x\n",
            r"extra\.yml:2: flows loop without asking anything: x → y → x",
        ),
    ],
)
def test_a_mistake_is_reported_with_file_line_and_what(
    tmp_path: Path, extra: str, problem: str
) -> None:
    with pytest.raises(FlowError, match=problem):
        load_flows(flows_with(tmp_path, extra))


def test_a_required_flow_missing_is_reported(tmp_path: Path) -> None:
    (tmp_path / "main.yml").write_text("start:\n  steps:\n    - say: a\n", encoding="utf-8")
    with pytest.raises(FlowError, match="the flow 'menu' is required"):
        load_flows(tmp_path)
