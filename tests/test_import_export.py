"""Import and export of program records in the admin (django-import-export)."""

import contextlib
import csv
import datetime
import html
import io

import openpyxl
import pytest
import tablib
import time_machine
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from import_export.forms import SelectableFieldsExportForm

from clair_portal.features.search.models import SearchDocument
from clair_portal.foundation.admin import ExportAdminMixin, ImportExportAdminMixin
from clair_portal.foundation.csv_files import escape_formula, unescape_formula
from clair_portal.foundation.import_columns import translated_fields
from clair_portal.foundation.import_formats import CSV, XLSX
from clair_portal.foundation.import_rows import SHOWN_ROWS
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
    TranslationState,
)
from clair_portal.foundation.resources import (
    BrochureEditionResource,
    ChineseLocalGovernmentResource,
    ExportOnlyResource,
    GreetingResource,
    JapaneseLocalGovernmentResource,
    KeyFigureResource,
    OfficeContactResource,
    PhotoResource,
    ProgramIntroResource,
    ProgramResource,
    StaffMemberResource,
)
from exchange.models import CookingEvent
from exchange.resources import (
    ChinaOfficeCountResource,
    CookingEventResource,
    CookingMenuItemResource,
    ExecutiveSeminarResource,
    LgotpPlacementResource,
    LivestreamPromotionResource,
    MediaCollaborationResource,
    TravelExpoResource,
)
from experts.resources import ExpertDispatchResource, ExpertFieldResource
from jet.models import JetFigure
from jet.resources import (
    JetFigureResource,
    JetPlacementResource,
    ReturneeGatheringResource,
)
from seminars.models import Seminar
from seminars.resources import (
    SeminarOrganiserResource,
    SeminarProgrammeDayResource,
    SeminarResource,
)
from support_requests.models import SupportRequest, SupportService
from support_requests.resources import (
    SupportExampleResource,
    SupportRequestResource,
    SupportServiceResource,
    SupportYearlyFigureResource,
)
from tests import factories

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
CSV_CHOICE, XLSX_CHOICE = "0", "1"  # the admin forms' format choices

# Every importable resource, each after the records it refers to.
DEPENDENCY_ORDER = [
    JapaneseLocalGovernmentResource,
    ChineseLocalGovernmentResource,
    BrochureEditionResource,
    KeyFigureResource,
    StaffMemberResource,
    GreetingResource,
    OfficeContactResource,
    ProgramIntroResource,
    SeminarResource,
    SeminarOrganiserResource,
    SeminarProgrammeDayResource,
    SupportServiceResource,
    SupportYearlyFigureResource,
    SupportExampleResource,
    JetFigureResource,
    JetPlacementResource,
    ReturneeGatheringResource,
    ChinaOfficeCountResource,
    LgotpPlacementResource,
    ExecutiveSeminarResource,
    TravelExpoResource,
    CookingEventResource,
    CookingMenuItemResource,
    LivestreamPromotionResource,
    MediaCollaborationResource,
    ExpertFieldResource,
    ExpertDispatchResource,
    # Last: a photo names its record by ID, whatever its kind.
    PhotoResource,
]


def all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from all_subclasses(subclass)


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def model_of(resource_class):
    return resource_class._meta.model


def bare_columns(model):
    """The bare columns of translated fields, as stored (modeltranslation's
    querysets would give the active language's value instead)."""
    names = sorted(translated_fields(model))
    if not names:
        return {}
    quote = connection.ops.quote_name
    columns = [model._meta.pk.column] + [model._meta.get_field(n).column for n in names]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)}"
        )
        rows = cursor.fetchall()
    return {pk: dict(zip(names, values, strict=True)) for pk, *values in rows}


def snapshot(resource_class):
    """Every record of the resource's model: each stored value (both languages
    of translated fields and the bare column, related records' IDs, many-to-many
    sets), by primary key. Only what the resource leaves out (a photo's image)
    is not compared."""
    model = model_of(resource_class)
    bare = translated_fields(model)
    excluded = set(resource_class._meta.exclude or [])
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.name not in bare | excluded
    ]
    stored_bare = bare_columns(model)
    return {
        record.pk: {
            **{field.attname: getattr(record, field.attname) for field in fields},
            **{
                field.name: set(
                    getattr(record, field.name).values_list("pk", flat=True)
                )
                for field in model._meta.many_to_many
            },
            "bare columns": stored_bare.get(record.pk),
        }
        for record in model._default_manager.all()
    }


def file_content(file_format, resource):
    """What the admin sends for every record of `resource` (see ExportAdminMixin)."""
    dataset = resource.export(force_native_type=file_format.is_binary())
    data = file_format.export_data(dataset)
    return data if file_format.is_binary() else data.encode("utf-8-sig")


def delete_all(model):
    # A municipality protects its prefecture: children first.
    for field in model._meta.fields:
        if field.is_relation and field.related_model is model:
            model._default_manager.filter(**{f"{field.name}__isnull": False}).delete()
    model._default_manager.all().delete()


def export_form_data(resource_class, file_format, resource_index=0):
    return {
        "format": file_format,
        "resource": str(resource_index),
        **{
            SelectableFieldsExportForm.create_boolean_field_name(
                resource_class, name
            ): "on"
            for name in resource_class().get_export_order()
        },
    }


def admin_export(client, model, resource_class, file_format, resource_index=0):
    response = client.post(
        admin_url(model, "export"),
        export_form_data(resource_class, file_format, resource_index),
    )
    assert response.status_code == 200, response.content[:500]
    return response


def admin_import_dry_run(client, model, content, file_format=CSV_CHOICE, name="x.csv"):
    return client.post(
        admin_url(model, "import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def edit_csv(content, resource_class, language, edit):
    """`content`, a CSV export made in `language`, with `edit` applied to its
    rows, given as dicts by column key."""
    with translation.override(language):
        keys = {label: key for key, label in resource_class.column_labels().items()}
    headers, *rows = csv_rows(content)
    records = [dict(zip([keys[h] for h in headers], row, strict=True)) for row in rows]
    edit(records)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([[record[keys[h]] for h in headers] for record in records])
    return out.getvalue().encode("utf-8-sig")


def set_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def brochures():
    """The brochures' data, whatever ran before (load_brochures is idempotent)."""
    call_command("load_brochures", verbosity=0)


@pytest.fixture
def staff_client(client):
    def sign_in(*group_names, permissions=()):
        user = factories.UserFactory()
        user.groups.set(Group.objects.filter(name__in=group_names))
        user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
        client.force_login(user)
        return client

    return sign_in


# The resources ------------------------------------------------------------------


def test_every_importable_resource_is_in_the_round_trip():
    importable = {
        resource
        for resource in all_subclasses(ProgramResource)
        if resource._meta.model is not None
        and not issubclass(resource, ExportOnlyResource)
    }
    assert importable == set(DEPENDENCY_ORDER)


def test_every_import_export_admin_names_its_resources():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ExportAdminMixin):
            assert model_admin.resource_classes, model
            for resource_class in model_admin.resource_classes:
                assert issubclass(resource_class, ProgramResource)


@pytest.mark.parametrize("resource_class", [*DEPENDENCY_ORDER, SupportRequestResource])
def test_columns_are_both_languages_never_the_bare_field(resource_class):
    model = model_of(resource_class)
    columns = set(resource_class.fields)
    for name in translated_fields(model):
        assert name not in columns
        assert {f"{name}_ja", f"{name}_zh_hans"} <= columns


@pytest.mark.parametrize("resource_class", [*DEPENDENCY_ORDER, SupportRequestResource])
def test_no_column_is_derived_from_the_others(resource_class):
    """A place's or a request's folded search text is the portal's own index,
    not data: it is neither exported nor imported."""
    derived = set(getattr(model_of(resource_class), "untracked_fields", ()))
    assert derived.isdisjoint(resource_class.fields)


def test_the_places_and_the_requests_have_derived_columns():
    # So that the test above leaves something out.
    assert "search" in JapaneseLocalGovernment.untracked_fields
    assert "search" in SupportRequest.untracked_fields


def test_related_records_are_named_by_their_keys(brochures):
    organiser = factories.SeminarOrganiserFactory()
    event = CookingEvent.objects.prefetch_related("partners").first()

    with translation.override("ja"):
        labels = SeminarOrganiserResource.column_labels()
        (organiser_row,) = (
            SeminarOrganiserResource()
            .export(
                queryset=SeminarOrganiserResource._meta.model.objects.filter(
                    pk=organiser.pk
                )
            )
            .dict
        )
        (seminar_row,) = (
            SeminarResource()
            .export(queryset=Seminar.objects.filter(pk=organiser.seminar_id))
            .dict
        )
        (event_row,) = (
            CookingEventResource()
            .export(queryset=CookingEvent.objects.filter(pk=event.pk))
            .dict
        )
        seminar_labels = SeminarResource.column_labels()
        event_labels = CookingEventResource.column_labels()

    assert str(organiser_row[labels["seminar"]]) == str(organiser.seminar.edition)
    assert seminar_row[seminar_labels["host_city"]] == organiser.seminar.host_city.code
    assert seminar_labels["theme_ja"].endswith(" [ja]")
    assert seminar_labels["theme_zh_hans"].endswith(" [zh-hans]")
    assert set(event_row[event_labels["partners"]].split(",")) == {
        partner.code for partner in event.partners.all()
    }


# Round trip -----------------------------------------------------------------------


@pytest.mark.parametrize("file_format", [CSV(), XLSX()], ids=["csv", "xlsx"])
def test_every_model_exported_and_imported_into_an_empty_database_is_the_same(
    brochures, file_format
):
    """Exported in Japanese, every record deleted, imported in Chinese in
    dependency order: the same records, field for field."""
    before = {resource: snapshot(resource) for resource in DEPENDENCY_ORDER}
    assert all(before.values()), "no data to export"
    with translation.override("ja"):
        files = {
            resource: file_content(file_format, resource())
            for resource in DEPENDENCY_ORDER
        }

    for resource in reversed(DEPENDENCY_ORDER):
        delete_all(model_of(resource))
    assert not any(snapshot(resource) for resource in DEPENDENCY_ORDER)

    with translation.override("zh-hans"):
        for resource in DEPENDENCY_ORDER:
            dataset = type(file_format)().create_dataset(files[resource])
            result = resource().import_data(dataset, dry_run=False, raise_errors=True)
            assert not result.has_validation_errors(), (
                resource,
                [row.error_dict for row in result.invalid_rows],
            )
            assert result.totals["new"] == len(before[resource])

    for resource in DEPENDENCY_ORDER:
        assert snapshot(resource) == before[resource], resource


def test_reimport_updates_instead_of_duplicating(brochures):
    before = snapshot(SeminarResource)
    dataset = SeminarResource().export()

    result = SeminarResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0
    assert result.totals["skip"] == len(before)
    assert snapshot(SeminarResource) == before


def test_a_place_without_id_is_found_by_its_code(brochures):
    place = ChineseLocalGovernment.objects.filter(kind="city").first()
    dataset = tablib.Dataset(
        [place.code, place.name_ja, "新的名称", place.kind, place.province.code],
        headers=["code", "name_ja", "name_zh_hans", "kind", "province"],
    )

    result = ChineseLocalGovernmentResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    assert ChineseLocalGovernment.objects.filter(code=place.code).count() == 1
    place.refresh_from_db()
    assert place.name_zh_hans == "新的名称"


def test_a_photo_file_carries_its_caption_not_its_image(brochures):
    photo = factories.PhotoFactory(subject=Seminar.objects.first())

    with translation.override("ja"):
        labels = PhotoResource.column_labels()
        (row,) = (
            PhotoResource()
            .export(queryset=type(photo).objects.filter(pk=photo.pk))
            .dict
        )

    assert "image" not in PhotoResource.fields
    assert row[labels["content_type"]] == "seminars.seminar"
    assert str(row[labels["object_id"]]) == str(photo.object_id)
    assert row[labels["caption_ja"]] == photo.caption_ja
    assert row[labels["caption_zh_hans"]] == photo.caption_zh_hans


def test_the_seminar_admin_exports_and_imports_its_organisers(admin_client, brochures):
    organisers = SeminarOrganiserResource._meta.model.objects.all()

    exported = admin_export(
        admin_client, Seminar, SeminarOrganiserResource, CSV_CHOICE, resource_index=1
    )
    header, *rows = csv_rows(exported.content)
    assert len(rows) == organisers.count()

    response = admin_client.post(
        admin_url(Seminar, "import"),
        {
            "resource": "1",
            "format": CSV_CHOICE,
            "import_file": SimpleUploadedFile("organisers.csv", exported.content),
        },
    )
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == organisers.count()


def test_support_requests_are_exported_without_their_token_and_never_imported():
    request = factories.SupportRequestFactory()
    request.services.add(factories.SupportServiceFactory())

    dataset = SupportRequestResource().export(
        queryset=SupportRequest.objects.filter(pk=request.pk)
    )

    assert "token" not in SupportRequestResource.fields
    assert request.token not in CSV().export_data(dataset)
    assert request.reference in CSV().export_data(dataset)
    with pytest.raises(ImproperlyConfigured):
        SupportRequestResource().import_data(dataset)


def test_the_whole_queue_is_exported_a_thousand_requests_a_query():
    """At scale 100 (10,989 requests) the export read 100 rows a query, each
    page further into the table: 221 queries and 10 s for the CSV."""
    government = factories.JapaneseCityFactory()
    service = factories.SupportServiceFactory()
    requests = SupportRequest.objects.bulk_create(
        factories.SupportRequestFactory.build_batch(1500, government=government)
    )
    SupportRequest.services.through.objects.bulk_create(
        SupportRequest.services.through(supportrequest=request, supportservice=service)
        for request in requests
    )

    with CaptureQueriesContext(connection) as queries:
        dataset = SupportRequestResource().export(queryset=SupportRequest.objects.all())

    assert len(dataset) == 1500
    assert all(service.code in row for row in dataset)
    # The count, then two pages, each with its services.
    assert len(queries) == 5, [query["sql"][:80] for query in queries.captured_queries]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ja", "絞り込み条件を読み取れませんでした"),
        ("zh-hans", "无法识别地址中的筛选条件"),
    ],
)
def test_an_export_with_filters_the_list_does_not_know(admin_client, language, said):
    # ?format=0 on the export's address was a 500 (IncorrectLookupParameters).
    admin_client.cookies["django_language"] = language
    url = admin_url(SupportRequest, "export")
    response = admin_client.get(url, {"format": "0", "no_such_field": "x"})
    assert response.status_code == 302 and response["Location"] == url
    page = admin_client.get(url)
    assert page.status_code == 200
    assert said in page.content.decode()


# Formats ----------------------------------------------------------------------------


def test_csv_export_starts_with_the_bom_and_xlsx_has_the_same_header(
    admin_client, brochures
):
    set_language(admin_client, "ja")

    csv_export = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE)
    xlsx_export = admin_export(admin_client, Seminar, SeminarResource, XLSX_CHOICE)

    assert csv_export["Content-Type"].startswith("text/csv")
    assert csv_export.content.startswith(BOM)
    header, *rows = csv_rows(csv_export.content)
    assert len(rows) == Seminar.objects.count()
    assert "テーマ [ja]" in header or "theme [ja]" in header.lower()
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_export.content))
    sheet = workbook.active
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == header
    assert sheet.max_row == len(rows) + 1


@pytest.mark.parametrize(
    ("language", "kind", "status"),
    [("ja", "活動支援", "申込受付"), ("zh-hans", "协助开展交流活动", "已受理申请")],
)
def test_a_requests_choices_are_exported_as_the_desk_reads_them(language, kind, status):
    request = factories.SupportRequestFactory()
    with translation.override(language):
        exported = CSV().export_data(
            SupportRequestResource().export(
                queryset=SupportRequest.objects.filter(pk=request.pk)
            )
        )
    assert kind in exported and status in exported
    assert "activity_support" not in exported and ",received," not in exported


def test_an_export_is_named_for_the_offices_day(admin_client, brochures):
    # 01:30 in Beijing on 5 December is still 4 December in UTC.
    with time_machine.travel(
        datetime.datetime(2026, 12, 4, 17, 30, tzinfo=datetime.UTC), tick=False
    ):
        response = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE)
    assert response["Content-Disposition"] == (
        'attachment; filename="Seminar-2026-12-05.csv"'
    )


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1+cmd", "-2+3", "@SUM(A1)", "'=quoted", "\t=x", "plain", "-", "+81"],
)
def test_escaping_round_trips(value):
    escaped = escape_formula(value)
    if value[0] in "=+-@'\t" and value not in ("+81",):
        assert escaped == "'" + value
    assert unescape_formula(escaped) == value


def test_a_formula_in_a_theme_comes_out_escaped(admin_client):
    formula = '=HYPERLINK("http://example.com/x","click")'
    seminar = factories.SeminarFactory(theme_ja=formula, theme_zh_hans="+SUM(1,2)")

    csv_export = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE)
    xlsx_export = admin_export(admin_client, Seminar, SeminarResource, XLSX_CHOICE)

    cells = [cell for row in csv_rows(csv_export.content) for cell in row]
    assert "'" + formula in cells and formula not in cells
    assert "'+SUM(1,2)" in cells
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_export.content)).active
    xlsx_cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in xlsx_cells)
    assert "'" + formula in [cell.value for cell in xlsx_cells]
    # Numbers and dates stay numbers and dates.
    assert any(isinstance(cell.value, int) for cell in xlsx_cells)
    assert any(isinstance(cell.value, datetime.datetime) for cell in xlsx_cells)

    # Imported back, the escape comes off: nothing changes.
    result = SeminarResource().import_data(
        CSV().create_dataset(csv_export.content), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    seminar.refresh_from_db()
    assert seminar.theme_ja == formula
    assert seminar.theme_zh_hans == "+SUM(1,2)"


def test_place_columns_take_names_as_well_as_codes(brochures):
    """A city and partner governments written as their names, in either
    language, where the header asks for codes."""
    with translation.override("ja"):
        content = file_content(CSV(), CookingEventResource())
        city = ChineseLocalGovernment.objects.filter(
            kind=ChineseLocalGovernment.Kind.CITY
        ).last()
        partners = JapaneseLocalGovernment.objects.filter(prefecture__isnull=True)[:2]

        def edit(records):
            records[0]["city"] = city.name_zh_hans
            records[0]["partners"] = f"{partners[0].name_ja}, {partners[1].code}"

        content = edit_csv(content, CookingEventResource, "ja", edit)
        result = CookingEventResource().import_data(
            CSV().create_dataset(content), dry_run=False
        )
    assert not result.has_errors() and not result.has_validation_errors()
    event = CookingEvent.objects.get(city=city)
    assert set(event.partners.all()) == set(partners)


# A bad row changes nothing ---------------------------------------------------------


def end_before_start(records):
    start = datetime.date.fromisoformat(records[1]["start_date"])
    records[1]["end_date"] = (start - datetime.timedelta(days=1)).isoformat()
    return gettext("The end date cannot be before the start date.")


def unknown_place_code(records):
    assert not ChineseLocalGovernment.objects.filter(code="999999").exists()
    records[1]["city"] = "999999"
    return "999999"


def not_a_date(records):
    records[1]["start_date"] = "2019/13/01"
    # Said in the staff member's language, with the cell: never a Python class
    # or import-export's English.
    return "「2019/13/01」は日付（2019-07-11 の形式）ではありません。"


BAD_ROWS = [end_before_start, unknown_place_code, not_a_date]


def with_a_bad_second_row(content, language, make_bad):
    """The cooking events' export with a valid change in its first row and
    `make_bad` applied to its second; returns the file and the message expected."""
    expected = []

    def edit(records):
        other_city = ChineseLocalGovernment.objects.exclude(
            code=records[0]["city"]
        ).filter(kind=ChineseLocalGovernment.Kind.CITY)[0]
        records[0]["city"] = other_city.code
        expected.append(make_bad(records))

    return edit_csv(content, CookingEventResource, language, edit), expected[0]


def error_messages(invalid_row):
    return [
        message for messages in invalid_row.error_dict.values() for message in messages
    ]


@pytest.mark.parametrize("make_bad", BAD_ROWS)
def test_a_bad_row_through_the_resource_changes_nothing(brochures, make_bad):
    before = snapshot(CookingEventResource)
    with translation.override("ja"):
        content = file_content(CSV(), CookingEventResource())
        content, expected = with_a_bad_second_row(content, "ja", make_bad)

        result = CookingEventResource().import_data(
            CSV().create_dataset(content),
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
        )

    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert any(
        expected in message for message in error_messages(result.invalid_rows[0])
    )
    assert snapshot(CookingEventResource) == before


@pytest.mark.parametrize("make_bad", BAD_ROWS)
def test_a_bad_row_through_the_admin_is_shown_and_changes_nothing(
    admin_client, brochures, make_bad
):
    set_language(admin_client, "ja")
    before = snapshot(CookingEventResource)
    exported = admin_export(
        admin_client, CookingEvent, CookingEventResource, CSV_CHOICE
    )
    with translation.override("ja"):
        content, expected = with_a_bad_second_row(exported.content, "ja", make_bad)

    response = admin_import_dry_run(admin_client, CookingEvent, content)

    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert any(
        expected in message for message in error_messages(result.invalid_rows[0])
    )
    assert not response.context.get("confirm_form")
    page = response.content.decode()
    assert expected in page
    assert "<td>2 </td>" in page  # the row's number
    assert snapshot(CookingEventResource) == before


def test_an_import_is_written_only_when_confirmed(admin_client, brochures):
    set_language(admin_client, "ja")
    exported = admin_export(
        admin_client, CookingEvent, CookingEventResource, CSV_CHOICE
    )
    first = CookingEvent.objects.order_by("-start_date").first()
    other_city = ChineseLocalGovernment.objects.filter(
        kind=ChineseLocalGovernment.Kind.CITY
    ).exclude(pk=first.city_id)[0]

    def edit(records):
        (record,) = [r for r in records if r["id"] == str(first.pk)]
        record["city"] = other_city.code

    with translation.override("ja"):
        content = edit_csv(exported.content, CookingEventResource, "ja", edit)

    dry_run = admin_import_dry_run(admin_client, CookingEvent, content)

    assert dry_run.status_code == 200
    result = dry_run.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1
    first.refresh_from_db()
    assert first.city_id != other_city.pk

    confirm = dry_run.context["confirm_form"]
    response = admin_client.post(
        admin_url(CookingEvent, "process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.city_id == other_city.pk


@pytest.mark.parametrize("file_format", [CSV_CHOICE, XLSX_CHOICE], ids=["csv", "xlsx"])
@pytest.mark.parametrize(
    ("export_language", "import_language"), [("ja", "zh-hans"), ("zh-hans", "ja")]
)
def test_a_file_exported_in_one_admin_language_imports_in_the_other(
    admin_client, brochures, export_language, import_language, file_format
):
    set_language(admin_client, export_language)
    exported = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE)
    set_language(admin_client, import_language)
    other = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE)
    assert csv_rows(exported.content)[0] != csv_rows(other.content)[0]
    if file_format == XLSX_CHOICE:
        set_language(admin_client, export_language)
        exported = admin_export(admin_client, Seminar, SeminarResource, XLSX_CHOICE)
        set_language(admin_client, import_language)

    response = admin_import_dry_run(
        admin_client, Seminar, exported.content, file_format, name="seminars.file"
    )

    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == Seminar.objects.count()
    assert response.context["confirm_form"]


# Thousands of rows ------------------------------------------------------------------

# A file of thousands of rows takes seconds, not minutes: each row costs a
# savepoint and its own write, whatever else the import does. The search
# index, the history and the translations' states are written for every row
# at once at the end, and not at all in the dry run. (Times: `make bench`.)
QUERIES_PER_ROW = 3
THOUSANDS = 2000


@contextlib.contextmanager
def counted_queries():
    counted = {"queries": 0}

    def count(execute, sql, params, many, context):
        counted["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


def new_seminars_csv(count, language="ja"):
    """A file of `count` seminars the database does not have, with the
    headers of an export in `language`."""
    with translation.override(language):
        labels = SeminarResource.column_labels()
    cities = list(
        ChineseLocalGovernment.objects.filter(kind="city").values_list(
            "code", flat=True
        )
    )
    first = max(Seminar.objects.values_list("edition", flat=True), default=0) + 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(labels.values())
    for number in range(count):
        start = datetime.date(1990 + number % 30, 5, 1 + number % 28)
        row = {
            "fiscal_year": start.year,
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "edition": first + number,
            "host_city": cities[number % len(cities)],
            "theme_ja": f"地域の魅力の発信 {number}",
            "theme_zh_hans": f"发挥地方魅力 {number}",
            "participants_japan": 10 + number % 90,
            "participants_china": 20 + number % 80,
            "report_ja": "日中の地方政府が観光と文化交流について意見を交わした。",
            "report_zh_hans": "中日地方政府就旅游与文化交流交换了意见。",
        }
        writer.writerow([row.get(name, "") for name in labels])
    return out.getvalue().encode("utf-8-sig"), range(first, first + count)


def confirm(client, model, dry_run):
    form = dry_run.context["confirm_form"]
    return client.post(
        admin_url(model, "process_import"),
        {name: form.initial[name] for name in form.fields},
    )


def test_thousands_of_new_rows_cost_a_few_queries_each(admin_client, brochures):
    """5,000 seminars took 61 s to preview (past gunicorn's timeout) and
    longer to import: 26 queries a row (the search index written row by row,
    a query and a savepoint for each of the model's constraints, the related
    records and the existing ones looked up a row at a time, the history and
    the translations' states a row at a time)."""
    content, editions = new_seminars_csv(THOUSANDS)

    with counted_queries() as preview:
        dry_run = admin_import_dry_run(admin_client, Seminar, content)

    assert dry_run.context["result"].totals["new"] == THOUSANDS
    assert preview["queries"] <= QUERIES_PER_ROW * THOUSANDS + 50
    assert not Seminar.objects.filter(edition__in=editions).exists()
    assert (
        not SearchDocument.objects.filter(source="seminars.seminar")
        .exclude(object_id__in=Seminar.objects.values("pk"))
        .exists()
    )

    with counted_queries() as confirmed:
        response = confirm(admin_client, Seminar, dry_run)

    assert response.status_code == 302
    assert confirmed["queries"] <= QUERIES_PER_ROW * THOUSANDS + 80
    imported = Seminar.objects.filter(edition__in=editions)
    pks = set(imported.values_list("pk", flat=True))
    assert len(pks) == THOUSANDS
    # Every record is found by the site's search, in both languages.
    indexed = SearchDocument.objects.filter(
        source="seminars.seminar", object_id__in=pks
    )
    assert indexed.count() == 2 * THOUSANDS
    assert set(indexed.values_list("language", flat=True)) == {"ja", "zh-hans"}
    # Each has its history, by the importer, as a save in the admin writes it.
    history = Seminar.history.filter(id__in=pks)
    assert history.count() == THOUSANDS
    assert set(history.values_list("history_type", "history_user__username")) == {
        ("+", "admin")
    }
    # Both languages were filled at once: translations made, none to review.
    states = TranslationState.objects.filter(
        content_type__model="seminar", object_id__in=pks
    )
    assert states.count() == 4 * THOUSANDS  # theme and report, ja and zh-hans
    assert not states.filter(needs_review=True).exists()


def test_an_import_changing_one_language_marks_the_other_as_an_edit_does(
    admin_client, brochures
):
    """The translations' states are written for every row at once: the rules
    are those of a save in the admin."""
    content, editions = new_seminars_csv(3)
    confirm(admin_client, Seminar, admin_import_dry_run(admin_client, Seminar, content))
    seminars = list(Seminar.objects.filter(edition__in=editions).order_by("edition"))

    def edit(records):
        for record in records:
            if int(record["edition"]) in editions:
                record["theme_ja"] += "（改）"

    exported = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE)
    with translation.override("ja"):
        content = edit_csv(exported.content, SeminarResource, "ja", edit)
    dry_run = admin_import_dry_run(admin_client, Seminar, content)
    assert dry_run.context["result"].totals["update"] == 3
    confirm(admin_client, Seminar, dry_run)

    to_review = TranslationState.objects.to_review().filter(
        content_type__model="seminar", object_id__in=[s.pk for s in seminars]
    )
    assert set(to_review.values_list("object_id", "field", "language")) == {
        (seminar.pk, "theme", "zh-hans") for seminar in seminars
    }
    assert (
        Seminar.history.filter(
            id__in=[s.pk for s in seminars], history_type="~"
        ).count()
        == 3
    )


def test_a_row_naming_a_record_an_earlier_row_added_updates_it(brochures):
    """As when each row read the database again: the second row of a seminar
    the file adds updates what the first wrote."""
    content, editions = new_seminars_csv(1)
    header, row = csv_rows(content)
    second = list(row)
    second[header.index("テーマ [ja]")] = "二度目の行"
    dataset = CSV().create_dataset(edit_csv_rows(header, [row, second]))

    with translation.override("ja"):
        result = SeminarResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert Seminar.objects.get(edition=editions[0]).theme_ja == "二度目の行"


def edit_csv_rows(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_constraint_the_database_checks_is_said_as_full_clean_says_it(
    admin_client, brochures, language
):
    """The constraints are checked as each row is written, not by a query each
    beforehand: a row against one still gets its message."""
    set_language(admin_client, language)
    figure = JetFigure.objects.select_related("edition").first()
    with translation.override(language):
        labels = JetFigureResource.column_labels()
    values = {
        "edition": figure.edition.year,
        "fiscal_year": figure.fiscal_year,
        "position": figure.position,
        "serving": 1,
    }
    content = edit_csv_rows(
        list(labels.values()), [[values.get(name, "") for name in labels]]
    )

    response = admin_import_dry_run(admin_client, JetFigure, content)

    (invalid,) = response.context["result"].invalid_rows
    with translation.override(language):
        expected = gettext(
            "This edition already has figures for this year and position."
        )
    assert expected in error_messages(invalid)
    assert expected in html.unescape(response.content.decode())


# The page of a large file ------------------------------------------------------------


def jet_figures_csv(count, language="ja"):
    """`count` rows of JET figures, each with errors in three cells."""
    with translation.override(language):
        labels = JetFigureResource.column_labels()
    bad = {"edition": "1899", "fiscal_year": "x", "position": "QQQ", "serving": "abc"}
    return edit_csv_rows(
        list(labels.values()), [[bad.get(name, "") for name in labels]] * count
    )


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_file_of_errors_lists_the_first_rows_and_counts_the_others(
    admin_client, brochures, language
):
    """5,000 rows that were all errors made a page of 4.8 MB (10 MB here), in
    22 s: it lists the first SHOWN_ROWS and says how many more have errors."""
    set_language(admin_client, language)
    rows = 3 * SHOWN_ROWS

    response = admin_import_dry_run(admin_client, JetFigure, jet_figures_csv(rows))

    result = response.context["result"]
    assert result.totals["invalid"] == rows
    assert [row.number for row in result.invalid_rows] == list(range(1, SHOWN_ROWS + 1))
    page = html.unescape(response.content.decode())
    with translation.override(language):
        told = ngettext(
            "%(shown)s more row has errors, not listed here. Correct the rows "
            "above, then import the file again to see it.",
            "%(shown)s more rows have errors, not listed here. Correct the rows "
            "above, then import the file again to see them.",
            rows - SHOWN_ROWS,
        ) % {"shown": rows - SHOWN_ROWS}
    assert told in page
    assert page.count('class="validation-error-count"') == SHOWN_ROWS
    assert len(response.content) < 300_000
    assert not response.context.get("confirm_form")


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_a_large_preview_lists_the_first_rows_and_imports_them_all(
    admin_client, brochures, language
):
    set_language(admin_client, language)
    rows = SHOWN_ROWS + 50
    content, editions = new_seminars_csv(rows, language)

    dry_run = admin_import_dry_run(admin_client, Seminar, content)

    page = html.unescape(dry_run.content.decode())
    with translation.override(language):
        told = ngettext(
            "%(shown)s more row is not listed here; it is imported with the "
            "others when you confirm.",
            "%(shown)s more rows are not listed here; they are imported with "
            "the others when you confirm.",
            50,
        ) % {"shown": 50}
    assert told in page
    assert page.count('<tr class="new">') == SHOWN_ROWS
    confirm(admin_client, Seminar, dry_run)
    assert Seminar.objects.filter(edition__in=editions).count() == rows


# Files that cannot be read -----------------------------------------------------------


def seminar_file():
    content, _editions = new_seminars_csv(3)
    return content.decode("utf-8-sig")


def workbook(text):
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text)):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cell(text, column, value):
    """`text` (a CSV) with `value` in `column` of its first row."""
    header, first, *rest = list(csv.reader(io.StringIO(text)))
    first[header.index(column)] = value
    return edit_csv_rows(header, [first, *rest])


NOT_UTF8 = (
    "The file is not in UTF-8, the encoding the portal reads CSV files in (it "
    "may be Shift_JIS, GBK or UTF-16). In Excel, save it as “CSV UTF-8 (Comma "
    "delimited)” and import that file, or import the workbook as XLSX."
)
NOT_A_WORKBOOK = (
    "This file is not an Excel workbook (XLSX), or it is protected by a "
    "password. Choose CSV as its format if it is a CSV file; otherwise save it "
    "from Excel as “Excel Workbook (*.xlsx)” without a password, and import "
    "that."
)
NO_ROWS = (
    "The file has no rows below its header row (the row that names the "
    "columns): there is nothing to import."
)


def cell_too_long():
    return gettext(
        "Data row %(row)s has a cell longer than %(max)s characters, the most a "
        'cell may hold. Shorten it; if it should be short, a quote (") that '
        "opens it is not closed."
    ) % {"row": 4, "max": "131,072"}


UNREADABLE_FILES = {
    "Shift_JIS": (
        CSV_CHOICE,
        lambda: seminar_file().encode("shift_jis", "replace"),
        lambda: gettext(NOT_UTF8),
    ),
    "GBK": (
        CSV_CHOICE,
        lambda: seminar_file().encode("gbk", "replace"),
        lambda: gettext(NOT_UTF8),
    ),
    "UTF-16 (Excel's Unicode text)": (
        CSV_CHOICE,
        lambda: seminar_file().replace(",", "\t").encode("utf-16"),
        lambda: gettext(NOT_UTF8),
    ),
    "random bytes": (
        CSV_CHOICE,
        lambda: bytes(range(128, 256)) * 40,
        lambda: gettext(NOT_UTF8),
    ),
    "an XLSX as CSV": (
        CSV_CHOICE,
        lambda: workbook(seminar_file()),
        lambda: gettext(
            "This file is an Excel workbook, not a CSV file: choose XLSX as its format."
        ),
    ),
    "a CSV as XLSX": (
        XLSX_CHOICE,
        lambda: seminar_file().encode("utf-8-sig"),
        lambda: gettext(NOT_A_WORKBOOK),
    ),
    "a 1 MB cell": (
        CSV_CHOICE,
        lambda: (seminar_file() + ",1990,,,," + "x" * 1_000_000 + "\n").encode(),
        cell_too_long,
    ),
    "an unclosed quote": (
        CSV_CHOICE,
        lambda: (seminar_file() + ',"' + "x" * 200_000 + "\n").encode(),
        cell_too_long,
    ),
    "a stray quote": (
        CSV_CHOICE,
        lambda: (seminar_file() + ',"x"y,1\n').encode(),
        lambda: (
            gettext(
                'Data row %(row)s cannot be read as CSV: a quote (") in it is not '
                "closed, or text follows a closing quote. Put a cell with quotes in "
                'quotes whole, and write each quote inside it twice ("").'
            )
            % {"row": 4}
        ),
    ),
    "only a BOM": (
        CSV_CHOICE,
        lambda: BOM,
        lambda: gettext(
            "The file is empty. Export the list to get a file with its columns, "
            "fill it in, and import that."
        ),
    ),
    "100,000 header columns": (
        CSV_CHOICE,
        lambda: ",".join(f"c{i}" for i in range(100_000)).encode(),
        lambda: gettext(NO_ROWS),
    ),
    "a header row only": (
        CSV_CHOICE,
        lambda: seminar_file().splitlines()[0].encode("utf-8-sig"),
        lambda: gettext(NO_ROWS),
    ),
    "no column the list has": (
        CSV_CHOICE,
        lambda: b"a,b,c\n1,2,3\n",
        lambda: (
            gettext(
                "None of the file's columns is a column of %(records)s: its header "
                "row must name them as an export of this list does (for example "
                "“%(example)s”). Export the list to get a file with its columns."
            )
            % {
                "records": Seminar._meta.verbose_name_plural,
                "example": SeminarResource.column_labels()["fiscal_year"],
            }
        ),
    ),
    "a row wider than the header": (
        CSV_CHOICE,
        lambda: (seminar_file() + ",".join(["1"] * 20) + "\n").encode(),
        lambda: (
            gettext(
                "Data row %(row)s has %(cells)s cells, more than the %(columns)s "
                "columns the header row names. Name each cell's column in the header "
                "row, or remove the cells past the last column."
            )
            % {"row": 4, "cells": 20, "columns": len(SeminarResource.fields)}
        ),
    ),
    "NUL in a number cell": (
        CSV_CHOICE,
        lambda: with_cell(seminar_file(), "中国側参加者", "1\x002"),
        lambda: (
            gettext("“%(value)s” is not %(expected)s.")
            % {"value": "1\N{SYMBOL FOR NULL}2", "expected": gettext("a whole number")}
        ),
    ),
    "NUL in the natural key": (
        CSV_CHOICE,
        lambda: with_cell(seminar_file(), "開催回", "3\x0079"),
        lambda: (
            gettext("“%(value)s” is not %(expected)s.")
            % {"value": "3\N{SYMBOL FOR NULL}79", "expected": gettext("a whole number")}
        ),
    ),
    "NUL in a text cell": (
        CSV_CHOICE,
        lambda: with_cell(seminar_file(), "テーマ [ja]", "テー\x00マ"),
        lambda: gettext("Null characters are not allowed."),
    ),
}


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
@pytest.mark.parametrize("case", list(UNREADABLE_FILES))
def test_a_file_that_cannot_be_read_is_refused_with_its_cause(
    admin_client, brochures, language, case
):
    """In the admin's language, what is wrong and what to do: never a Python
    exception ('UnicodeDecodeError' encountered..., [<class
    'decimal.ConversionSyntax'>]) or import-export's English."""
    file_format, build, message = UNREADABLE_FILES[case]
    seminars = snapshot(SeminarResource)
    set_language(admin_client, language)

    response = admin_import_dry_run(
        admin_client, Seminar, build(), file_format, name="seminars.file"
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    with translation.override(language):
        assert message() in page
    for internal in ("encountered", "Error", "<class", "Traceback", "No valid data"):
        assert internal not in page
    assert not response.context.get("confirm_form")
    assert snapshot(SeminarResource) == seminars


# Permissions ------------------------------------------------------------------------


def test_without_the_import_permission_the_import_view_is_forbidden(staff_client):
    client = staff_client(permissions=["view_seminar"])

    assert client.get(admin_url(Seminar, "import")).status_code == 403
    assert client.get(admin_url(Seminar, "export")).status_code == 200
    changelist = client.get(admin_url(Seminar, "changelist")).content.decode()
    assert "import_link" not in changelist
    assert "export_link" in changelist


def test_without_the_view_permission_nothing_is_exported(staff_client):
    client = staff_client(permissions=["change_seminar", "add_seminar"])

    # Django lets "change" view the changelist; export asks for "view".
    assert client.get(admin_url(Seminar, "export")).status_code == 403


def test_an_editor_can_import_and_export_program_records(staff_client):
    client = staff_client("editors")

    for model in (Seminar, CookingEvent, JapaneseLocalGovernment, SupportService):
        assert client.get(admin_url(model, "import")).status_code == 200, model
        assert client.get(admin_url(model, "export")).status_code == 200, model
    changelist = client.get(admin_url(Seminar, "changelist")).content.decode()
    assert "import_link" in changelist and "export_link" in changelist


def test_the_support_desk_exports_requests_but_imports_nothing(staff_client):
    request = factories.SupportRequestFactory()
    client = staff_client("support desk")

    with pytest.raises(NoReverseMatch):
        admin_url(SupportRequest, "import")
    changelist = client.get(admin_url(SupportRequest, "changelist")).content.decode()
    assert "export_link" in changelist and "import_link" not in changelist
    response = admin_export(client, SupportRequest, SupportRequestResource, CSV_CHOICE)
    assert request.reference in response.content.decode("utf-8-sig")
    assert request.token not in response.content.decode("utf-8-sig")
    for model in (SupportService, JapaneseLocalGovernment, ChineseLocalGovernment):
        assert client.get(admin_url(model, "import")).status_code == 403, model


IMPORT_EXPORT_ADMINS = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ExportAdminMixin)
]


@pytest.mark.parametrize(
    "model", IMPORT_EXPORT_ADMINS, ids=[m._meta.label for m in IMPORT_EXPORT_ADMINS]
)
def test_the_changelist_shows_import_and_export_to_a_superuser(admin_client, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="export_link"' in page
    can_import = isinstance(admin.site._registry[model], ImportExportAdminMixin)
    assert ('class="import_link"' in page) == can_import
    if can_import:
        assert admin_client.get(admin_url(model, "import")).status_code == 200


def test_an_import_cleans_text_as_the_admins_forms_do(admin_client):
    """Word's line break, BEL and a bidi override reached the public page
    through an import, drawn as boxes or reversing the line (a reviewer's
    run); the admin's forms removed them."""
    seminar = factories.SeminarFactory()
    content = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE).content

    def paste(records):
        records[0]["theme_ja"] = "テー\vマ\u202eX"
        records[0]["report_ja"] = "一行目\v二行目\x07"

    SeminarResource().import_data(
        CSV().create_dataset(edit_csv(content, SeminarResource, "ja", paste)),
        dry_run=False,
    )
    seminar.refresh_from_db()
    assert seminar.theme_ja == "テー マX"
    assert seminar.report_ja == "一行目\n二行目"


@pytest.mark.parametrize(
    ("cell", "read"),
    [("10.7", None), ("1e2", None), ("１０", 10), ("1,000", 1000), ("12", 12)],
)
def test_a_count_takes_whole_numbers_only(admin_client, cell, read):
    """ "10.7" was read as 10 and "1e2" as 100, without a word; the admin's
    form refuses them (a reviewer's run)."""
    seminar = factories.SeminarFactory(participants_japan=5)
    content = admin_export(admin_client, Seminar, SeminarResource, CSV_CHOICE).content

    def count(records):
        records[0]["participants_japan"] = cell

    result = SeminarResource().import_data(
        CSV().create_dataset(edit_csv(content, SeminarResource, "ja", count)),
        dry_run=False,
    )
    seminar.refresh_from_db()
    if read is None:
        assert result.has_validation_errors()
        (invalid,) = result.invalid_rows
        assert f"「{cell}」は整数ではありません。" in str(invalid.error_dict)
        assert seminar.participants_japan == 5
    else:
        assert not result.has_validation_errors() and not result.has_errors()
        assert seminar.participants_japan == read
