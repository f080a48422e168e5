#!/usr/bin/env python3
"""Writes N synthetic report files (2-6 KB each, fictional) for bench/collect.

usage: gen_reports.py N DIR [SEED]

Reports are assembled from sentence templates written for this benchmark,
grouped by topic (arrests, trafficking, detention, sentencing, ...): each
report has a main topic, a second one and some background, and is about
its own case - one to three towns, a province, two people - as a real
report is about one incident, so that words are spread over documents the
way they are in real collections (a few common words, many rare ones)
while every file differs. They describe no real event.
"""
import os
import random
import sys

REAL_PLACES = ["Yanji", "Helong", "Tumen", "Longjing", "Hunchun", "Songyuan", "Baishan",
               "Dandong", "Shenyang", "Changchun", "Harbin", "Mudanjiang", "Qingdao",
               "Kunming", "Hyesan", "Hoeryong", "Musan", "Onsong", "Sinuiju", "Chongjin",
               "Wuhai", "Tonghua", "Jilin", "Dalian", "Beijing", "Vientiane", "Bangkok"]
PROVINCES = ["Jilin", "Liaoning", "Heilongjiang", "Shandong", "Yunnan", "Inner Mongolia",
             "North Hamgyong", "Ryanggang", "North Pyongan", "Chagang"]
SYL = ["an", "bai", "bao", "chang", "dong", "fu", "gang", "he", "hua", "jin", "kai", "lin",
       "long", "mu", "nan", "ning", "ping", "qing", "shan", "shui", "tai", "tong", "wan",
       "xi", "xin", "yang", "yong", "zhen", "ri", "san", "chon", "pyong", "won", "ju"]
SURNAMES = ["Kim", "Lee", "Park", "Choe", "Jang", "Han", "Ri", "Kang", "Yun", "Jo", "Song",
            "Hong", "Mun", "Pak", "Ryu", "Shin", "Oh", "Seo", "Kwon", "Hwang"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WHEN = ["last week", "last month", "in {m}", "on {m} {d}", "earlier this year", "in late {m}",
        "two years ago", "in {y}", "last Thursday", "in mid-{m}"]
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen",
        "dozens of", "at least 20", "nearly 40", "12", "15", "27", "more than 30", "about 50"]

TOPICS = {
    "arrest": [
        "Police in {p} arrested {n} North Korean women {w}, a source in {pr} said.",
        "Officers raided a house in {p} and detained {n} defectors who had been hiding there.",
        "Border patrols near {p} caught {n} people trying to cross the river {w}.",
        "The arrests followed a tip to the public security bureau in {p}, the source said.",
        "Among those rounded up was a woman surnamed {s}, who had lived in {p} for years.",
        "Plainclothes officers stopped a bus outside {p} and checked the passengers' papers.",
    ],
    "trafficking": [
        "A broker sold {n} women to farmers in villages around {p} {w}.",
        "The women were lured across the border with promises of factory jobs in {p}.",
        "A man in {p} paid a broker for a bride, according to the victim's relatives.",
        "The ring moved women between {p} and {p2} and sold them for marriage.",
        "Some of the women were forced to work in online chat rooms run from {p}.",
        "A trafficker known as {s} was said to have sold more than {n} women.",
    ],
    "detention": [
        "The detainees are being held at a detention centre in {p}.",
        "Those caught were transferred to a border facility near {p} {w}.",
        "Relatives said the women had spent weeks in a cell in {p} without a lawyer.",
        "Conditions in the holding facility in {p} were described as cramped and cold.",
    ],
    "sentencing": [
        "A court in {p} sentenced a broker surnamed {s} to {y2} years in prison {w}.",
        "The defendants were put on trial in {p} and given terms of {y2} years.",
        "Two accomplices received suspended sentences, the court in {p} said.",
    ],
    "repatriation": [
        "The women were sent back to North Korea {w} and handed to the security ministry.",
        "Activists fear the group will be repatriated from {p} within days.",
        "{n} defectors were deported through the crossing at {p} {w}.",
        "Returnees face interrogation and labour camp terms, former detainees say.",
    ],
    "surveillance": [
        "Police in {p} photographed residents and took their fingerprints for a database.",
        "Households in {p} must now report visitors to the local police station.",
        "New cameras were installed along the border road near {p} {w}.",
        "Officials offered rewards for reports of undocumented women in {pr}.",
    ],
    "escape": [
        "The group crossed the river near {p} at night {w}.",
        "{n} people fled through {p} and reached a third country after weeks on the road.",
        "A guide led them over the mountains from {p} toward the southern border.",
    ],
    "policy": [
        "Authorities in {pr} announced a campaign against illegal border crossings {w}.",
        "The provincial government ordered tighter checks on travellers from {p}.",
        "Officials warned that anyone helping defectors would be punished under the law.",
    ],
}
BACKGROUND = [
    "The source asked not to be named for fear of reprisal against relatives in {p}.",
    "Rights groups estimate that thousands of North Korean women live in hiding in {pr}.",
    "\"We do not know where they are now,\" a relative of one of the women said.",
    "The report could not be independently verified.",
    "China regards most of those who cross the border as illegal economic migrants.",
    "Local media in {p} did not report the case.",
]


def town(rng):
    if rng.random() < 0.5:
        return rng.choice(REAL_PLACES)
    return (rng.choice(SYL) + rng.choice(SYL)).capitalize()


def fill(rng, s, case):
    """A sentence of the report; most of its places, people and provinces
    are the report's own case (as in a real report about one incident)."""
    m = rng.choice(MONTHS)
    w = rng.choice(WHEN).format(m=m, d=rng.randint(1, 28), y=rng.randint(2005, 2024))
    own = rng.random() < 0.85
    p = rng.choice(case["places"]) if own else town(rng)
    p2 = rng.choice(case["places"]) if rng.random() < 0.5 else town(rng)
    return s.format(p=p, p2=p2, pr=case["province"] if own else rng.choice(PROVINCES),
                    n=rng.choice(NUMS), w=w,
                    s=rng.choice(case["people"]) if own else rng.choice(SURNAMES),
                    y=rng.randint(2005, 2024), y2=rng.randint(1, 15))


def report(rng, i):
    size = rng.randint(2000, 6000)
    main, second = rng.sample(sorted(TOPICS), 2)
    case = {"places": [town(rng) for _ in range(rng.randint(1, 3))],
            "province": rng.choice(PROVINCES),
            "people": rng.sample(SURNAMES, 2)}
    lines = ["[Fictional benchmark report %d, generated; describes no real event.]" % i, "",
             fill(rng, "{p}: " + rng.choice(TOPICS[main]), case).rstrip("."), "",
             "%s %d, %d" % (rng.choice(MONTHS), rng.randint(1, 28), rng.randint(2008, 2025)), ""]
    body = 0
    while body < size:
        sents = []
        for _ in range(rng.randint(2, 4)):
            r = rng.random()
            pool = TOPICS[main] if r < 0.65 else TOPICS[second] if r < 0.85 else BACKGROUND
            sents.append(fill(rng, rng.choice(pool), case))
        p = " ".join(sents)
        lines += [p, ""]
        body += len(p) + 1
    return "\n".join(lines)


def main():
    n, d = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        sub = os.path.join(d, "%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "r%06d.txt" % i), "w", encoding="utf-8") as f:
            f.write(report(rng, i))


if __name__ == "__main__":
    main()
