"""The five roles every private URL is tested against (anonymous, an editor,
the support desk, a staff member in no group, a superuser), and a client
signed in as one of them."""

from django.contrib.auth.models import Group

from tests.factories import UserFactory

ROLES = ["anonymous", "editor", "support desk", "staff in no group", "superuser"]
GROUP_OF_ROLE = {"editor": "editors", "support desk": "support desk"}


def login_as(client, role):
    """`client` signed in as a new user of `role` (left as it is for
    anonymous); returns it."""
    if role == "anonymous":
        return client
    user = UserFactory(is_superuser=role == "superuser")
    if role in GROUP_OF_ROLE:
        user.groups.set(Group.objects.filter(name=GROUP_OF_ROLE[role]))
    client.force_login(user)
    return client
