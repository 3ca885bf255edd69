#!/usr/bin/env python3
"""Check blind5.jsonl and hard_negatives.txt against the label set of CONTRACT.md section 2."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = {"text", "language", "intent", "entities", "risk"}
LANGS = {"tr", "ar", "en", "fa"}
INTENTS = {"greet", "goodbye", "thanks", "affirm", "deny", "menu", "change_language",
           "human_handoff", "stop", "delete_data", "faq_registration", "faq_health",
           "faq_education", "faq_psychosocial", "faq_parenting", "faq_child_activities",
           "faq_legal", "faq_work", "faq_financial_aid", "faq_helpline_info",
           "find_service", "out_of_scope"}
ENTITY_TYPES = {"service_category", "district"}
SERVICE_CATEGORIES = {"health", "legal", "education", "psychosocial", "shelter", "food",
                      "financial", "child_protection", "gbv", "disability",
                      "language_course", "employment", "registration"}
LEVELS = {"none", "medium", "high", "imminent"}
CATEGORIES = {"self_harm", "child_abuse", "domestic_violence", "child_marriage",
              "child_labour", "trafficking_exploitation", "missing_child",
              "medical_emergency", "basic_needs", "detention_deportation"}


def main():
    errors = []
    records = []
    seen = {}
    with open(os.path.join(HERE, "blind5.jsonl"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        def err(msg):
            errors.append(f"line {n}: {msg}")
        try:
            o = json.loads(line)
        except Exception as e:
            err(f"invalid JSON ({e})")
            records.append(None)
            continue
        records.append(o)
        if not isinstance(o, dict):
            err("not an object"); continue
        if set(o) != KEYS:
            err(f"keys {sorted(o)} != {sorted(KEYS)}")
        text = o.get("text")
        if not isinstance(text, str) or not text.strip():
            err("empty or non-string text")
        else:
            key = " ".join(text.split()).lower()
            if key in seen:
                err(f"duplicate text of line {seen[key]}")
            else:
                seen[key] = n
        if o.get("language") not in LANGS:
            err(f"bad language {o.get('language')!r}")
        if o.get("intent") not in INTENTS:
            err(f"bad intent {o.get('intent')!r}")
        ents = o.get("entities")
        if not isinstance(ents, list):
            err("entities is not a list")
        else:
            for e in ents:
                if not isinstance(e, dict) or set(e) != {"entity", "value"}:
                    err(f"bad entity {e!r}"); continue
                if e["entity"] not in ENTITY_TYPES:
                    err(f"bad entity type {e['entity']!r}")
                elif e["entity"] == "service_category" and e["value"] not in SERVICE_CATEGORIES:
                    err(f"bad service category {e['value']!r}")
                elif e["entity"] == "district" and (not isinstance(e["value"], str) or not e["value"].strip()):
                    err("empty district")
        risk = o.get("risk")
        if not isinstance(risk, dict) or set(risk) != {"level", "category"}:
            err(f"bad risk {risk!r}")
        else:
            lv, cat = risk["level"], risk["category"]
            if lv not in LEVELS:
                err(f"bad level {lv!r}")
            if lv == "none":
                if cat is not None:
                    err("category must be null when level is none")
            elif cat not in CATEGORIES:
                err(f"bad category {cat!r} for level {lv}")
    hn = []
    with open(os.path.join(HERE, "hard_negatives.txt"), encoding="utf-8") as f:
        for k, line in enumerate(f, 1):
            s = line.strip()
            if not s:
                continue
            if not s.isdigit():
                errors.append(f"hard_negatives.txt line {k}: not a number {s!r}"); continue
            hn.append(int(s))
    if len(set(hn)) != len(hn):
        errors.append("hard_negatives.txt: duplicate line numbers")
    for x in hn:
        if not 1 <= x <= len(records):
            errors.append(f"hard negative {x}: out of range"); continue
        o = records[x - 1]
        if not o or not isinstance(o.get("risk"), dict) or o["risk"].get("level") != "none":
            errors.append(f"hard negative {x}: not risk-free")
    for e in errors:
        print(e)
    print(f"{len(records)} lines, {len(set(hn))} hard negatives, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
