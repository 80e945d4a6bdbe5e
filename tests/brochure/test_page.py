"""The printable brochure: /<lang>/brochure/<fy>/, laid out as the office
prints it, from the same rows as the CSV export."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from PIL import Image

from clair_portal.features.brochure.sections import SECTIONS_BY_NAME
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    Photo,
)
from exchange.models import CookingEvent, CookingMenuItem, TravelExpo
from tests import factories

pytestmark = pytest.mark.django_db

CHAPTERS = ["office", "seminars", "support", "economy", "jet", "lgotp", "experts"]


@pytest.mark.parametrize(
    ("url", "facts"),
    [
        (
            "/ja/brochure/2018/",
            [
                "クレア北京 事務所事業紹介 2019年度版",
                "日中地域間交流推進セミナー",
                "第17回日中地域間交流推進セミナー",
                "四川省綿陽市",
                "喜多方ラーメンバーガー",
                "海南世界休閑旅游博覧会（ILTE）",
                "山西省大同市",
                "所長あいさつ",
                "北村 朋生",
                "368",
                "1,435",
                "76",
                "一般財団法人自治体国際化協会",
            ],
        ),
        (
            "/zh-hans/brochure/2022/",
            [
                "CLAIR北京 事务所工作介绍 2023年度版",
                "中日地方交流促进研讨会",
                "绵阳市",
                "福建省福州市",
                "酱油风味芋头煮",
                "三重县名张市、奈良县山添村",
                "1,428",
                "379",
                "26",
                "近松 茂弘",
            ],
        ),
    ],
)
def test_the_brochure_page(client, url, facts):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    language = url.split("/")[1]
    assert f'<html lang="{language}">' in html
    assert 'hreflang="ja"' in html and 'hreflang="zh-hans"' in html
    assert "/static/css/brochure.css" in html
    assert 'class="site-header"' in html
    for fact in facts:
        assert fact in html, fact
    assert 'class="brochure-index"' in html
    for anchor in ["office", "seminars", "contact"]:
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    # Photos without an image are not drawn: no placeholder boxes.
    assert "photo__pending" not in html
    assert f'href="/{language}/brochure/{url.split("/")[3]}.pdf"' in html


def test_fy2018_prints_its_programs_and_not_others(client):
    html = client.get("/ja/brochure/2018/").content.decode()
    for chapter in CHAPTERS:
        assert f'id="{chapter}"' in html, chapter
    assert 'id="table-livestreams"' not in html  # none in FY2018
    assert 'id="table-lgotp_placements"' not in html
    assert 'id="table-executive_seminar"' in html


def test_the_page_shows_the_rows_of_the_export():
    """Each table of the page has exactly the rows its CSV file has."""
    from clair_portal.features.brochure.selectors import printed_brochure

    brochure = printed_brochure(2018)
    for name, table in brochure.tables.items():
        section = SECTIONS_BY_NAME[name]
        expected = sum(rows.count() for _part, rows in section.cells(Value(2018)))
        assert len(table.rows) == expected, name
    assert len(brochure.tables["cooking_events"].rows) == 5


def test_a_year_without_data_is_404(client):
    assert client.get("/ja/brochure/2030/").status_code == 404
    assert client.get("/zh-hans/brochure/2030.pdf").status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_makes_a_constant_number_of_queries(client):
    url = "/ja/brochure/2018/"
    client.get(url)  # content types cached
    before = count_queries(client, url)
    city = ChineseLocalGovernment.objects.get(code="310000")
    partners = list(JapaneseLocalGovernment.objects.filter(kind="prefecture")[:3])
    for day in range(1, 6):
        event = CookingEvent.objects.create(
            start_date=datetime.date(2018, 6, day), fiscal_year=2018, city=city
        )
        event.partners.set(partners)
        CookingMenuItem.objects.create(
            event=event, name_ja="肉じゃが", name_zh_hans="土豆炖肉"
        )
        factories.PhotoFactory(subject=event)
        expo = TravelExpo.objects.create(
            start_date=datetime.date(2018, 7, day),
            fiscal_year=2018,
            name_ja="旅行博",
            name_zh_hans="旅游博览会",
            venue_ja="会場",
            venue_zh_hans="会场",
            city=city,
        )
        expo.partners.set(partners)
    assert count_queries(client, url) == before


def test_the_brochure_is_read_in_a_few_queries():
    """The years with records, the edition, every section's rows together,
    the photos, and the office's five small tables."""
    from clair_portal.features.brochure.selectors import printed_brochure

    printed_brochure(2018)  # content types cached
    with CaptureQueriesContext(connection) as queries:
        printed_brochure(2018)
    assert len(queries) == 9


def test_a_photo_with_its_image_is_shown(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "#1d4f91").save(buffer, "JPEG")
    photo = Photo.objects.get(caption_ja="長虹商貿中心展館の視察")
    photo.image = SimpleUploadedFile("page-visit.jpg", buffer.getvalue(), "image/jpeg")
    photo.save()
    assert photo.content_type == ContentType.objects.get(model="seminar")
    html = client.get("/ja/brochure/2018/").content.decode()
    assert '<img src="/media/CACHE/' in html
    assert "<figcaption>長虹商貿中心展館の視察</figcaption>" in html


def test_a_photo_whose_file_is_gone_is_not_drawn(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Photo.objects.filter(caption_ja="講演中の参加者の様子").update(
        image="photos/2018/gone.jpg"
    )
    response = client.get("/ja/brochure/2018/")
    assert response.status_code == 200
    assert "講演中の参加者の様子" not in response.content.decode()
