#!/usr/bin/env python3
"""Writes N synthetic report files (2-6 KB each, fictional) for bench/collect.

usage: gen_reports.py N DIR [SEED]

The reports are assembled from sentence templates written for this
benchmark, filled with places, numbers, dates and actors, so that the text
has the vocabulary and length of real reports while every file differs.
They describe no real event.
"""
import os
import random
import sys

PLACES = ["Yanji", "Helong", "Tumen", "Longjing", "Hunchun", "Songyuan", "Baishan",
          "Dandong", "Shenyang", "Changchun", "Harbin", "Mudanjiang", "Qingdao",
          "Kunming", "Hyesan", "Hoeryong", "Musan", "Onsong", "Sinuiju", "Chongjin"]
PROVINCES = ["Jilin", "Liaoning", "Heilongjiang", "Shandong", "Yunnan",
             "North Hamgyong", "Ryanggang", "North Pyongan"]
OUTLETS = ["Daily NK", "Yonhap", "Example Wire", "Border Monitor", "Rights Bulletin"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "a dozen", "dozens of", "at least 20", "nearly 40", "12", "15", "27"]
ACTORS = ["Police in {p}", "Border guards near {p}", "The Ministry of State Security",
          "A court in {p}", "Public security officers in {p}", "Local officials in {p}"]
SENTENCES = [
    "{A} arrested {n} North Korean women in {m}, a source in {p} said.",
    "The women had been sold to farmers in villages outside {p} by a broker who promised them work.",
    "{A} questioned the detainees for several days about the people who helped them cross the river.",
    "Those caught were held at a detention centre in {p} before being sent back across the border.",
    "A source said {n} defectors were repatriated in {m} and handed to the security ministry.",
    "{A} sentenced a broker to {y} years in prison for trafficking women from {p}.",
    "Residents of {p} said inspections of households had become more frequent since {m}.",
    "The authorities photographed the women and took their fingerprints for a database.",
    "Officials warned that anyone helping defectors would face punishment under the law.",
    "Rights groups estimate that thousands of North Korean women live in hiding in {pr}.",
    "According to the source, the crackdown in {pr} began after a group escaped in {m}.",
    "Families in {p} said they feared their relatives would be sent to a labour camp.",
    "The broker had moved women between {p} and {p2} for several years, the report said.",
    "Police in {p} announced a campaign against illegal border crossings and human trafficking.",
    "{n} people were detained during the raid, and some of them were later released.",
    "The source asked not to be named for fear of reprisal against relatives in {p}.",
]


def paragraph(rng):
    out = []
    for _ in range(rng.randint(2, 5)):
        s = rng.choice(SENTENCES)
        p, p2 = rng.sample(PLACES, 2)
        out.append(s.format(A=rng.choice(ACTORS).format(p=p), n=rng.choice(NUMS),
                            m=rng.choice(MONTHS), p=p, p2=p2, pr=rng.choice(PROVINCES),
                            y=rng.randint(1, 15)))
    return " ".join(out)


def report(rng, i):
    size = rng.randint(2000, 6000)
    year = rng.randint(2008, 2025)
    lines = ["[Fictional benchmark report %d, generated; describes no real event.]" % i, "",
             "%s: %s report %d" % (rng.choice(OUTLETS), rng.choice(PLACES), i), "",
             "%s %d, %d" % (rng.choice(MONTHS), rng.randint(1, 28), year), ""]
    body = 0
    while body < size:
        p = paragraph(rng)
        lines.append(p)
        lines.append("")
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
