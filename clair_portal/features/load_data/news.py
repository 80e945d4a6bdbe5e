"""News and publications: as many a year as the office's site would carry,
both languages, most published in the past, some drafts and some set for a
later time (which no public page or search may show), publications public
and staff-only. Publications have no file (the download answers 404)."""

import datetime

from django.utils import timezone

from clair_portal.foundation.fiscal import fiscal_year_of
from clair_portal.news.models import NewsItem, Publication

from .core import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR, Batch, both, tr
from .words import TOPICS

UNIT = {NewsItem: 24, Publication: 4}
# Of every 12 news items: one a draft, one set for a later time (far enough
# ahead to stay unpublished, fixed so that a seed gives the same records).
DRAFT, SCHEDULED = 0, 1
SCHEDULED_FROM = datetime.datetime(2045, 4, 1, 10, tzinfo=datetime.UTC)
CATEGORIES = list(NewsItem.Category.values)
TITLES = [
    (
        "{p}が{c}で観光プロモーションを開催します",
        "{p}将在{c}举办旅游推介会",
    ),
    (
        "第{n}回「{t}」作品募集のお知らせ",
        "第{n}届“{t}”作品征集通知",
    ),
    (
        "{c}で{t}に関するセミナーを開催しました",
        "在{c}举办了关于{t}的研讨会",
    ),
    ("当事務所の{t}に関する取り組みについて", "关于本事务所{t}工作的介绍"),
]
BODY = (
    "{p}は、{c}において「{t}」をテーマとした催しを行います。\n\n"
    "- 会場：{c}市内\n- 主催：{p}\n\n"
    "詳しくは[{p}のホームページ](https://www.example.jp/)をご覧ください。",
    "{p}将在{c}举办以“{t}”为主题的活动。\n\n"
    "- 地点：{c}市内\n- 主办：{p}\n\n"
    "详情请参阅[{p}官方网站](https://www.example.jp/)。",
)
PUBLICATIONS = [
    ("CLAIR REPORT「中国の{t}」", "CLAIR REPORT《中国的{t}》", Publication.Kind.REPORT),
    (
        "中国地方行政・財政制度（{y}年度版）",
        "中国地方行政·财政制度（{y}年度版）",
        Publication.Kind.HANDBOOK,
    ),
]


def generate(batch: Batch) -> None:
    batch.bulk_create(new_news(batch))
    batch.bulk_create(new_publications(batch))


def new_news(batch: Batch) -> list[NewsItem]:
    rng = batch.rng
    zone = timezone.get_default_timezone()
    items = []
    for i in range(batch.count(UNIT[NewsItem])):
        prefecture = rng.choice(batch.places.japanese)
        city = rng.choice(batch.places.chinese_cities)
        topic = rng.choice(TOPICS)
        names = {"p": prefecture.full, "c": city.short, "t": topic, "n": i % 30 + 1}
        title = both(rng.choice(TITLES), **names)
        day = batch.date_in(batch.event_year())
        published_at = datetime.datetime.combine(day, datetime.time(10), zone)
        status = NewsItem.Status.PUBLISHED
        if i % 12 == DRAFT:
            status = NewsItem.Status.DRAFT
        elif i % 12 == SCHEDULED:
            published_at = SCHEDULED_FROM + datetime.timedelta(days=rng.randint(0, 365))
        items.append(
            NewsItem(
                category=CATEGORIES[i % len(CATEGORIES)],
                status=status,
                published_at=published_at,
                original_language=rng.choice(("ja", "zh-hans")),
                **tr("title", title),
                **tr(
                    "summary",
                    both(("{p}からのお知らせです。", "来自{p}的通知。"), **names),
                ),
                **tr("body", both(BODY, **names)),
            )
        )
    return items


def new_publications(batch: Batch) -> list[Publication]:
    rng = batch.rng
    publications = []
    for i in range(batch.count(UNIT[Publication])):
        year = rng.randint(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR)
        ja, zh, kind = PUBLICATIONS[i % len(PUBLICATIONS)]
        topic = rng.choice(TOPICS)
        title = both((ja, zh), t=topic, y=year)
        date = batch.date_in(year)
        publications.append(
            Publication(
                kind=kind,
                date=date,
                fiscal_year=fiscal_year_of(date),
                file=f"publications/load/{kind}-{year}-{i}.pdf",
                is_public=i % 4 != 3,
                **tr("title", title),
                **tr(
                    "summary",
                    both(
                        ("{t}についての調査報告です。", "关于{t}的调查报告。"), t=topic
                    ),
                ),
            )
        )
    return publications
