"""The staff groups hold exactly the permissions staff_roles declares, after
every migrate and every flush, whatever was done to them before."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from clair_portal.features.staff_roles import EDITORS, SUPPORT_DESK


def held(group_name):
    return set(
        Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


@pytest.mark.django_db
def test_the_editors_keep_the_records_and_never_see_a_request():
    editors = held(EDITORS)
    assert ("seminars", "change_seminar") in editors
    assert ("news", "add_newsitem") in editors
    assert ("clair_portal", "change_brochureedition") in editors
    assert ("support_requests", "change_supportyearlyfigure") in editors
    for app_label, codename in [
        ("support_requests", "view_supportrequest"),
        ("support_requests", "view_requestmessage"),
        ("support_requests", "view_unsortedmail"),
        ("clair_portal", "view_outgoingmail"),
        ("news", "view_historicalnewsitem"),
    ]:
        assert (app_label, codename) not in editors


@pytest.mark.django_db
def test_the_desk_works_the_requests_and_edits_no_program():
    desk = held(SUPPORT_DESK)
    assert ("support_requests", "change_supportrequest") in desk
    assert ("support_requests", "add_requestmessage") in desk
    assert ("clair_portal", "view_japaneselocalgovernment") in desk
    assert ("support_requests", "delete_supportrequest") not in desk
    assert not {perm for perm in desk if perm[0] in {"seminars", "jet", "news"}}


@pytest.mark.django_db
def test_a_migrate_puts_back_what_was_changed_by_hand():
    declared = {EDITORS: held(EDITORS), SUPPORT_DESK: held(SUPPORT_DESK)}
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.add(Permission.objects.get(codename="view_supportrequest"))
    editors.permissions.remove(Permission.objects.get(codename="change_seminar"))
    Group.objects.get(name=SUPPORT_DESK).delete()

    call_command("migrate", verbosity=0)

    assert {EDITORS: held(EDITORS), SUPPORT_DESK: held(SUPPORT_DESK)} == declared


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_groups_as_declared(restore_after_flush):
    declared = {EDITORS: held(EDITORS), SUPPORT_DESK: held(SUPPORT_DESK)}
    call_command("flush", interactive=False, verbosity=0)
    assert {EDITORS: held(EDITORS), SUPPORT_DESK: held(SUPPORT_DESK)} == declared


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "editors", "desk"),
    [("ja", "編集担当", "支援窓口"), ("zh-hans", "编辑人员", "协助窗口")],
)
def test_the_admin_names_the_groups_in_the_readers_language(
    admin_client, admin_user, language, editors, desk
):
    """The groups keep their English names for the code; staff who give a
    colleague a role read them in their own language."""
    admin_client.cookies["django_language"] = language
    user_form = (
        admin_client.get(reverse("admin:auth_user_change", args=[admin_user.pk]))
        .context["adminform"]
        .form
    )
    choices = [label for _value, label in user_form.fields["groups"].choices]
    assert editors in choices and desk in choices
    users = admin_client.get(reverse("admin:auth_user_changelist")).text
    assert f">{editors}</a>" in users and ">editors<" not in users
    groups = admin_client.get(reverse("admin:auth_group_changelist")).text
    assert editors in groups and desk in groups
    assert ">support desk<" not in groups
