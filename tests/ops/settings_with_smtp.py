"""The test settings, sending mail to the server of EMAIL_URL as production
does (tests.settings keeps mail in memory)."""

from tests.settings import *  # noqa: F403

vars().update(EMAIL_CONFIG)  # noqa: F405
