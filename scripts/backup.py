#!/usr/bin/env python
"""Back up and restore the portal: the database and the uploaded files.

    python scripts/backup.py backup            # make backup
    python scripts/backup.py restore ARCHIVE   # make restore FILE=ARCHIVE

Reads the portal's own settings (DATABASE_URL, MEDIA_ROOT,
PRIVATE_MEDIA_ROOT), so it backs up what the portal uses.

An archive is one tar file, BACKUP_DIR/clair-<UTC time>.tar (default
backups/), readable by its owner only (it holds personal data):

    manifest.json    what, when, from where; size and SHA-256 of every member
    database.dump    pg_dump --format=custom of DATABASE_URL's database
    media/...        MEDIA_ROOT (photos)
    private/...      PRIVATE_MEDIA_ROOT (support request attachments)

It is written under a temporary name and renamed when complete, so a copy
job never takes a half-written archive. Restoring checks every member
against the manifest, creates the database if it is missing, replaces its
contents (pg_restore --clean --if-exists --no-owner, in one transaction),
and writes the files into the media directories (files that are there and
not in the archive are left alone).
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1
TREES = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


def django_settings():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clair_portal.settings")
    from django.conf import settings

    return settings


def libpq(database):
    """Command-line options and environment for pg_dump and pg_restore."""
    options = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            options.append(f"{flag}={database[key]}")
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return options, environment


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit():
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def backup(settings):
    started = time.monotonic()
    database = settings.DATABASES["default"]
    options, environment = libpq(database)
    os.umask(0o077)
    target_dir = Path(os.environ.get("BACKUP_DIR") or ROOT / "backups")
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = target_dir / f"clair-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".backup-") as work:
        dump = Path(work) / "database.dump"
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--file={dump}",
                *options,
                database["NAME"],
            ],
            env=environment,
            check=True,
        )
        version = subprocess.run(
            ["pg_dump", "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        members = {
            "database.dump": {"size": dump.stat().st_size, "sha256": sha256(dump)}
        }
        trees = {}
        for prefix, setting in TREES.items():
            root = Path(getattr(settings, setting))
            trees[prefix] = {"setting": setting, "path": str(root), "files": 0}
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = f"{prefix}/{path.relative_to(root).as_posix()}"
                members[name] = {"size": path.stat().st_size, "sha256": sha256(path)}
                trees[prefix]["files"] += 1
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "host": socket.gethostname(),
            "git_commit": git_commit(),
            "database": {
                "name": database["NAME"],
                "host": database.get("HOST") or "",
                "port": str(database.get("PORT") or ""),
                "pg_dump": version,
            },
            "trees": trees,
            "members": members,
        }
        manifest_path = Path(work) / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = Path(work) / archive.name
        with tarfile.open(partial, "w") as tar:
            tar.add(manifest_path, "manifest.json")
            tar.add(dump, "database.dump")
            for prefix in TREES:
                root = Path(getattr(settings, TREES[prefix]))
                for name in members:
                    if name.startswith(prefix + "/"):
                        tar.add(root / name[len(prefix) + 1 :], name)
        partial.rename(archive)
    files = sum(tree["files"] for tree in trees.values())
    print(
        f"Backed up database {database['NAME']} ({members['database.dump']['size']} "
        f"bytes) and {files} files in {time.monotonic() - started:.1f} s."
    )
    print(archive)
    return archive


def ensure_database(database):
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(
        dbname="postgres",
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
        )
        if cursor.fetchone() is None:
            cursor.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"]))
            )
            print(f"Created database {database['NAME']}.")
    connection.close()


def restore(settings, archive):
    started = time.monotonic()
    database = settings.DATABASES["default"]
    options, environment = libpq(database)
    with tempfile.TemporaryDirectory(prefix="clair-restore-") as work:
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        work = Path(work)
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            sys.exit(f"{archive}: unknown archive format {manifest.get('format')!r}")
        for name, member in manifest["members"].items():
            path = work / name
            if not path.is_file() or sha256(path) != member["sha256"]:
                sys.exit(f"{archive}: {name} is missing or damaged; nothing restored")
        ensure_database(database)
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
            + ["--single-transaction", f"--dbname={database['NAME']}", *options]
            + [str(work / "database.dump")],
            env=environment,
            check=True,
        )
        files = 0
        for prefix, setting in TREES.items():
            source = work / prefix
            if not source.is_dir():
                continue
            target = Path(getattr(settings, setting))
            for path in (p for p in source.rglob("*") if p.is_file()):
                destination = target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
                files += 1
    print(
        f"Restored database {database['NAME']} and {files} files from {archive} "
        f"(made {manifest['created_at']}) in {time.monotonic() - started:.1f} s."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("backup", help="write a new archive to BACKUP_DIR")
    restore_parser = commands.add_parser("restore", help="restore an archive")
    restore_parser.add_argument("archive", type=Path)
    arguments = parser.parse_args()
    settings = django_settings()
    if arguments.command == "backup":
        backup(settings)
    else:
        if not arguments.archive.is_file():
            parser.error(f"no such archive: {arguments.archive}")
        restore(settings, arguments.archive)


if __name__ == "__main__":
    main()
