"""`make backup` and `make restore` on real databases: a populated source
database and its files, backed up, restored into an empty database and empty
media directories, then compared table by table and file by file."""

import subprocess
import tarfile
import time
from pathlib import Path

import pytest
from django.apps import apps

from clair_portal.foundation.local_apps import local_app_labels

from .helpers import (
    ROOT,
    create_database,
    drop_database,
    files_under,
    fingerprints,
    manage,
    portal_environment,
    scratch_name,
)

# Run in the source portal: a seminar photo in MEDIA_ROOT and a support
# request with an attachment in PRIVATE_MEDIA_ROOT, through the models and
# the submit service as the admin and the public form would.
POPULATE = """
import datetime, io
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from clair_portal.foundation.models import JapaneseLocalGovernment, Photo
from seminars.models import Seminar
from support_requests.services import support_request_submit

buffer = io.BytesIO()
Image.new("RGB", (40, 30), "#1d4f91").save(buffer, "PNG")
seminar = Seminar.objects.get(edition=18)
photo = Photo(
    content_type=ContentType.objects.get_for_model(Seminar),
    object_id=seminar.pk,
    caption_ja="福州の会場",
    caption_zh_hans="福州会场",
    position=99,
)
photo.image.save("fuzhou.png", ContentFile(buffer.getvalue()), save=True)
today = timezone.localdate()
support_request_submit(
    kind="activity_support",
    language="ja",
    government=JapaneseLocalGovernment.objects.get(code="26"),
    department="国際課",
    contact_name="京都花子",
    email="kyoto@example.jp",
    phone="075-000-0000",
    purpose="友好交流",
    stay_start=today + datetime.timedelta(days=10),
    stay_end=today + datetime.timedelta(days=12),
    attachments=[
        SimpleUploadedFile(
            "日程.pdf", b"%PDF-1.4\\n%%EOF\\n" + bytes(range(256)), "application/pdf"
        )
    ],
)
print("populated")
"""


@pytest.fixture
def databases():
    names = scratch_name("backup_src"), scratch_name("backup_dst")
    for name in names:
        drop_database(name)
    yield names
    for name in names:
        drop_database(name)


def make(target, environment, *arguments):
    """`make <target>` as the operator runs it; the virtualenv is the one
    running the tests (-o: not reinstalled)."""
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "-o", ".venv/.installed"]
        + [target, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


def test_backup_then_restore_into_an_empty_database(databases, tmp_path):
    source, destination = databases
    source_env = portal_environment(
        source,
        MEDIA_ROOT=str(tmp_path / "src" / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "src" / "private"),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    create_database(source)
    manage("migrate", "--no-input", environment=source_env)
    manage("load_brochures", environment=source_env)
    assert "populated" in manage("shell", "-c", POPULATE, environment=source_env).stdout
    source_media = files_under(source_env["MEDIA_ROOT"])
    source_private = files_under(source_env["PRIVATE_MEDIA_ROOT"])
    # The photo and its thumbnail, made when it was saved.
    assert len(source_media) == 2 and len(source_private) == 1
    assert sum(name.startswith("CACHE/") for name in source_media) == 1

    started = time.monotonic()
    backed_up = make("backup", source_env)
    backup_seconds = time.monotonic() - started
    archive = Path(backed_up.stdout.strip().splitlines()[-1])
    assert archive.parent == tmp_path / "backups"
    assert archive.name.startswith("clair-") and archive.suffix == ".tar"
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.dump"} <= names
    assert {f"media/{name}" for name in source_media} <= names
    assert {f"private/{name}" for name in source_private} <= names

    # The destination database does not exist yet: restore creates it.
    destination_env = portal_environment(
        destination,
        MEDIA_ROOT=str(tmp_path / "dst" / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "dst" / "private"),
    )
    started = time.monotonic()
    restored = make("restore", destination_env, f"FILE={archive}")
    restore_seconds = time.monotonic() - started
    assert f"Created database {destination}" in restored.stdout

    tables, sequences = fingerprints(source)
    assert fingerprints(destination) == (tables, sequences)
    local_tables = {
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in local_app_labels()
    }
    assert local_tables <= set(tables)
    for table in ("seminars_seminar", "support_requests_supportrequest"):
        assert tables[table][0] > 0
    assert files_under(destination_env["MEDIA_ROOT"]) == source_media
    assert files_under(destination_env["PRIVATE_MEDIA_ROOT"]) == source_private

    # The restored portal finds an attachment through its model.
    check = manage(
        "shell",
        "-c",
        "from support_requests.models import SupportRequest as R; "
        "print(R.objects.get().attachments.get().file.read()[:8])",
        environment=destination_env,
    )
    assert "%PDF-1.4" in check.stdout

    # Restoring again over the data replaces it (--clean): same fingerprints.
    make("restore", destination_env, f"FILE={archive}")
    assert fingerprints(destination) == (tables, sequences)
    print(f"backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s")


def test_restore_refuses_a_damaged_archive(databases, tmp_path):
    source, destination = databases
    archive = tmp_path / "clair-damaged.tar"
    member = tmp_path / "manifest.json"
    member.write_text(
        '{"format": 1, "created_at": "", "members": '
        '{"database.dump": {"size": 1, "sha256": "0"}}}'
    )
    dump = tmp_path / "database.dump"
    dump.write_bytes(b"x")
    with tarfile.open(archive, "w") as tar:
        tar.add(member, "manifest.json")
        tar.add(dump, "database.dump")
    environment = portal_environment(
        destination,
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    with pytest.raises(subprocess.CalledProcessError) as failure:
        make("restore", environment, f"FILE={archive}")
    assert "damaged; nothing restored" in failure.value.stderr
    assert not (tmp_path / "media").exists()
