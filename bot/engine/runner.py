"""Running flow steps until the bot needs the person's answer or the flow ends."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.engine import casework, safety
from bot.privacy.erasure import FORGET, erase_person
from bot.programmes import conversation as programmes
from bot.services import picks, replies
from bot.services.directory import search
from bot.services.offers import ANY, offered, real_options

if TYPE_CHECKING:
    from bot.engine.flows import Choice, FlowBook, Step
    from bot.engine.turn import Turn

MAX_STEPS_PER_TURN = 100


class FlowRunner:
    def __init__(self, flows: FlowBook) -> None:
        self.flows = flows

    def run(self, turn: Turn, flow_name: str, index: int = 0) -> None:
        """Execute steps from `flow_name[index]`; stops at an ask or at the end."""
        for _ in range(MAX_STEPS_PER_TURN):
            flow = self.flows[flow_name]
            if index >= len(flow.steps):
                turn.rest()
                return
            step = flow.steps[index]
            if step.action == "goto":
                flow_name, index = step.argument, 0
                continue
            if step.action == "end":
                turn.rest()
                return
            if step.action == "sessions" and programmes.offer(turn, step.argument):
                return  # the sessions' buttons are the question now
            if step.action == "ask":
                slots = (step.slot, *step.skip_slots) if step.slot else step.skip_slots
                if step.skip_if_set and any(turn.slots.get(s) for s in slots):
                    index += 1
                    continue
                shown = None
                if step.from_map:
                    shown = offered(turn.session, step, turn.slots)
                    options = real_options(step, shown)
                    if options <= 1 and len(shown) > options:
                        # one place or none, and "anywhere": the look-up ranks them all
                        index += 1
                        continue
                    if options == 0:
                        shown = None  # the map has none of these: the person may still say
                turn.ask(flow_name, index, step, shown)
                return
            self._do(turn, step)
            index += 1
        raise RuntimeError(f"flow {flow_name!r} loops without asking anything")

    def choose(self, turn: Turn, flow_name: str, index: int, choice: Choice) -> None:
        """Apply a chosen answer and carry on where it leads."""
        step = self.flows[flow_name].steps[index]
        if choice.set_language:
            turn.set_language(choice.set_language)
        if choice.value is not None and step.slot:
            turn.set_slot(step.slot, choice.value)
        if choice.goto:
            self.run(turn, choice.goto)
        else:
            self.run(turn, flow_name, index + 1)

    def _do(self, turn: Turn, step: Step) -> None:
        action = step.action
        if action == "say":
            turn.say(step.argument)
        elif action == "set_language":
            turn.set_language(step.argument)
        elif action == "set_slot":
            for name, value in step.argument.items():
                turn.set_slot(name, value)
        elif action == "services":
            self._services(turn, more=step.argument == "more")
        elif action == "sessions":
            pass  # nothing fits: the flow carries on (FlowRunner.run lists what does)
        elif action == "handoff":
            raised = casework.raise_case(
                turn,
                priority=step.argument["priority"],
                category=step.argument["category"],
                detail={"reason": "asked for a person"},
            )
            turn.conversation.mode = "human"
            turn.set_slot("acknowledged", False)
            casework.tell_hours(turn, raised, staffed_notice=True)
        elif action == "follow_up":
            casework.accept_followup(turn)
        elif action == "opt_out":
            turn.contact.opted_out = True
        elif action == "safe_contact":
            safety.remember_safe_contact(turn, str(step.argument))
        elif action == "safety_answer":
            safety.answer(turn, step.argument == "yes")
        elif action == "erase":
            self._erase(turn)
        else:  # pragma: no cover - load_flows rejects unknown actions
            raise ValueError(f"unknown action {action!r}")

    def _erase(self, turn: Turn) -> None:
        """Erase the person's data and confirm; an open high/imminent case stays (they are told)."""
        erased = erase_person(turn.session, turn.contact, "person_request", turn.conversation)
        turn.replies.clear()  # the replies queued before were erased with the rest
        if erased.kept_case_ids:
            days = turn.desk.settings.privacy.retention.closed_cases_days
            turn.say("erase.kept", days=days)
            return
        # Once this confirmation has left, the contact itself (the number) is forgotten.
        turn.send(
            turn.texts.get(turn.language, "erase.done"),
            short_text=turn.texts.short(turn.language, "erase.done"),
            action=FORGET,
        )

    def _services(self, turn: Turn, more: bool = False) -> None:
        """The best services for what the person said; `more`: the next ones after those shown."""
        category = turn.slots.get("service_category")
        district = turn.slots.get("district")
        location = turn.slots.get("location")  # shared on the platform, rounded to ~100 m
        options = turn.desk.settings.services
        now = turn.desk.now()
        skip = int(turn.slots.get("services_shown") or 0) if more else 0
        found = search(
            turn.session,
            category=category,
            district=None if district in (None, ANY) else district,
            language=turn.language,
            near=(float(location[0]), float(location[1])) if location else None,
            at=now,
            limit=skip + options.results,
            hide_stale=options.hide_unverified,
            stale_after=timedelta(days=options.unverified_after_days),
        )
        found = found[skip:]
        turn.set_slot("services_shown", skip + len(found))
        if not found:
            turn.say("services.no_more" if more else "services.none")
            return
        lines = [turn.texts.plural(turn.language, "services.found", len(found))]
        short_lines = list(lines)  # for SMS: each service with its name and phone only
        buttons = []  # one per result: the person picks where they will go (a referral)
        for number, service in enumerate(found, skip + 1):
            full, short = replies.item(turn.texts, turn.language, service, now)
            lines.append(full)
            short_lines.append(short)
            buttons.append(picks.button(number, service))
        turn.send(
            "\n\n".join(lines),
            buttons if picks.offered(turn) else None,
            short_text="\n\n".join(short_lines),
        )
