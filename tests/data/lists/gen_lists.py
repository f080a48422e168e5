#!/usr/bin/env python3
"""gen_lists.py OUTDIR [PEOPLE] [SEED]: writes three fictional lists of
people (A.csv, B.csv, C.csv) drawn from one made-up population, as three
documentation groups might keep them, and truth.json (how many people,
how many on each combination of lists).

Every name, date and town here is generated: no real person is in these
lists. The groups write the same people differently, as real lists do:
  A  given and family name, birth date YYYY-MM-DD, home town
  B  other romanisations of family names (Lee/Yi/Rhee, Park/Pak, Choi/Choe,
     Kim/Gim...), given names spaced or hyphenated, birth as YYYYMMDD,
     some towns misspelt
  C  one column 'Name' is not used: family and given names sometimes
     swapped, age in 2020 instead of a birth date, a few recorded twice
"""
import json, random, sys

FAMILY = [("Kim", ["Gim"]), ("Lee", ["Yi", "Rhee", "Ri"]), ("Park", ["Pak", "Bak"]),
          ("Choi", ["Choe", "Chwe"]), ("Jung", ["Jeong", "Chong"]), ("Kang", ["Gang"]),
          ("Cho", ["Jo"]), ("Yoon", ["Yun"]), ("Jang", ["Chang"]), ("Lim", ["Im", "Rim"]),
          ("Han", ["Hahn"]), ("Oh", ["O"]), ("Seo", ["Suh"]), ("Shin", ["Sin"]),
          ("Kwon", ["Gwon"]), ("Hwang", []), ("Ahn", ["An"]), ("Song", []), ("Ryu", ["Yu", "Yoo"]),
          ("Hong", [])]
SYL = ["young", "mi", "hee", "sun", "ok", "ja", "ho", "chul", "min", "jin", "soo", "kyung",
       "hyun", "sung", "eun", "ji", "hye", "nam", "il", "gwang", "myung", "chun", "bok", "hwa",
       "ryong", "song", "dae", "yeon", "un", "mun"]
TOWNS = ["Hoeryong", "Musan", "Hyesan", "Chongjin", "Onsong", "Kimchaek", "Hamhung",
         "Sinuiju", "Kanggye", "Samjiyon", "Kyongsong", "Undok", "Pyongsong", "Wonsan"]
MISSPELT = {"Hoeryong": "Hoeryeong", "Chongjin": "Cheongjin", "Hyesan": "Hyesaan",
            "Onsong": "Onseong", "Kimchaek": "Kimchaik"}


def main():
    out = sys.argv[1]
    people = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 11)
    pop, seen = [], set()
    while len(pop) < people:
        fam = rng.randrange(len(FAMILY))
        given = (rng.choice(SYL), rng.choice(SYL))
        birth = (rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        key = (fam, given, birth)
        if key in seen:
            continue
        seen.add(key)
        pop.append({"fam": fam, "given": given, "birth": birth, "town": rng.choice(TOWNS),
                    "sex": rng.choice("FFFM")})
    # Capture: some people are easier to find than others (heterogeneity).
    patterns = {}
    lists = {"A": [], "B": [], "C": []}
    for i, p in enumerate(pop):
        ease = rng.choice([0.15, 0.3, 0.5])
        on = [name for name in "ABC" if rng.random() < ease]
        if on:
            patterns["".join("1" if n in on else "0" for n in "ABC")] = \
                patterns.get("".join("1" if n in on else "0" for n in "ABC"), 0) + 1
        for n in on:
            lists[n].append(i)
    fam_name = lambda p: FAMILY[p["fam"]][0]

    def given_joined(p):
        return p["given"][0].capitalize() + p["given"][1]

    with open(out + "/A.csv", "w", encoding="utf-8") as f:
        f.write("Given,Family,Born,Hometown,Sex\n")
        for i in lists["A"]:
            p = pop[i]
            y, m, d = p["birth"]
            f.write("%s,%s,%04d-%02d-%02d,%s,%s\n" % (given_joined(p), fam_name(p), y, m, d,
                                                      p["town"], p["sex"]))
    with open(out + "/B.csv", "w", encoding="utf-8") as f:
        f.write("id,surname,first name,dob,town\n")
        for k, i in enumerate(lists["B"]):
            p = pop[i]
            y, m, d = p["birth"]
            base, alts = FAMILY[p["fam"]]
            fam = rng.choice(alts) if alts and rng.random() < 0.6 else base
            g = rng.choice([given_joined(p), p["given"][0].capitalize() + " " + p["given"][1],
                            p["given"][0].capitalize() + "-" + p["given"][1]])
            town = MISSPELT.get(p["town"], p["town"]) if rng.random() < 0.3 else p["town"]
            f.write("B%04d,%s,\"%s\",%04d%02d%02d,%s\n" % (k + 1, fam, g, y, m, d, town))
    with open(out + "/C.csv", "w", encoding="utf-8") as f:
        f.write("family,given,age,home\n")
        rows = []
        for i in lists["C"]:
            p = pop[i]
            age = 2020 - p["birth"][0]
            fam, g = fam_name(p), given_joined(p)
            if rng.random() < 0.1:
                fam, g = g, fam
            rows.append("%s,%s,%d,%s\n" % (fam, g, age, p["town"]))
            if rng.random() < 0.05:
                rows.append("%s,%s,%d,%s\n" % (fam_name(p), given_joined(p), age, p["town"]))
        f.writelines(rows)
    json.dump({"people": people, "observed": sum(patterns.values()), "patterns": patterns},
              open(out + "/truth.json", "w"), indent=1, sort_keys=True)


main()
