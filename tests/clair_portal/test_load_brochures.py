"""The brochures' data as load_brochures puts it in the database."""

import datetime
import io

import pytest
from django.core import serializers
from django.core.management import call_command
from django.utils import translation

from clair_portal.features.data_checks import data_findings
from clair_portal.foundation.local_apps import local_models
from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    ContentVersion,
    JapaneseLocalGovernment,
    KeyFigure,
)
from clair_portal.foundation.translations import missing_translation_counts
from exchange.models import CookingEvent, LgotpPlacement, LivestreamPromotion
from experts.models import ExpertDispatch
from jet.models import JetFigure, Position
from seminars.models import Seminar
from support_requests.models import RequestKind, SupportYearlyFigure

pytestmark = pytest.mark.django_db


def snapshot():
    """Every local record, serialized: what a second load must not change
    (but the page cache's token, which any write replaces, even of the same
    values)."""
    return {
        model._meta.label: serializers.serialize(
            "json", model._default_manager.order_by("pk")
        )
        for model in local_models()
        if model is not ContentVersion
    }


def test_loading_twice_changes_nothing():
    before = snapshot()
    call_command("load_brochures", stdout=io.StringIO())
    assert snapshot() == before


def test_places():
    prefectures = JapaneseLocalGovernment.objects.filter(kind="prefecture")
    assert prefectures.count() == 47
    assert prefectures.get(code="13").name_ja == "東京都"
    assert prefectures.get(code="13").name_zh_hans == "东京都"
    assert ChineseLocalGovernment.objects.filter(province__isnull=True).count() == 34
    mianyang = ChineseLocalGovernment.objects.get(code="510700")
    assert (mianyang.name_ja, mianyang.name_zh_hans) == ("綿陽市", "绵阳市")
    assert mianyang.province.code == "510000"


def test_seminar_17_at_mianyang():
    seminar = Seminar.objects.get(edition=17)
    assert seminar.host_city.code == "510700"
    assert seminar.fiscal_year == 2018
    assert seminar.start_date == datetime.date(2018, 7, 11)
    assert seminar.end_date == datetime.date(2018, 7, 13)
    assert (seminar.participants_japan, seminar.participants_china) == (59, 88)
    assert seminar.participants_total == 147
    assert seminar.theme_ja == "新産業創出と企業誘致による持続的な地方の発展について"
    assert seminar.theme_zh_hans == "加强新产业培育及招商引资，促进地方可持续发展"
    assert seminar.organisers.filter(role="co_organiser").count() == 2
    assert seminar.programme.count() == 3
    assert seminar.photos.count() == 5  # the sixth shows the JET gathering


def test_seminar_themes_reconciled():
    """The Chinese table is right for editions 7 to 9 (DESIGN.md)."""
    themes = dict(
        Seminar.objects.filter(edition__in=[7, 8, 9]).values_list("edition", "theme_ja")
    )
    assert themes[7].startswith("日中の環境協力を地域から促進")
    assert themes[8].startswith("世界的な金融危機を受けて")
    assert themes[9].startswith("日中地域間文化観光交流の更なる推進に向けて")
    assert Seminar.objects.count() == 18
    fuzhou = Seminar.objects.get(edition=18)
    assert fuzhou.participants_total == 178
    assert fuzhou.theme_ja == "更なる地方協力と発展機会の共有"


def test_jet_cumulative_as_each_edition_published():
    totals = dict(
        JetFigure.objects.filter(position=Position.TOTAL).values_list(
            "edition__year", "cumulative"
        )
    )
    assert totals == {2019: 1435, 2023: 1428}


def test_key_figures():
    values = set(KeyFigure.objects.values_list("metric", "value"))
    assert {
        ("sister_cities", 368),
        ("sister_cities", 379),
        ("offices_in_china", 45),
        ("offices_in_china", 42),
        ("lgotp_trainees", 514),
        ("executive_seminar_participants", 135),
        ("experts_dispatched", 99),
        ("experts_dispatched", 101),
    } <= values


def test_support_figures():
    figures = set(
        SupportYearlyFigure.objects.values_list("fiscal_year", "kind", "count")
    )
    assert figures == {
        (2018, RequestKind.ACTIVITY_SUPPORT, 76),
        (2018, RequestKind.OVERSEAS_RESEARCH, 3),
        (2022, RequestKind.ACTIVITY_SUPPORT, 26),
    }


def test_fy2018_cooking_menus():
    events = CookingEvent.objects.filter(fiscal_year=2018).order_by("start_date")
    assert events.count() == 5
    okinawa = events.get(start_date=datetime.date(2019, 1, 12))
    assert okinawa.partners.get().code == "47"
    assert [item.name_ja for item in okinawa.menu.all()] == [
        "タコライス",
        "塩クッキー",
        "黒糖ショウガドリンク",
    ]
    assert all(item.name_zh_hans for item in okinawa.menu.all())
    first = events.first()
    assert first.menu.first().name_ja == "喜多方ラーメンバーガー"
    assert CookingEvent.objects.filter(fiscal_year=2022).count() == 4


def test_fy2022_livestreams_and_fy2019_lgotp():
    assert LivestreamPromotion.objects.filter(fiscal_year=2022).count() == 6
    assert LgotpPlacement.objects.filter(fiscal_year=2019).count() == 7


def test_expert_dispatches():
    first = ExpertDispatch.objects.order_by("start_date").first()
    assert first.start_date == datetime.date(2018, 5, 22)
    assert first.destination.code == "410200"
    assert first.expert_ja == "元栃木県職員"
    assert ExpertDispatch.objects.filter(fiscal_year=2018).count() == 4
    assert ExpertDispatch.objects.filter(fiscal_year=2019).count() == 2


def test_both_languages_answer():
    seminar = Seminar.objects.get(edition=17)
    with translation.override("zh-hans"):
        assert seminar.theme == seminar.theme_zh_hans
        assert str(seminar.host_city) == "绵阳市"
    with translation.override("ja"):
        assert seminar.theme == seminar.theme_ja
    assert BrochureEdition.objects.count() == 2


def test_no_translated_value_in_one_language_only():
    assert [(m._meta.label, n) for m, n in missing_translation_counts() if n] == []


def test_check_data_reports_the_brochures_inconsistencies():
    before = snapshot()
    findings = [str(f) for f in data_findings()]
    assert any("cumulative total falls from 1,435" in f for f in findings), findings
    assert any("ALT breakdown adds up to 20 but 6 serving" in f for f in findings), (
        findings
    )
    out = io.StringIO()
    call_command("check_data", stdout=out)
    assert "1,435" in out.getvalue()
    assert snapshot() == before
