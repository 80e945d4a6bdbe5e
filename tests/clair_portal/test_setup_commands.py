import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_ensure_database_says_how_to_start_postgresql(settings):
    default = settings.DATABASES["default"]
    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**default, "HOST": "127.0.0.1", "PORT": "1"},
    }
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("ensure_database", stderr=stderr)
    assert exit.value.code == 1
    message = stderr.getvalue().strip()
    assert len(message.splitlines()) == 1
    assert "pg_ctlcluster --skip-systemctl-redirect 15 main start" in message


@pytest.mark.django_db
def test_ensure_local_admin_prints_the_password_once():
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_local_admin", stdout=first)
    call_command("ensure_local_admin", stdout=second)
    assert "password:" in first.getvalue()
    assert "password:" not in second.getvalue().replace("password printed", "")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    password = first.getvalue().split("password:")[1].strip()
    assert admin.check_password(password)
