"""A record's related rows (places, menu items, photos) as an array in the
record's own row (ARRAY(SELECT jsonb_build_object(...) ...)), so that a list
is one query however many records it shows. Each JSON row is read back as an
(unsaved) model instance, so templates, `{% localized %}` and `full_name()`
read both languages as they read any record."""

from collections.abc import Callable, Iterable
from functools import cache, partial

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import OuterRef, QuerySet
from django.db.models.base import ModelState
from django.db.models.functions import JSONObject
from modeltranslation.utils import get_translation_fields

from .models import JapaneseLocalGovernment, Photo


class _JSONInstance(models.JSONField):
    """A JSON object read back from the database as the instance `build` makes."""

    def __init__(self, build: Callable[[dict], models.Model]):
        super().__init__()
        self.build = build

    def from_db_value(self, value, expression, connection):
        return self.build(super().from_db_value(value, expression, connection))


@cache
def _converters(model: type[models.Model], names: tuple[str, ...]) -> tuple:
    """(key, attname, to_python) of the fields a JSON row of `model` holds."""
    fields = ((name, model._meta.get_field(name)) for name in names)
    return tuple((name, field.attname, field.to_python) for name, field in fields)


def _instance(model: type[models.Model], row: dict) -> models.Model:
    """An instance of `model` from a JSON row of its field values (by attname),
    made as Django makes a row it has read (`Model.from_db`) but without
    `__init__`: its signals and modeltranslation's rewriting of the keyword
    arguments cost more than the rest of the page for a list of hundreds of
    rows. The row holds every field its templates read; any other is deferred,
    and the query-count tests of each page would see it read."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    values = instance.__dict__
    for key, attname, to_python in _converters(model, tuple(row)):
        values[attname] = to_python(row[key])
    return instance


def related_instances(queryset: QuerySet, *fields: str, build=None) -> ArraySubquery:
    """The rows of `queryset` (filtered on an OuterRef, ordered) as a list of
    instances with `fields` (names or lookups), made by `build` (by default, an
    instance of the queryset's model)."""
    # annotate() then values(): modeltranslation's values(row=...) would select
    # every column too, and a subquery must select one.
    rows = queryset.annotate(row=JSONObject(**{name: name for name in fields}))
    return ArraySubquery(
        rows.values("row"),
        output_field=ArrayField(
            _JSONInstance(build or partial(_instance, queryset.model))
        ),
    )


_PLACE_FIELDS = ("id", "code", "kind", *get_translation_fields("name"), "prefecture_id")
_PREFECTURE_FIELDS = {
    f"prefecture__{name}": name for name in get_translation_fields("name")
}


def _place(row: dict) -> JapaneseLocalGovernment:
    """A place with its prefecture, from a row of `places_of`."""
    prefecture = {name: row.pop(path) for path, name in _PREFECTURE_FIELDS.items()}
    place = _instance(JapaneseLocalGovernment, row)
    if place.prefecture_id:
        place.prefecture = JapaneseLocalGovernment(
            pk=place.prefecture_id,
            kind=JapaneseLocalGovernment.Kind.PREFECTURE,
            **prefecture,
        )
    return place


def places_of(model: type[models.Model], field_name: str) -> ArraySubquery:
    """The Japanese local governments of a many-to-many field, in code order,
    with their prefectures."""
    query_name = model._meta.get_field(field_name).related_query_name()
    places = JapaneseLocalGovernment.objects.filter(
        **{query_name: OuterRef("pk")}
    ).order_by("code")
    return related_instances(places, *_PLACE_FIELDS, *_PREFECTURE_FIELDS, build=_place)


def with_photos(queryset: QuerySet) -> QuerySet:
    """The records of `queryset`, each with its photos as `photo_list`."""
    photos = (
        Photo.objects.shown()
        .filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id=OuterRef("pk"),
        )
        .order_by("position", "id")
    )
    return queryset.annotate(
        photo_list=related_instances(
            photos, "id", "image", *get_translation_fields("caption"), "position"
        )
    )


def photos_in(records: Iterable) -> list[Photo]:
    """The photos of several records, annotated by `with_photos`."""
    return [photo for record in records for photo in record.photo_list]
