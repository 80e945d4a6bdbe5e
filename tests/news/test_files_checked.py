"""A file an editor offers for download from the office's site is checked by
its content, as a requester's attachment is: an HTML page, or one renamed
.pdf, was published as 「資料」 (a reviewer's run)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.utils import translation

from clair_portal.news.admin import CheckedFileForm, NewsAttachmentForm
from clair_portal.news.models import NewsAttachment, Publication

PAGE = b"<!doctype html><script>alert(1)</script>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attachment_form(name, content):
    form_class = modelform_factory(
        NewsAttachment, form=NewsAttachmentForm, fields=["file", "label", "position"]
    )
    return form_class(
        data={"label": "応募用紙", "position": 0},
        files={"file": SimpleUploadedFile(name, content)},
    )


def publication_form(name, content):
    form_class = modelform_factory(Publication, form=CheckedFileForm, fields=["file"])
    return form_class(files={"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("make_form", [attachment_form, publication_form])
@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("evil.html", PAGE, "「evil.html」は受け付けていないファイル形式です"),
        ("evil.pdf", PAGE, "「evil.pdf」は正しいPDFファイルではありません"),
        ("応募用紙.pdf", PDF, None),
    ],
)
def test_a_file_offered_for_download_is_what_its_name_says(
    make_form, name, content, said
):
    with translation.override("ja"):
        form = make_form(name, content)
        valid = form.is_valid()
        errors = " ".join(form.errors.get("file", []))
    if said is None:
        assert "file" not in form.errors
    else:
        assert not valid and said in errors, errors


def test_a_news_file_is_at_most_ten_megabytes_a_publication_any_size():
    big = PDF + b"0" * (10 * 1024 * 1024)
    assert "file" in attachment_form("flyer.pdf", big).errors
    assert "file" not in publication_form("brochure.pdf", big).errors
