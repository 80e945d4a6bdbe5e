from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from procrastinate.contrib.django.apps import ProcrastinateConfig


class FoundationConfig(AppConfig):
    """What every program stands on: places, photos, the office, fiscal years,
    the mail outbox, the page cache. Its label is the project's former app
    name, so its tables, migrations and permissions keep their names."""

    name = "clair_portal.foundation"
    label = "clair_portal"
    default = True
    verbose_name = _("Office and places")

    def ready(self):
        from PIL import Image

        from .page_cache import install_content_triggers
        from .translation_review import translated_models, translation_states_forget

        # Pillow decodes an image whole: a small PNG that declares 100,000 x
        # 100,000 pixels would take gigabytes. Past this it raises (past twice
        # this) or warns; the admin's image field refuses either (images.py).
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS

        # Once per migrate (sent for this app only), after every app's tables.
        post_migrate.connect(install_content_triggers, sender=self)

        # A deleted record's translation states go with it. A signal, as the
        # programs' records know nothing of the states (modeltranslation has
        # registered every translated model by now: its app comes first).
        for model in translated_models():
            post_delete.connect(
                translation_states_forget,
                sender=model,
                dispatch_uid=f"translation_states_forget:{model._meta.label}",
            )


# procrastinate's models name themselves, their fields and their statuses in
# English only; the admin's job list and filters show them as named here.
JOB_FIELD_NAMES = {
    "queue_name": _("queue"),
    "task_name": _("task"),
    "priority": _("priority"),
    "lock": _("lock"),
    "args": _("arguments"),
    "status": pgettext_lazy("background job", "status"),
    "scheduled_at": _("scheduled at"),
    "attempts": pgettext_lazy("background job", "attempts"),
    "queueing_lock": _("queueing lock"),
    "abort_requested": _("abort requested"),
    "worker": _("worker"),
}
JOB_STATUSES = {
    "todo": _("waiting"),
    "doing": _("running"),
    "succeeded": _("succeeded"),
    "failed": _("failed"),
    "cancelled": _("cancelled"),
    "aborted": _("aborted"),
}
EVENT_FIELD_NAMES = {"job": _("background job"), "type": _("event"), "at": _("at")}
EVENT_TYPES = {
    "deferred": _("queued"),
    "started": _("started"),
    "deferred_for_retry": _("queued to retry"),
    "failed": _("failed"),
    "succeeded": _("succeeded"),
    "cancelled": _("cancelled"),
    "abort_requested": _("abort requested"),
    "aborted": _("aborted"),
    "scheduled": _("scheduled"),
}


def event_label(event) -> str:
    """A job event as a job's page names it: procrastinate's own __str__ is
    English ("Event 1 - Job 1: deferred at ...")."""
    if event.at is None:
        return str(event.get_type_display())
    at = date_format(timezone.localtime(event.at), "SHORT_DATETIME_FORMAT")
    return f"{event.get_type_display()} {at}"


def name_fields(model, names: dict, choices: dict | None = None) -> None:
    """Give `model`'s fields the verbose names in `names`, and the field with
    choices the labels in `choices` (a value without one keeps its own)."""
    for field_name, verbose_name in names.items():
        field = model._meta.get_field(field_name)
        field.verbose_name = verbose_name
        if choices and field.choices:
            field.choices = [
                (value, choices.get(value, label)) for value, label in field.choices
            ]


class JobQueueConfig(ProcrastinateConfig):
    """The worker's job queue (procrastinate), named in the admin's languages:
    the package names its app and jobs in English only."""

    verbose_name = _("Background jobs")

    def ready(self):
        super().ready()
        job = self.get_model("ProcrastinateJob")
        job._meta.verbose_name = _("background job")
        job._meta.verbose_name_plural = _("background jobs")
        name_fields(job, JOB_FIELD_NAMES, JOB_STATUSES)
        event = self.get_model("ProcrastinateEvent")
        event._meta.verbose_name = _("job event")
        event._meta.verbose_name_plural = _("job events")
        name_fields(event, EVENT_FIELD_NAMES, EVENT_TYPES)
        event.__str__ = event_label
