#!/usr/bin/env python3
"""Turn the hand-written chunks in src/*.txt into blind13.jsonl and hard_negatives.txt.

Notation, one message a line: flag | language | intent | risk | entities | text
No templates and no variants: every jsonl line is one typed line.
"""
import glob, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = {
    "reg": "faq_registration", "hea": "faq_health", "edu": "faq_education",
    "psy": "faq_psychosocial", "par": "faq_parenting", "act": "faq_child_activities",
    "leg": "faq_legal", "wrk": "faq_work", "fin": "faq_financial_aid",
    "info": "faq_helpline_info", "find": "find_service", "oos": "out_of_scope",
    "greet": "greet", "bye": "goodbye", "thx": "thanks", "yes": "affirm", "no": "deny",
    "menu": "menu", "lang": "change_language", "human": "human_handoff",
    "stop": "stop", "del": "delete_data",
}
LEVELS = {"m": "medium", "h": "high", "i": "imminent"}
CATS = {
    "sh": "self_harm", "ca": "child_abuse", "dv": "domestic_violence",
    "cm": "child_marriage", "cl": "child_labour", "tr": "trafficking_exploitation",
    "mc": "missing_child", "me": "medical_emergency", "bn": "basic_needs",
    "dd": "detention_deportation",
}


def parse(line, where):
    parts = [p.strip() for p in line.split("|", 5)]
    if len(parts) != 6:
        sys.exit(f"{where}: expected 6 fields")
    flag, lang, intent, risk, ents, text = parts
    if flag not in ("H", "-"):
        sys.exit(f"{where}: bad flag {flag!r}")
    intent = INTENTS.get(intent, intent)
    if risk == "n":
        risk_obj = {"level": "none", "category": None}
    else:
        lv, cat = risk.split(":")
        risk_obj = {"level": LEVELS[lv], "category": CATS[cat]}
    entities = []
    if ents != "-":
        for e in ents.split(","):
            k, v = e.split(":", 1)
            entities.append({"entity": {"d": "district", "s": "service_category"}[k], "value": v})
    obj = {"text": text, "language": lang, "intent": intent,
           "entities": entities, "risk": risk_obj}
    return flag == "H", obj


def main():
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "src", "*.txt"))):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(parse(line, f"{os.path.basename(path)}:{n}"))
    with open(os.path.join(HERE, "blind13.jsonl"), "w", encoding="utf-8") as out:
        for _, obj in rows:
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "hard_negatives.txt"), "w") as out:
        for i, (hn, _) in enumerate(rows, 1):
            if hn:
                out.write(f"{i}\n")
    print(f"{len(rows)} lines, {sum(h for h, _ in rows)} hard negatives written")


if __name__ == "__main__":
    main()
