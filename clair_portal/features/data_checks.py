"""Consistency checks over published figures: what the brochures contradict.

The figures are stored as each edition published them; these checks say where
they do not agree, so that staff can ask the program's owners. A fact that two
editions publish differently is reported until a note for staff on either
record says why (clair_portal.foundation.staff_notes). They only read.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Sum
from django.utils import timezone
from modeltranslation.utils import get_translation_fields

from clair_portal.foundation.languages import LIST_SEPARATOR
from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    KeyFigure,
    OfficeContact,
    ProgramIntro,
)
from clair_portal.foundation.places import (
    PLACE_FILES,
    official_codes,
    place_exactly_named,
)
from clair_portal.foundation.staff_notes import STAFF_NOTE
from clair_portal.foundation.translation_review import translations_to_review
from clair_portal.foundation.translations import missing_translation_counts
from exchange.models import ChinaOfficeCount
from experts.models import ExpertDispatch
from jet.checks import cumulative_falls, placement_mismatches, total_mismatches
from jet.selectors import figure_tables
from support_requests.models import SupportExample

CUMULATIVE_METRICS = (
    KeyFigure.Metric.LGOTP_TRAINEES,
    KeyFigure.Metric.EXECUTIVE_SEMINAR_PARTICIPANTS,
    KeyFigure.Metric.EXPERTS_DISPATCHED,
)


@dataclass(frozen=True)
class Finding:
    section: str
    message: str

    def __str__(self):
        return f"[{self.section}] {self.message}"


def jet_findings():
    """The JET checks (jet.checks, the ones the JET page states), over every
    edition: cumulative figures that fall, totals that are not the sum of the
    positions, placement breakdowns that are not the serving participants."""
    tables = figure_tables()
    for fall in cumulative_falls(tables):
        earlier, later = fall.earlier, fall.later
        yield Finding(
            "jet",
            f"cumulative {fall.position} falls from {earlier.cumulative:,} "
            f"(edition {earlier.edition.year}, FY{earlier.fiscal_year}) to "
            f"{later.cumulative:,} (edition {later.edition.year}, FY{later.fiscal_year})",
        )
    for mismatch in total_mismatches(tables):
        yield Finding(
            "jet",
            f"edition {mismatch.table.edition.year} FY{mismatch.table.fiscal_year}: "
            f"{mismatch.count} total {mismatch.published:,} "
            f"but the positions add up to {mismatch.added:,}",
        )
    for mismatch in placement_mismatches(tables):
        yield Finding(
            "jet",
            f"edition {mismatch.table.edition.year} FY{mismatch.table.fiscal_year}: "
            f"{mismatch.position} breakdown adds up to {mismatch.placed} "
            f"but {mismatch.serving} serving are reported",
        )


def cumulative_key_figures_that_fall():
    for metric in CUMULATIVE_METRICS:
        figures = KeyFigure.objects.filter(metric=metric).order_by("as_of")
        for earlier, later in pairwise(figures):
            if later.value < earlier.value:
                yield Finding(
                    metric,
                    f"falls from {earlier.value:,} (as of {earlier.as_of}) "
                    f"to {later.value:,} (as of {later.as_of})",
                )


def office_counts_that_do_not_add_up():
    published = {
        f.edition_id: f
        for f in KeyFigure.objects.filter(metric=KeyFigure.Metric.OFFICES_IN_CHINA)
    }
    sums = ChinaOfficeCount.objects.values("edition_id", "edition__year").annotate(
        total=Sum("count")
    )
    for row in sums.order_by("edition__year"):
        figure = published.get(row["edition_id"])
        if figure and figure.value != row["total"]:
            yield Finding(
                "offices_in_china",
                f"edition {row['edition__year']}: {figure.value} offices reported "
                f"but the locations add up to {row['total']}",
            )


def expert_totals_that_do_not_follow_dispatches():
    """A later cumulative total should be the earlier one plus the dispatches between."""
    figures = KeyFigure.objects.filter(metric=KeyFigure.Metric.EXPERTS_DISPATCHED)
    for earlier, later in pairwise(figures.order_by("as_of")):
        between = ExpertDispatch.objects.filter(
            start_date__gt=earlier.as_of, start_date__lte=later.as_of
        ).count()
        if earlier.value + between != later.value:
            yield Finding(
                KeyFigure.Metric.EXPERTS_DISPATCHED,
                f"{earlier.value} (as of {earlier.as_of}) + {between} dispatches "
                f"recorded since = {earlier.value + between}, "
                f"but {later.value} published as of {later.as_of}",
            )


# Facts that each edition publishes of the same thing: (model, the fields
# that say what the record is about, the facts compared between editions).
EDITION_FACTS = (
    (ProgramIntro, ("program",), ("started_year",)),
    (OfficeContact, ("site",), ("postal_code", "telephone", "fax", "email", "url")),
)


def has_staff_note(record) -> bool:
    return any(getattr(record, name) for name in get_translation_fields(STAFF_NOTE))


def facts_that_differ_between_editions():
    """A fact that two editions published differently (a program's first
    year, an office's telephone number), when no note for staff says why.
    Each edition's record is compared with the previous edition's of the same
    thing; the later record's note for staff is where staff say why it
    differs. A fact an edition did not publish (empty) is not compared."""
    for model, subject, facts in EDITION_FACTS:
        records = defaultdict(list)
        for record in model.objects.select_related("edition").order_by(
            *subject, "edition__year"
        ):
            records[tuple(getattr(record, name) for name in subject)].append(record)
        for key, published in records.items():
            for earlier, later in pairwise(published):
                if has_staff_note(later):
                    continue
                for fact in facts:
                    values = getattr(earlier, fact), getattr(later, fact)
                    if None in values or "" in values or values[0] == values[1]:
                        continue
                    yield Finding(
                        "editions",
                        f"{model._meta.label} {'/'.join(map(str, key))}: {fact} "
                        f"{values[0]} (edition {earlier.edition.year}) but "
                        f"{values[1]} (edition {later.edition.year}), "
                        "and no note for staff says why",
                    )
    yield from key_figures_that_differ_between_editions()


def key_figures_that_differ_between_editions():
    """Two editions' figures of one metric that cannot both be right: other
    values for the same date, or the same value for other dates (a count
    that did not change in a year the program ran), unless the later
    figure's note for staff says why."""
    figures = KeyFigure.objects.select_related("edition").order_by(
        "metric", "edition__year"
    )
    by_metric = defaultdict(list)
    for figure in figures:
        by_metric[figure.metric].append(figure)
    for metric, published in by_metric.items():
        for earlier, later in pairwise(published):
            if has_staff_note(later):
                continue
            if earlier.as_of == later.as_of and earlier.value != later.value:
                problem = f"{earlier.value:,} and {later.value:,} as of {later.as_of}"
            elif earlier.as_of != later.as_of and earlier.value == later.value:
                problem = f"{later.value:,} both as of {earlier.as_of} and as of {later.as_of}"
            else:
                continue
            yield Finding(
                metric,
                f"editions {earlier.edition.year} and {later.edition.year} publish "
                f"{problem}, and no note for staff says why",
            )


def missing_translations():
    for model, count in missing_translation_counts():
        if count:
            yield Finding(
                "translations",
                f"{count} {model._meta.label} record(s) lack a translation",
            )


# Text fields whose value is a list of places (joined with 、), and the
# places they name. (The offices' locations are not governments: 北京, その他.)
PLACE_TEXT_FIELDS = ((SupportExample, "places", ChineseLocalGovernment),)


def places_off_the_lists():
    """Places that the official lists (fixtures/places/) do not hold: rows
    added or kept in the database, with the records that name them, and
    names in the text of records that are no place's."""
    for model in PLACE_FILES:
        listed = official_codes(model)
        for place in model.objects.exclude(code__in=listed).order_by("code"):
            named_by = sum(
                relation.related_model._base_manager.filter(
                    **{relation.field.name: place}
                ).count()
                for relation in model._meta.related_objects
                if not relation.related_model._meta.label.endswith(
                    f"Historical{model.__name__}"
                )
            )
            yield Finding(
                "places",
                f"{model._meta.verbose_name} {place.code} {place.name} is not on "
                f"the official list; {named_by} record(s) name it",
            )
    for model, field, place_model in PLACE_TEXT_FIELDS:
        places = place_model.objects.all()
        columns = get_translation_fields(field)
        for record in model._default_manager.order_by("pk"):
            names = {
                name.strip()
                for column in columns
                for name in (getattr(record, column) or "").split(LIST_SEPARATOR)
                if name.strip()
            }
            for name in sorted(names):
                if not place_exactly_named(places, name):
                    yield Finding(
                        "places",
                        f"{model._meta.verbose_name} “{record}” names {name}, "
                        f"which is no {place_model._meta.verbose_name} of the lists",
                    )


def stale_translations():
    """How many languages are to review per kind of record, then each one:
    the record, the field, the language, and which language changed when."""
    states = translations_to_review()
    counts = Counter(state.content_type_id for state in states)
    labels = {}
    for state in states:
        model = state.model
        labels[state.content_type_id] = (
            model._meta.label if model else str(state.content_type)
        )
    for content_type_id, count in counts.items():
        yield Finding(
            "translations",
            f"{count} {labels[content_type_id]} translation(s) to review",
        )
    for state in states:
        changed = timezone.localtime(state.review_requested_at)
        yield Finding(
            "translations",
            f"to review: {labels[state.content_type_id]} {state.object_id} "
            f"{state.field} ({state.language}), {state.review_source} changed "
            f"{changed:%Y-%m-%d %H:%M}",
        )


CHECKS = (
    jet_findings,
    cumulative_key_figures_that_fall,
    office_counts_that_do_not_add_up,
    expert_totals_that_do_not_follow_dispatches,
    facts_that_differ_between_editions,
    missing_translations,
    places_off_the_lists,
    stale_translations,
)


def data_findings() -> list[Finding]:
    """Every inconsistency the checks find, in a stable order."""
    return [finding for check in CHECKS for finding in check()]
