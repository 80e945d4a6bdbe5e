"""What every program's generator shares: the batch (scale, seed, the one
random source, the rows created), the fiscal years records fall in, bulk
inserts, and both languages of a translated field."""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Max
from modeltranslation.utils import build_localized_fieldname

from clair_portal.foundation.fiscal import fiscal_year_bounds
from clair_portal.foundation.languages import LIST_SEPARATOR
from clair_portal.foundation.models import Photo

if TYPE_CHECKING:
    from .places import Places

DEFAULT_SEED = 2019
BATCH_SIZE = 1000
# Events fall in these fiscal years; support requests in the portal's years.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2005, 2025
FIRST_REQUEST_YEAR, LAST_REQUEST_YEAR = 2019, 2026

# Every (Japanese, Simplified Chinese) pair of words is written in the order of
# the portal's two languages.
JAPANESE, CHINESE = (code for code, _name in settings.LANGUAGES)
GENERATED_NOTE = ("負荷試験用の生成データ", "负载测试用的生成数据")


def tr(name: str, pair: tuple[str, str]) -> dict[str, str]:
    """Both languages of a translated field: tr("title", (ja, zh))."""
    return {
        build_localized_fieldname(name, language): text
        for language, text in zip((JAPANESE, CHINESE), pair, strict=True)
    }


def pair_of(record, name: str) -> tuple[str, str]:
    """A translated field of a record, as a (ja, zh) pair."""
    return tuple(
        getattr(record, build_localized_fieldname(name, language))
        for language in (JAPANESE, CHINESE)
    )


def both(template: tuple[str, str], **names) -> tuple[str, str]:
    """Fill a (ja, zh) template; each value is a (ja, zh) pair or one string."""

    def pick(i):
        return {k: (v[i] if isinstance(v, tuple) else v) for k, v in names.items()}

    return template[0].format(**pick(0)), template[1].format(**pick(1))


def joined(pairs) -> tuple[str, str]:
    """(ja, zh) pairs as one pair of lists: 北京、上海."""
    pairs = list(pairs)
    return tuple(LIST_SEPARATOR.join(p[i] for p in pairs) for i in (0, 1))


@dataclass
class Batch:
    """One run of the generator: what it draws from and what it has created."""

    scale: int
    seed: int
    places: "Places"
    services: list
    expert_fields: list
    created: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def count(self, unit: int) -> int:
        return unit * self.scale

    def bulk_create(self, objs: list) -> list:
        if objs:
            model = type(objs[0])
            model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            self.created[model._meta.label] += len(objs)
        return objs

    def link(self, relation, records: list, related: list[list]) -> None:
        """Link each record to its list of related places (PlaceNames)."""
        pairs = [
            (record.pk, place.obj.pk)
            for record, places in zip(records, related, strict=True)
            for place in places
        ]
        self.bulk_create_links(relation, pairs)

    def bulk_create_links(self, relation, pairs: list[tuple[int, int]]) -> None:
        """Rows of a many-to-many relation, as (record id, related id) pairs."""
        if not pairs:
            return
        through = relation.through
        quote = connection.ops.quote_name
        source, target = (
            quote(f.column)
            for f in through._meta.fields
            if isinstance(f, models.ForeignKey)
        )
        # One INSERT over two arrays: a model instance per link costs more than
        # the row itself (scale 100 makes some 30,000 links).
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(through._meta.db_table)} ({source}, {target}) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [[a for a, _ in pairs], [b for _, b in pairs]],
            )
        self.created[through._meta.label] += len(pairs)

    def add_photos(self, subjects: list, per_unit: int, captions) -> None:
        """`per_unit` photos per unit of scale spread evenly over `subjects`, without
        image files; `captions(subject, n)` gives the n-th photo's (ja, zh) caption."""
        if not subjects:
            return
        total = per_unit * self.scale
        content_type = ContentType.objects.get_for_model(type(subjects[0]))
        positions = Counter()
        photos = []
        for k in range(total):
            subject = subjects[k * len(subjects) // total]
            positions[subject.pk] += 1
            photos.append(
                Photo(
                    content_type=content_type,
                    object_id=subject.pk,
                    image="",
                    position=positions[subject.pk],
                    **tr("caption", captions(subject, positions[subject.pk])),
                )
            )
        self.bulk_create(photos)

    def date_in(
        self, fiscal_year: int, first: int = 0, last: int = 364
    ) -> datetime.date:
        """A day of the fiscal year, `first` to `last` days after 1 April."""
        start, end = fiscal_year_bounds(fiscal_year)
        day = start + datetime.timedelta(days=self.rng.randint(first, last))
        return min(day, end)

    def event_year(self) -> int:
        return self.rng.randint(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR)

    def span(self, start: datetime.date, longest: int) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, longest))


def next_positions(model) -> defaultdict:
    """Per fiscal year, the next free `position` after the existing records."""
    rows = (
        model._default_manager.order_by()
        .values_list("fiscal_year")
        .annotate(top=Max("position"))
    )
    return defaultdict(int, {fy: top or 0 for fy, top in rows})
