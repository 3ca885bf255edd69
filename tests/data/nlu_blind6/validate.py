#!/usr/bin/env python3
"""Check blind6.jsonl and hard_negatives.txt against CONTRACT.md section 2."""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = {"text", "language", "intent", "entities", "risk"}
LANGS = {"tr", "ar", "en", "fa"}
INTENTS = {"greet", "goodbye", "thanks", "affirm", "deny", "menu", "change_language",
           "human_handoff", "stop", "delete_data", "faq_registration", "faq_health",
           "faq_education", "faq_psychosocial", "faq_parenting", "faq_child_activities",
           "faq_legal", "faq_work", "faq_financial_aid", "faq_helpline_info",
           "find_service", "out_of_scope"}
ENTITY_TYPES = {"service_category", "district"}
SERVICE_CATS = {"health", "legal", "education", "psychosocial", "shelter", "food",
                "financial", "child_protection", "gbv", "disability",
                "language_course", "employment", "registration"}
LEVELS = {"none", "medium", "high", "imminent"}
CATS = {"self_harm", "child_abuse", "domestic_violence", "child_marriage",
        "child_labour", "trafficking_exploitation", "missing_child",
        "medical_emergency", "basic_needs", "detention_deportation"}


def main():
    errors = []
    rows = []
    with open(os.path.join(HERE, "blind6.jsonl"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    seen = {}
    for n, line in enumerate(lines, 1):
        def err(msg):
            errors.append(f"line {n}: {msg}")
        try:
            o = json.loads(line)
        except Exception as e:
            err(f"invalid JSON: {e}")
            rows.append(None)
            continue
        rows.append(o)
        if not isinstance(o, dict) or set(o) != KEYS:
            err(f"keys {sorted(o) if isinstance(o, dict) else type(o)}")
            continue
        if not isinstance(o["text"], str) or not o["text"].strip():
            err("empty text")
        else:
            key = re.sub(r"\s+", " ", o["text"].strip()).casefold()
            if key in seen:
                err(f"duplicate of line {seen[key]}")
            else:
                seen[key] = n
        if o["language"] not in LANGS:
            err(f"language {o['language']!r}")
        if o["intent"] not in INTENTS:
            err(f"intent {o['intent']!r}")
        if not isinstance(o["entities"], list):
            err("entities not a list")
        else:
            for e in o["entities"]:
                if not isinstance(e, dict) or set(e) != {"entity", "value"}:
                    err(f"entity {e!r}")
                    continue
                if e["entity"] not in ENTITY_TYPES:
                    err(f"entity type {e['entity']!r}")
                elif e["entity"] == "service_category" and e["value"] not in SERVICE_CATS:
                    err(f"service category {e['value']!r}")
                elif not isinstance(e["value"], str) or not e["value"]:
                    err("empty entity value")
        r = o["risk"]
        if not isinstance(r, dict) or set(r) != {"level", "category"}:
            err(f"risk {r!r}")
            continue
        if r["level"] not in LEVELS:
            err(f"risk level {r['level']!r}")
        if r["level"] == "none":
            if r["category"] is not None:
                err("category must be null when level is none")
        elif r["category"] not in CATS:
            err(f"risk category {r['category']!r}")
    hard = []
    with open(os.path.join(HERE, "hard_negatives.txt"), encoding="utf-8") as f:
        for s in f.read().split():
            try:
                hard.append(int(s))
            except ValueError:
                errors.append(f"hard_negatives: not a number {s!r}")
    if len(set(hard)) != len(hard):
        errors.append("hard_negatives: duplicate line numbers")
    for h in hard:
        if not 1 <= h <= len(lines):
            errors.append(f"hard_negatives: {h} out of range")
        elif rows[h - 1] is None or rows[h - 1].get("risk", {}).get("level") != "none":
            errors.append(f"hard_negatives: line {h} is not risk-free")
    for e in errors[:50]:
        print(e)
    print(f"{len(lines)} lines, {len(set(hard))} hard negatives, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
