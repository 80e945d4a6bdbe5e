"""The steps of an expert dispatch as its requester and the desk see them.

A Chinese local government's request for an expert goes through the support
desk's one queue, thread and statuses (support_requests), but its steps read
as an expert dispatch's: the office looks for a Japanese expert, then sends
them. support_requests shows these labels for the requests of that kind."""

from django.utils.translation import gettext_lazy as _

# A support request's status (SupportRequest.Status) -> its label for an
# expert dispatch; the other statuses keep their own labels.
EXPERT_DISPATCH_STEPS = {
    "arranging": _("finding a Japanese expert"),
    "in_progress": _("expert dispatched"),
    "completed": _("dispatch completed"),
}
