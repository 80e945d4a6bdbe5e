"""Every URL that shows a support request's data, against every role.

Only the support desk and superusers see requests, and only through admin
pages that check the desk's permissions; the tracking page is the token
holder's alone, so no admin page and no shortcut leads to it. A role that may
not see a request gets a sign-in redirect, 403 or 404, and never a byte of the
requester's data or the token.
"""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from clair_portal.foundation.models import OutgoingMail
from support_requests.models import RequestAttachment, StatusChange, UnsortedMail
from support_requests.reply_address import reply_address
from support_requests.services import support_request_post_message
from tests import factories
from tests.roles import ROLES, login_as
from tests.support_requests.helpers import pdf_upload, private_storage_at

pytestmark = pytest.mark.django_db

CONTACT = "機密 太郎"
EMAIL = "secret-requester@example.jp"
PURPOSE = "極秘の交流計画"
SEES_REQUESTS = {"support desk", "superuser"}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with private_storage_at(tmp_path / "private") as path:
        yield path


@dataclass
class Secret:
    request: object
    message: object
    attachment: object
    change: object
    mail: object
    unsorted: object
    history_id: int

    @property
    def markers(self):
        """What only a page that shows this request would hold."""
        return [CONTACT, EMAIL, PURPOSE, self.request.reference]


@pytest.fixture
def secret():
    support_request = factories.SupportRequestFactory(
        contact_name=CONTACT, email=EMAIL, purpose=PURPOSE
    )
    message = support_request_post_message(
        request=support_request,
        body=f"{PURPOSE}の資料です。",
        attachments=[pdf_upload("secret-plan.pdf")],
    )
    change = StatusChange.objects.create(
        request=support_request, to_status=support_request.status
    )
    mail = OutgoingMail.objects.create(
        recipients=EMAIL,
        subject=f"{CONTACT} {support_request.reference}",
        body=f"{CONTACT}様 {PURPOSE}",
        language="ja",
    )
    # A requester's mail that reached no request: it holds their words too.
    unsorted = UnsortedMail.objects.create(
        message_id="<secret@example.jp>",
        sender=f"{CONTACT} <{EMAIL}>",
        recipient="clairbj-jp@clair.org.cn",
        subject=f"Re: {support_request.reference}",
        body=PURPOSE,
        reason=UnsortedMail.Reason.NO_REFERENCE,
    )
    return Secret(
        request=support_request,
        message=message,
        attachment=RequestAttachment.objects.get(message=message),
        change=change,
        mail=mail,
        unsorted=unsorted,
        history_id=support_request.history.latest().history_id,
    )


def shortcut(model_instance):
    content_type = ContentType.objects.get_for_model(model_instance)
    return reverse("admin:view_on_site", args=[content_type.pk, model_instance.pk])


def admin_urls(secret):
    """(name, url, method, data) of every admin page that shows request data."""
    pk = secret.request.pk
    opts = "support_requests_supportrequest"
    return [
        ("queue", reverse(f"admin:{opts}_changelist"), "get", None),
        (
            "queue search",
            reverse(f"admin:{opts}_changelist") + f"?q={EMAIL}",
            "get",
            None,
        ),
        ("change page", reverse(f"admin:{opts}_change", args=[pk]), "get", None),
        ("history", reverse(f"admin:{opts}_history", args=[pk]), "get", None),
        (
            "history record",
            reverse(f"admin:{opts}_simple_history", args=[pk, secret.history_id]),
            "get",
            None,
        ),
        (
            "attachment download",
            reverse(f"admin:{opts}_attachment", args=[pk, secret.attachment.pk]),
            "get",
            None,
        ),
        (
            "export",
            reverse(f"admin:{opts}_export"),
            "post",
            {
                "format": "0",
                "resource": "0",
                "supportrequestresource_contact_name": "on",
                "supportrequestresource_email": "on",
                "supportrequestresource_purpose": "on",
            },
        ),
        ("outbox", reverse("admin:clair_portal_outgoingmail_changelist"), "get", None),
        (
            "outbox mail",
            reverse("admin:clair_portal_outgoingmail_change", args=[secret.mail.pk]),
            "get",
            None,
        ),
        (
            "unsorted mail",
            reverse("admin:support_requests_unsortedmail_changelist"),
            "get",
            None,
        ),
        (
            "an unsorted mail",
            reverse(
                "admin:support_requests_unsortedmail_change", args=[secret.unsorted.pk]
            ),
            "get",
            None,
        ),
    ]


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def shows_secret(response, secret):
    body = body_of(response)
    return response.status_code == 200 and any(m in body for m in secret.markers)


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_show_requests_to_the_desk_and_superusers_only(
    client, role, secret
):
    client = login_as(client, role)
    for name, url, method, data in admin_urls(secret):
        response = getattr(client, method)(url, data or {})
        body = body_of(response)
        assert secret.request.token not in body, f"{role} got the token from {name}"
        if role in SEES_REQUESTS:
            if name == "attachment download":
                assert response.status_code == 200, name
                assert response["Content-Disposition"].startswith("attachment")
            else:
                assert shows_secret(response, secret), f"{role} cannot use {name}"
        else:
            assert not shows_secret(response, secret), f"{role} read {name}"
            expected = {302} if role == "anonymous" else {403, 404}
            if name in ("outbox", "queue", "queue search", "unsorted mail"):
                expected = expected | ({302} if role == "anonymous" else {403})
            assert response.status_code in expected, (name, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_the_view_on_site_shortcut_never_leads_to_a_tracking_page(client, role, secret):
    """Django's /admin/r/<type>/<id>/ redirects any staff user to an object's
    get_absolute_url(): a request has none (its page is the requester's), and
    the portal's shortcut also asks for the model's permission."""
    client = login_as(client, role)
    for instance in (secret.request, secret.message, secret.attachment, secret.change):
        response = client.get(shortcut(instance))
        location = response.get("Location", "")
        assert "/track/" not in location, (role, type(instance).__name__)
        assert secret.request.token not in location + body_of(response)
        if role == "anonymous":
            assert response.status_code == 302 and "login" in location
        else:
            assert response.status_code in (403, 404)


def test_the_shortcut_still_opens_public_records_for_their_editors(client):
    seminar = factories.SeminarFactory()
    login_as(client, "editor")
    response = client.get(shortcut(seminar))
    assert response.status_code == 302
    assert response["Location"].endswith(seminar.get_absolute_url())


def test_the_shortcut_refuses_staff_without_the_models_permission(client):
    seminar = factories.SeminarFactory()
    login_as(client, "staff in no group")
    assert client.get(shortcut(seminar)).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_tracking_page_needs_the_token_whoever_asks(client, role, secret):
    client = login_as(client, role)
    for path in (
        "/ja/support/track/not-the-token/",
        f"/ja/support/track/{secret.request.token[:-1]}/",
        f"/ja/support/track/not-the-token/files/{secret.attachment.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 404, (role, path)
        assert not any(m in body_of(response) for m in secret.markers)


def test_the_token_holder_sees_the_request_and_its_files(client, secret):
    page = client.get(secret.request.tracking_path())
    assert page.status_code == 200
    assert PURPOSE in page.content.decode()
    download = client.get(
        reverse(
            "support_requests:attachment",
            kwargs={"token": secret.request.token, "pk": secret.attachment.pk},
        )
    )
    assert download.status_code == 200


def test_the_desk_is_never_shown_the_tracking_link(client, secret):
    login_as(client, "support desk")
    page = client.get(
        reverse(
            "admin:support_requests_supportrequest_change", args=[secret.request.pk]
        )
    )
    assert page.status_code == 200
    assert secret.request.token not in page.content.decode()


def test_the_outbox_never_shows_a_tracking_token(client):
    """Mail to a requester holds their tracking link: the desk reads the
    outbox with the link redacted."""
    from support_requests.services import support_request_submit

    support_request = support_request_submit(
        kind="activity_support",
        language="ja",
        government=factories.JapaneseCityFactory(),
        department="国際課",
        contact_name=CONTACT,
        email=EMAIL,
        phone="03-0000-0000",
        purpose=PURPOSE,
    )
    login_as(client, "support desk")
    mails = OutgoingMail.objects.filter(recipients=EMAIL)
    assert mails.exists()
    pages = [reverse("admin:clair_portal_outgoingmail_changelist")] + [
        reverse("admin:clair_portal_outgoingmail_change", args=[mail.pk])
        for mail in mails
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert support_request.token not in body_of(response), url
    assert "/track/…/" in body_of(client.get(pages[1]))


@pytest.mark.parametrize(
    "query", ["token={token}", "token__startswith={prefix}", "token__regex=^{prefix}"]
)
def test_the_queue_cannot_be_filtered_by_token(client, secret, query):
    """Any lookup on a model's own fields is allowed in the admin's URL: one
    on the token would let the desk find it letter by letter."""
    login_as(client, "support desk")
    token = secret.request.token
    url = reverse("admin:support_requests_supportrequest_changelist")
    response = client.get(f"{url}?{query.format(token=token, prefix=token[:2])}")
    assert response.status_code == 400
    assert token not in body_of(response)


def unsorted_reply_quoting(support_request):
    """A reply to the request's signed address, refused (a file), quoting the
    mail with the link."""
    return UnsortedMail.objects.create(
        message_id="<quoted@example.jp>",
        sender="hida@example.jp",
        recipient=reply_address(support_request),
        body=f"ありがとうございます。\n> /ja/support/track/{support_request.token}/",
        reason=UnsortedMail.Reason.NO_REFERENCE,
    )


TEXT_LOOKUPS = [
    "body__contains=/track/{prefix}",
    "body__startswith={prefix}",
    "body__icontains=/track/{prefix}",
    "body={token}",
]


@pytest.mark.parametrize(
    ("changelist", "query"),
    [
        *(("clair_portal_outgoingmail", query) for query in TEXT_LOOKUPS),
        *(("unsortedmail", query) for query in TEXT_LOOKUPS),
        # The signed reply address: mail to it is filed as the requester's.
        ("clair_portal_outgoingmail", "reply_to__startswith=clairbj-jp%2B"),
        ("unsortedmail", "recipient__startswith=clairbj-jp%2B"),
    ],
)
def test_mail_lists_cannot_be_filtered_by_their_text(client, secret, query, changelist):
    """The outbox holds every mail to a requester, tracking link and all, and
    an unsorted reply may quote one: ?body__contains=/track/a counted one row
    or none, and gave the desk a token in 1,604 requests (a reviewer's run)."""
    unsorted_reply_quoting(secret.request)
    login_as(client, "support desk")
    token = secret.request.token
    opts = changelist if "_" in changelist else f"support_requests_{changelist}"
    url = reverse(f"admin:{opts}_changelist")
    response = client.get(f"{url}?{query.format(token=token, prefix=token[:2])}")
    assert response.status_code == 400
    assert token not in body_of(response)


def test_an_unsorted_mail_shows_a_quoted_tracking_link_redacted(client, secret):
    mail = unsorted_reply_quoting(secret.request)
    login_as(client, "support desk")
    url = reverse("admin:support_requests_unsortedmail_change", args=[mail.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert secret.request.token not in body_of(response)
    assert "/track/…/" in body_of(response)
    # The reply address's signature would let staff write as the requester.
    signed = reply_address(secret.request)
    assert signed not in body_of(response)
    assert signed.split(".")[0] + ".…@" in body_of(response)


@pytest.mark.parametrize("bad_id", ["abc", "%C2%B2", "99999999999999999999999", "-1"])
@pytest.mark.parametrize("role", ROLES)
def test_history_pages_check_the_permission_then_the_id(client, role, secret, bad_id):
    client = login_as(client, role)
    client.raise_request_exception = False
    opts = "support_requests_supportrequest"
    for url in (
        reverse(f"admin:{opts}_history", args=["0"]).replace("/0/", f"/{bad_id}/"),
        reverse(f"admin:{opts}_simple_history", args=[secret.request.pk, 1]).replace(
            "/history/1/", f"/history/{bad_id}/"
        ),
    ):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        elif role in SEES_REQUESTS:
            assert response.status_code == 404, (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)


def test_photos_attach_only_to_existing_program_records(client, secret):
    """A photo's "attached to" column names its record: attached to a mail, a
    job or a user, it let whoever may add photos read those."""
    login_as(client, "editor")
    add = reverse("admin:clair_portal_photo_add")
    seminar = factories.SeminarFactory()
    form = client.get(add).content.decode()
    mail_type = ContentType.objects.get_for_model(OutgoingMail)
    assert f'value="{mail_type.pk}"' not in form
    for content_type, object_id in [
        (mail_type, secret.mail.pk),
        (ContentType.objects.get_for_model(seminar), 987654321),
    ]:
        response = client.post(
            add,
            {
                "content_type": content_type.pk,
                "object_id": object_id,
                "caption_ja": "写真",
                "caption_zh_hans": "照片",
                "position": 0,
            },
        )
        assert response.status_code == 200  # the form again, with its error
        assert response.context["adminform"].form.errors
    from clair_portal.foundation.models import Photo

    assert not Photo.objects.filter(caption_ja="写真").exists()
