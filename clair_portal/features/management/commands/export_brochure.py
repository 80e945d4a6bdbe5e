from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from clair_portal.features.brochure.export import LANGUAGE_CODES, write_csv_files
from clair_portal.features.brochure.sections import available_fiscal_years


def language_code(value: str) -> str:
    """ja, zh-hans; also accepts zh-Hans and zh_hans."""
    return value.strip().lower().replace("_", "-")


def rows_text(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


class Command(BaseCommand):
    help = (
        "Write the brochure's data of one fiscal year as CSV files, one per "
        "section plus summary.csv, UTF-8 with BOM, in the chosen language."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fiscal-year",
            type=int,
            required=True,
            help="Fiscal year N (April N to March N+1), e.g. 2018.",
        )
        parser.add_argument(
            "--language",
            type=language_code,
            choices=LANGUAGE_CODES,
            required=True,
            help="Language of headers and values.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            required=True,
            help="Directory for the CSV files (created if missing).",
        )

    def handle(self, *args, fiscal_year, language, output, **options):
        language = language_code(language)  # call_command() skips the parser's type
        tty = self.stdout.isatty()
        self.stdout.write(f"Exporting FY{fiscal_year} ({language}) to {output}")

        def progress(section, rows, done):
            if done:
                line = f"{section.filename}: {rows_text(rows)}"
                # On a terminal, replace the running count and clear its tail.
                self.stdout.write(f"\r{line}\x1b[K" if tty else line)
            elif tty:
                self.stdout.write(
                    f"\r{section.filename}: {rows_text(rows)}…", ending=""
                )
                self.stdout.flush()

        try:
            has_data, counts = write_csv_files(
                fiscal_year=fiscal_year,
                language=language,
                directory=output,
                progress=progress,
            )
        except OSError as error:
            raise CommandError(f"Cannot write to {output}: {error}") from error
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not has_data:
            years = ", ".join(str(year) for year in available_fiscal_years())
            raise CommandError(
                f"No brochure data for FY{fiscal_year}: the files have headers "
                f"only (0 rows). Fiscal years with data: {years or 'none'}."
            )
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(counts)} files, {rows_text(total)}, to {output}"
            )
        )
