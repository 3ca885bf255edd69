#!/usr/bin/env python3
"""Check blind13.jsonl and hard_negatives.txt against CONTRACT.md section 2."""
import json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = {"text", "language", "intent", "entities", "risk"}
LANGS = {"tr", "ar", "en", "fa"}
INTENTS = {"greet", "goodbye", "thanks", "affirm", "deny", "menu", "change_language",
           "human_handoff", "stop", "delete_data", "faq_registration", "faq_health",
           "faq_education", "faq_psychosocial", "faq_parenting", "faq_child_activities",
           "faq_legal", "faq_work", "faq_financial_aid", "faq_helpline_info",
           "find_service", "out_of_scope"}
ENTITY_TYPES = {"service_category", "district"}
CATEGORIES = {"health", "legal", "education", "psychosocial", "shelter", "food",
              "financial", "child_protection", "gbv", "disability", "language_course",
              "employment", "registration"}
LEVELS = {"none", "medium", "high", "imminent"}
RISK_CATS = {"self_harm", "child_abuse", "domestic_violence", "child_marriage",
             "child_labour", "trafficking_exploitation", "missing_child",
             "medical_emergency", "basic_needs", "detention_deportation"}


def main():
    errors = []
    rows = []
    seen = {}
    with open(os.path.join(HERE, "blind13.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            def err(msg):
                errors.append(f"line {n}: {msg}")
            try:
                obj = json.loads(line)
            except ValueError as e:
                err(f"invalid JSON: {e}"); rows.append(None); continue
            rows.append(obj)
            if not isinstance(obj, dict) or set(obj) != KEYS:
                err(f"keys {sorted(obj) if isinstance(obj, dict) else type(obj)}"); continue
            if not isinstance(obj["text"], str) or not obj["text"].strip():
                err("empty text")
            if obj["language"] not in LANGS:
                err(f"language {obj['language']!r}")
            if obj["intent"] not in INTENTS:
                err(f"intent {obj['intent']!r}")
            if not isinstance(obj["entities"], list):
                err("entities not a list")
            else:
                for e in obj["entities"]:
                    if not isinstance(e, dict) or set(e) != {"entity", "value"}:
                        err(f"entity shape {e!r}"); continue
                    if e["entity"] not in ENTITY_TYPES:
                        err(f"entity type {e['entity']!r}")
                    elif e["entity"] == "service_category" and e["value"] not in CATEGORIES:
                        err(f"service category {e['value']!r}")
                    elif not isinstance(e["value"], str) or not e["value"]:
                        err("empty entity value")
            r = obj["risk"]
            if not isinstance(r, dict) or set(r) != {"level", "category"}:
                err(f"risk shape {r!r}")
            else:
                if r["level"] not in LEVELS:
                    err(f"risk level {r['level']!r}")
                if r["level"] == "none":
                    if r["category"] is not None:
                        err("category must be null when level is none")
                elif r["category"] not in RISK_CATS:
                    err(f"risk category {r['category']!r}")
            key = re.sub(r"\s+", " ", obj["text"]).strip().casefold()
            if key in seen:
                err(f"duplicate text of line {seen[key]}")
            else:
                seen[key] = n
    hn = []
    with open(os.path.join(HERE, "hard_negatives.txt")) as f:
        for m, line in enumerate(f, 1):
            s = line.strip()
            if not s:
                continue
            if not s.isdigit():
                errors.append(f"hard_negatives.txt line {m}: not a number {s!r}"); continue
            hn.append(int(s))
    if len(set(hn)) != len(hn):
        errors.append("hard_negatives.txt: duplicate line numbers")
    for i in hn:
        if not 1 <= i <= len(rows):
            errors.append(f"hard negative {i}: out of range")
        elif rows[i - 1] is not None and isinstance(rows[i - 1], dict) and \
                rows[i - 1].get("risk", {}).get("level") != "none":
            errors.append(f"hard negative {i}: has a risk")
    for e in errors:
        print(e)
    print(f"{len(rows)} lines, {len(set(hn))} hard negatives, {len(errors)} errors")


if __name__ == "__main__":
    main()
