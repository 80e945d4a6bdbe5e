"""The project's own apps (settings.LOCAL_APPS, by name) and their models."""

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import models


def local_app_configs() -> list[AppConfig]:
    return [
        config
        for config in apps.get_app_configs()
        if config.name in settings.LOCAL_APPS
    ]


def local_app_labels() -> set[str]:
    return {config.label for config in local_app_configs()}


def local_models(*, include_auto_created: bool = False) -> list[type[models.Model]]:
    """Every model of the project's own apps, in the apps' order."""
    return [
        model
        for config in local_app_configs()
        for model in config.get_models(include_auto_created=include_auto_created)
    ]
