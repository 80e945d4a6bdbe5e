"""Scaling out is a matter of settings: S3 storage for uploads, a read
replica, a shared cache, each from environment variables."""

import json

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory

from clair_portal.foundation.db_routers import ReplicaReadsMiddleware, ReplicaRouter
from clair_portal.foundation.models import OutgoingMail
from seminars.models import Seminar
from support_requests.models import SupportRequest

from .test_logging import run_python

PROBE = (
    "import json\n"
    "from django.conf import settings as s\n"
    "print(json.dumps({'storages': s.STORAGES, 'databases': s.DATABASES,"
    " 'caches': s.CACHES, 'routers': s.DATABASE_ROUTERS,"
    " 'middleware': s.MIDDLEWARE}, default=str))\n"
)


def settings_with(**environment):
    return json.loads(run_python(PROBE, **environment).splitlines()[-1])


def test_defaults_keep_everything_on_this_machine():
    built = settings_with(
        DATABASE_URL="postgres://portal@db.internal:5432/clair",
        MEDIA_ROOT="/srv/clair/media",
        PRIVATE_MEDIA_ROOT="/srv/clair/private",
    )
    storages = built["storages"]
    assert storages["default"]["BACKEND"].endswith("FileSystemStorage")
    assert storages["private"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/clair/private"},
    }
    assert list(built["databases"]) == ["default"]
    assert built["routers"] == []
    assert not any("db_routers" in m for m in built["middleware"])
    assert built["caches"]["default"]["BACKEND"].endswith("LocMemCache")
    assert built["caches"]["ratelimit"]["BACKEND"].endswith("LocMemCache")


def test_uploads_on_s3_compatible_storage():
    built = settings_with(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="clair-media",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="clair-private",
        AWS_S3_ENDPOINT_URL="https://oss-cn-beijing.example.com",
        AWS_S3_REGION_NAME="cn-beijing",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    public, private = built["storages"]["default"], built["storages"]["private"]
    assert public["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"] == {
        "bucket_name": "clair-media",
        "endpoint_url": "https://oss-cn-beijing.example.com",
        "region_name": "cn-beijing",
        "file_overwrite": False,
        "location": "media",
        "querystring_auth": False,
        "custom_domain": "media.example.org",
    }
    # Attachments: their own bucket, signed short-lived URLs, never the CDN.
    assert private["OPTIONS"]["bucket_name"] == "clair-private"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert "custom_domain" not in private["OPTIONS"]
    assert built["storages"]["staticfiles"]["BACKEND"].startswith("whitenoise")


def test_private_attachments_default_to_a_prefix_of_the_same_bucket():
    built = settings_with(MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="clair")
    private = built["storages"]["private"]["OPTIONS"]
    assert (private["bucket_name"], private["location"]) == ("clair", "private")


def test_read_replica():
    built = settings_with(
        DATABASE_URL="postgres://portal:pw@primary.internal:5432/clair",
        DATABASE_REPLICA_URL="postgres://reader:pw@replica.internal:5432/clair",
    )
    default, replica = built["databases"]["default"], built["databases"]["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        "reader",
        "clair",
    )
    assert replica["CONN_MAX_AGE"] == default["CONN_MAX_AGE"]
    assert replica["CONN_HEALTH_CHECKS"] == default["CONN_HEALTH_CHECKS"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert built["routers"] == ["clair_portal.foundation.db_routers.ReplicaRouter"]
    assert (
        built["middleware"][0]
        == "clair_portal.foundation.db_routers.ReplicaReadsMiddleware"
    )


def test_cache_and_rate_limits_in_redis():
    built = settings_with(CACHE_URL="redis://127.0.0.1:6379/1")
    for alias in ("default", "ratelimit"):
        assert built["caches"][alias] == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }


def test_rate_limit_cache_of_its_own():
    built = settings_with(
        CACHE_URL="redis://127.0.0.1:6379/1",
        RATELIMIT_CACHE_URL="redis://127.0.0.1:6379/2",
    )
    assert built["caches"]["ratelimit"]["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_unknown_media_storage_is_refused():
    with pytest.raises(Exception) as failure:
        run_python(PROBE, MEDIA_STORAGE="ftp")
    assert "MEDIA_STORAGE='ftp'" in failure.value.stderr


@pytest.mark.parametrize(
    ("method", "path", "replica"),
    [
        ("GET", "/ja/seminars/", True),
        ("HEAD", "/zh-hans/", True),
        ("POST", "/ja/support/request/", False),
        ("GET", "/admin/seminars/seminar/", False),
    ],
)
def test_public_pages_read_program_records_from_the_replica(method, path, replica):
    router = ReplicaRouter()
    seen = {}

    def view(request):
        seen["seminar"] = router.db_for_read(Seminar)
        seen["request"] = router.db_for_read(SupportRequest)
        seen["mail"] = router.db_for_read(OutgoingMail)
        seen["user"] = router.db_for_read(User)
        return HttpResponse()

    request = RequestFactory().generic(method, path)
    ReplicaReadsMiddleware(view)(request)

    assert seen == {
        "seminar": "replica" if replica else None,
        "request": None,
        "mail": None,
        "user": None,
    }
    assert router.db_for_read(Seminar) is None  # outside a request
    assert router.db_for_write(Seminar) == "default"
    assert router.allow_migrate("replica", "seminars") is False
    assert router.allow_migrate("default", "seminars") is True
