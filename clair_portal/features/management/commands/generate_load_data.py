import time

from django.core.management.base import BaseCommand, CommandError

from clair_portal.features.load_data import (
    DEFAULT_SEED,
    REFERENCE_PREFIX,
    MissingReferenceData,
    generate_load_data,
    settle_tables,
)


class Command(BaseCommand):
    help = (
        "Add N times the brochures' volume of realistic bilingual records to every "
        "program (seminars, support requests, JET, exchange, experts, key figures), "
        "for load and query-count tests. Run it after load_brochures. NOT idempotent: "
        "every run adds another batch (seminar numbers after the highest; new "
        "brochure editions, older than the oldest, for the key figures, JET figures "
        "and offices in China; support request references "
        f"{REFERENCE_PREFIX}-<fiscal year>-<number> after the highest), in one "
        "transaction, then updates the planner's statistics and merges the GIN "
        "indexes' pending entries, as autovacuum would. The same --seed on the "
        "same database gives the same records. "
        "Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="How many times the brochures' volume to add (default 1).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the random choices (default {DEFAULT_SEED}).",
        )

    def handle(self, *args, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale is at least 1.")
        started = time.perf_counter()
        try:
            created = generate_load_data(scale=scale, seed=seed)
        except MissingReferenceData as error:
            raise CommandError(str(error)) from error
        settle_tables()
        elapsed = time.perf_counter() - started
        for label, count in sorted(created.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {sum(created.values())} rows at scale {scale} "
                f"(seed {seed}) in {elapsed:.1f} s."
            )
        )
