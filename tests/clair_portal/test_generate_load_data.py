"""generate_load_data: N times the brochures' volume, bilingual, valid, repeatable."""

import hashlib
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Max
from django.utils import translation

from clair_portal.features.data_checks import data_findings
from clair_portal.features.load_data import (
    DEFAULT_SEED,
    PHOTOS_PER_UNIT,
    REQUESTS_PER_UNIT,
    UNIT,
    generate_load_data,
    settle_tables,
)
from clair_portal.features.management.commands.generate_load_data import (
    Command as GenerateLoadData,
)
from clair_portal.features.staff_roles import SUPPORT_DESK
from clair_portal.foundation.models import BrochureEdition, KeyFigure, Photo
from clair_portal.foundation.translations import missing_translation_counts
from exchange.models import CookingEvent, ExecutiveSeminar, LivestreamPromotion
from jet.models import JetFigure
from seminars.models import Seminar
from support_requests.models import RequestKind, SupportExample, SupportRequest

pytestmark = pytest.mark.django_db

SCALE = 2
LINKS = [
    SupportRequest.services,
    SupportExample.governments,
    ExecutiveSeminar.visited,
    CookingEvent.partners,
    LivestreamPromotion.governments,
]


def counts():
    return {model: model._default_manager.count() for model in UNIT}


@pytest.fixture
def generated():
    """The brochures plus load data at scale 2: (counts before, command output)."""
    before = counts()
    out = io.StringIO()
    call_command("generate_load_data", "--scale", str(SCALE), stdout=out)
    return before, out.getvalue()


def test_adds_the_brochures_volume_times_the_scale(generated):
    before, _ = generated
    after = counts()
    grown = {
        model._meta.label: after[model] - before[model]
        for model in UNIT
        if after[model] - before[model] != UNIT[model] * SCALE
    }
    assert grown == {}, "models that did not grow by the scale times their unit"
    assert sum(PHOTOS_PER_UNIT.values()) == UNIT[Photo]
    for relation in LINKS:
        assert relation.through.objects.exists(), relation.through._meta.label


def test_prints_what_it_created(generated):
    _, output = generated
    assert f"seminars.Seminar: {UNIT[Seminar] * SCALE}" in output
    assert f"support_requests.SupportRequest: {UNIT[SupportRequest] * SCALE}" in output
    assert "support_requests.SupportRequest_services: " in output
    assert f"at scale {SCALE} (seed {DEFAULT_SEED})" in output


def test_leaves_the_tables_settled_for_measurement(generated):
    """The command ends as autovacuum would, so that a benchmark after it
    reads the plans and the indexes of a database in service: the planner
    counts the new rows, and the trigram indexes hold no pending entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [SupportRequest._meta.db_table],
        )
        (estimated,) = cursor.fetchone()
        cursor.execute("SELECT gin_clean_pending_list('supportrequest_search')")
        (pending_pages,) = cursor.fetchone()
    assert estimated == SupportRequest.objects.count() > 0
    assert pending_pages == 0


def test_every_translation_in_both_languages(generated):
    missing = {
        model._meta.label: count
        for model, count in missing_translation_counts()
        if count
    }
    assert missing == {}


def test_a_sample_of_every_model_passes_full_clean(generated):
    for model in UNIT:
        sample = model._default_manager.order_by("-pk")[:5]
        assert sample, model._meta.label
        for record in sample:
            record.full_clean()


def test_records_follow_the_rules(generated):
    # New seminars are numbered after the brochures' 18, in later fiscal years.
    new_seminars = Seminar.objects.filter(edition__gt=18)
    assert new_seminars.count() == UNIT[Seminar] * SCALE
    assert not new_seminars.filter(fiscal_year__lte=2019).exists()
    assert not new_seminars.filter(start_date__isnull=True).exists()
    # Figures kept per edition go to new, older editions.
    new_editions = BrochureEdition.objects.filter(year__lt=2019)
    assert new_editions.count() == UNIT[BrochureEdition] * SCALE
    assert BrochureEdition.objects.order_by("-year").first().year == 2023
    assert KeyFigure.objects.filter(edition__in=new_editions).count() == (
        UNIT[KeyFigure] * SCALE
    )
    assert JetFigure.objects.filter(edition__in=new_editions).count() == (
        UNIT[JetFigure] * SCALE
    )
    # References of their own, never a real one's.
    references = SupportRequest.objects.values_list("reference", flat=True)
    assert all(reference.startswith("LOAD-") for reference in references)
    for kind, count in zip(RequestKind.values, REQUESTS_PER_UNIT, strict=True):
        assert SupportRequest.objects.filter(kind=kind).count() == count * SCALE
    assert not SupportRequest.objects.filter(
        kind=RequestKind.EXPERT_DISPATCH, chinese_government=None
    ).exists()
    assert SupportRequest.objects.values("status").distinct().count() > 3
    # Worked by a desk of its own, as the queue shows requests in service.
    assigned = SupportRequest.objects.exclude(assignee=None)
    assert assigned.exists()
    assert SupportRequest.objects.filter(assignee=None).exists()
    assert not assigned.exclude(assignee__groups__name=SUPPORT_DESK).exists()
    assert assigned.exclude(last_activity_by=None).exists()
    assert assigned.filter(last_activity_by=None).exists()
    for request in SupportRequest.objects.exclude(stay_start=None):
        assert request.stay_end >= request.stay_start
        assert request.created_at.date() <= request.stay_start
    # Photos without image files.
    assert not Photo.objects.exclude(image="").exists()


def test_published_figures_still_agree_with_each_other():
    """Generated JET totals, placements and offices add up, and cumulative
    figures never fall: no finding but the brochures' own. (Expert totals
    cannot follow the generated dispatches, which fall between published
    figures: that check is left out.)"""

    def findings():
        return {str(f) for f in data_findings() if f.section != "experts_dispatched"}

    before = findings()
    generate_load_data(scale=SCALE)
    assert findings() == before


def test_running_twice_adds_another_batch():
    before = counts()
    generate_load_data(scale=1)
    generate_load_data(scale=1)
    after = counts()
    assert {m: after[m] - before[m] for m in UNIT} == {m: 2 * UNIT[m] for m in UNIT}
    assert SupportRequest.objects.filter(reference__endswith="-00001").count() == len(
        set(SupportRequest.objects.values_list("fiscal_year", flat=True))
    )


def snapshot():
    return (
        list(
            Seminar.objects.filter(edition__gt=18)
            .order_by("edition")
            .values_list(
                "edition", "start_date", "host_city", "theme_ja", "report_zh_hans"
            )
        ),
        list(
            SupportRequest.objects.order_by("reference").values_list(
                "reference", "token", "created_at", "government", "purpose"
            )
        ),
        list(
            Photo.objects.order_by(
                "content_type", "position", "caption_ja"
            ).values_list("content_type", "position", "caption_ja", "caption_zh_hans")
        ),
    )


def test_the_same_seed_gives_the_same_records():
    def generated_with(seed):
        with transaction.atomic():
            generate_load_data(scale=1, seed=seed)
            records = snapshot()
            transaction.set_rollback(True)
        return records

    first = generated_with(7)
    assert generated_with(7) == first
    assert generated_with(8) != first


def test_refuses_a_scale_below_one():
    with pytest.raises(CommandError):
        call_command("generate_load_data", "--scale", "0", stdout=io.StringIO())


def test_help_says_it_is_not_idempotent():
    assert "NOT idempotent" in GenerateLoadData.help


# What generate_load_data(scale=N) creates with the default seed on the
# brochures, per model label (many-to-many rows under their through model's
# label, which follow the random draws), and a digest of every created record's
# own values. Pinned so that reorganising the generator cannot change its
# output; change them only when the output is meant to change.
CREATED = {
    1: {
        "clair_portal.BrochureEdition": 2,
        "clair_portal.KeyFigure": 10,
        "clair_portal.Photo": 46,
        "exchange.ChinaOfficeCount": 10,
        "exchange.CookingEvent": 9,
        "exchange.CookingEvent_partners": 12,
        "exchange.CookingMenuItem": 30,
        "exchange.ExecutiveSeminar": 1,
        "exchange.ExecutiveSeminar_visited": 2,
        "exchange.LgotpPlacement": 7,
        "exchange.LivestreamPromotion": 6,
        "exchange.LivestreamPromotion_governments": 8,
        "exchange.MediaCollaboration": 7,
        "exchange.TravelExpo": 3,
        "exchange.TravelExpo_partners": 4,
        "experts.ExpertDispatch": 6,
        "jet.JetFigure": 8,
        "jet.JetPlacement": 11,
        "jet.ReturneeGathering": 2,
        "news.NewsItem": 24,
        "news.Publication": 4,
        "seminars.Seminar": 18,
        "seminars.SeminarOrganiser": 16,
        "seminars.SeminarProgrammeDay": 6,
        "support_requests.SupportExample": 6,
        "support_requests.SupportExample_governments": 6,
        "support_requests.SupportRequest": 111,
        "support_requests.SupportRequest_services": 250,
    },
    3: {
        "clair_portal.BrochureEdition": 6,
        "clair_portal.KeyFigure": 30,
        "clair_portal.Photo": 138,
        "exchange.ChinaOfficeCount": 30,
        "exchange.CookingEvent": 27,
        "exchange.CookingEvent_partners": 37,
        "exchange.CookingMenuItem": 90,
        "exchange.ExecutiveSeminar": 3,
        "exchange.ExecutiveSeminar_visited": 4,
        "exchange.LgotpPlacement": 21,
        "exchange.LivestreamPromotion": 18,
        "exchange.LivestreamPromotion_governments": 28,
        "exchange.MediaCollaboration": 21,
        "exchange.TravelExpo": 9,
        "exchange.TravelExpo_partners": 11,
        "experts.ExpertDispatch": 18,
        "jet.JetFigure": 24,
        "jet.JetPlacement": 33,
        "jet.ReturneeGathering": 6,
        "news.NewsItem": 72,
        "news.Publication": 12,
        "seminars.Seminar": 54,
        "seminars.SeminarOrganiser": 48,
        "seminars.SeminarProgrammeDay": 18,
        "support_requests.SupportExample": 18,
        "support_requests.SupportExample_governments": 18,
        "support_requests.SupportRequest": 333,
        "support_requests.SupportRequest_services": 755,
    },
}
DIGEST = {
    1: "215141a969f1ffa5d25a03eb32731cfb6630346bfd3f74953b49a79620c752a9",
    3: "f2671c09f3f66021fb6ed4606394ed4b511ad90d706bcfee11e2352507f808b2",
}


def last_pks():
    return {
        model: model._default_manager.aggregate(m=Max("pk"))["m"] or 0 for model in UNIT
    }


def own_values_digest(after_pks):
    """sha256 over the records created after `after_pks` (per model, the highest
    primary key before): their own columns, sorted, without primary or foreign
    keys, which depend on the database's sequences, nor the times Django
    stamps on a save (auto_now, auto_now_add: the clock's, not the draws')."""
    digest = hashlib.sha256()
    for model in sorted(UNIT, key=lambda m: m._meta.label):
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if not (f.primary_key or f.is_relation or f.name == "object_id")
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        ]
        created = model._default_manager.filter(pk__gt=after_pks[model])
        rows = sorted(repr(row) for row in created.values_list(*columns))
        digest.update(f"{model._meta.label}:{len(rows)}".encode())
        for row in rows:
            digest.update(row.encode())
    return digest.hexdigest()


@pytest.mark.parametrize("scale", [1, 3])
def test_creates_the_rows_it_always_has(scale):
    before, pks = counts(), last_pks()
    created = generate_load_data(scale=scale)
    assert dict(created) == CREATED[scale]
    after = counts()
    assert {model._meta.label: after[model] - before[model] for model in UNIT} == {
        model._meta.label: created[model._meta.label] for model in UNIT
    }
    # modeltranslation reads a translated field's bare column as the active
    # language's: an earlier test may have left Chinese active.
    with translation.override(settings.LANGUAGE_CODE):
        assert own_values_digest(pks) == DIGEST[scale]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_tables_are_vacuumed(restore_after_flush):
    """Run by the command (or `manage.py shell`), settle_tables() vacuums:
    the visibility map lets index-only scans skip the heap, as in service."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (before,) = cursor.fetchone()
        settle_tables()
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables"
            " WHERE relname = %s",
            [SupportRequest._meta.db_table],
        )
        vacuumed, analysed = cursor.fetchone()
    assert vacuumed is not None and vacuumed >= before
    assert analysed is not None and analysed >= before
