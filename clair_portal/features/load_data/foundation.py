"""The foundation's records: brochure editions, older than every existing one,
with their cover photos and key figures (and, through the programs' modules,
the figures the programs keep per edition)."""

import datetime

from django.db.models import Min

from clair_portal.foundation.models import BrochureEdition, KeyFigure

from . import exchange, jet
from .core import CHINESE, JAPANESE, Batch, both, tr

UNIT = {BrochureEdition: 2, KeyFigure: 10}
PHOTOS_PER_UNIT = {BrochureEdition: 8}
COVER_POSITIONS = ["左上", "右上", "左下", "右下"]
# metric: the value's unit (ja, zh), and how far the figure falls per older edition
KEY_FIGURE_UNITS = {
    KeyFigure.Metric.SISTER_CITIES: (("件", "对"), 4),
    KeyFigure.Metric.OFFICES_IN_CHINA: (("カ所", "处"), 0),
    KeyFigure.Metric.LGOTP_TRAINEES: (("人", "人"), 20),
    KeyFigure.Metric.EXECUTIVE_SEMINAR_PARTICIPANTS: (("人", "名"), 6),
    KeyFigure.Metric.EXPERTS_DISPATCHED: (("人", "人"), 3),
}
# Counted at the start of April; the others are totals up to the year's end.
COUNTED_IN_APRIL = (KeyFigure.Metric.SISTER_CITIES, KeyFigure.Metric.OFFICES_IN_CHINA)


def generate(batch: Batch) -> None:
    """New brochure editions, older than every existing one, each with its key
    figures, JET figures and placements, and offices in China."""
    editions = new_editions(batch)
    batch.add_photos(editions, PHOTOS_PER_UNIT[BrochureEdition], cover(batch))
    values = earliest_key_figures()
    cumulative = jet.earliest_cumulative()
    key_figures, jet_figures, placements, offices = [], [], [], []
    for i, edition in enumerate(editions):  # newest first
        edition_offices = exchange.china_offices(batch, edition)
        offices += edition_offices
        in_china = sum(office.count for office in edition_offices)
        key_figures += edition_key_figures(batch, edition, values, in_china)
        edition_placements, figures = jet.edition_figures(
            batch, edition, cumulative, alt_prefectures=6 if i % 2 == 0 else 5
        )
        placements += edition_placements
        jet_figures += figures
    batch.bulk_create(key_figures)
    batch.bulk_create(jet_figures)
    batch.bulk_create(placements)
    batch.bulk_create(offices)


def new_editions(batch: Batch) -> list[BrochureEdition]:
    oldest = BrochureEdition.objects.aggregate(y=Min("year"))["y"] or 2019
    years = [oldest - 1 - i for i in range(batch.count(UNIT[BrochureEdition]))]
    return batch.bulk_create(
        [
            BrochureEdition(
                year=year,
                source_language=JAPANESE if i % 2 == 0 else CHINESE,
                **tr(
                    "title",
                    (
                        f"クレア北京 事務所事業紹介 {year}年度版",
                        f"CLAIR北京 事务所工作介绍 {year}年度版",
                    ),
                ),
                **tr(
                    "overview",
                    (
                        f"{year}年度版。北京事務所は、日中両国の地方自治体・地方政府間の"
                        "交流と協力を支援し、日本の地域の魅力を中国に発信しています。",
                        f"{year}年度版。北京事务所协助中日两国地方政府开展交流与合作，"
                        "并向中国宣传日本各地的魅力。",
                    ),
                ),
            )
            for i, year in enumerate(years)
        ]
    )


def cover(batch: Batch):
    def caption(edition, n):
        place = batch.rng.choice(batch.places.chinese_cities)
        position = COVER_POSITIONS[(n - 1) % len(COVER_POSITIONS)]
        return both(
            ("表紙写真（{p}）：{place}", "封面照片（{p}）：{place}"),
            p=position,
            place=place.full,
        )

    return caption


def earliest_key_figures() -> dict:
    """The published key figures of the oldest real editions, to count down from."""
    earliest = {}
    for figure in KeyFigure.objects.order_by("-as_of"):
        earliest[figure.metric] = figure.value
    return {metric: earliest.get(metric, 0) for metric in KEY_FIGURE_UNITS}


def edition_key_figures(
    batch: Batch, edition, values: dict, offices_in_china: int
) -> list[KeyFigure]:
    """An edition's key figures, each at most the newer edition's (`values`,
    updated); the offices in China are the sum of the offices per location."""
    figures = []
    for metric, (unit, step) in KEY_FIGURE_UNITS.items():
        if metric == KeyFigure.Metric.OFFICES_IN_CHINA:
            value = offices_in_china
        else:
            value = values[metric] = max(0, values[metric] - batch.rng.randint(0, step))
        counted = both(("{n}{u}", "{n}{u}"), n=str(value), u=unit)
        as_of, note = key_figure_note(metric, edition.year, counted)
        figures.append(
            KeyFigure(
                metric=metric,
                value=value,
                as_of=as_of,
                edition=edition,
                **tr("staff_note", note),
            )
        )
    return figures


def key_figure_note(metric, year: int, counted: tuple[str, str]):
    """When a figure counts, and the note that quotes the brochure's words
    (`counted`: the value with its unit, 12件)."""
    if metric in COUNTED_IN_APRIL:
        return datetime.date(year, 4, 1), both(
            (
                "冊子の記載は「{y}年4月現在で{v}」（日付の記載がないため月初とした）。",
                "手册记载为“截至{y}年4月共{v}”（未注明具体日期，取该月1日）。",
            ),
            y=str(year),
            v=counted,
        )
    return datetime.date(year, 3, 31), both(
        (
            "冊子の記載は「{y}年度までにのべ{v}」（{y}年度末とした）。",
            "手册记载为“截至{y}年度累计{v}”（取{y}年度末）。",
        ),
        y=str(year - 1),
        v=counted,
    )
