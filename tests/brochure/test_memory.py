"""The export streams: its peak memory does not grow with the rows."""

import datetime
import tracemalloc

import pytest

from clair_portal.features.brochure.export import write_csv_files, zip_chunks
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from exchange.models import CookingEvent, CookingMenuItem

from .conftest import read_csv

pytestmark = pytest.mark.django_db

FISCAL_YEAR = 2020  # no cooking event of the brochures in it


def add_cooking_events(count):
    """`count` events of FY2020, each with a partner and two dishes."""
    city = ChineseLocalGovernment.objects.get(code="310000")  # Shanghai
    partner = JapaneseLocalGovernment.objects.filter(kind="prefecture").first()
    first_day = datetime.date(FISCAL_YEAR, 4, 1)
    events = CookingEvent.objects.bulk_create(
        CookingEvent(
            fiscal_year=FISCAL_YEAR,
            start_date=first_day + datetime.timedelta(days=i % 365),
            city=city,
        )
        for i in range(count)
    )
    CookingEvent.partners.through.objects.bulk_create(
        CookingEvent.partners.through(
            cookingevent=event, japaneselocalgovernment=partner
        )
        for event in events
    )
    CookingMenuItem.objects.bulk_create(
        CookingMenuItem(
            event=event,
            name_ja=f"郷土料理{event.pk}-{n}",
            name_zh_hans=f"乡土料理{event.pk}-{n}",
            position=n,
        )
        for event in events
        for n in range(2)
    )


def peak_of(export):
    tracemalloc.start()
    try:
        export()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def csv_files(directory):
    return lambda: write_csv_files(
        fiscal_year=FISCAL_YEAR, language="ja", directory=directory
    )


def zip_download():
    size = 0
    for chunk in zip_chunks(fiscal_year=FISCAL_YEAR, language="ja"):
        size += len(chunk)  # sent, not kept
    return size


def test_peak_memory_does_not_grow_with_rows(tmp_path):
    add_cooking_events(500)
    peak_of(csv_files(tmp_path / "warm-up"))  # catalogs, caches, imports
    peak_of(zip_download)
    csv_500 = peak_of(csv_files(tmp_path / "500"))
    zip_500 = peak_of(zip_download)
    add_cooking_events(4500)
    csv_5000 = peak_of(csv_files(tmp_path / "5000"))
    zip_5000 = peak_of(zip_download)

    assert len(read_csv(tmp_path / "500" / "cooking_events.csv")[1]) == 500
    header, rows = read_csv(tmp_path / "5000" / "cooking_events.csv")
    assert len(rows) == 5000
    assert rows[0][header.index("メニュー")].startswith("郷土料理")
    mib = 2**20
    print(
        f"peak memory: CSV files {csv_500 / mib:.2f} MiB at 500 rows, "
        f"{csv_5000 / mib:.2f} MiB at 5,000; ZIP {zip_500 / mib:.2f} MiB "
        f"at 500, {zip_5000 / mib:.2f} MiB at 5,000"
    )
    assert csv_5000 < 1.5 * csv_500
    assert zip_5000 < 1.5 * zip_500
    assert max(csv_5000, zip_5000) < 4 * mib
