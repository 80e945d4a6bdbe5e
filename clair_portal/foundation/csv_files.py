"""What every CSV file of the portal shares: UTF-8 with a byte order mark
(Excel needs it to read Japanese and Chinese), and text cells that a
spreadsheet would run as a formula (=, +, -, @...) prefixed with an
apostrophe. The admin's export, the brochure's and the program pages'
downloads all write through this."""

import csv
import re

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
# A number a spreadsheet reads as a number, not a formula (ASCII digits only,
# as the brochure export's SQL tests it too).
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def escape_formula(value):
    """`value` as a spreadsheet shows it as text, never runs it: a text that
    starts like a formula (or with the escape itself) gets an apostrophe."""
    if not isinstance(value, str) or not value or PLAIN_NUMBER.fullmatch(value):
        return value
    if value.startswith((*FORMULA_PREFIXES, FORMULA_ESCAPE)):
        return FORMULA_ESCAPE + value
    return value


def unescape_formula(value):
    """The inverse of `escape_formula`."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_ESCAPE)
        and value[1:].startswith((*FORMULA_PREFIXES, FORMULA_ESCAPE))
    ):
        return value[1:]
    return value


class _Echo:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, line):
        return line


def line_writer():
    """A csv.writer whose writerow() returns the line it wrote (for
    streaming responses), quoting and line ends as Excel reads them."""
    return csv.writer(_Echo())


def file_writer(file):
    """A csv.writer for a data file kept in the repository (fixtures/):
    Unix line ends, so that its diffs read line by line."""
    return csv.writer(file, lineterminator="\n")


def safe_cells(cells) -> list[str]:
    """A row's cells as the text a download writes: None as empty, every
    value as text, formula starts escaped."""
    return [escape_formula("" if cell is None else str(cell)) for cell in cells]
