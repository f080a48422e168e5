#!/usr/bin/env python3
"""Writes a synthetic list of people for bench/link: N distinct persons and
DUP% duplicates of some of them, with the errors lists make - typos, other
romanisations of the family name, given names split or joined, swapped
day and month, a missing town. Every person is invented (random syllables).

usage: gen_persons.py N DUP_PERCENT OUT.csv [SEED]
The id column is rec-K-org / rec-K-dup-J, so --evaluate can score it."""
import random
import sys

n, dup, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
# Family names with roughly their share among Koreans (Kim a fifth, Lee a
# seventh, ...), each with the romanisations lists use.
FAMILY = [(("kim", "gim"), 21.5), (("lee", "ri", "yi"), 14.7), (("park", "pak", "bak"), 8.4),
          (("choi", "choe"), 4.7), (("jung", "jeong", "chung"), 4.3), (("kang", "gang"), 2.4),
          (("cho", "jo"), 2.1), (("yoon", "yun"), 2.1), (("jang", "chang"), 2.0),
          (("lim", "rim", "im"), 1.7), (("han",), 1.5), (("oh", "o"), 1.5), (("seo", "suh"), 1.5),
          (("shin", "sin"), 1.5), (("kwon", "gwon"), 1.4), (("hwang",), 1.4), (("ahn", "an"), 1.3),
          (("song",), 1.3), (("ryu", "yu"), 1.3), (("hong",), 1.1), (("jeon", "jun"), 1.1),
          (("ko", "go"), 0.9), (("moon", "mun"), 0.9), (("yang",), 0.9), (("bae", "pae"), 0.8),
          (("baek", "paek"), 0.8), (("heo", "hur"), 0.6), (("nam",), 0.6), (("roh", "no"), 0.5),
          (("ha",), 0.5), (("ryom", "yeom"), 0.4), (("kwak", "gwak"), 0.4), (("sung", "seong"), 0.4),
          (("cha",), 0.4), (("joo", "ju"), 0.4), (("woo", "u"), 0.4), (("koo", "gu"), 0.4),
          (("min",), 0.3), (("byun", "pyon"), 0.3), (("shim", "sim"), 0.5)]
FAMILY_NAMES = [f for f, _ in FAMILY]
FAMILY_WEIGHTS = [w for _, w in FAMILY]
SYL = ("min young sun hee ji hye jin chol su ok kyong mi hyun sung il nam hwa ryong song ae ha na "
       "un gyu dong jun seo yeon bok soon chun kwang myong ran ju kyu ho jae won seok tae yong sang "
       "chan hoon joon woo bin eun hyo jung yun ah rim kyung cheol gil man sik hak soo ki bong "
       "chang duk geun hwan in jong kook pil san sam yeong ung wan byung gook rae nan sook ja "
       "ryun ssi hyang ryeo mae bom gyeong geum dal kum saeng kap byeol chae dae do mun rak o").split()
TOWNS = ["hyesan", "musan", "hoeryong", "onsong", "chongjin", "sinuiju", "kimchaek", "hamhung",
         "wonsan", "kanggye", "manpo", "yanji", "tumen", "helong", "longjing", "dandong",
         "shenyang", "changchun", "harbin", "baishan", "songyuan", "hunchun", "qingdao", "kunming"]


def typo(s):
    if len(s) < 3:
        return s
    i = rng.randrange(len(s) - 1)
    k = rng.random()
    if k < 0.4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k < 0.7:
        return s[:i] + rng.choice("aeiouhnkgs") + s[i + 1:]
    return s[:i] + s[i + 1:]


def person():
    fam = rng.choices(FAMILY_NAMES, FAMILY_WEIGHTS)[0]
    a, b = rng.choice(SYL), rng.choice(SYL)
    y, m, d = rng.randint(1940, 2008), rng.randint(1, 12), rng.randint(1, 28)
    return {"fam": fam, "given": (a, b), "birth": (y, m, d), "town": rng.choice(TOWNS)}


def render(p, noisy):
    fam = p["fam"][0]
    a, b = p["given"]
    given = f"{a}-{b}"
    (y, m, d), town = p["birth"], p["town"]
    if noisy:
        if rng.random() < 0.5:
            fam = rng.choice(p["fam"])
        r = rng.random()
        given = f"{a} {b}" if r < 0.3 else (a + b if r < 0.6 else given)
        if rng.random() < 0.3:
            given = typo(given)
        if rng.random() < 0.2:
            fam = typo(fam)
        if rng.random() < 0.1 and d <= 12:
            m, d = d, m
        if rng.random() < 0.1:
            town = ""
    return given, fam, f"{y:04d}-{m:02d}-{d:02d}", town


ndup = int(n * dup / 100)
with open(out, "w") as f:
    f.write("id,given,family,born,town\n")
    people = [person() for _ in range(n)]
    for k, p in enumerate(people):
        f.write("rec-%d-org,%s,%s,%s,%s\n" % ((k,) + render(p, False)))
    for j in range(ndup):
        k = rng.randrange(n)
        f.write("rec-%d-dup-%d,%s,%s,%s,%s\n" % ((k, j) + render(people[k], True)))
