"""Every rule the data keeps is a database constraint, with a message in forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from clair_portal.foundation.models import (
    BrochureEdition,
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    KeyFigure,
)
from exchange.models import CookingEvent
from experts.models import ExpertDispatch, ExpertField
from jet.models import JetFigure
from seminars.models import Seminar
from support_requests.models import SupportRequest

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.fixture
def mianyang():
    return ChineseLocalGovernment.objects.get(code="510700")


def test_end_not_before_start(mianyang):
    refused(
        lambda: CookingEvent.objects.create(
            city=mianyang,
            fiscal_year=2018,
            start_date=datetime.date(2018, 9, 15),
            end_date=datetime.date(2018, 9, 14),
        )
    )


def test_fiscal_year_follows_start_date(mianyang):
    refused(
        lambda: CookingEvent.objects.create(
            city=mianyang, fiscal_year=2019, start_date=datetime.date(2019, 1, 12)
        )
    )
    event = CookingEvent(city=mianyang, start_date=datetime.date(2019, 1, 12))
    event.full_clean()
    assert event.fiscal_year == 2018


def test_one_seminar_per_edition(mianyang):
    refused(
        lambda: Seminar.objects.create(edition=17, fiscal_year=2030, host_city=mianyang)
    )
    with translation.override("ja"):
        with pytest.raises(ValidationError) as error:
            Seminar(edition=17, fiscal_year=2030, host_city=mianyang).full_clean()
    assert "edition" in error.value.message_dict


def test_counts_not_negative():
    edition = BrochureEdition.objects.get(year=2019)
    refused(
        lambda: JetFigure.objects.create(
            edition=edition, fiscal_year=2030, position="ALT", serving=-1
        )
    )
    refused(
        lambda: KeyFigure.objects.create(
            edition=edition,
            metric="sister_cities",
            value=-5,
            as_of=datetime.date(2030, 1, 1),
        )
    )


def test_one_figure_per_edition_year_and_position():
    edition = BrochureEdition.objects.get(year=2019)
    refused(
        lambda: JetFigure.objects.create(
            edition=edition, fiscal_year=2019, position="ALT", serving=1
        )
    )


def test_municipality_needs_prefecture():
    refused(
        lambda: JapaneseLocalGovernment.objects.create(
            code="99999", name_ja="架空市", name_zh_hans="虚构市", kind="city"
        )
    )
    city = JapaneseLocalGovernment(code="99999", name_ja="架空市", kind="city")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "prefecture" in error.value.message_dict


def test_delegation_size_and_stay_dates():
    government = JapaneseLocalGovernment.objects.get(code="31")
    base = dict(
        kind="activity_support",
        fiscal_year=2026,
        government=government,
        department="国際課",
        contact_name="山田",
        email="a@example.jp",
        phone="0857-00-0000",
    )
    refused(
        lambda: SupportRequest.objects.create(
            reference="BJ-T-1", delegation_size=0, **base
        )
    )
    refused(
        lambda: SupportRequest.objects.create(
            reference="BJ-T-2",
            stay_start=datetime.date(2026, 5, 2),
            stay_end=datetime.date(2026, 5, 1),
            **base,
        )
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ja", "終了日は開始日より前にできません。"),
        ("zh-hans", "结束日期不能早于开始日期。"),
    ],
)
def test_form_message_in_the_users_language(mianyang, language, message):
    dispatch = ExpertDispatch(
        destination=mianyang,
        field=ExpertField.objects.first(),
        subject_ja="件名",
        subject_zh_hans="主题",
        expert_ja="県職員",
        expert_zh_hans="县职员",
        start_date=datetime.date(2018, 5, 29),
        end_date=datetime.date(2018, 5, 22),
    )
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            dispatch.full_clean()
        assert error.value.message_dict["end_date"] == [message]
