"""Mail to a requester goes to an address nobody has verified, from the office's
own address: it carries the reference, the kind, the dates and the tracking
link, never what the requester wrote (a phishing link in "purpose" was
delivered). The desk's notice keeps the details."""

import pytest
from django.utils import translation

from clair_portal.foundation.models import OutgoingMail
from clair_portal.foundation.typography import written_date
from support_requests.models import SupportRequest
from tests.support_requests.helpers import activity_data, expert_data

pytestmark = pytest.mark.django_db

PHISHING = "http://evil.example/login"
HOSTILE_TEXT = {
    "contact_name": "Bob http://evil.example/name",
    "department": "Sales http://evil.example/department",
    "purpose": f"Please sign in at {PHISHING} to confirm.",
}
FORMS = {
    "ja": ("/ja/support/request/", activity_data),
    "zh-hans": ("/zh-hans/experts/request/", expert_data),
}


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_confirmation_carries_none_of_the_requesters_text(client, language):
    path, form_data = FORMS[language]
    response = client.post(path, form_data(**HOSTILE_TEXT))
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()

    confirmation = OutgoingMail.objects.get(recipients=support_request.email)
    mailed = confirmation.subject + confirmation.body
    assert "evil.example" not in mailed
    for text in HOSTILE_TEXT.values():
        assert text not in mailed
    assert support_request.reference in mailed
    with translation.override(language):
        assert str(support_request.get_kind_display()) in mailed
        assert support_request.tracking_path() in mailed
    with translation.override(language):
        start = written_date(support_request.stay_start or support_request.wished_start)
    assert start in mailed

    desk = OutgoingMail.objects.exclude(pk=confirmation.pk).get()
    assert PHISHING in desk.body  # the desk reads what was asked, in the admin's mail
