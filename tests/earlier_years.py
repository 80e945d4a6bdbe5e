"""What a program page's "Earlier fiscal years" navigation must hold."""

import re

HEADING = {"ja": "過去の年度", "zh-hans": "往年"}


def assert_links_earlier_years(html: str, language: str, years: list[int]) -> None:
    """The page's earlier-years navigation: its heading in the page's
    language, and links to the brochure of `years`, newest first, and of no
    other year."""
    assert '<nav class="earlier-years"' in html, "no earlier-years navigation"
    nav = html.split('<nav class="earlier-years"')[1].split("</nav>")[0]
    assert f">{HEADING[language]}</h2>" in nav
    linked = re.findall(rf'href="/{language}/brochure/(\d+)/"', nav)
    assert [int(year) for year in linked] == list(years)
