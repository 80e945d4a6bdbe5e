"""The desk home on the admin index: how many requests each of the desk's
queues holds, each a link to the queue filtered so, and how many mails wait
to be sorted."""

from django import template
from django.urls import reverse
from django.utils import timezone

from ..models import UnsortedMail
from ..selectors import (
    DESK_QUEUE_LABELS,
    DESK_QUEUES,
    desk_counts,
    unsorted_mail_count,
)

register = template.Library()


@register.inclusion_tag("admin/support_requests/desk_home.html", takes_context=True)
def desk_home(context):
    user = context["request"].user
    if not user.has_perm("support_requests.view_supportrequest"):
        return {"queues": []}
    counts = desk_counts(user=user, today=timezone.localdate())
    queue_url = reverse("admin:support_requests_supportrequest_changelist")
    queues = [
        {
            "name": name,
            "label": DESK_QUEUE_LABELS[name],
            "count": counts[name],
            "url": f"{queue_url}?desk={name}",
        }
        for name in DESK_QUEUES
    ]
    if user.has_perm("support_requests.view_unsortedmail"):
        mail_url = reverse("admin:support_requests_unsortedmail_changelist")
        queues.append(
            {
                "name": "unsorted_mail",
                "label": UnsortedMail._meta.verbose_name_plural,
                "count": unsorted_mail_count(),
                "url": f"{mail_url}?sorted__exact=0",
            }
        )
    return {"queue_url": queue_url, "queues": queues}
