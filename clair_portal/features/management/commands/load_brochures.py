from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from clair_portal.features.search.index import rebuild_index
from clair_portal.foundation.history import record_missing_history
from clair_portal.foundation.local_apps import local_models
from clair_portal.foundation.places import places_load

# Order matters: editions first, the programs that refer to them after (the
# places, from the official lists, before them all).
BROCHURE_FIXTURES = [
    "office",
    "seminars",
    "support_requests",
    "jet",
    "exchange",
    "experts",
]


class Command(BaseCommand):
    help = (
        "Load the official lists of places (fixtures/places/) and the data of the "
        "2019 and 2023 office brochures, in Japanese and Chinese. "
        "Idempotent: records are keyed by primary or natural key, so a second run changes nothing. "
        "Records loaded for the first time get a first entry in their change history."
    )

    def handle(self, *args, **options):
        fixture_dir = settings.BASE_DIR / "fixtures"
        paths = [str(fixture_dir / f"{name}.json") for name in BROCHURE_FIXTURES]
        # The bare column modeltranslation keeps beside each language's takes
        # the active language's text: the default's, whoever calls this.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            places_load()
            call_command("loaddata", *paths, verbosity=0)
            # loaddata's raw saves write no history: start each new record's.
            record_missing_history(reason="load_brochures")
            # loaddata's raw saves leave the search's index as it was.
            rebuild_index()
        counts = [
            f"{model._meta.label}: {model._default_manager.count()}"
            for model in local_models()
        ]
        self.stdout.write("Brochure data loaded. " + ", ".join(counts))
