"""Admin views of the project's own that stand in for Django's."""

from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" shortcut (/admin/r/<type>/<id>/), which in
    Django asks only that the user be staff: here it also asks for the view
    or change permission of the record's model, so that an object's public
    address is not a way around the admin's permissions."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model = content_type.model_class()
    if model is None:
        raise Http404
    opts = model._meta
    if not any(
        request.user.has_perm(
            f"{opts.app_label}.{get_permission_codename(action, opts)}"
        )
        for action in ("view", "change")
    ):
        raise PermissionDenied
    return shortcut(request, content_type_id, object_id)
