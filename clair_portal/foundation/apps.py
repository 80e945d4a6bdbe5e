from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _
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


class JobQueueConfig(ProcrastinateConfig):
    """The worker's job queue (procrastinate), named in the admin's languages:
    the package names its app and jobs in English only."""

    verbose_name = _("Background jobs")

    def ready(self):
        super().ready()
        job = self.get_model("ProcrastinateJob")
        job._meta.verbose_name = _("background job")
        job._meta.verbose_name_plural = _("background jobs")
