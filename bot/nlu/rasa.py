"""Intents and entities from a Rasa 3.6 server; language and risk stay embedded.

``POST {rasa_url}/model/parse`` with ``{"text": ...}`` answers
``{"intent": {"name", "confidence"}, "entities": [...], "intent_ranking": [...]}``,
and for a retrieval intent (``faq_legal/voluntary_return`` in the training
data) a ``response_selector`` whose ``intent_response_key`` names the topic.
If the server fails (down, slow, a non-2xx answer, an unexpected body) the
embedded classifier answers instead, and Rasa is left alone for a short
while so that a dead server does not add its timeout to every message.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

import httpx

from bot.nlu.base import INTENTS, SERVICE_CATEGORIES, Entity, Understanding, split_intent_key
from bot.nlu.embedded import EmbeddedNLU, safe_text
from bot.nlu.intents import OUT_OF_SCOPE, TOPIC_THRESHOLD

log = logging.getLogger(__name__)

RASA_FALLBACK_INTENT = "nlu_fallback"


class RasaError(Exception):
    """The Rasa server did not give a usable answer."""


class RasaNLU:
    """Implements the NLU protocol with a Rasa server for intents and entities."""

    def __init__(
        self,
        rasa_url: str,
        embedded: EmbeddedNLU,
        timeout: float = 2.0,
        retry_after: float = 30.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = rasa_url.rstrip("/") + "/model/parse"
        self.embedded = embedded
        self.retry_after = retry_after
        self._client = client or httpx.Client(timeout=timeout)
        self._down_until = 0.0

    def close(self) -> None:
        self._client.close()

    def parse(self, text: str, language_hint: str | None = None) -> Understanding:
        understanding = self.embedded.parse(text, language_hint)
        if not understanding.text.strip() or time.monotonic() < self._down_until:
            return understanding
        try:
            answer = self._ask(understanding.text)
            intent, confidence, ranking = _intent(answer, self.embedded.intent_threshold)
            entities = self._entities(answer, understanding.entities)
            topic = _topic(answer, intent, TOPIC_THRESHOLD)
        except RasaError as exc:
            self._down_until = time.monotonic() + self.retry_after
            log.warning(
                "Rasa server at %s failed (%s); using the embedded intent classifier",
                self.url,
                exc,
            )
            return understanding
        return replace(
            understanding,
            intent=intent,
            confidence=confidence,
            entities=entities,
            intent_ranking=ranking,
            topic=topic,
        )

    def _ask(self, text: str) -> dict[str, Any]:
        try:
            response = self._client.post(self.url, json={"text": safe_text(text)})
            response.raise_for_status()
            body = response.json()
        except httpx.HTTPStatusError as exc:
            raise RasaError(f"HTTP {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise RasaError(type(exc).__name__) from exc
        except ValueError as exc:
            raise RasaError("answer is not JSON") from exc
        if not isinstance(body, dict) or not isinstance(body.get("intent"), dict):
            raise RasaError("answer has no 'intent'")
        return body

    def _entities(self, answer: dict[str, Any], embedded: tuple[Entity, ...]) -> tuple[Entity, ...]:
        """Rasa's entities (values checked), then embedded ones of kinds Rasa did not find.

        A district comes back as written; the embedded matcher gives its
        standard name when it knows it.
        """
        raw = answer.get("entities") or []
        if not isinstance(raw, list):
            raise RasaError("'entities' is not a list")
        found: list[Entity] = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            name, value = str(item.get("entity", "")), str(item.get("value", ""))
            if name == "service_category" and value in SERVICE_CATEGORIES:
                found.append(Entity(name, value, value))
            elif name == "district" and value:
                standard = self.embedded.entities(value)
                district = next((e.value for e in standard if e.entity == "district"), value)
                found.append(Entity(name, district, value))
        kinds = {e.entity for e in found}
        found.extend(e for e in embedded if e.entity not in kinds)
        unique: dict[tuple[str, str], Entity] = {}
        for entity in found:
            unique.setdefault((entity.entity, entity.value), entity)
        return tuple(unique.values())


def _intent(
    answer: dict[str, Any], threshold: float
) -> tuple[str, float, tuple[tuple[str, float], ...]]:
    intent = answer["intent"]
    name = str(intent.get("name") or OUT_OF_SCOPE)
    try:
        confidence = float(intent.get("confidence") or 0.0)
    except (TypeError, ValueError) as exc:
        raise RasaError("intent confidence is not a number") from exc
    ranking: list[tuple[str, float]] = []
    for item in answer.get("intent_ranking") or []:
        if isinstance(item, dict) and item.get("name") in INTENTS:
            ranking.append((str(item["name"]), float(item.get("confidence") or 0.0)))
    if name == RASA_FALLBACK_INTENT or name not in INTENTS or confidence < threshold:
        name = OUT_OF_SCOPE
    return name, confidence, tuple(ranking)


def _topic(answer: dict[str, Any], intent: str, threshold: float) -> str | None:
    """The topic Rasa's response selector picked for *intent*, when sure enough."""
    selectors = answer.get("response_selector")
    if not isinstance(selectors, dict):
        return None
    selected = selectors.get(intent) or selectors.get("default")
    response = selected.get("response") if isinstance(selected, dict) else None
    if not isinstance(response, dict):
        return None
    key = str(response.get("intent_response_key") or "")
    parent, topic = split_intent_key(key)
    try:
        confidence = float(response.get("confidence") or 0.0)
    except (TypeError, ValueError):
        return None
    return topic if parent == intent and topic and confidence >= threshold else None
