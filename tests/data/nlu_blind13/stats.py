import json,collections
rows=[json.loads(l) for l in open('/work/blind13/blind13.jsonl')]
hn=set(int(x) for x in open('/work/blind13/hard_negatives.txt'))
C=collections.Counter
print(len(rows))
langs=C(r['language'] for r in rows)
for lg in ['tr','ar','fa','en']:
    rs=[(i,r) for i,r in enumerate(rows,1) if r['language']==lg]
    lv=C(r['risk']['level'] for i,r in rs)
    print(lg,len(rs),round(100*len(rs)/len(rows),1),'none',lv['none'],'risk',len(rs)-lv['none'],'HN',sum(i in hn for i,r in rs),'m',lv['medium'],'h',lv['high'],'i',lv['imminent'])
print(C(r['risk']['level'] for r in rows))
cat=collections.defaultdict(C)
for r in rows:
    if r['risk']['category']: cat[r['risk']['category']][r['risk']['level']]+=1
for k in sorted(cat): print(k,dict(cat[k]),sum(cat[k].values()))
print(C(r['intent'] for r in rows).most_common())
ents=C((e['entity'],e['value']) for r in rows for e in r['entities'])
print(sum(ents.values()),ents.most_common())
import re
ar=[r for r in rows if r['language']=='ar']; print('arabizi',sum(1 for r in ar if re.search('[a-z]',r['text']) and not re.search('[\u0600-\u06ff]',r['text'])),len(ar))
fa=[r for r in rows if r['language']=='fa']; print('fa latin',sum(1 for r in fa if not re.search('[\u0600-\u06ff]',r['text'])),len(fa))
tr=[r for r in rows if r['language']=='tr']; print('tr letters',sum(1 for r in tr if re.search('[çğıöşüÇĞİÖŞÜ]',r['text'])),len(tr))
hi=C(rows[i-1]['intent'] for i in hn); print('HN intents',hi.most_common())
print('HN by lang',C(rows[i-1]['language'] for i in hn))
print('long',[(r['language'],r['risk']['level']) for r in rows if len(r['text'])>200])
