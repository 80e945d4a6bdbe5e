"""Text cut into words for a trigram index, CJK runs in overlapping pairs.

Chinese and Japanese are not written in words, so the index form cuts each
run of CJK characters into overlapping pairs (北京市 -> 北京 京市 市), each a
word of its own, and keeps other words (JET, 2019) whole. A run of two or
more CJK characters is then found as its pairs in a row, and a single
character as the start of a word: PostgreSQL's trigram index (pg_trgm) finds
both, even two characters such as 北京, which it cannot find inside a longer
word (a trigram index serves no pattern of fewer than three characters).

The functions take text already folded (case, width, variant forms): each
search folds in its own way, and folds a query as it folds the text.
"""


def is_cjk(char: str) -> bool:
    # CJK radicals, kana, Han, Hangul, and the planes of rarer Han characters.
    return ord(char) >= 0x2E80 and char.isalnum()


def runs(folded: str) -> list[tuple[bool, str]]:
    """(is CJK, run) for each run of letters or digits of a folded text;
    punctuation, symbols and spaces separate runs."""
    found, current, current_cjk = [], [], False
    for char in folded:
        if not char.isalnum():
            if current:
                found.append((current_cjk, "".join(current)))
                current = []
            continue
        cjk = is_cjk(char)
        if current and cjk != current_cjk:
            found.append((current_cjk, "".join(current)))
            current = []
        current_cjk = cjk
        current.append(char)
    if current:
        found.append((current_cjk, "".join(current)))
    return found


def pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_form(folded: str) -> str:
    """The text as the index holds it: words between spaces, with a space at
    each end, CJK runs as their pairs and their last character."""
    words = []
    for cjk, run in runs(folded):
        words += [*pairs(run), run[-1]] if cjk and len(run) > 1 else [run]
    return " " + " ".join(words) + " "


def cjk_pattern(run: str) -> str:
    """What the index form holds wherever a text holds a CJK run: its pairs
    in a row, or a single character as the start of a word."""
    if len(run) > 1:
        return " " + " ".join(pairs(run)) + " "
    return " " + run
