"""Settings for the CLAIR Beijing portal, read from the environment.

Production-safe by default: DEBUG is off, SECRET_KEY has no default outside
DEBUG, HTTPS settings are on unless HTTPS=0. `make run` supplies the
development environment.
"""

import datetime
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import csp.constants as csp
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clair_portal.release import checked_out_commit

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A development checkout keeps its own random SECRET_KEY and its SITE_URL in
# .env (written by `make setup`, gitignored), so that plain `manage.py`
# commands work there; the environment always wins over it, and production
# sets the environment. ENV_FILE names another file, or none when empty (as
# the production tests run, so that this checkout's .env cannot stand in for
# what production must be given).
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="development-only-key-not-for-production")
else:
    SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)

# The project's own apps, in their layers (README, "Layout"): the foundation
# every program stands on (its app label stays "clair_portal", as do its
# tables), the five programs, and the features built over every program.
LOCAL_APPS = [
    "clair_portal.foundation",
    "clair_portal.news",
    "clair_portal.features",
    "clair_portal.features.search",
    "seminars",
    "support_requests",
    "jet",
    "exchange",
    "experts",
]
INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Django's widget templates, for FORM_RENDERER.
    "django.forms",
    # third party
    "axes",
    "csp",
    "django_filters",
    "imagekit",
    "import_export",
    # The task queue in PostgreSQL: jobs deferred in the request's transaction,
    # run by `manage.py procrastinate worker` (README, "The worker").
    # (its app, named in the admin's languages: clair_portal/foundation/apps.py)
    "clair_portal.foundation.apps.JobQueueConfig",
    "simple_history",
    *LOCAL_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise: static files need no Content-Security-Policy.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it reads the language cookie), before common (redirects
    # to the language-prefixed URL need the active language).
    "django.middleware.locale.LocaleMiddleware",
    # After locale (its 400 page is in the visitor's language), before any
    # view reads the query.
    "clair_portal.foundation.middleware.RejectControlCharactersMiddleware",
    # After locale too: its 503 page (a statement ran past the timeout) is in
    # the visitor's language.
    "clair_portal.foundation.middleware.TakingTooLongMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records request.user as the author of the history rows a request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clair_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clair_portal.foundation.context_processors.site_sections",
                "clair_portal.foundation.context_processors.public_body",
            ],
        },
    },
]

# Forms render with the templates above, so that templates/django/forms/ can
# replace a widget's template (select.html: its options inline); inputs,
# text areas and labels are written in Python (foundation/form_rendering.py).
FORM_RENDERER = "clair_portal.foundation.form_rendering.PortalFormRenderer"

WSGI_APPLICATION = "clair_portal.wsgi.application"

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/clair_portal"
    )
}
# Persistent connections, checked before each request reuses one: after a
# database restart the first request gets a fresh connection instead of an
# error, with no restart of the portal.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The longest one SQL statement of a request may run, in seconds (0: no
# limit). gunicorn.conf.py sets it for the web workers; manage.py commands
# (migrations, the mail worker, loading data) run without it. PostgreSQL
# cancels a statement past it and the visitor gets the 503 page
# (foundation.middleware.TakingTooLongMiddleware) in seconds, instead of a
# worker held until gunicorn kills it while the query runs on in the database.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=0)
# The longest a brochure PDF's render may run, in seconds (0: no limit); half
# of gunicorn's timeout in its workers (gunicorn.conf.py). Past it the visitor
# gets the 503 page, and the render is not tried again for a while
# (clair_portal/features/brochure/pdf_store.py), where gunicorn killed the
# worker, answered in English, and the next visitor started it over.
PDF_RENDER_TIMEOUT = env.float("PDF_RENDER_TIMEOUT", default=0)


def with_statement_timeout(database: dict) -> dict:
    """`database` with DATABASE_STATEMENT_TIMEOUT as its sessions' statement_timeout."""
    if DATABASE_STATEMENT_TIMEOUT > 0:
        options = database.setdefault("OPTIONS", {})
        milliseconds = max(1, round(DATABASE_STATEMENT_TIMEOUT * 1000))
        options["options"] = (
            f"{options.get('options', '')} -c statement_timeout={milliseconds}".strip()
        )
    return database


with_statement_timeout(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before the password is
# checked (it authenticates no one itself).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Languages. modeltranslation compares codes case-sensitively, so "zh-hans"
# stays lowercase here; the catalog directory is locale/zh_Hans.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("zh-hans", _("Simplified Chinese"))]
# locale/: the portal's own strings (`make makemessages`). locale_packages/:
# strings of Django's admin and of packages that their own catalogs leave
# untranslated in one of the two languages (written by hand; makemessages
# puts nothing there, as it writes to the first path).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_packages"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ja",), "ja": ("zh-hans",)}

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Attachments of support requests: outside MEDIA_ROOT, downloaded only
# through views that check permission or the requester's token.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private"))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="clairbj-jp@clair.org.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is told of new support requests and requesters' messages.
SUPPORT_DESK_EMAILS = env.list("SUPPORT_DESK_EMAILS", default=[DEFAULT_FROM_EMAIL])
# The desk answers a request within this many working days of both countries
# (support_requests/working_days.py), or this many before the stay it asks
# for, whichever comes first.
SUPPORT_DUE_WORKING_DAYS = env.int("SUPPORT_DUE_WORKING_DAYS", default=3)
SUPPORT_LEAD_WORKING_DAYS = env.int("SUPPORT_LEAD_WORKING_DAYS", default=10)
# The mailbox of the reply addresses (imaps://user:password@host/INBOX), read
# by the worker every few minutes; none: replies by mail are not read.
IMAP_URL = env("IMAP_URL", default="")
# The portal's public address, for links in mail (tracking pages), canonical
# links and the sitemap. Required outside development, as SECRET_KEY is: with
# a default, a server started without it mailed requesters tracking links to
# 127.0.0.1:8000.
if DEBUG:
    SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
else:
    SITE_URL = env("SITE_URL").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.path:
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r}: the portal's public address, such as "
        "https://portal.example.org (a scheme and a host, no path)"
    )
# The ICP filing number (e.g. 京ICP备12345678号-1) a site served in mainland
# China shows in its footer, linked to the MIIT's filing site; none by default.
ICP_NUMBER = env.str("ICP_NUMBER", default="")

# HTTPS is on unless HTTPS=0: the portal sits behind a proxy that terminates
# TLS and sets X-Forwarded-Proto.
HTTPS = env.bool("HTTPS", default=True)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# No script of the portal reads the CSRF or language cookie (forms carry the
# token; the language switch is a form).
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
# Origins (scheme://host) whose forms may post here, e.g. the public name of
# the portal when the proxy passes a different Host.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The portal's own page, in the visitor's language, never Django's (which
# talks of DEBUG).
CSRF_FAILURE_VIEW = "clair_portal.foundation.views.csrf_failure"

# Content-Security-Policy (django-csp): scripts, styles, fonts, frames and
# form targets only from the portal itself, never inline, and no page of it
# inside a frame. Images may also be data: URIs (small icons inlined in CSS).
# Third-party admin templates with inline bits (import-export's export form,
# simple-history's history table) are overridden in templates/ without them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}

# The admin's address: a path of its own makes the sign-in page less of a
# target for scripted guessing. With or without slashes in the variable.
ADMIN_PATH = env("ADMIN_PATH", default="admin/").strip("/") + "/"

# django-axes: five failed sign-ins for one user name from one address lock
# that pair out (other users, and the same user elsewhere, can still sign in)
# for AXES_COOLOFF_MINUTES; 0 locks until `manage.py axes_reset`. The lockout
# page (status 429) is the admin's, in the visitor's language.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
_axes_cooloff_minutes = env.int("AXES_COOLOFF_MINUTES", default=30)
AXES_COOLOFF_TIME = (
    datetime.timedelta(minutes=_axes_cooloff_minutes) if _axes_cooloff_minutes else None
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clair_portal.foundation.views.signin_locked"
# Lockouts are lifted with `manage.py axes_reset_username NAME` (or
# axes_reset); axes' own read-only admin pages stay off the staff's admin.
AXES_ENABLE_ADMIN = False
# The visitor's address. Behind PROXY_COUNT reverse proxies, each appending
# the address it saw to X-Forwarded-For, the client is the entry the outermost
# proxy wrote: the PROXY_COUNT-th from the right (anything left of it may be
# forged by the client). Without a proxy (PROXY_COUNT=0) the header is ignored
# and the connection's address counts. django-ipware counts only the proxies
# listed in the header (the nearest is the connection itself), hence the -1;
# not strict, so that a forged prefix does not discard the chain.
PROXY_COUNT = env.int("PROXY_COUNT", default=1 if HTTPS else 0)
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Logs and errors -------------------------------------------------------------
# Every log record goes to stderr as one JSON object per line
# (clair_portal/foundation/logging.py), for whatever collects the process's output;
# LOG_FORMAT=text prints plain lines instead, for a person at a terminal.
# Errors of requests (500s) are mailed to ADMINS ("Name <a@b>, Name <c@d>")
# when DEBUG is off, and/or sent to Sentry when SENTRY_DSN is set.
# The reports name a POST's fields, never their values (requesters' data).
DEFAULT_EXCEPTION_REPORTER_FILTER = (
    "clair_portal.foundation.logging.NoPostDataReporterFilter"
)
ADMINS = getaddresses([env("ADMINS", default="")])
ADMINS = [(name, address) for name, address in ADMINS if address]
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "clair_portal.foundation.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # stderr: a command's stdout is its own output (dumpdata > file).
            "stream": "ext://sys.stderr",
            "formatter": env("LOG_FORMAT", default="json"),
        },
        "mail_admins": {
            "class": "clair_portal.foundation.logging.WorkerAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own handlers (plain text on stderr, mail on any
        # django.* error): records go up to the root's JSON lines.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"handlers": ["mail_admins"], "propagate": True},
        # The worker logs each job's arguments at INFO; an error report's are
        # the report itself: warnings and errors only.
        "procrastinate": {"level": "WARNING"},
    },
}
# The running code's name: set RELEASE on deploy (e.g. the commit) where the
# checkout has no .git.
RELEASE = env("RELEASE", default="") or checked_out_commit(BASE_DIR)
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=RELEASE,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        # Requests carry personal data (requesters' names, addresses, files):
        # no cookies, users or addresses, no request bodies, no local
        # variables of the stack frames.
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )

# Import and export of program records in the admin (django-import-export).
# The formats (CSV in UTF-8 with a byte order mark, and XLSX) are the
# project's own classes, set on the shared admin mixins in
# clair_portal/foundation/admin.py (settings cannot import them: they live beside the
# resources, which need the models).
# Without permission codes any staff user could import; with these, import
# needs "change" (and the admin also asks for "add") and export "view".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# One transaction per import: a dry run or a bad row changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Text cells that a spreadsheet would run as formulas (=, +, -, @) are
# prefixed with an apostrophe (clair_portal.foundation.csv_files.escape_formula).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# A character a spreadsheet cannot hold (a control character pasted in before
# the forms cleaned text) becomes U+FFFD: without it the XLSX export of the
# whole list failed, with import-export's message in English.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Limits of what an import reads (clair_portal/foundation/import_formats.py): a file larger
# than IMPORT_MAX_SIZE bytes is refused unread; reading stops at the first
# row past IMPORT_MAX_ROWS, and an XLSX is refused when its members would
# inflate past IMPORT_MAX_INFLATED_SIZE (openpyxl may scan a sheet whole
# before its first row: its cost is bounded by that). The brochures' tables
# have a few hundred rows at most; without limits a 1 MB XLSX of a million
# rows held a worker until its timeout.
IMPORT_MAX_SIZE = env.int("IMPORT_MAX_SIZE", default=2 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_INFLATED_SIZE = env.int("IMPORT_MAX_INFLATED_SIZE", default=4 * 1024 * 1024)
# Pillow's pixel limit (set in FoundationConfig.ready): 40 million pixels is
# a 7,700 x 5,200 photo, and decoding it takes about 120 MB.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)

# Support request forms: rate limit and caches --------------------------------
# django-ratelimit counts each address's POSTs to the request forms and the
# tracking page's reply form in the "ratelimit" cache: past
# SUPPORT_FORM_RATELIMIT the view answers 429. The app is deliberately not in
# INSTALLED_APPS: its system checks demand memcached or Redis, and the portal
# runs on PostgreSQL alone. The local-memory default counts per process (with
# N gunicorn workers an address gets up to N times the rate); point
# RATELIMIT_CACHE_URL at memcached or Redis (django-environ's form) to count
# across workers.
# CACHE_URL (e.g. redis://127.0.0.1:6379/1) shares the cache, and with it
# the rate limit's counts, between all app servers ("Scaling out" in the
# README); without it each process keeps its own in memory.
CACHE_URL = env("CACHE_URL", default="")
CACHES = {
    "default": env.cache_url_config(CACHE_URL or "locmemcache://"),
    "ratelimit": env.cache(
        "RATELIMIT_CACHE_URL", default=CACHE_URL or "locmemcache://ratelimit"
    ),
}
RATELIMIT_USE_CACHE = "ratelimit"
# Whole public pages kept in the default cache until the content changes
# (clair_portal/foundation/page_cache.py); off by default while developing, so an edited
# template shows at once.
PAGE_CACHE = env.bool("PAGE_CACHE", default=not DEBUG)
# RATELIMIT_ENABLE=0 switches the limit off, for the load test only (its
# posts all come from 127.0.0.1).
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# Behind the TLS proxy every request comes from the proxy's address: the
# visitor's is read from X-Forwarded-For by the PROXY_COUNT rule above.
RATELIMIT_IP_META_KEY = "support_requests.views.client_address"
SUPPORT_FORM_RATELIMIT = env("SUPPORT_FORM_RATELIMIT", default="10/m")
# Mail is sent by the worker (clair_portal/foundation/tasks.py), never in a request; a
# mail server that hangs holds one of the worker's jobs this long, then the
# mail goes back to pending and the periodic job tries again.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Scaling out -----------------------------------------------------------------
# Several app servers behind a load balancer share everything through
# settings, with no change of code (README, "Scaling out"). The packages of
# S3 and Redis are imported only when configured: requirements-scaling.txt.
# Uploads: on this machine's disk by default (MEDIA_ROOT, PRIVATE_MEDIA_ROOT);
# MEDIA_STORAGE=s3 puts them in S3-compatible storage (django-storages;
# credentials from boto3's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
# Support request attachments go to their own bucket (or the same bucket's
# "private/" prefix), never public: the portal streams them to those allowed.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    _s3 = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "media",
            # Photos are public: plain URLs (the bucket's policy lets anyone
            # read media/*), through a CDN's domain when given.
            "querystring_auth": False,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env(
                "AWS_PRIVATE_STORAGE_BUCKET_NAME", default=_s3["bucket_name"]
            ),
            "location": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
elif MEDIA_STORAGE == "filesystem":
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r}: 'filesystem' or 's3'")

# One PostgreSQL primary; DATABASE_REPLICA_URL adds a streaming read replica
# that serves the reads of public pages (clair_portal/foundation/db_routers.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        # Tests use the primary's test database for both aliases.
        "TEST": {"MIRROR": "default"},
    }
    with_statement_timeout(DATABASES["replica"])
    DATABASE_ROUTERS = ["clair_portal.foundation.db_routers.ReplicaRouter"]
    MIDDLEWARE = [
        "clair_portal.foundation.db_routers.ReplicaReadsMiddleware",
        *MIDDLEWARE,
    ]
