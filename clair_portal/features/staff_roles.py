"""The two staff groups and what each may do in the admin.

Declared here and applied after every migrate (post_migrate, so also after a
test's flush): a group holds exactly these permissions, whatever the history
of the database. A person who needs more gets their own user permissions or
another group; these two are reset to this list on every deploy.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_noop

# The groups' names, as the code finds them; the admin shows them translated
# (foundation.admin.group_label).
EDITORS = gettext_noop("editors")
SUPPORT_DESK = gettext_noop("support desk")

ALL_ACTIONS = ("add", "change", "delete", "view")

# Editors keep every program's published records and the office's own
# content; never the requests (personal data), the outbox or the history.
EDITORS_EDIT_EVERY_MODEL_OF = ("seminars", "jet", "exchange", "experts", "news")
EDITORS_EDIT = {
    "clair_portal": (
        "brochureedition",
        "chineselocalgovernment",
        "greeting",
        "japaneselocalgovernment",
        "keyfigure",
        "officecontact",
        "photo",
        "programintro",
        "staffmember",
    ),
    "support_requests": ("supportexample", "supportservice", "supportyearlyfigure"),
}

# The support desk works the requests: it reads the places and services a
# request names, and the mail sent for it.
SUPPORT_DESK_MAY = {
    ("support_requests", "supportrequest"): ("add", "change", "view"),
    ("support_requests", "requestmessage"): ("add", "view"),
    ("support_requests", "requestattachment"): ("add", "view"),
    ("support_requests", "requestcorrection"): ("add", "view"),
    ("support_requests", "statuschange"): ("view",),
    ("support_requests", "cannedreply"): ALL_ACTIONS,
    ("support_requests", "unsortedmail"): ("change", "view"),
    ("support_requests", "supportservice"): ("view",),
    ("clair_portal", "japaneselocalgovernment"): ("view",),
    ("clair_portal", "chineselocalgovernment"): ("view",),
    ("clair_portal", "outgoingmail"): ("view",),
}


def _is_history(model):
    # django-simple-history's historical models point back at their record.
    return hasattr(model, "instance_type")


def declared_permissions():
    """{group name: {(app_label, model_name, action)}} from the lists above."""
    editors = set()
    for app_label in EDITORS_EDIT_EVERY_MODEL_OF:
        for model in global_apps.get_app_config(app_label).get_models():
            if not _is_history(model):
                editors.update(
                    (app_label, model._meta.model_name, action)
                    for action in ALL_ACTIONS
                )
    for app_label, model_names in EDITORS_EDIT.items():
        editors.update(
            (app_label, model_name, action)
            for model_name in model_names
            for action in ALL_ACTIONS
        )
    desk = {
        (app_label, model_name, action)
        for (app_label, model_name), actions in SUPPORT_DESK_MAY.items()
        for action in actions
    }
    return {EDITORS: editors, SUPPORT_DESK: desk}


def apply_staff_roles(using=DEFAULT_DB_ALIAS, **kwargs):
    """Give each group exactly its declared permissions (creating the groups
    and, first, every app's permissions, which post_migrate may not have
    reached yet for the apps after this one). Reads the project's models, not
    a migration's state: it runs once the database is migrated."""
    from django.contrib.auth.models import Group, Permission

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    permissions = {
        (p.content_type.app_label, p.content_type.model, p.codename.split("_", 1)[0]): p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for name, declared in declared_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(
            [permissions[key] for key in declared if key in permissions]
        )
