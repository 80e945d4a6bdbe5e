"""Admin views of the support desk that are not a model's own pages."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import RequestAttachment

ATTACHMENT_VIEW_PERMISSION = "support_requests.view_requestattachment"


def can_download_attachments(request, model_admin, support_request=None) -> bool:
    """Whoever may see a request's attachments (the inline that lists them
    needs the same permission) and the request itself."""
    return request.user.has_perm(
        ATTACHMENT_VIEW_PERMISSION
    ) and model_admin.has_view_permission(request, support_request)


def attachment_download(request, object_id, attachment_id, *, model_admin):
    """A request's file for staff, from private storage: always a download,
    never rendered by the browser, under its original name.

    The permission is checked before anything is looked up, so that a user
    without it cannot learn which requests or files exist."""
    if not can_download_attachments(request, model_admin):
        raise PermissionDenied
    support_request = model_admin.get_object(request, object_id)
    if support_request is None:
        raise Http404
    if not can_download_attachments(request, model_admin, support_request):
        raise PermissionDenied
    attachment = get_object_or_404(
        RequestAttachment, pk=attachment_id, request=support_request
    )
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("This file is no longer available.")) from error
    response = FileResponse(
        file,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
