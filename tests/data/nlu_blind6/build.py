#!/usr/bin/env python3
"""Turn the hand-written src/*.txt notation into blind6.jsonl and hard_negatives.txt.

One message a line: flag | language | intent | risk | entities | text
  flag: H = hard negative, - = other
  intent: full contract name or a short code (see INTENTS)
  risk: n | m:XX | h:XX | i:XX  (XX = category code, see CATS)
  entities: - | d:District,s:category,...
No templates, no variants: every output line is one typed line.
Blank lines and lines starting with # are ignored.
"""
import glob, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = {
    "greet": "greet", "bye": "goodbye", "thx": "thanks", "yes": "affirm", "no": "deny",
    "menu": "menu", "lang": "change_language", "human": "human_handoff", "stop": "stop",
    "del": "delete_data", "reg": "faq_registration", "hea": "faq_health",
    "edu": "faq_education", "psy": "faq_psychosocial", "par": "faq_parenting",
    "act": "faq_child_activities", "leg": "faq_legal", "wrk": "faq_work",
    "fin": "faq_financial_aid", "info": "faq_helpline_info", "find": "find_service",
    "oos": "out_of_scope",
}
CATS = {
    "sh": "self_harm", "ca": "child_abuse", "dv": "domestic_violence",
    "cm": "child_marriage", "cl": "child_labour", "tr": "trafficking_exploitation",
    "mc": "missing_child", "me": "medical_emergency", "bn": "basic_needs",
    "dd": "detention_deportation",
}
LEVELS = {"m": "medium", "h": "high", "i": "imminent"}


def parse(line, where):
    parts = [p.strip() for p in line.split("|", 5)]
    if len(parts) != 6:
        raise ValueError(f"{where}: expected 6 fields")
    flag, lang, intent, risk, ents, text = parts
    intent = INTENTS.get(intent, intent)
    if risk == "n":
        r = {"level": "none", "category": None}
    else:
        lv, cat = risk.split(":")
        r = {"level": LEVELS[lv], "category": CATS[cat]}
    entities = []
    if ents != "-":
        for e in ents.split(","):
            k, v = e.split(":", 1)
            entities.append({"entity": {"d": "district", "s": "service_category"}[k.strip()],
                             "value": v.strip()})
    if flag not in ("H", "-"):
        raise ValueError(f"{where}: bad flag {flag!r}")
    return flag == "H", {"text": text, "language": lang, "intent": intent,
                         "entities": entities, "risk": r}


def main():
    rows, hard = [], []
    for path in sorted(glob.glob(os.path.join(HERE, "src", "*.txt"))):
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                h, obj = parse(line, f"{os.path.basename(path)}:{i}")
                rows.append(obj)
                if h:
                    hard.append(len(rows))
    with open(os.path.join(HERE, "blind6.jsonl"), "w", encoding="utf-8") as f:
        for o in rows:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "hard_negatives.txt"), "w", encoding="utf-8") as f:
        for n in hard:
            f.write(f"{n}\n")
    print(f"built {len(rows)} lines, {len(hard)} hard negatives")


if __name__ == "__main__":
    main()
