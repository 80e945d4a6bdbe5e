"""The desk home on the admin index: how many requests each of the desk's
queues holds, each a link to the queue filtered so."""

from django import template
from django.urls import reverse
from django.utils import timezone

from ..selectors import DESK_QUEUE_LABELS, DESK_QUEUES, desk_counts

register = template.Library()


@register.inclusion_tag("admin/support_requests/desk_home.html", takes_context=True)
def desk_home(context):
    user = context["request"].user
    if not user.has_perm("support_requests.view_supportrequest"):
        return {"queues": []}
    counts = desk_counts(user=user, today=timezone.localdate())
    queue_url = reverse("admin:support_requests_supportrequest_changelist")
    return {
        "queue_url": queue_url,
        "queues": [
            {
                "name": name,
                "label": DESK_QUEUE_LABELS[name],
                "count": counts[name],
                "url": f"{queue_url}?desk={name}",
            }
            for name in DESK_QUEUES
        ],
    }
