from django.core.management.base import BaseCommand

from clair_portal.features.data_checks import data_findings


class Command(BaseCommand):
    help = (
        "Report where the published figures disagree (cumulative totals that fall, "
        "breakdowns that do not add up, facts that differ between editions with no "
        "note for staff, missing translations and translations to review). Changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit with status 1 when there is any finding.",
        )

    def handle(self, *args, strict=False, **options):
        findings = data_findings()
        for finding in findings:
            self.stdout.write(str(finding))
        self.stdout.write(f"{len(findings)} finding(s).")
        if strict and findings:
            raise SystemExit(1)
