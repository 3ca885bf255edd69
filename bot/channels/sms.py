"""SMS through Twilio: texts that fit the segment budget, choices as numbers, STOP/START.

Which text goes out: the full one when it fits `sms_max_segments` with its
numbered choices; else the shorter one written for SMS (`<msgid>.sms` in the
catalogs), with short choice labels when those are needed too. Only when no
written text fits is the shortest cut back to whole sentences (logged, so
the catalog can get a short version).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.channels.sms_text import fit_sms
from bot.channels.twilio_rest import TwilioChannel
from bot.nlu.normalise import fold

if TYPE_CHECKING:
    from bot.channels.twilio_rest import TwilioApi
    from bot.channels.twilio_store import TwilioStore
    from bot.channels.twilio_webhooks import TwilioWebhooks
    from bot.engine.messages import Button, Outbound

log = logging.getLogger(__name__)

# A whole message that is one of these words is a command (compared folded: case, Turkish
# letters and Arabic hamza forms do not matter). Twilio itself opts a number out on its
# English words (STOP, UNSUBSCRIBE, END, QUIT, CANCEL...) and back in on START/UNSTOP.
KEYWORDS = {
    "stop": (
        "stop stopall unsubscribe cancel end quit optout revoke "  # Twilio's
        "dur durdur iptal "  # Turkish (İPTAL folds to iptal)
        "توقف الغاء ايقاف "  # Arabic (إلغاء, إيقاف fold to these)
        "لغو"  # Persian (Dari); توقف is Persian too
    ),
    "start": "start unstop basla ابدا شروع",  # BAŞLA, ابدأ, Persian شروع
}
# Twilio's Advanced Opt-Out names the keyword's kind in `OptOutType` (its own word lists,
# set in the Twilio console, may hold words we do not know).
OPT_OUT_TYPES = {"STOP": "stop", "START": "start"}
KEYWORD_COMMANDS = {
    fold(word): command for command, words in KEYWORDS.items() for word in words.split()
}


def keyword_command(text: str) -> str | None:
    """`stop` or `start` when the whole message is one of their keywords."""
    return KEYWORD_COMMANDS.get(fold(text.strip()))


def _choices(buttons: tuple[Button, ...], short: bool) -> str:
    if not buttons:
        return ""
    labels = [(b.short_label or b.label) if short else b.label for b in buttons]
    return "\n" + "\n".join(f"{number}. {label}" for number, label in enumerate(labels, 1))


def render_sms(message: Outbound, max_segments: int) -> tuple[str, bool]:
    """The SMS body and whether a written text fitted (False: it was cut at a sentence)."""
    texts = [message.text, *([message.short_text] if message.short_text else [])]
    short_labels = any(b.short_label for b in message.buttons)
    for text in texts:
        for short in (False, True) if short_labels else (False,):
            body, fitted = fit_sms([text], _choices(message.buttons, short), max_segments)
            if fitted:
                return body, True
    return fit_sms(texts, _choices(message.buttons, True), max_segments)


class SmsChannel(TwilioChannel):
    name = "sms"

    def __init__(
        self,
        api: TwilioApi,
        store: TwilioStore,
        from_number: str | None,
        max_segments: int,
        webhooks: TwilioWebhooks | None = None,
    ) -> None:
        super().__init__(api, store, from_number, webhooks)
        self.max_segments = max_segments

    async def send(self, message: Outbound) -> str | None:
        sender = self._sender()
        body, fitted = render_sms(message, self.max_segments)
        if not fitted:
            log.warning(
                "outbox %s: no written text fits %d SMS segments; cut at a sentence",
                message.outbox_id,
                self.max_segments,
            )
        return await self._create(message, to=message.recipient_id, from_=sender, body=body)
