"""WeasyPrint's url_fetcher: static and media files from disk, never HTTP."""

import pytest

from clair_portal.features.brochure.pdf import LocalFileFetcher


def test_static_files_come_from_the_finders():
    response = LocalFileFetcher().fetch("http://testserver/static/css/brochure.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_media_files_come_from_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.png").write_bytes(b"\x89PNG")
    response = LocalFileFetcher().fetch("https://portal.example/media/photos/a.png")
    assert response.content_type == "image/png"
    assert response.read() == b"\x89PNG"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/tracker.png",
        "https://testserver/ja/",
        "http://testserver/static/../clair_portal/settings.py",
        "http://testserver/media/../../etc/passwd",
        "file:///etc/passwd",
        "http://testserver/static/css/missing.css",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(ValueError):
        LocalFileFetcher().fetch(url)


def test_data_urls_are_read():
    response = LocalFileFetcher().fetch("data:text/plain,hello")
    assert response.read() == b"hello"
