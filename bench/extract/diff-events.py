#!/usr/bin/env python3
# diff-events.py CORPUS PRED [NAME]: per document, gold and predicted events
# paired as score-events pairs them, slot by slot: what to look at first.
import json, os, sys
C, P = sys.argv[1], sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else None
def spans(e, gold):
    ev = e.get("evidence") or {}
    out = [(ev["start"], ev["end"])]
    if gold:
        out += [(a["start"], a["end"]) for a in ev.get("also", [])]
    return out
def ov(a, b): return max((max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b), default=0)
def slot(e):
    d = e.get("date") or {}
    l = e.get("location") or {}
    v = e.get("victims") or {}
    return f"{e['modality'][:4]} date={d.get('start')}..{d.get('end')}/{d.get('precision')} loc={l.get('country')}/{l.get('admin1')}/{l.get('place')} n={v.get('count_min')}..{v.get('count_max')} {v.get('gender')} act={[a['kind'] for a in e.get('actors', [])]} yrs={e.get('sentence_years')}"
for f in sorted(os.listdir(C + "/gold")):
    n = f[:-5]
    if only and only not in n: continue
    g = json.load(open(f"{C}/gold/{f}"))
    try: p = json.load(open(f"{P}/{n}.json"))
    except Exception: p = {"events": [], "document": {}}
    print(f"=== {n}")
    gd, pd = g["document"], p.get("document", {})
    for k in ("title", "outlet", "published"):
        if gd.get(k) != pd.get(k): print(f"  DOC {k}: gold={gd.get(k)!r} pred={pd.get(k)!r}")
    cands = sorted(((ov(spans(ge, 1), spans(pe, 0)[:1]), i, j) for i, ge in enumerate(g["events"]) for j, pe in enumerate(p["events"]) if ge["type"] == pe["type"]), reverse=True)
    ug, up, pairs = set(), set(), {}
    for o, i, j in cands:
        if o <= 0 or i in ug or j in up: continue
        ug.add(i); up.add(j); pairs[i] = j
    for i, ge in enumerate(g["events"]):
        if i in pairs:
            pe = p["events"][pairs[i]]
            a, b = slot(ge), slot(pe)
            print(f"  {'OK  ' if a == b else 'SLOT'} {ge['type']}: {ge['evidence']['quote'][:70]!r}")
            if a != b: print(f"       gold {a}\n       pred {b}")
        else:
            print(f"  MISS {ge['type']}: {ge['evidence']['quote'][:90]!r}\n       gold {slot(ge)}")
    for j, pe in enumerate(p["events"]):
        if j not in up:
            print(f"  FP   {pe['type']}: {pe['evidence']['quote'][:90]!r}\n       pred {slot(pe)}")
