"""The language question offers the languages the deployment speaks, whatever the flow lists.

A flow's language question (`ask` with `set_language` choices, flows/main.yml)
names the languages it was written for, with their keywords. At start the
choices for a language that is not configured are left out, and a configured
language the flow does not name gets a choice of its own: its button is
`language.<code>` from its own catalog, going where the other language choices go.
So a language added as files (a catalog and `helpline.languages`) is offered
without touching the flows or the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine.flows import Choice, Flow, FlowBook, Step


def _offer(step: Step, languages: Sequence[str]) -> Step:
    language_choices = [c for c in step.choices if c.set_language]
    if not language_choices:
        return step
    kept = tuple(c for c in step.choices if c.set_language in (None, *languages))
    named = {c.set_language for c in language_choices}
    goto = language_choices[0].goto
    added = tuple(
        Choice(label=f"language.{code}", goto=goto, set_language=code)
        for code in languages
        if code not in named
    )
    return replace(step, choices=kept + added)


def offer_languages(book: FlowBook, languages: Sequence[str]) -> FlowBook:
    """The flows with every language question offering exactly `languages`."""
    flows = {
        name: Flow(
            name=flow.name,
            steps=tuple(_offer(step, languages) for step in flow.steps),
            triggers=flow.triggers,
            where=flow.where,
        )
        for name, flow in book.flows.items()
    }
    return FlowBook(flows=flows, by_intent=dict(book.by_intent))
