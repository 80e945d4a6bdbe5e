"""The foundation's places, named as the brochures write them in both
languages (四川省綿陽市), for the generators to draw from."""

import re
from dataclasses import dataclass
from functools import cached_property

from django.db import models

from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)

from .core import both, pair_of


def short_name(name: str) -> str:
    """綿陽市 -> 綿陽 (as event titles name a city)."""
    return re.sub(r"市$", "", name) if len(name) > 2 else name


@dataclass(frozen=True)
class PlaceNames:
    """A place as the brochures write it, in both languages (四川省綿陽市)."""

    obj: models.Model
    name: tuple[str, str]
    full: tuple[str, str]
    short: tuple[str, str]


def chinese_names(city: ChineseLocalGovernment) -> PlaceNames:
    province = city.province
    name = pair_of(city, "name")
    if province and province.kind == ChineseLocalGovernment.Kind.PROVINCE:
        full = both(("{p}{n}", "{p}{n}"), p=pair_of(province, "name"), n=name)
    else:
        full = name
    return PlaceNames(city, name, full, tuple(short_name(n) for n in name))


def japanese_names(government: JapaneseLocalGovernment) -> PlaceNames:
    prefecture = government.prefecture
    name = pair_of(government, "name")
    if prefecture and government.kind != JapaneseLocalGovernment.Kind.DESIGNATED_CITY:
        full = both(("{p}{n}", "{p}{n}"), p=pair_of(prefecture, "name"), n=name)
    else:
        full = name
    return PlaceNames(government, name, full, full)


@dataclass(frozen=True)
class Places:
    chinese_cities: list[PlaceNames]
    chinese_provinces: list[PlaceNames]
    japanese: list[PlaceNames]

    @cached_property
    def chinese_by_code(self) -> dict[str, PlaceNames]:
        return {p.obj.code: p for p in self.chinese_cities}

    @property
    def chinese_governments(self) -> list[PlaceNames]:
        """Cities, then provinces: who sends trainees or asks for experts."""
        return self.chinese_cities + self.chinese_provinces

    @cached_property
    def prefectures(self) -> list[PlaceNames]:
        kind = JapaneseLocalGovernment.Kind.PREFECTURE
        return [g for g in self.japanese if g.obj.kind == kind]


def load_places() -> Places:
    Kind = ChineseLocalGovernment.Kind
    cities = ChineseLocalGovernment.objects.select_related("province").filter(
        kind__in=[Kind.CITY, Kind.MUNICIPALITY]
    )
    provinces = ChineseLocalGovernment.objects.filter(kind=Kind.PROVINCE)
    japanese = JapaneseLocalGovernment.objects.select_related("prefecture")
    return Places(
        chinese_cities=[chinese_names(c) for c in cities],
        chinese_provinces=[chinese_names(p) for p in provinces],
        japanese=[japanese_names(g) for g in japanese],
    )
