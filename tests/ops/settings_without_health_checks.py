"""The test settings with persistent connections that are not checked before
reuse: the control case of the database restart test."""

from tests.settings import *  # noqa: F403

DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
