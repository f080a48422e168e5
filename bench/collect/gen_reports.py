#!/usr/bin/env python3
"""Writes N synthetic report files (2-6 KB each, fictional) for bench/collect.

usage: gen_reports.py N DIR [SEED]
       gen_reports.py --stats N     (similarity of N reports, see below)

Each report is about its own case - one to three towns, a province, a few
named people, dates and counts of its own - and is written sentence by
sentence from a small grammar: a sentence pattern for the report's topics,
whose slots (who acted, the verb, what was done to whom, where, when, who
says so) are each filled from many short alternatives, with optional
clauses and quotes. So, as in a real collection, reports share words and
short stock phrases ("North Korean women", "public security bureau") but
few longer runs of wording. Measured with --stats (exact 4-word shingle
Jaccard similarity over 20,000 pairs of different reports): mean 0.009,
p99 0.036, which makes the LSH bands (neardup.h) fetch about 0.3
candidates per new report from a store of 100,000. Different stories in
../shared/corpus/dev average 0.002. The reports this script made before,
assembled from a few dozen whole template sentences, averaged 0.07 (p99
0.2): about 400 candidates per report at 100,000, a load no real
collection puts on the near-duplicate check.

About one report in fifty is a syndicated copy of a recent one (new
headline and dateline, one word in thirty changed, sometimes the end cut), as
agencies and NGO sites republish each other; ingest should mark those as
near-duplicates. The words the benchmark's queries look for (queries.txt)
occur at rates from a fraction of a percent to about a third of reports.
They describe no real event.
"""
import os
import random
import sys

REAL_PLACES = ["Yanji", "Helong", "Tumen", "Longjing", "Hunchun", "Songyuan", "Baishan",
               "Dandong", "Shenyang", "Changchun", "Harbin", "Mudanjiang", "Qingdao",
               "Kunming", "Hyesan", "Hoeryong", "Musan", "Onsong", "Sinuiju", "Chongjin",
               "Wuhai", "Tonghua", "Jilin", "Dalian", "Beijing", "Vientiane", "Bangkok"]
PROVINCES = ["Jilin", "Liaoning", "Heilongjiang", "Shandong", "Yunnan", "Inner Mongolia",
             "North Hamgyong", "Ryanggang", "North Pyongan", "Chagang", "Hebei", "Guangxi"]
SYL = ["an", "bai", "bao", "chang", "dong", "fu", "gang", "he", "hua", "jin", "kai", "lin",
       "long", "mu", "nan", "ning", "ping", "qing", "shan", "shui", "tai", "tong", "wan",
       "xi", "xin", "yang", "yong", "zhen", "ri", "san", "chon", "pyong", "won", "ju",
       "liu", "hai", "he", "da", "guo", "cheng", "ling", "quan", "sheng", "tian"]
KSYL = ["young", "chol", "hee", "sun", "mi", "ok", "ja", "nam", "su", "jin", "hyok", "il",
        "myong", "song", "kyong", "ae", "ran", "chun", "ho", "jong", "gwang", "hyang", "bok",
        "yong", "un", "sim", "ryon", "hwa", "dok", "man"]
SURNAMES = ["Kim", "Lee", "Park", "Choe", "Jang", "Han", "Ri", "Kang", "Yun", "Jo", "Song",
            "Hong", "Mun", "Pak", "Ryu", "Shin", "Oh", "Seo", "Kwon", "Hwang", "Jeon", "Ahn",
            "Baek", "Nam", "Noh", "Ha", "Kwak", "Cha", "Ko", "Yoo", "Min", "Bae"]
CN_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
               "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NUMWORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "a dozen", "dozens of", "several", "at least {k}", "nearly {k}",
            "more than {k}", "about {k}", "{k}", "{k}", "{k}"]

# Slots: many short alternatives each, and [a|b|c] groups inside them and in
# the patterns, so that sentences built from the same pattern rarely share
# a run of four words.
S = {
    "police": ["[police|officers|agents] [in|from|of] {p}",
               "[public security|border|county] [officers|police|agents] [in|near|from] {p}",
               "the [public security|police|county security] [bureau|office|department] in {p}",
               "[plainclothes|uniformed|armed] [officers|police|agents]",
               "[local|provincial|city] [police|security officials|officers]",
               "a [police|security|border] [unit|team|squad] [from|based in] {p}",
               "[investigators|detectives|patrols] [around|near|from] {p}",
               "the border [defence|guard|patrol] [corps|unit|post]"],
    "arrested": ["arrested", "detained", "rounded up", "took into custody", "picked up",
                 "seized", "caught", "apprehended", "held", "took away", "grabbed",
                 "handcuffed", "led away"],
    "victims": ["[North Korean|undocumented|young] [women|refugees|defectors|migrants]",
                "[people|women|men|families] [from the North|from North Korea|without papers]",
                "[members of|relatives from] [one|a single|the same] [family|village|household]",
                "[women and children|teenage girls|former soldiers|escapees|North Koreans]",
                "[workers|labourers|women] from a [seafood|garment|brick|wig] [plant|factory|workshop]"],
    "hideout": ["a [rented|shared|small|cheap] [flat|room|apartment|house]",
                "a [farmhouse|barn|pig farm|vegetable farm|chicken farm]",
                "a [safe house|church guesthouse|prayer house|mission hostel]",
                "a [restaurant's|noodle shop's|massage parlour's] [back room|kitchen|cellar|attic]",
                "a [karaoke bar|hotel|guesthouse|bathhouse|internet cafe]",
                "a [warehouse|brick factory|logging camp|fish market|construction site]",
                "a [bus|train|truck|minibus|taxi|fishing boat]"],
    "broker": ["a [broker|trafficker|middleman|smuggler|guide|matchmaker|recruiter]",
               "a [man|woman|couple|gang] [who ran|behind|linked to] a [marriage|job|travel] "
               "[agency|office|scheme]",
               "[two|three|several] [brokers|smugglers|men|ethnic Korean traders]"],
    "sold": ["sold", "handed", "delivered", "passed", "married off", "traded", "offered",
             "promised", "rented out", "resold"],
    "buyers": ["[farmers|labourers|men|widowers|families] [in|around|outside|near] "
               "[rural|remote|mountain|poor] [villages|townships|counties|areas]",
               "a [bar|karaoke|restaurant|factory|brothel|livestream] [owner|boss|operator|manager]",
               "[an older|a disabled|a divorced|an unmarried] [man|farmer|labourer|fisherman]"],
    "price": ["for {k},000 yuan", "for [about|roughly|around|some] {k},000 yuan",
              "for [a fee|cash|a debt|an unknown sum|a few thousand dollars|{k}0,000 won]",
              "[in exchange for|in return for|to pay off] [a debt|a loan|food|a phone]"],
    "held_at": ["a [detention|holding|border] [centre|facility|camp|station] [in|near|outside] {p}",
                "[the|a] [police|county|city] [lock-up|jail|cells|compound] [in|at] {p}",
                "[an interrogation|a guarded|a makeshift] [facility|dormitory|building|room]",
                "[cells|rooms|barracks] at the [border post|customs house|checkpoint|station]"],
    "court": ["[a|the] [court|people's court|intermediate court|county court] [in|of] {p}",
              "[judges|prosecutors|a panel of judges] [in|from] {p}"],
    "sentenced": ["sentenced", "jailed", "convicted", "imprisoned", "punished", "condemned"],
    "sent_back": ["sent back", "repatriated", "deported", "handed over", "returned",
                  "forcibly returned", "expelled", "transferred to the North", "pushed back"],
    "ministry": ["[the|North Korea's|the North's] [security ministry|state security ministry]",
                 "[state security|border|ministry] [officers|guards|agents|officials]",
                 "[officials|guards|agents] [on the other side|across the river|from Pyongyang]"],
    "crossing": ["the [crossing|bridge|border post|checkpoint|customs house] "
                 "[at|near|opposite|outside] {p}", "the [river|road|rail] crossing"],
    "fate": ["interrogation", "a labour camp", "a labour camp term", "months of questioning",
             "beatings", "prison", "hard labour", "a [re-education|political prison|labour] camp",
             "torture", "forced labour", "[years|months] in a camp", "public trials"],
    "watch": ["[took|collected|recorded] their fingerprints", "photographed [residents|tenants|workers]",
              "collected [DNA samples|blood samples|voice samples]",
              "[installed|put up|mounted] [new|more|hidden] cameras",
              "[checked|inspected|copied] [identity cards|papers|phones]",
              "[searched|inspected|raided] [homes|flats|shops|farms]",
              "[set up|ran|added] [checkpoints|roadblocks|patrols]",
              "[scanned|recorded|filmed] faces at [stations|markets|bus stops]",
              "[questioned|visited|warned] [landlords|employers|neighbours]"],
    "store": ["for a [database|register|list|file]", "in a [new|central|national] database",
              "[for|in] [the|their|police] [records|files|archives]"],
    "fled": ["crossed the [river|border|frozen river]", "fled", "escaped", "slipped across",
             "walked [over|through] the mountains", "waded [the Tumen|the Yalu|a stream]",
             "hid in a [truck|lorry|van|cargo train]",
             "took a [night|long-distance|crowded] [bus|train]", "left on foot"],
    "third": ["a third country", "Laos", "Thailand", "Mongolia", "[the|an] embassy",
              "a [shelter|safe house|church] in {p}", "South Korea", "Vientiane",
              "a safe country"],
    "officials": ["[officials|the authorities|cadres|leaders] [in|of|from] {pr}",
                  "the [provincial|city|county|border] [government|authorities|party committee]",
                  "[police|security|public security] [chiefs|officials|bureaus]"],
    "announced": ["announced", "launched", "ordered", "began", "declared", "stepped up",
                  "expanded", "renewed", "published", "extended", "revived"],
    "campaign": ["a [campaign|crackdown|drive|operation] against [illegal|border|unlawful] "
                 "[crossings|migrants|residents|marriages]",
                 "[tighter|new|stricter] [checks|controls|inspections] on [travellers|buses|hotels]",
                 "rewards for [reports|tips|information] [on|about] [undocumented|foreign|hidden] "
                 "[women|residents|workers]",
                 "a [hundred-day|year-long|summer|winter] [crackdown|campaign|operation]",
                 "[new|strict|harsh] [rules|fines|penalties] for [landlords|employers|drivers]",
                 "[house-to-house|door-to-door|village] [searches|checks|inspections]"],
    "said": ["said", "told reporters", "reported", "claimed", "wrote", "added", "recalled",
             "explained", "alleged", "confirmed", "noted", "insisted", "complained"],
    "source": ["a [source|contact|resident|trader|teacher] [in|from|near] [{pr}|{p}]",
               "[a|one] [relative|neighbour|witness|villager|researcher|pastor|lawyer]",
               "[an activist|an aid worker|a missionary|a church worker|a former detainee]",
               "{outlet}", "one of the [women|men|detainees|escapees|victims]"],
    "when": ["[last|that|the previous|the next] [week|month|year|weekend]",
             "[in|during|by] [early|late|mid-] {m}", "on {m} {d}", "[earlier|later] this year",
             "in {y}", "on a {wd}", "[in|during|over] the [spring|summer|autumn|winter]"
             "[| of {y}]", "[before|after|during] the [holiday|new year|harvest|festival]",
             "{k} days [later|earlier|after that]", "[at dawn|late at night|before sunrise]"],
    "adv": ["reportedly", "apparently", "allegedly", "without warning", "quietly",
            "once again", "at first", "eventually", "in secret", "in the end", "suddenly"],
    "feel": ["afraid", "desperate", "exhausted", "ashamed", "hopeful", "angry", "silent",
             "sick", "hungry", "lost", "numb", "betrayed", "relieved", "cold"],
    "kin": ["[her|his|their] [mother|father|sister|brother|son|daughter|husband|aunt|uncle|"
            "cousin|grandmother]", "[two|three|several] [children|grandchildren|relatives]"],
    "job": ["a [waitress|cook|farm hand|cleaner|seamstress|nanny|factory worker|masseuse|"
            "shop assistant|carer|dishwasher|hostess]"],
    "cramped": ["[cramped|crowded|filthy|harsh|dark|freezing|unbearable|squalid]"
                "[| and [cold|damp|hot|noisy|dirty]]"],
}

# Sentence patterns per topic. {x} is a slot of S (capitalised: at the start
# of a sentence); {p}, {p2}, {pr}, {pn}, {name}, {cn}, {n}, {k}, {y}, {y2},
# {age}, {quote}, {outlet} are the case's own details.
TOPICS = {
    "arrest": [
        "{Police} {arrested} {n} {victims} {when}, {source} {said}.",
        "{Police} [raided|searched|stormed] {hideout} [in|near|outside] {p} and {arrested} {n} {victims}.",
        "{N} {victims} were {arrested} [at|in|near] {hideout} {when}.",
        "[Among those|One of those|Those] {arrested} [was|included] {name}, {age}, [a former|who worked as] {job}.",
        "The [arrests|raid|detentions] [came|followed] [after|when] {source} [tipped off|alerted|called] {police}.",
        "{Police} [stopped|boarded|checked] {hideout} [outside|near|leaving] {p} and {arrested} {name}.",
        "{Adv}, {police} {arrested} {name} [while|as|when] [she|he] [visited|called|met] {kin}.",
    ],
    "trafficking": [
        "{Broker} {sold} {n} {victims} to {buyers} {price}.",
        "{Name} [said|told us|recalled] {broker} had {sold} her to {buyers} {price} {when}.",
        "The [women|girls|victims|sisters] were [lured|tricked|drawn|brought|coaxed] [to|into] {p} "
        "[with|by|on the strength of] [promises|offers|talk|stories|adverts] [of|about] "
        "[work|jobs|pay|wages|a new life] [as|for] {job}.",
        "[Recruiters|Brokers|Agents] [posing as|pretending to be|disguised as] [employers|"
        "relatives|aid workers] [found|approached|contacted] {name} [in|near] {p2} {when}.",
        "{Name} [was|had been] [promised|offered|told of] [a job|work|a place] [in|at] {hideout} "
        "[but|and then] [ended up|was locked|found herself] [with|in the home of] {buyers}.",
        "[Police|Investigators|Relatives] [say|believe|suspect] {broker} [still|now|may] "
        "[operates|works|moves people] [around|out of|between] {p} [and|or] {p2}.",
        "{Broker} [known as|called|nicknamed] {cn} [moved|ferried|shuttled] [women|girls|them] "
        "[between|from] {p} [and|to] {p2}.",
        "[Some|Several|Many|A few|{N}] [of them|women|girls|victims] [had to|were forced to|"
        "were made to] [work|perform|sit for hours|spend nights] [in|at|for] [online|video|"
        "webcam|live] [chat|streaming|sex] [rooms|studios|sites|channels] [run|operated|hosted|"
        "managed] [from|in|out of] {p}.",
        "{Kin} [paid|gave|owed] {broker} {price} to [bring|get|move] {name} [across|out|to {p}].",
        "[A|One|Another] [bride|wife|young woman|girl|teenager|mother] [from {pn}|of {age}|"
        "aged {age}|from the North] [was|had been] {sold} to {buyers} {price}, {source} {said}.",
    ],
    "detention": [
        "The [detainees|women|prisoners|captives] [are|were|remain] [held|kept|locked up] "
        "[at|in] {held_at}, {source} {said}.",
        "{Name} [spent|was kept for|endured] {k} [weeks|days|months] [at|in] {held_at} "
        "[without a lawyer|without charge|without visits|with no lawyer].",
        "[Those caught|The detainees|The group|Both women] were [moved|taken|transferred|driven] "
        "to {held_at} {when}.",
        "[Conditions|Life|The food] [at|in] {held_at} [were|was] {cramped}, {source} {said}.",
        "{Kin} [tried|hoped|asked] to [visit|see|reach] {name} [at|in] {held_at} but "
        "[was turned away|heard nothing|was refused].",
        "[Guards|Officers|Staff] [at|in] {held_at} {adv} [refused|declined|would not agree] "
        "[to say|to confirm|to disclose|to comment on] [the number|how many|whether any] "
        "[held|remaining|had died|were women|were children].",
        "{Name} [shared|slept in|cleaned] a [cell|room|hall] with {k} [other|more|older] "
        "[women|prisoners|detainees] [for|during|over] {k} [days|weeks|nights].",
        "[Visitors|Lawyers|Consular staff|Relatives] [are|were|have been] [barred|kept away|"
        "refused entry] [at|from] {held_at} {when}.",
    ],
    "sentencing": [
        "{Court} {sentenced} {broker} [surnamed|named|called] {cn} to {y2} years {when}.",
        "{Court} {sentenced} {k} [defendants|traffickers|accused|men] to [terms|sentences] of "
        "[up to|about|between two and] {y2} years.",
        "[At|During] the [trial|hearing] [in|at] {p}, {name} [testified|said|told the court] "
        "[that|how] [she|he] had been {sold} {price}.",
        "[Two|Three|Several] [accomplices|helpers|drivers] [were given|received|got] "
        "[suspended|short|lighter] [sentences|terms] from {court}.",
        "[Prosecutors|The state|Lawyers] in {p} [asked|pressed|argued] for {y2} years, {source} {said}.",
        "The [trial|case|hearing] of {cn} [opened|began|resumed] in {p} {when} and "
        "[lasted|ran for|took] {k} days.",
    ],
    "repatriation": [
        "{N} {victims} were {sent_back} [through|via|at] {crossing} {when}.",
        "{Name} was {sent_back} {when} and [handed|passed|given] to {ministry}.",
        "[Activists|Relatives|Aid groups|Lawyers] [fear|warn|worry] [the group|they|the women] "
        "[will|could|may] be {sent_back} [from|through|via] {p} [within days|soon|this week].",
        "[Returnees|Those sent back|Deportees] [face|risk|can expect] {fate} and "
        "[worse|more|beatings], {source} {said}.",
        "[Those|The women|The men] {sent_back} {when} were [taken|driven|marched] to {held_at} "
        "[first|at once|for questioning].",
        "[A bus|Two vans|A truck|A convoy] [carried|took|moved] {n} [detainees|prisoners|"
        "women] [to|towards|as far as] {crossing} {when}.",
        "[Relatives|Families|Neighbours] [in|from] {pn} [learned|heard|were told] {when} "
        "[that|how] {name} had been {sent_back}.",
        "{Ministry} [questioned|interrogated|grilled] {name} [about|over|on] "
        "[contacts with South Koreans|church visits|phone calls|money from abroad].",
    ],
    "surveillance": [
        "{Police} {watch} {store} {when}.",
        "[Households|Landlords|Residents|Hotels] in {p} must [now|again|henceforth] "
        "[report|register|declare] [visitors|guests|tenants|strangers], {source} {said}.",
        "{Police} {watch} [along|on|beside] the [border|river|main] [road|railway|fence] [near|at] {p}.",
        "{Officials} [offered|promised|posted] [rewards|bounties|cash] for [reports|tips] [of|on] "
        "[undocumented|hidden|foreign] [women|migrants|brides] {when}.",
        "[New|More|Hidden] cameras [went up|were fitted|appeared] [at|in|near] {hideout} {when}.",
        "{Police} {watch} and [kept|filed|stored] the [records|data|results] {store}.",
    ],
    "escape": [
        "The [group|family|women|three of them] {fled} [near|from|past] {p} {when}.",
        "{N} [people|women|escapees|defectors] {fled} [through|via|from] {p} and [reached|got to|arrived in] "
        "{third} [weeks|months|days] later.",
        "{Broker} [led|guided|took] {name} [over|across|through] the [mountains|hills|forest] "
        "[from|past|beyond] {p} [toward|to|into] {third}.",
        "{Name} {fled} {when} [after|following] {k} [years|months] [with|among] {buyers}.",
        "[She|He|They] {fled} with {kin} and [hid|stayed|waited] in {hideout} [in|near] {p2}.",
    ],
    "policy": [
        "{Officials} {announced} {campaign} {when}.",
        "{Officials} {announced} {campaign} [after|following|because of] the "
        "[arrests|escapes|reports|raids] in {p}.",
        "[Anyone|Those|People] [helping|hiding|employing|sheltering] [defectors|migrants|"
        "North Koreans] [will|would|could] be [punished|fined|jailed], {officials} [warned|said].",
        "[Under|With|Through] the [new|latest|revised] [rules|orders|measures] {officials} "
        "{announced} {campaign}.",
    ],
}
BACKGROUND = [
    "{Source} [asked|wished|preferred] not to be [named|identified] [for fear of|to avoid|"
    "fearing] [reprisal|punishment|trouble] [against|for] {kin}.",
    "[Rights groups|Researchers|Activists|Aid agencies] [estimate|believe|say] that "
    "[thousands|tens of thousands|many] of North Korean [women|refugees] [live|remain|hide] "
    "[in hiding|without papers|in fear] in {pr}.",
    "\"{Quote},\" {source} {said}.",
    "\"{Quote}. {Quote2},\" {name} {said} [by telephone|by phone|in a message|in an interview] "
    "from {p}.",
    "[The|This] [report|account|claim] could not be [independently|immediately|separately] "
    "[verified|confirmed|checked].",
    "[China|Beijing|The Chinese government] [regards|treats|sees] [most|many|all] [of those|people] "
    "who [cross|leave|flee] [the border|the North] as [illegal|economic] [migrants|intruders].",
    "[Local|State|Provincial] [media|newspapers|television] [in|around] {p} [did not|never|chose "
    "not to] [report|mention|cover] the [case|arrests|story].",
    "{Name} was {age} and had [left|lost|abandoned] {kin} [behind|at home] in {pn}.",
    "{Name} [felt|was|seemed] {feel} and {feel2} [during|over|after] the {k} days in {p}.",
    "{Outlet} [first|originally] [reported|published|revealed] the [case|story|details] {when}.",
]
QUOTES = ["[we|I|nobody] [do not|did not|cannot] know where [they|she|he] [is|are|went] now",
          "[nobody|no one|the police] would [tell|show|give] us anything",
          "she [called|wrote|texted] once and then the line went [dead|quiet]",
          "they took [everything|all] [we had|I owned|our money]",
          "I was [told|promised] I would work in a [restaurant|factory|hotel]",
          "we hid for [three|four|five|ten] days without [food|water|light]",
          "the police came [at night|at dawn|on a Sunday|without warning]",
          "my [daughter|son|sister|mother] is still [there|inside|missing]",
          "I only want to know if [she|he] is alive",
          "the broker kept our [papers|phones|money]",
          "it happens every [month|week|winter] now",
          "no one dares to [help|hide|feed] them any more",
          "they beat the [men|boys|older ones] first",
          "I paid [everything|all] I had [saved|borrowed|earned]"]
OUTLETS = ["[Daily NK|Yonhap|Radio Free Asia|Chosun Ilbo|NK News|Asia Press]",
           "a [Seoul-based|Tokyo-based|US-based|church-run] [NGO|rights group|network|newsletter]",
           "[a local broadcaster|an aid worker's blog|a defector organisation]"]


class Case:
    """One report's own details: most sentences use them."""

    def __init__(self, rng):
        self.places = [town(rng) for _ in range(rng.randint(1, 3))]
        self.province = rng.choice(PROVINCES)
        self.people = ["%s %s-%s" % (rng.choice(SURNAMES), rng.choice(KSYL).capitalize(),
                                     rng.choice(KSYL)) for _ in range(rng.randint(1, 3))]
        self.cn = rng.choice(CN_SURNAMES)
        self.home = rng.choice(["Hyesan", "Musan", "Hoeryong", "Onsong", "Chongjin",
                                "Sinuiju", "Kimchaek", "Hamhung", "Wonsan", "Pyongyang"])


def town(rng):
    if rng.random() < 0.5:
        return rng.choice(REAL_PLACES)
    return (rng.choice(SYL) + rng.choice(SYL)).capitalize()


def number(rng):
    return rng.choice(NUMWORDS).replace("{k}", str(rng.randint(3, 60)))


def slot(rng, case, name):
    """The text of one slot, its own details filled in."""
    own = rng.random() < 0.85
    p = rng.choice(case.places) if own else town(rng)
    base = name.lower()
    if base not in ("p2", "y2"):
        base = base.rstrip("2")
    if base in S:
        return fill(rng, case, rng.choice(S[base]))
    m = rng.choice(MONTHS)
    v = {
        "p": lambda: p,
        "p2": lambda: rng.choice(case.places) if rng.random() < 0.5 else town(rng),
        "pr": lambda: case.province if own else rng.choice(PROVINCES),
        "pn": lambda: case.home,
        "n": lambda: number(rng),
        "k": lambda: str(rng.randint(2, 40)),
        "y": lambda: str(rng.randint(2005, 2024)),
        "y2": lambda: str(rng.randint(1, 15)),
        "m": lambda: m,
        "d": lambda: str(rng.randint(1, 28)),
        "wd": lambda: rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                  "Saturday", "Sunday"]),
        "name": lambda: (rng.choice(case.people) if own
                         else "a woman surnamed %s" % rng.choice(SURNAMES)),
        "cn": lambda: case.cn if own else rng.choice(CN_SURNAMES),
        "age": lambda: str(rng.randint(16, 58)),
        "quote": lambda: fill(rng, case, rng.choice(QUOTES)),
        "outlet": lambda: fill(rng, case, rng.choice(OUTLETS)),
    }.get(base)
    return v() if v else "{%s}" % name


def fill(rng, case, pattern):
    """pattern with its {slots} filled and one alternative of each [a|b]
    group chosen (groups nest)."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "{":
            k = pattern.index("}", i)
            name = pattern[i + 1:k]
            text = slot(rng, case, name)
            if name[0].isupper() and text:
                text = text[0].upper() + text[1:]
            out.append(text)
            i = k + 1
        elif c == "[":
            depth, k, alts, start = 1, i + 1, [], i + 1
            while depth:
                if pattern[k] == "[":
                    depth += 1
                elif pattern[k] == "]":
                    depth -= 1
                elif pattern[k] == "|" and depth == 1:
                    alts.append(pattern[start:k])
                    start = k + 1
                k += 1
            alts.append(pattern[start:k - 1])
            out.append(fill(rng, case, rng.choice(alts)))
            i = k
        else:
            k = i
            while k < len(pattern) and pattern[k] not in "{[":
                k += 1
            out.append(pattern[i:k])
            i = k
    return "".join(out)


def sentence(rng, case, pool):
    s = fill(rng, case, rng.choice(pool))
    if rng.random() < 0.2:  # an aside: reporting words vary as in real copy
        s = s[:-1] + ", " + fill(rng, case, rng.choice(["{source} {said}", "{when}",
                                                         "{adv}", "in {p}"])) + "."
    return s


def report(rng, i):
    size = rng.randint(2000, 6000)
    main, second = rng.sample(sorted(TOPICS), 2)
    case = Case(rng)
    head = fill(rng, case, rng.choice(TOPICS[main])).rstrip(".")
    lines = ["[Fictional benchmark report %d, generated; describes no real event.]" % i, "",
             "%s: %s" % (rng.choice(case.places), head), "",
             "%s %d, %d" % (rng.choice(MONTHS), rng.randint(1, 28), rng.randint(2008, 2025)), ""]
    body, seen = 0, set()
    # Background (context, quotes) is a sentence or two of a report, each
    # said once; the report's own story is the rest.
    background = rng.sample(BACKGROUND, rng.randint(1, 4))
    while body < size:
        sents = []
        for _ in range(rng.randint(2, 5)):
            r = rng.random()
            if r < 0.08 and background:
                sents.append(fill(rng, case, background.pop()))
                continue
            pool = TOPICS[main] if r < 0.7 else TOPICS[second]
            for _ in range(4):  # a report does not repeat itself
                s = sentence(rng, case, pool)
                if s not in seen:
                    break
            seen.add(s)
            sents.append(s)
        p = " ".join(sents)
        lines += [p, ""]
        body += len(p) + 1
    return "\n".join(lines)


def syndicated(rng, i, orig):
    """A republished copy: new first lines, a word in thirty changed, and
    sometimes the last paragraphs cut."""
    paras = orig.split("\n\n")[3:]
    if len(paras) > 4 and rng.random() < 0.4:
        paras = paras[:len(paras) - rng.randint(1, 2)]
    words = "\n\n".join(paras).split(" ")
    for k in range(len(words)):
        if rng.random() < 1 / 30:
            words[k] = rng.choice(["the", "a", "some", "local", "several", "its", "new",
                                   "reported", "that", "also"])
    return "\n".join(["[Fictional benchmark report %d, generated; a republished copy of an "
                      "earlier one; describes no real event.]" % i, "",
                      "(Republished from %s)" % fill(rng, None, rng.choice(OUTLETS)), "",
                      " ".join(words)])


def generate(n, rng):
    recent = []
    for i in range(n):
        if recent and rng.random() < 0.02:
            yield syndicated(rng, i, rng.choice(recent))
            continue
        text = report(rng, i)
        recent.append(text)
        if len(recent) > 200:
            recent.pop(0)
        yield text


def shingles(text):
    w = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return {tuple(w[k:k + 4]) for k in range(len(w) - 3)}


def stats(n, rng):
    """Exact 4-word shingle Jaccard similarity over pairs of different
    reports (republished copies left out), and how many candidates that
    makes the LSH bands (32 x 4) fetch for each new report."""
    docs = [shingles(t) for t in generate(n, rng) if "republished copy" not in t[:120]]
    sims = []
    for _ in range(20000):
        a, b = rng.sample(range(len(docs)), 2)
        sims.append(len(docs[a] & docs[b]) / len(docs[a] | docs[b]))
    sims.sort()
    p = sum(1 - (1 - s ** 4) ** 32 for s in sims) / len(sims)
    print("pairs %d: mean %.4f p50 %.4f p99 %.4f max %.4f; candidates per report at "
          "100,000 stored: %.2f" % (len(sims), sum(sims) / len(sims), sims[len(sims) // 2],
                                   sims[len(sims) * 99 // 100], sims[-1], p * 100000))


def main():
    if sys.argv[1] == "--stats":
        stats(int(sys.argv[2]), random.Random(1))
        return
    n, d = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    os.makedirs(d, exist_ok=True)
    for i, text in enumerate(generate(n, rng)):
        sub = os.path.join(d, "%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "r%06d.txt" % i), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
