#!/usr/bin/env python
"""`make load`: the portal under gunicorn as in production, on loopback,
driven by locust; the figures go to load/RESULTS.md.

1. A database of its own, `<DATABASE_URL's name>_load`, made afresh with
   migrate and load_brochures (the posted requests never reach the
   development database); dropped at the end unless LOAD_KEEP_DATABASE=1.
2. collectstatic into a temporary STATIC_ROOT; gunicorn with the project's
   gunicorn.conf.py, 2 workers, DEBUG=0, HTTPS=0, the form's rate limit off
   (RATELIMIT_ENABLE=0: every post comes from 127.0.0.1).
3. locust, headless, twice on the same server: LOAD_CONNECTIONS visitors (32)
   for LOAD_SECONDS (60), each one connection sending its next request as
   soon as it has the answer; first reading only (the form's page, never its
   post), then with writes: the form posted one time in 21 and a staff
   member saving a seminar in the admin once a minute (one more connection).
   The mixed run's throughput is reported as a share of the read-only run's,
   with locust's own CPU time, so that a run limited by the load generator
   shows as such.

Exits 1 when any request failed."""

import csv
import datetime
import json
import os
import platform
import resource
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "load" / "RESULTS.md"
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "32"))
WORKERS = 2
# The share of the read-only run's throughput the mixed run must reach.
TARGET_RATIO = 0.5


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(*command, environment):
    subprocess.run(command, cwd=ROOT, env=environment, check=True)


def manage(*arguments, environment):
    run(sys.executable, "manage.py", *arguments, environment=environment)


def django_json(code, environment):
    """What `code`, run by manage.py shell, prints as its last line (JSON)."""
    return json.loads(
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )


def form_data(environment):
    """The support request form's fields with this database's ids."""
    code = (
        "import json\n"
        "from support_requests.models import SupportService as S\n"
        "print(json.dumps({'services': [s.pk for s in S.objects.all()[:2]]}))\n"
    )
    ids = django_json(code, environment)
    today = datetime.date.today()
    return {
        "kind": "activity_support",
        "government": "岐阜県高山市",
        **ids,
        "department": "海外戦略課",
        "contact_name": "負荷試験",
        "phone": "0577-32-3333",
        "purpose": "負荷試験のための申請です。",
        "stay_start": (today + datetime.timedelta(days=30)).isoformat(),
        "stay_end": (today + datetime.timedelta(days=34)).isoformat(),
        "destinations": "北京市",
        "delegation_leader": "市長",
        "delegation_size": "5",
        "consent": "on",
    }


def staff_editor(environment):
    """A superuser of the load database, its password, and the change page
    of the seminar it edits (the 18th, whose public page the visitors read)."""
    password = secrets.token_urlsafe(24)
    code = (
        "import json\n"
        "from django.conf import settings\n"
        "from django.contrib.auth import get_user_model\n"
        "from seminars.models import Seminar\n"
        f"get_user_model().objects.create_superuser('load-editor', None, {password!r})\n"
        "print(json.dumps({'admin': '/' + settings.ADMIN_PATH,"
        " 'seminar_pk': Seminar.objects.get(edition=18).pk}))\n"
    )
    found = django_json(code, environment)
    return {
        "username": "load-editor",
        "password": password,
        "admin": found["admin"],
        "seminar": f"{found['admin']}seminars/seminar/{found['seminar_pk']}/change/",
    }


def drop_database(url):
    """Drop the load test's own database (its name ends in _load)."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    assert config["NAME"].endswith("_load"), config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(config["NAME"])
            )
        )
    connection.close()


def wait_for(url, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer {url} within {seconds} s")


def machine():
    memory = ""
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024**2} GiB"
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} memory, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def figures(prefix):
    with open(f"{prefix}_stats.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as file:
            failures = list(csv.DictReader(file))
    return rows, failures


def run_locust(*, port, work, writes, environment):
    """One headless locust run; its figures, with locust's own CPU seconds
    and the machine's CPU use (% of all cores) while it ran."""
    prefix = work / ("mixed" if writes else "reads")
    users = ["Visitor", "Editor"] if writes else ["Visitor"]
    connections = CONNECTIONS + (1 if writes else 0)
    command = [
        str(BIN / "locust"),
        "--locustfile=load/locustfile.py",
        "--headless",
        f"--users={connections}",
        f"--spawn-rate={connections}",
        f"--run-time={SECONDS}s",
        f"--host=http://127.0.0.1:{port}",
        f"--csv={prefix}",
        "--only-summary",
        *users,
    ]
    kind = "with writes" if writes else "reads only"
    print(f"Load, {kind}: {connections} connections for {SECONDS} s on port {port}.")
    # locust is the only child that ends during the run (gunicorn ends
    # later): the children's CPU time it adds is locust's.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    psutil.cpu_percent()
    started = time.monotonic()
    subprocess.run(
        command, cwd=ROOT, env={**environment, "LOAD_WRITES": "1" if writes else "0"}
    )
    elapsed = time.monotonic() - started
    machine_cpu = psutil.cpu_percent()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rows, failures = figures(prefix)
    return {
        "kind": kind,
        "rows": rows,
        "failures": failures,
        "total": next(row for row in rows if row["Name"] == "Aggregated"),
        "locust_cpu": cpu,
        "elapsed": elapsed,
        "machine_cpu": machine_cpu,
        "load_after": os.getloadavg(),
    }


def throughput(run):
    return float(run["total"]["Requests/s"])


def summary_row(run):
    total = run["total"]
    return (
        f"| {run['kind']} | {total['Request Count']} | {total['Failure Count']} "
        f"| {total['50%']} ms | {total['99%']} ms | {throughput(run):.1f} "
        f"| {run['locust_cpu']:.1f} s ({100 * run['locust_cpu'] / run['elapsed']:.0f} %) "
        f"| {run['machine_cpu']:.0f} % | {run['load_after'][0]:.2f} |"
    )


def request_rows(run):
    lines = [
        f"Requests, {run['kind']}:",
        "",
        "| request | count | errors | p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(run["rows"], key=lambda r: r["Name"]):
        if row["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} "
            f"| {row['Failure Count']} | {row['50%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):.0f} |"
        )
    if run["failures"]:
        lines += ["", "Errors:", ""]
        lines += [
            f"- {f['Method']} {f['Name']}: {f['Error']} ({f['Occurrences']}x)"
            for f in run["failures"]
        ]
    return lines


def report(runs, command, started, load_before, gunicorn_version, log):
    reads, mixed = runs
    ratio = throughput(mixed) / throughput(reads)
    verdict = "met" if ratio >= TARGET_RATIO else "not met"
    lines = [
        "# Load test results",
        "",
        "Written by `make load` (load/run.py); the latest run replaces it.",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}; load average before the run "
        f"{load_before[0]:.2f} (other work on the machine shares the cores)",
        f"- server: {gunicorn_version}, {WORKERS} sync workers, DEBUG=0, "
        "PostgreSQL on the same machine; locust (FastHttpUser) on the same "
        "machine too",
        f"- command: `{command}`",
        f"- load: {CONNECTIONS} visitors for {SECONDS} s each run, no pause "
        "between requests; public pages in both languages (20 parts) and the "
        "support request form (1 part). Reads only: the form's page, never "
        "posted. With writes: the form's page then its post, and one more "
        "connection, a staff member signed in to the admin saving a seminar "
        "(the 18th, whose page the visitors read) once a minute",
        "",
        "| run | requests | errors | p50 | p99 | requests/s "
        "| locust CPU (% of one core) | machine CPU | load average after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        summary_row(reads),
        summary_row(mixed),
        "",
        f"With writes / reads only: {ratio:.2f} of the throughput "
        f"(target {TARGET_RATIO}: {verdict}).",
        "",
        *request_rows(reads),
        "",
        *request_rows(mixed),
    ]
    restarts = log.read_text().count("Autorestarting worker")
    lines += [
        "",
        f"Workers restarted by gunicorn's max_requests during both runs: {restarts}. "
        "A request queued while a worker restarts waits for it to boot, which "
        "shows in p99 and max.",
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    return ratio


def main():
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    development = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clair_portal"
    )
    base_url, _, name = development.rpartition("/")
    database = f"{name.split('?')[0]}_load"
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="clair-load-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clair_portal.settings",
        "DATABASE_URL": f"{base_url}/{database}",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "EMAIL_URL": "dummymail://",
        "RATELIMIT_ENABLE": "0",
        "WEB_CONCURRENCY": str(WORKERS),
        "BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    drop_database(environment["DATABASE_URL"])
    manage("ensure_database", environment=environment)
    manage("migrate", "--no-input", "-v", "0", environment=environment)
    manage("load_brochures", "-v", "0", environment=environment)
    # As autovacuum leaves a database in service (statistics, GIN lists).
    manage(
        "shell",
        "-c",
        "from clair_portal.features.load_data import settle_tables; settle_tables()",
        environment=environment,
    )
    manage("collectstatic", "--no-input", "-v", "0", environment=environment)
    locust_environment = {
        **os.environ,
        "LOAD_FORM_DATA": json.dumps(form_data(environment)),
        "LOAD_STAFF": json.dumps(staff_editor(environment)),
    }
    log = work / "gunicorn.log"
    gunicorn_version = subprocess.run(
        [BIN / "gunicorn", "--version"], capture_output=True, text=True
    ).stdout.strip()
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [BIN / "gunicorn", "clair_portal.wsgi"]
            + [f"--workers={WORKERS}", f"--bind=127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server, log)
        runs = [
            run_locust(
                port=port, work=work, writes=writes, environment=locust_environment
            )
            for writes in (False, True)
        ]
    finally:
        server.terminate()
        server.wait(timeout=60)
    shown = f"make load  # LOAD_SECONDS={SECONDS} LOAD_CONNECTIONS={CONNECTIONS}"
    ratio = report(runs, shown, started, load_before, gunicorn_version, log)
    if os.environ.get("LOAD_KEEP_DATABASE") != "1":
        drop_database(environment["DATABASE_URL"])
    errors = sum(int(run["total"]["Failure Count"]) for run in runs)
    for run in runs:
        total = run["total"]
        print(
            f"{run['kind']}: {total['Request Count']} requests, "
            f"{total['Failure Count']} errors, p50 {total['50%']} ms, "
            f"p99 {total['99%']} ms, {throughput(run):.1f} requests/s, "
            f"locust CPU {run['locust_cpu']:.1f} s"
        )
    print(
        f"With writes / reads only: {ratio:.2f}. {RESULTS.relative_to(ROOT)} "
        f"written. Gunicorn's log: {shlex.quote(str(log))}"
    )
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
