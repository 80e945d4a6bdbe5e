"""Exchange, the promotion of Japan's regions in China: travel expos, cooking
events with their menus, and livestreams."""

import datetime

from exchange.models import (
    CookingEvent,
    CookingMenuItem,
    LivestreamPromotion,
    TravelExpo,
)

from .core import Batch, both, joined, pair_of, tr

UNIT = {TravelExpo: 3, CookingEvent: 9, CookingMenuItem: 30, LivestreamPromotion: 6}
PHOTOS_PER_UNIT = {TravelExpo: 3, CookingEvent: 7, LivestreamPromotion: 3}
# (name), (venue), city code
TRAVEL_EXPOS = [
    (
        ("北京国際旅游博覧会（BITE）", "北京国际旅游博览会（BITE）"),
        ("北京国家会議中心", "北京国家会议中心"),
        "110000",
    ),
    (
        ("中国国際旅游交易会（CITM）", "中国国际旅游交易会（CITM）"),
        ("国家会展中心（上海）", "国家会展中心（上海）"),
        "310000",
    ),
    (
        ("海南世界休閑旅游博覧会（ILTE）", "海南世界休闲旅游博览会（ILTE）"),
        ("海南国際会議中心", "海南国际会议中心"),
        "460100",
    ),
    (
        ("広州国際旅游展覧会（GITF）", "广州国际旅游展览会（GITF）"),
        ("中国輸出入商品交易会展館", "中国进出口商品交易会展馆"),
        "440100",
    ),
    (
        ("天皇誕生日祝賀レセプション", "天皇诞辰庆祝招待会"),
        ("在中国日本大使館", "日本国驻华大使馆"),
        "110000",
    ),
    (
        ("中国西部国際博覧会", "中国西部国际博览会"),
        ("西部国際博覧城", "西部国际博览城"),
        "510100",
    ),
]
EXPO_PHOTOS = [
    ("パンフレットを求める来場者", "索取宣传册的参观者"),
    ("多くの人で賑わうクレアブース", "人头攒动的CLAIR展位"),
    ("各地方自治体と連携したクレアブース", "与日本各地方政府联合出展的CLAIR展位"),
]
COOKING_CITIES = ["310000", "110000", "440300", "330100", "350200", "320100", "440100"]
DISHES = [
    ("肉じゃが", "土豆炖肉"),
    ("親子丼", "亲子盖饭"),
    ("茶碗蒸し", "日式蒸蛋"),
    ("だし巻き卵", "高汤玉子烧"),
    ("ちらし寿司", "散寿司"),
    ("豚汁", "猪肉味噌汤"),
    ("天ぷら", "天妇罗"),
    ("おにぎり", "饭团"),
    ("焼き鳥", "日式烤鸡肉串"),
    ("きんぴらごぼう", "金平牛蒡"),
    ("味噌ラーメン", "味噌拉面"),
    ("ほうとう", "馎饦面"),
    ("ずんだ餅", "毛豆泥年糕"),
    ("ちゃんぽん", "什锦面"),
    ("讃岐うどん", "赞岐乌冬面"),
    ("もみじ饅頭", "红叶馒头"),
    ("ゴーヤーチャンプルー", "苦瓜炒鸡蛋"),
    ("きりたんぽ鍋", "烤米棒火锅"),
    ("お好み焼き", "大阪烧"),
    ("たこ焼き", "章鱼烧"),
    ("抹茶アイス", "抹茶冰淇淋"),
    ("おはぎ", "豆蓉抱团"),
    ("柿の葉寿司", "柿叶寿司"),
    ("ます寿司", "鳟鱼寿司"),
    ("いちご大福", "草莓大福"),
    ("鶏の唐揚げ", "日式炸鸡块"),
]
COOKING_PHOTOS = [
    ("料理を作る参加者", "制作料理的参加者"),
    ("実際に作った料理", "料理成品"),
    ("地方自治体職員による観光紹介", "地方政府职员介绍旅游资源"),
]
PLATFORMS = [
    ("快手（Kuaishou）", "快手"),
    ("抖音（Douyin）", "抖音"),
    ("微博（Weibo）", "微博"),
    ("ビリビリ（bilibili）", "哔哩哔哩"),
    ("小紅書（RED）", "小红书"),
    ("微信視頻号（WeChat Channels）", "微信视频号"),
]
LIVESTREAM_PHOTOS = [
    ("ライブ配信による観光地の紹介", "直播介绍景点"),
    ("ライブ配信による文化体験の紹介", "直播介绍文化体验"),
    ("ショート動画による伝統産業の紹介", "短视频介绍传统产业"),
]


def travel_expos(batch: Batch) -> None:
    rng = batch.rng
    places = batch.places
    expos, partners = [], []
    for _ in range(batch.count(UNIT[TravelExpo])):
        name, venue, code = rng.choice(TRAVEL_EXPOS)
        city = places.chinese_by_code.get(code) or rng.choice(places.chinese_cities)
        fiscal_year = batch.event_year()
        start = batch.date_in(fiscal_year, 0, 355)
        one_day = "レセプション" in name[0]
        expos.append(
            TravelExpo(
                fiscal_year=fiscal_year,
                start_date=start,
                end_date=None if one_day else start + datetime.timedelta(days=2),
                city=city.obj,
                **tr("name", name),
                **tr("venue", venue),
            )
        )
        partners.append(rng.sample(places.japanese, rng.randint(0, 3)))
    batch.bulk_create(expos)
    batch.link(TravelExpo.partners, expos, partners)
    batch.add_photos(
        expos,
        PHOTOS_PER_UNIT[TravelExpo],
        lambda e, n: both(
            ("{x}（{e}）", "{x}（{e}）"),
            x=rng.choice(EXPO_PHOTOS),
            e=pair_of(e, "name"),
        ),
    )


def cooking_events(batch: Batch) -> None:
    rng = batch.rng
    by_code = batch.places.chinese_by_code
    cities = [by_code[c] for c in COOKING_CITIES if c in by_code]
    cities = cities or batch.places.chinese_cities
    events, partners = [], []
    for _ in range(batch.count(UNIT[CookingEvent])):
        fiscal_year = batch.event_year()
        events.append(
            CookingEvent(
                fiscal_year=fiscal_year,
                start_date=batch.date_in(fiscal_year),
                city=rng.choice(cities).obj,
            )
        )
        partners.append(rng.sample(batch.places.prefectures, rng.choice((1, 1, 1, 2))))
    batch.bulk_create(events)
    batch.link(CookingEvent.partners, events, partners)
    batch.bulk_create(menus(batch, events))
    partner_names = {
        e.pk: joined(g.full for g in gs) for e, gs in zip(events, partners, strict=True)
    }
    batch.add_photos(
        events,
        PHOTOS_PER_UNIT[CookingEvent],
        lambda e, n: both(
            ("{x}（{p}）", "{x}（{p}）"),
            x=rng.choice(COOKING_PHOTOS),
            p=partner_names[e.pk],
        ),
    )


def menus(batch: Batch, events: list) -> list[CookingMenuItem]:
    """30 dishes per 9 events: the first three of each nine get four."""
    menu = []
    for i, event in enumerate(events):
        dishes = batch.rng.sample(DISHES, 4 if i % 9 < 3 else 3)
        menu += [
            CookingMenuItem(event=event, position=position, **tr("name", dish))
            for position, dish in enumerate(dishes, start=1)
        ]
    return menu


def livestreams(batch: Batch) -> None:
    rng = batch.rng
    streams, governments = [], []
    for _ in range(batch.count(UNIT[LivestreamPromotion])):
        fiscal_year = batch.event_year()
        start = batch.date_in(fiscal_year, 0, 360)
        streams.append(
            LivestreamPromotion(
                fiscal_year=fiscal_year,
                start_date=start,
                end_date=start + datetime.timedelta(days=1),
                **tr("platform", rng.choice(PLATFORMS)),
            )
        )
        governments.append(rng.sample(batch.places.japanese, rng.randint(1, 2)))
    batch.bulk_create(streams)
    batch.link(LivestreamPromotion.governments, streams, governments)
    names = {
        s.pk: joined(g.full for g in gs)
        for s, gs in zip(streams, governments, strict=True)
    }
    batch.add_photos(
        streams,
        PHOTOS_PER_UNIT[LivestreamPromotion],
        lambda s, n: both(
            ("{x}（{g}）", "{x}（{g}）"),
            x=LIVESTREAM_PHOTOS[(n - 1) % len(LIVESTREAM_PHOTOS)],
            g=names[s.pk],
        ),
    )
