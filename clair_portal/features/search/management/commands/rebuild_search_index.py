from django.core.management.base import BaseCommand

from clair_portal.features.search.index import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the site search's index from every app's search sources, in one "
        "transaction. load_brochures and generate_load_data do it at their end; "
        "run it after bulk changes that send no signal (a SQL update, an import)."
    )

    def handle(self, *args, **options):
        written = rebuild_index()
        self.stdout.write(f"Search index rebuilt: {written} documents.")
