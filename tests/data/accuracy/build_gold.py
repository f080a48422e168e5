#!/usr/bin/env python3
# build_gold.py: writes gold/NAME.json for docs/NAME.txt from the compact
# annotations below (each event's evidence given as a quote, found in the
# text for its code-point offsets). Run it after editing an annotation.
import json, os, sys
D = os.path.dirname(os.path.abspath(__file__))

def find(text, q, name):
    i = text.find(q)
    if i < 0:
        sys.exit(f"{name}: quote not found: {q!r}")
    return i, i + len(q)

def ev(t, mod, quote, date=None, loc=None, actor=None, vic=(None, None, None, None, None), years=None, also=()):
    return dict(t=t, mod=mod, quote=quote, date=date, loc=loc, actor=actor, vic=vic, years=years, also=also)

GOLD = {
 "h01-wire-dandong": dict(
  doc=dict(title="China detains seven N. Korean defectors near Dandong: activists", outlet="Yonhap", published="2024-03-06", authors=[], translators=[]),
  events=[
   ev("arrest","actual","Chinese police have detained seven North Korean defectors, including a teenage girl, in the border city of Dandong",
      date=("2024-03-02","2024-03-02","day","last Saturday"), loc=("CN","Liaoning","Dandong","Dandong"), actor=("authority","police","Chinese police"),
      vic=(7,7,"mixed","KP","seven North Korean defectors"),
      also=["The group, five women and two men, was stopped at a checkpoint on the outskirts of Dandong in Liaoning Province last Saturday while travelling by bus toward Shenyang"]),
   ev("repatriation","planned","are preparing to send them back to the North", loc=("CN","Liaoning","Dandong","Dandong"), actor=("authority","police","Chinese police"),
      vic=(7,7,"mixed","KP","them"), also=["Kim said the group fears that the seven will be repatriated within days."]),
   ev("escape","actual","The defectors had crossed the Yalu River from Sinuiju in North Pyongan Province in late January",
      date=("2024-01-21","2024-01-31","month_part","late January"), loc=("KP","North Pyongan","Sinuiju","Sinuiju in North Pyongan Province"),
      vic=(7,7,"mixed","KP","The defectors")),
   ev("detention","actual","they are now being held at the border police station in Dandong",
      date=("2024-03-06","2024-03-06","day","now"), loc=("CN","Liaoning","Dandong","Dandong"), actor=("authority","police","the border police station"),
      vic=(7,7,"mixed","KP","they")),
   ev("policy","actual","China regards North Koreans who cross its border as illegal economic migrants rather than refugees and says it is obliged to return them under a 1986 agreement with Pyongyang.",
      loc=("CN",None,None,"China"), actor=("authority","government","China"), vic=(None,None,None,"KP","North Koreans who cross its border")),
  ]),
 "h02-dailynk-hyesan": dict(
  doc=dict(title="Hyesan court hands down harsh sentences to women caught helping defectors", outlet="Daily NK", published="2024-04-10", authors=["Lee Jin-a"], translators=["Sam Yoon"]),
  events=[
   ev("sentencing","actual","A court in Hyesan, Ryanggang Province, sentenced three women to between five and eight years of reform through labor last week",
      date=("2024-04-01","2024-04-07","range","last week"), loc=("KP","Ryanggang","Hyesan","Hyesan, Ryanggang Province"), actor=("authority","court","A court in Hyesan"),
      vic=(3,3,"female","KP","three women"), years=8,
      also=["\"The one who ran the phone was given eight years, and the other two received five years each,\" the source said."]),
   ev("arrest","actual","the three women, all in their forties, were arrested by the Ministry of State Security in early February",
      date=("2024-02-01","2024-02-10","month_part","early February"), loc=("KP","Ryanggang","Hyesan","Hyesan"), actor=("authority","state_security","the Ministry of State Security"),
      vic=(3,3,"female","KP","the three women")),
   ev("arrest","actual","one of their clients was caught on the riverbank", loc=("KP","Ryanggang","Hyesan","Hyesan"), vic=(1,1,None,"KP","one of their clients")),
   ev("interrogation","actual","They were interrogated for nearly six weeks at the ministry's provincial detention facility before being handed over for trial.",
      loc=("KP","Ryanggang","Hyesan","Hyesan"), actor=("authority","state_security","the ministry"), vic=(3,3,"female","KP","They")),
   ev("detention","actual","They were interrogated for nearly six weeks at the ministry's provincial detention facility before being handed over for trial.",
      loc=("KP","Ryanggang","Hyesan","Hyesan"), actor=("authority","state_security","the ministry"), vic=(3,3,"female","KP","They")),
   ev("surveillance","actual","security officials have stepped up searches of homes along the Yalu River since the start of the year, checking for Chinese mobile phones",
      date=("2024-01-01","2024-04-10","range","since the start of the year"), loc=("KP","Ryanggang",None,"the province"), actor=("authority","state_security","security officials"),
      vic=(None,None,None,"KP","homes along the Yalu River")),
   ev("policy","actual","the provincial security department has reportedly instructed neighborhood watch units to report any household whose members are absent for more than three days",
      loc=("KP","Ryanggang",None,"the province"), actor=("authority","state_security","the provincial security department"), vic=(None,None,None,"KP","any household")),
  ]),
 "h03-ngo-mudanjiang": dict(
  doc=dict(title="Two sisters freed from forced marriage in Heilongjiang", outlet="Northern Lights Rescue", published="2023-06-12", authors=[], translators=[]),
  events=[
   ev("escape","actual","In May our partners helped two sisters, aged 24 and 27, leave the village outside Mudanjiang in Heilongjiang Province where they had been held for almost four years.",
      date=("2023-05","2023-05","month","In May"), loc=("CN","Heilongjiang","Mudanjiang","Mudanjiang in Heilongjiang Province"), vic=(2,2,"female","KP","two sisters")),
   ev("escape","actual","The sisters left Musan in North Hamgyong Province in the autumn of 2019.",
      date=("2019-09","2019-11","season","the autumn of 2019"), loc=("KP","North Hamgyong","Musan","Musan in North Hamgyong Province"), vic=(2,2,"female","KP","The sisters")),
   ev("trafficking","actual","on the Chinese side they were handed to two brokers who drove them north and sold them to brothers in the village for 40,000 yuan each",
      date=("2019-09","2019-11","season","the autumn of 2019"), loc=("CN","Heilongjiang","Mudanjiang","the village"), actor=("perpetrator","trafficker","two brokers"),
      vic=(2,2,"female","KP","them"), also=["A woman from their neighbourhood had promised them work in a restaurant in Yanji"]),
   ev("abuse","actual","her husband beat her whenever she asked to call home",
      loc=("CN","Heilongjiang","Mudanjiang","Mudanjiang"), actor=("perpetrator","buyer","her husband"), vic=(1,1,"female","KP","her")),
   ev("escape","actual","crossed into Laos in mid-May",
      date=("2023-05-11","2023-05-20","month_part","mid-May"), loc=("LA",None,None,"Laos"), vic=(2,2,"female","KP","the two")),
   ev("escape","actual","They reached Thailand on May 29",
      date=("2023-05-29","2023-05-29","day","May 29"), loc=("TH",None,None,"Thailand"), vic=(2,2,"female","KP","They")),
  ]),
 "h04-testimony-onsong": dict(
  doc=dict(title="Testimony of a woman from Onsong (recorded in Seoul, October 2022)", outlet=None, published=None, authors=[], translators=[]),
  events=[
   ev("escape","actual","I crossed the Tumen River for the first time in the winter of 2008.",
      date=("2008-12","2009-02","season","the winter of 2008"), loc=("KP","North Hamgyong","Onsong","Onsong"), vic=(1,1,"female","KP","I"),
      also=["he took me across at night near Onsong"]),
   ev("trafficking","actual","In Tumen he handed me to a Chinese woman, and she sold me to a farmer in Wangqing for 15,000 yuan.",
      date=("2008-12","2009-02","season","the winter of 2008"), loc=("CN","Jilin","Wangqing","Wangqing"), actor=("perpetrator","trafficker","a Chinese woman"),
      vic=(1,1,"female","KP","me")),
   ev("arrest","actual","In 2014 the police in Wangqing came to the house and arrested me",
      date=("2014","2014","year","In 2014"), loc=("CN","Jilin","Wangqing","Wangqing"), actor=("authority","police","the police in Wangqing"), vic=(1,1,"female","KP","me")),
   ev("detention","actual","They kept me at the Tumen detention centre for 40 days.",
      date=("2014","2014","year","In 2014"), loc=("CN","Jilin","Tumen","Tumen"), actor=("authority","police","They"), vic=(1,1,"female","KP","me")),
   ev("abuse","actual","The guards beat us if we talked",
      date=("2014","2014","year","In 2014"), loc=("CN","Jilin","Tumen","Tumen"), actor=("authority","police","The guards"), vic=(None,None,None,"KP","us")),
   ev("repatriation","actual","Then they sent me back to North Korea through the bridge at Namyang.",
      date=("2014","2014","year","In 2014"), loc=("CN","Jilin","Tumen","Tumen"), actor=("authority","police","they"), vic=(1,1,"female","KP","me")),
   ev("interrogation","actual","At the State Security office in Onsong I was questioned for two weeks.",
      date=("2014","2014","year","In 2014"), loc=("KP","North Hamgyong","Onsong","Onsong"), actor=("authority","state_security","the State Security office in Onsong"), vic=(1,1,"female","KP","I")),
   ev("detention","actual","After that I was sent to a labour training camp for six months.",
      date=("2014","2014","year","In 2014"), loc=("KP","North Hamgyong","Onsong","Onsong"), vic=(1,1,"female","KP","I")),
   ev("escape","actual","In 2016 I left again, this time with my cousin.",
      date=("2016","2016","year","In 2016"), loc=("KP",None,None,"North Korea"), vic=(2,2,None,"KP","I ... with my cousin")),
   ev("escape","actual","we crossed into Laos in March 2017",
      date=("2017-03","2017-03","month","March 2017"), loc=("LA",None,None,"Laos"), vic=(2,2,None,"KP","we")),
   ev("escape","actual","I arrived in South Korea in the summer of 2017.",
      date=("2017-06","2017-08","season","the summer of 2017"), loc=("KR",None,None,"South Korea"), vic=(1,1,"female","KP","I")),
  ]),
 "h05-rfa-yanji": dict(
  doc=dict(title="Chinese police photograph and fingerprint North Korean wives in Yanji", outlet="RFA", published="2023-11-21", authors=["Park Min-jun"], translators=["Grace Lee"]),
  events=[
   ev("surveillance","actual","Police in Yanji, the capital of China's Yanbian Korean Autonomous Prefecture, have begun photographing and fingerprinting North Korean women who live with Chinese husbands",
      date=("2023-11-13","2023-11-19","range","last week"), loc=("CN","Jilin","Yanji","Yanji"), actor=("authority","police","Police in Yanji"),
      vic=(30,30,"female","KP","North Korean women who live with Chinese husbands"),
      also=["\"Officers from the local police station came to our village last week and took pictures of every North Korean woman, even those who have lived here for more than ten years,\" a Korean-Chinese resident of Yanji said.",
            "\"They took their fingerprints and wrote down the names of their children.\"",
            "About 30 women in the villages around Yanji have been registered so far, the resident said."]),
   ev("policy","actual","The police also told the Chinese husbands that they must report to the station if their wives leave the house for more than a day",
      loc=("CN","Jilin","Yanji","Yanji"), actor=("authority","police","The police"), vic=(None,None,"male","CN","the Chinese husbands")),
   ev("surveillance","planned","the authorities plan to build a database of the women's faces by the end of the year",
      date=("2023-11-21","2023-12-31","range","by the end of the year"), loc=("CN","Jilin","Yanji","Yanji"), actor=("authority","government","the authorities"),
      vic=(None,None,"female","KP","the women")),
   ev("arrest","possible","the women could be arrested and repatriated at any time",
      loc=("CN","Jilin","Yanji","Yanji"), vic=(None,None,"female","KP","the women")),
   ev("repatriation","possible","the women could be arrested and repatriated at any time",
      loc=("CN","Jilin","Yanji","Yanji"), vic=(None,None,"female","KP","the women")),
  ]),
 "h06-wire-tumen-bus": dict(
  doc=dict(title="Border guards shoot North Korean man crossing river, sources say", outlet=None, published="2023-09-14", authors=[], translators=[]),
  events=[
   ev("death","actual","North Korean border guards shot and killed a man who was trying to swim across the Tumen River near Hoeryong late last month",
      date=("2023-08-27","2023-08-27","day","Aug. 27"), loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), actor=("authority","border_guard","North Korean border guards"),
      vic=(1,1,"male","KP","a man"), also=["The man, in his thirties, was hit twice as he reached the middle of the river on the night of Aug. 27, one source said."]),
   ev("escape","actual","a man who was trying to swim across the Tumen River near Hoeryong late last month",
      date=("2023-08-27","2023-08-27","day","Aug. 27"), loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), vic=(1,1,"male","KP","a man")),
   ev("policy","actual","the authorities have ordered guards to shoot anyone approaching the river without a permit",
      loc=("KP","North Hamgyong",None,"North Hamgyong Province"), actor=("authority","government","the authorities"), vic=(None,None,None,"KP","anyone approaching the river")),
   ev("arrest","actual","Chinese police in Helong caught a couple who had crossed the river two days earlier",
      loc=("CN","Jilin","Helong","Helong"), actor=("authority","police","Chinese police in Helong"), vic=(2,2,"mixed","KP","a couple")),
   ev("escape","actual","who had crossed the river two days earlier",
      loc=("CN","Jilin","Helong","Helong"), vic=(2,2,"mixed","KP","a couple")),
   ev("repatriation","actual","handed them over to North Korean officials on Sept. 5",
      date=("2023-09-05","2023-09-05","day","Sept. 5"), loc=("CN","Jilin","Helong","Helong"), actor=("authority","police","Chinese police in Helong"), vic=(2,2,"mixed","KP","them")),
   ev("detention","actual","The couple are now being held by the Ministry of State Security in Hoeryong",
      date=("2023-09-14","2023-09-14","day","now"), loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), actor=("authority","state_security","the Ministry of State Security"),
      vic=(2,2,"mixed","KP","The couple")),
   ev("sentencing","possible","they face up to ten years in prison",
      loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), vic=(2,2,"mixed","KP","they"), years=10),
  ]),
}

GOLD.update({
 "h07-asia-news-vietnam": dict(
  doc=dict(title="Vietnam hands over five North Korean escapees to China", outlet=None, published="2022-08-19", authors=["Nguyen Thi Lan"], translators=[]),
  events=[
   ev("arrest","actual","Vietnamese border police arrested five North Koreans, among them two children, in Lang Son province near the Chinese border on August 9",
      date=("2022-08-09","2022-08-09","day","August 9"), loc=("VN","Lang Son",None,"Lang Son province"), actor=("authority","border_guard","Vietnamese border police"),
      vic=(5,5,None,"KP","five North Koreans"), also=["Later a local contact told us they had been caught at a bus station in Lang Son."]),
   ev("repatriation","actual","handed them over to Chinese authorities four days later",
      date=("2022-08-13","2022-08-13","day","four days later"), loc=("VN","Lang Son",None,"Lang Son province"), actor=("authority","border_guard","Vietnamese border police"), vic=(5,5,None,"KP","them")),
   ev("escape","actual","crossed into Vietnam on foot through the hills",
      date=("2022-07-21","2022-07-31","month_part","late July"), loc=("VN",None,None,"Vietnam"), vic=(5,5,None,"KP","The five")),
   ev("detention","actual","Chinese police in Pingxiang, across the border from Lang Son, are now holding the group",
      date=("2022-08-19","2022-08-19","day","now"), loc=("CN","Guangxi","Pingxiang","Pingxiang"), actor=("authority","police","Chinese police in Pingxiang"), vic=(5,5,None,"KP","the group")),
   ev("repatriation","possible","he feared they would be sent back to North Korea by the end of the month",
      date=("2022-08-19","2022-08-31","range","by the end of the month"), loc=("CN","Guangxi","Pingxiang","Pingxiang"), vic=(5,5,None,"KP","they")),
  ]),
 "h08-bulletin-jilin-raids": dict(
  doc=dict(title="HUMAN RIGHTS WATCHLIST -- MONTHLY NOTES", outlet=None, published="2021-03-02", authors=[], translators=[]),
  events=[
   ev("arrest","actual","public security officers in Longjing and Hunchun in Jilin Province raided at least four homes where North Korean women were living and detained eleven women",
      date=("2021-02-08","2021-02-14","range","the second week of February"), loc=("CN","Jilin",None,"Longjing and Hunchun"), actor=("authority","police","public security officers"), vic=(11,11,"female","KP","eleven women")),
   ev("release","actual","Nine of the women were released after their Chinese husbands paid fines of 5,000 yuan each.",
      loc=("CN","Jilin","Longjing","Longjing"), vic=(9,9,"female","KP","Nine of the women")),
   ev("detention","actual","The remaining two, who had no children in China, were transferred to the detention centre in Tumen.",
      loc=("CN","Jilin","Tumen","Tumen"), vic=(2,2,"female","KP","The remaining two")),
   ev("policy","actual","officers told the husbands that anyone found sheltering a North Korean would be fined 20,000 yuan",
      loc=("CN","Jilin",None,"Jilin Province"), actor=("authority","police","officers"), vic=(None,None,None,None,"anyone found sheltering a North Korean")),
   ev("death","actual","two men were publicly executed in Hyesan in January for smuggling people and goods across the Yalu River",
      date=("2021-01","2021-01","month","in January"), loc=("KP","Ryanggang","Hyesan","Hyesan"), vic=(2,2,"male","KP","two men")),
   ev("repatriation","actual","A woman who was repatriated from China in December 2020",
      date=("2020-12","2020-12","month","December 2020"), loc=("CN",None,None,"China"), vic=(1,1,"female","KP","A woman")),
   ev("abuse","actual","guards at a holding centre in Sinuiju forced her to have an abortion because the father of her child was Chinese",
      loc=("KP","North Pyongan","Sinuiju","Sinuiju"), actor=("authority","police","guards at a holding centre"), vic=(1,1,"female","KP","her")),
  ]),
 "h09-korea-times-mongolia": dict(
  doc=dict(title="Defector family stranded in Mongolia after desert crossing", outlet=None, published="2019-05-03", authors=["Choi Ha-eun"], translators=[]),
  events=[
   ev("escape","actual","The family, a couple and their two teenage sons, crossed the border from Inner Mongolia on April 21 after three nights in the desert",
      date=("2019-04-21","2019-04-21","day","April 21"), loc=("MN",None,None,"Mongolia"), vic=(4,4,"mixed","KP","The family, a couple and their two teenage sons"),
      also=["A North Korean family of four who walked across the Gobi desert from China"]),
   ev("detention","actual","are being held by Mongolian authorities in Ulaanbaatar",
      date=("2019-05-03","2019-05-03","day","are being held"), loc=("MN","Ulaanbaatar","Ulaanbaatar","Ulaanbaatar"), actor=("authority","government","Mongolian authorities"), vic=(4,4,"mixed","KP","A North Korean family of four")),
   ev("arrest","actual","They were picked up by Mongolian soldiers the next day and taken to the capital.",
      date=("2019-04-22","2019-04-22","day","the next day"), loc=("MN",None,None,"Mongolia"), actor=("authority","border_guard","Mongolian soldiers"), vic=(4,4,"mixed","KP","They")),
   ev("detention","actual","The father had spent five years in a prison camp in South Hamgyong Province",
      loc=("KP","South Hamgyong",None,"South Hamgyong Province"), vic=(1,1,"male","KP","The father")),
   ev("escape","actual","fleeing the North in 2017",
      date=("2017","2017","year","in 2017"), loc=("KP",None,None,"the North"), vic=(1,1,"male","KP","The father")),
  ]),
 "h10-press-release-sentence": dict(
  doc=dict(title="Rights group condemns life sentence for North Korean woman returned from China", outlet=None, published="2025-01-14", authors=[], translators=[]),
  events=[
   ev("sentencing","actual","a court in Chongjin, North Hamgyong Province, sentenced Ms. Ri to life imprisonment in December",
      date=("2024-12","2024-12","month","in December"), loc=("KP","North Hamgyong","Chongjin","Chongjin, North Hamgyong Province"), actor=("authority","court","a court in Chongjin"),
      vic=(1,1,"female","KP","Ms. Ri"), also=["The Citizens' Alliance for Refugees today condemned the life sentence handed to Ri Kyong-hui, 38, a North Korean woman who was forcibly returned from China last year."]),
   ev("arrest","actual","Ms. Ri was arrested by Chinese police in Yanji in March 2024",
      date=("2024-03","2024-03","month","March 2024"), loc=("CN","Jilin","Yanji","Yanji"), actor=("authority","police","Chinese police in Yanji"), vic=(1,1,"female","KP","Ms. Ri")),
   ev("repatriation","actual","repatriated in April together with some 60 other North Koreans held in Jilin Province",
      date=("2024-04","2024-04","month","in April"), loc=("CN","Jilin",None,"Jilin Province"), vic=(60,61,None,"KP","some 60 other North Koreans"),
      also=["a North Korean woman who was forcibly returned from China last year"]),
   ev("abuse","actual","she had been tortured during interrogation in Chongjin",
      loc=("KP","North Hamgyong","Chongjin","Chongjin"), vic=(1,1,"female","KP","she")),
   ev("interrogation","actual","she had been tortured during interrogation in Chongjin",
      loc=("KP","North Hamgyong","Chongjin","Chongjin"), vic=(1,1,"female","KP","she")),
  ]),
})

GOLD.update({
 "h12-yonhap-mass-repatriation": dict(
  doc=dict(title="(LEAD) China repatriates hundreds of N. Koreans in single day: activists", outlet="Yonhap", published="2023-10-12", authors=[], translators=[]),
  events=[
   ev("repatriation","actual","China forcibly sent around 500 North Koreans back to their country on Monday night",
      date=("2023-10-09","2023-10-09","day","on Monday night"), loc=("CN",None,None,"China"), actor=("authority","government","China"),
      vic=(500,500,"mixed","KP","around 500 North Koreans"),
      also=["They were loaded onto buses in Tumen, Hunchun, Nanping and Dandong and driven across the border bridges, the group said, citing sources in the region."]),
   ev("detention","actual","The North Koreans, most of them women, had been held at detention facilities in Jilin and Liaoning provinces, some for more than three years",
      loc=("CN","Jilin",None,"Jilin and Liaoning provinces"), vic=(500,500,"mixed","KP","The North Koreans")),
   ev("abuse","possible","Those sent back are likely to face torture, sexual violence and imprisonment",
      loc=("KP",None,None,"their country"), vic=(500,500,"mixed","KP","Those sent back")),
   ev("detention","possible","Those sent back are likely to face torture, sexual violence and imprisonment",
      loc=("KP",None,None,"their country"), vic=(500,500,"mixed","KP","Those sent back")),
  ]),
 "h13-dailynk-tumen-raids": dict(
  doc=dict(title="Police in Tumen and Hunchun detain six North Korean women in joint raids", outlet="Daily NK", published="2025-03-10", authors=[], translators=["Kim Hana"]),
  events=[
   ev("arrest","actual","Police in Tumen, working with officers from the Hunchun public security bureau, detained six North Korean women in a series of raids on farming villages last week",
      date=("2025-03-03","2025-03-09","range","last week"), loc=("CN","Jilin","Tumen","Tumen"), actor=("authority","police","Police in Tumen"),
      vic=(6,6,"female","KP","six North Korean women"),
      also=["They came at night and took the women from their homes one by one.", "Ms. Choi, a woman from Hoeryong who escaped in 2017, was among those detained."]),
   ev("detention","actual","The women are now being held at a detention center in Tumen.",
      date=("2025-03-10","2025-03-10","day","now"), loc=("CN","Jilin","Tumen","Tumen"), vic=(6,6,"female","KP","The women")),
   ev("escape","actual","two of the women had crossed the Tumen River in 2019",
      date=("2019","2019","year","2019"), loc=("CN",None,None,None), vic=(2,2,"female","KP","two of the women")),
   ev("trafficking","actual","were sold to farmers in Hunchun by a broker",
      date=("2019","2019","year","2019"), loc=("CN","Jilin","Hunchun","Hunchun"), actor=("perpetrator","trafficker","a broker"),
      vic=(2,2,"female","KP","two of the women")),
   ev("interrogation","actual","police questioned the husbands for several hours",
      loc=("CN","Jilin","Tumen",None), actor=("authority","police","police"), vic=(None,None,"male","CN","the husbands")),
   ev("policy","actual","warned them that anyone found hiding a North Korean would be fined 10,000 yuan",
      loc=("CN","Jilin","Tumen",None), actor=("authority","police","police"), vic=(None,None,"male","CN","them")),
   ev("escape","actual","a woman from Hoeryong who escaped in 2017",
      date=("2017","2017","year","2017"), loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), vic=(1,1,"female","KP","Ms. Choi")),
   ev("arrest","actual","She had been arrested once before, in 2020",
      date=("2020","2020","year","2020"), loc=("CN",None,None,None), vic=(1,1,"female","KP","She")),
   ev("repatriation","actual","was sent back to North Korea together with eight other women",
      date=("2020","2020","year","2020"), loc=("CN",None,None,None), vic=(9,9,"female","KP","eight other women")),
   ev("interrogation","actual","At a holding center in Hoeryong she was interrogated for a month.",
      date=("2020","2020","year","2020"), loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), vic=(1,1,"female","KP","she")),
   ev("detention","actual","At a holding center in Hoeryong she was interrogated for a month.",
      date=("2020","2020","year","2020"), loc=("KP","North Hamgyong","Hoeryong","Hoeryong"), vic=(1,1,"female","KP","she")),
   ev("detention","actual","Then she was sent to a labor training camp for one year.",
      date=("2020","2020","year","2020"), loc=("KP",None,None,None), vic=(1,1,"female","KP","she")),
   ev("escape","actual","She fled again in 2022.",
      date=("2022","2022","year","2022"), loc=("KP",None,None,None), vic=(1,1,"female","KP","She")),
   ev("sentencing","actual","A court in Tumen sentenced the broker to four years in prison in January",
      date=("2025-01","2025-01","month","January"), loc=("CN","Jilin","Tumen","Tumen"), actor=("authority","court","A court in Tumen"),
      vic=(1,1,"male",None,"the broker"), years=4),
   ev("sentencing","actual","his partner, a Chinese woman, was given two years",
      date=("2025-01","2025-01","month","January"), loc=("CN","Jilin","Tumen","Tumen"), actor=("authority","court","A court in Tumen"),
      vic=(1,1,"female","CN","his partner, a Chinese woman"), years=2),
   ev("repatriation","possible","Rights groups fear the six women will be repatriated once the border crossing at Tumen reopens after repairs.",
      loc=("CN","Jilin","Tumen","Tumen"), vic=(6,6,"female","KP","the six women")),
  ]),
})

STATS = {"h12-yonhap-mass-repatriation": [("An estimated 2,000 North Koreans are still detained in China", 2000, 2000, "people", "detention", "the group")], "h03-ngo-mudanjiang": [("more than 70 percent of the North Korean women living in rural Heilongjiang were sold into marriage", 71, None, "percent", "trafficking", None)]}

for name, g in GOLD.items():
    text = open(f"{D}/docs/{name}.txt", encoding="utf-8").read()
    out = {"document": dict(g["doc"], language="en", boilerplate=[]), "events": [], "statistics": []}
    for e in g["events"]:
        s, en = find(text, e["quote"], name)
        evd = {"start": s, "end": en, "quote": e["quote"]}
        if e["also"]:
            evd["also"] = [dict(zip(("start", "end"), find(text, q, name))) for q in e["also"]]
        d = e["date"]
        l = e["loc"]
        a = e["actor"]
        v = e["vic"]
        out["events"].append({
            "type": e["t"], "modality": e["mod"],
            "date": None if not d else {"start": d[0], "end": d[1], "precision": d[2], "text": d[3]},
            "location": None if not l else {"country": l[0], "admin1": l[1], "place": l[2], "text": l[3]},
            "actors": [] if not a else [{"role": a[0], "kind": a[1], "text": a[2]}],
            "victims": {"count_min": v[0], "count_max": v[1], "gender": v[2], "nationality": v[3], "text": v[4]},
            "sentence_years": e["years"], "evidence": evd})
    for st in STATS.get(name, []):
        s, en = find(text, st[0], name)
        out["statistics"].append({"text": st[0], "quantity_min": st[1], "quantity_max": st[2], "unit": st[3], "about": st[4], "attributed_to": st[5], "evidence": {"start": s, "end": en}})
    json.dump(out, open(f"{D}/gold/{name}.json", "w"), indent=1, ensure_ascii=False)
print("ok")
