"""What the request form says of a field Django's own validators refuse, in
each language: the portal's wording (locale_packages/), not Django's ("this
variable", "enter some characters" for a NUL in a filled field, "Email")."""

import html

import pytest

from support_requests.models import SupportRequest

from .helpers import PDF, activity_data, upload

pytestmark = pytest.mark.django_db

MESSAGES = {
    "ja": {
        "department": "100文字以内で入力してください（いまは5000文字です）。",
        "contact_name": "この項目は必須です。",
        "email": "使えない制御文字（NUL）が含まれています。入力し直してください。",
    },
    "zh-hans": {
        "department": "请输入不超过 100 个字符（当前为 5000 个）。",
        "contact_name": "此项为必填项。",
        "email": "含有不能使用的控制字符（NUL），请重新输入。",
    },
}
DJANGO_WORDING = [
    "この値は",
    "フィールド",
    "何か文字を",
    "变量",
    "空字符串",
    "Email",
    "这个字段",
]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_refused_fields_are_said_in_the_portals_words(client, language):
    data = activity_data(
        department="課" * 5000, contact_name="", email="yamada\x00@example.jp"
    )
    response = client.post(f"/{language}/support/request/", data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for field, message in MESSAGES[language].items():
        assert message in page, field
    for words in DJANGO_WORDING:
        assert words not in page
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ja", "有効なメールアドレスを入力してください。"),
        ("zh-hans", "请输入有效的电子邮箱地址。"),
    ],
)
def test_an_address_that_is_not_one(client, language, message):
    response = client.post(
        f"/{language}/support/request/", activity_data(email="yamada@")
    )
    assert message in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("language", "said"), [("ja", "ファイルが多すぎる"), ("zh-hans", "文件过多")]
)
def test_a_folder_of_files_chosen_at_once_is_told_so(client, language, said):
    """More files than Django reads (DATA_UPLOAD_MAX_NUMBER_FILES, 100) got
    the page about a bad address; the form's own limit never spoke."""
    files = [upload(f"写真{n}.pdf", PDF) for n in range(101)]
    response = client.post(
        f"/{language}/support/request/", activity_data(attachments=files)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert said in html
    assert "アドレス" not in html and "网址" not in html
    assert not SupportRequest.objects.exists()


def test_full_width_input_is_read_as_what_it_stands_for(client):
    """A Japanese input method left in full-width mode: the address, the
    dates and the file's name were refused as invalid, with no word why."""
    data = activity_data(
        email="ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ",
        stay_start="２０４０/０３/０１",
        stay_end="２０４０/０３/０５",
        attachments=[upload("ｒｅｐｏｒｔ．ｐｄｆ", PDF)],
    )
    response = client.post("/ja/support/request/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = SupportRequest.objects.get()
    assert request.email == "yamada@example.jp"
    assert str(request.stay_start) == "2040-03-01"


@pytest.mark.parametrize(
    ("language", "said"), [("ja", "読み取れませんでした"), ("zh-hans", "无法读取")]
)
def test_a_body_that_cannot_be_read_is_told_so(client, language, said):
    """A multipart body without its boundary (cut off on the way) got the
    page about a bad address."""
    response = client.generic(
        "POST",
        f"/{language}/support/request/",
        b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert said in html
    assert "アドレス" not in html and "网址" not in html
