# Converts the hand-written compact source files (src/*.txt, one message per line:
# FLAG | lang | intent | risk | entities | text) into blind5.jsonl + hard_negatives.txt.
# It only changes the notation; it creates no messages.
import json, glob
CAT = {'sh':'self_harm','ca':'child_abuse','dv':'domestic_violence','cm':'child_marriage',
       'cl':'child_labour','te':'trafficking_exploitation','mc':'missing_child',
       'me':'medical_emergency','bn':'basic_needs','dd':'detention_deportation'}
LEV = {'m':'medium','h':'high','i':'imminent'}
out, hn = [], []
for fn in sorted(glob.glob('src/*.txt')):
    for raw in open(fn, encoding='utf-8'):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('#'):
            continue
        parts = [p.strip() for p in raw.split(' | ', 5)]
        flag, lang, intent, risk, ents, text = parts
        if risk == 'n':
            r = {'level': 'none', 'category': None}
        else:
            l, c = risk.split(':')
            r = {'level': LEV[l], 'category': CAT[c]}
        e = []
        if ents != '-':
            for x in ents.split(';'):
                k, v = x.split(':', 1)
                e.append({'entity': {'d': 'district', 's': 'service_category'}[k], 'value': v})
        out.append({'text': text, 'language': lang, 'intent': intent, 'entities': e, 'risk': r})
        if flag == 'H':
            hn.append(len(out))
with open('blind5.jsonl', 'w', encoding='utf-8') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
with open('hard_negatives.txt', 'w') as f:
    f.write(''.join(f'{n}\n' for n in hn))
print(len(out), 'lines', len(hn), 'hn')
