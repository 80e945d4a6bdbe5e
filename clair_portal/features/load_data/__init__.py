"""Load data: N times the brochures' volume of realistic bilingual records.

`generate_load_data(scale=N)` adds, on top of what the database holds (normally
the brochures), N times as many records as the two brochures publish, for every
program. Used by `manage.py generate_load_data` and by the query-count tests,
which compare each public page at 1x and 20x data. One module per program
(seminars, support_requests and support_examples, jet, exchange and
exchange_promotion, experts, news for the news and publications), one for the foundation's brochure editions and
key figures, `places` for the places they draw from, `core` for what they share.

- Every translated field gets both languages, composed from lists of real
  words and from the database's own places (第{n}回 … / 第{n}届 …).
- Dates fall in their fiscal years (`fiscal_year_of`), ends are never before
  starts, and every database constraint holds.
- Figures kept per brochure edition (key figures, unique per metric and edition;
  JET figures, unique per edition, fiscal year and position; offices in China)
  go to NEW BrochureEdition rows, with years counted down from the oldest
  existing edition (2018, 2017, ...), so the newest real edition stays the
  newest and the pages' headline figures stay the published ones. Their figures
  agree with each other as check_data expects (JET totals are the sum of the
  posts, placements add up to the ALTs serving, cumulative figures never fall,
  offices per location add up to the key figure).
- Support requests get references `LOAD-<fiscal year>-<number>`: a prefix no
  real reference uses, numbered after the highest one already there.
- Not idempotent: every run adds another batch (new seminar numbers, new
  edition years, new references), so two runs at scale N hold 2N batches.
- Deterministic: the same seed on the same database gives the same records
  (every step draws from the one random source, in the order of STEPS). The
  support requests' tracking tokens are derived from the seed and the
  reference, so load data must never go into a production database.
"""

from collections import Counter

from django.db import connection, transaction
from django.utils import translation

from clair_portal.features.search.index import rebuild_index
from clair_portal.foundation.models import Photo
from experts.models import ExpertField
from support_requests.models import SupportService

from . import (
    exchange,
    exchange_promotion,
    experts,
    foundation,
    jet,
    news,
    seminars,
    support_examples,
    support_requests,
)
from .core import DEFAULT_SEED, JAPANESE, Batch
from .places import load_places
from .support_requests import REFERENCE_PREFIX, REQUESTS_PER_UNIT

__all__ = [
    "DEFAULT_SEED",
    "PHOTOS_PER_UNIT",
    "REFERENCE_PREFIX",
    "REQUESTS_PER_UNIT",
    "UNIT",
    "MissingReferenceData",
    "generate_load_data",
    "settle_tables",
]

PROGRAMS = (
    foundation,
    seminars,
    support_requests,
    support_examples,
    jet,
    exchange,
    exchange_promotion,
    experts,
    news,
)
# Of the photos: how many per unit each kind of subject gets (the brochures'
# photos, less the office's QR code and the published support figures' photos,
# which get no new subjects).
PHOTOS_PER_UNIT = {
    model: count
    for program in PROGRAMS
    for model, count in getattr(program, "PHOTOS_PER_UNIT", {}).items()
}
# The brochures' volume: how many records one unit of scale adds to each model.
UNIT = {model: n for program in PROGRAMS for model, n in program.UNIT.items()}
UNIT[Photo] = sum(PHOTOS_PER_UNIT.values())
# In this order, each drawing from the batch's one random source.
STEPS = (
    foundation.generate,
    seminars.generate,
    support_requests.generate,
    support_examples.generate,
    jet.returnee_gatherings,
    exchange.lgotp_placements,
    exchange.executive_seminars,
    exchange_promotion.travel_expos,
    exchange_promotion.cooking_events,
    exchange_promotion.livestreams,
    exchange.media_collaborations,
    experts.generate,
    news.generate,
)


class MissingReferenceData(Exception):
    """The database lacks the places or menus the generator draws from."""


def new_batch(*, scale: int, seed: int) -> Batch:
    """A batch drawing from the database's places, support services and expert
    fields; raises MissingReferenceData if any is empty."""
    if scale < 1:
        raise ValueError("The scale is at least 1.")
    places = load_places()
    batch = Batch(
        scale=scale,
        seed=seed,
        places=places,
        services=list(SupportService.objects.all()),
        expert_fields=list(ExpertField.objects.all()),
    )
    missing = [
        label
        for label, rows in (
            ("Chinese cities", places.chinese_cities),
            ("Chinese provinces", places.chinese_provinces),
            ("Japanese prefectures", places.prefectures),
            ("support services", batch.services),
            ("expert fields", batch.expert_fields),
        )
        if not rows
    ]
    if missing:
        raise MissingReferenceData(
            "No " + ", ".join(missing) + " in the database: run load_brochures first."
        )
    return batch


def generate_load_data(*, scale: int, seed: int = DEFAULT_SEED) -> Counter:
    """Add `scale` times the brochures' volume of records, in one transaction.

    Returns the number of rows created per model label (many-to-many rows
    under their through model's label). Side effects: writes to the database
    only, and rebuilds the search's index; no files (photos and publications
    have none), no mail.
    """
    with transaction.atomic():
        batch = new_batch(scale=scale, seed=seed)
        with translation.override(JAPANESE):
            for step in STEPS:
                step(batch)
        # Bulk inserts send no signal: the search's index is made afresh.
        rebuild_index()
        return batch.created


def settle_tables() -> None:
    """Leave the tables as autovacuum would some minutes after a bulk load.
    Without it, the first measurements after a load read stale plans, heap
    pages an index-only scan must visit, and unmerged trigram entries: the
    support queue's search took 11 ms at scale 100 in a sequential scan, 0.07
    ms once settled, and its count of requests 3 ms rather than 1.5.

    Outside a transaction: VACUUM ANALYZE (the visibility map, the planner's
    statistics, the GIN indexes' pending lists merged). Inside one, where
    VACUUM cannot run (a test): ANALYZE, and gin_clean_pending_list on every
    GIN index."""
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
            return
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT gin_clean_pending_list(index.indexrelid::regclass)"
            " FROM pg_index index"
            " JOIN pg_class relation ON relation.oid = index.indexrelid"
            " JOIN pg_am method ON method.oid = relation.relam"
            " JOIN pg_namespace namespace ON namespace.oid = relation.relnamespace"
            " WHERE method.amname = 'gin' AND namespace.nspname = current_schema()"
        )
