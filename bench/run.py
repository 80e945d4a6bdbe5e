"""make bench: the portal's speed at scale 1 and 100, written to bench/RESULTS.md.

For each scale, a database of its own gets the brochures plus
`generate_load_data --scale N`; gunicorn serves it with 2 workers on loopback;
wrk measures /healthz (Django, gunicorn and one query: the floor) and every
public page in both languages. Queries per request are counted in-process with
the test client. The brochure export is timed against PostgreSQL's COPY of the
same rows, with its peak memory; the PDF brochure's render time is measured.
"""

import datetime
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1 100").split()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
FISCAL_YEAR = 2018
PAGES = [
    "/{lang}/",
    "/{lang}/seminars/",
    "/{lang}/seminars/17/",
    "/{lang}/support/",
    "/{lang}/support/request/",
    "/{lang}/jet/",
    "/{lang}/exchange/",
    "/{lang}/experts/",
    "/{lang}/experts/request/",
    "/{lang}/office/",
    f"/{{lang}}/brochure/{FISCAL_YEAR}/",
]
LANGUAGES = ["ja", "zh-hans"]


def env_for(database: str, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env: dict, *args: str, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout if capture else ""


def prepare_database(scale: int) -> dict:
    database = f"clair_bench_{scale}"
    subprocess.run(
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", database],
        check=True,
    )
    env = env_for(database)
    manage(env, "ensure_database")
    manage(env, "migrate", "--no-input")
    manage(env, "load_brochures")
    if scale > 1:
        manage(env, "generate_load_data", "--scale", str(scale - 1))
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, static_root: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server_env = {**env, "STATIC_ROOT": static_root, "WEB_CONCURRENCY": "2"}
    process = subprocess.Popen(
        [
            GUNICORN,
            "clair_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    return process, base


def wrk(url: str) -> dict:
    """Requests per second and latency percentiles of one URL under load."""
    output = subprocess.run(
        ["wrk", "--latency", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", url],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": percentile(50),
        "p99": percentile(99),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


QUERY_COUNTER = """
import sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for path in sys.argv[1:]:
    client.get(path)  # warm: content types, translations
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    print(path, response.status_code, len(queries))
"""


def queries_per_page(env: dict, paths: list[str]) -> dict:
    output = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            QUERY_COUNTER.replace("sys.argv[1:]", repr(paths)),
        ],
        cwd=ROOT,
        # The test client's requests come from "testserver".
        env={**env, "ALLOWED_HOSTS": env["ALLOWED_HOSTS"] + ",testserver"},
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    counts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith("/"):
            counts[parts[0]] = (int(parts[1]), int(parts[2]))
    return counts


def measure_export(env: dict) -> dict:
    output = tempfile.mkdtemp(prefix="bench-export-")
    # /usr/bin/time reports the child's own peak memory, not the maximum over
    # every earlier child as getrusage(RUSAGE_CHILDREN) would.
    start = time.perf_counter()
    result = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "%M",
            PYTHON,
            "manage.py",
            "export_brochure",
            "--fiscal-year",
            str(FISCAL_YEAR),
            "--language",
            "ja",
            "--output",
            output,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    export_seconds = time.perf_counter() - start
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    rows = sum(
        max(0, len(path.read_text(encoding="utf-8-sig").splitlines()) - 1)
        for path in Path(output).glob("*.csv")
    )
    shutil.rmtree(output)
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    copy_sql = " ".join(
        f"COPY (SELECT * FROM {table} WHERE fiscal_year = {FISCAL_YEAR}) TO STDOUT WITH CSV HEADER;"
        for table in COPY_TABLES
    )
    start = time.perf_counter()
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            database,
            "-q",
            "-c",
            copy_sql,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    copy_seconds = time.perf_counter() - start
    return {
        "seconds": export_seconds,
        "peak_mib": peak_kib / 1024,
        "rows": rows,
        "copy_seconds": copy_seconds,
    }


# The tables whose rows of one fiscal year make the brochure's sections.
COPY_TABLES = [
    "seminars_seminar",
    "support_requests_supportrequest",
    "support_requests_supportexample",
    "exchange_travelexpo",
    "exchange_cookingevent",
    "exchange_livestreampromotion",
    "exchange_lgotpplacement",
    "exchange_executiveseminar",
    "exchange_mediacollaboration",
    "experts_expertdispatch",
    "jet_jetfigure",
]


def measure_pdf(base: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["curl", "-sf", "-o", "/dev/null", f"{base}/ja/brochure/{FISCAL_YEAR}.pdf"],
        check=True,
    )
    return time.perf_counter() - start


def run_scale(scale: int, static_root: str) -> dict:
    print(f"scale {scale}: preparing the database", flush=True)
    env = prepare_database(scale)
    paths = [page.format(lang=lang) for page in PAGES for lang in LANGUAGES]
    queries = queries_per_page({**env, "STATIC_ROOT": static_root}, paths)
    process, base = start_gunicorn(env, static_root)
    try:
        wrk(f"{base}/healthz")  # warm the workers
        floor = wrk(f"{base}/healthz")
        print(f"scale {scale}: /healthz {floor['rps']:.0f} req/s", flush=True)
        pages = {}
        for path in paths:
            pages[path] = wrk(base + path)
            print(f"scale {scale}: {path} {pages[path]['rps']:.0f} req/s", flush=True)
        pdf_seconds = measure_pdf(base)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    export = measure_export(env)
    return {
        "floor": floor,
        "pages": pages,
        "queries": queries,
        "export": export,
        "pdf_seconds": pdf_seconds,
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def write_results(results: dict, command: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}",
        f"- command: `{command}` (wrk: {CONNECTIONS} connections, {SECONDS} s per URL; gunicorn 2 workers, DEBUG=0)",
        "",
    ]
    largest = max(results)
    for scale, result in results.items():
        floor = result["floor"]["rps"]
        lines += [
            f"## Scale {scale}",
            "",
            f"/healthz (the floor): {floor:.0f} req/s, p50 {result['floor']['p50']:.1f} ms, p99 {result['floor']['p99']:.1f} ms",
            "",
            "| page | req/s | share of /healthz | p50 ms | p99 ms | queries | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for path, figures in result["pages"].items():
            status, count = result["queries"].get(path, (0, -1))
            errors = figures["errors"] + (1 if status != 200 else 0)
            lines.append(
                f"| {path} | {figures['rps']:.0f} | {figures['rps'] / floor:.2f} | "
                f"{figures['p50']:.1f} | {figures['p99']:.1f} | {count} | {errors} |"
            )
        export = result["export"]
        lines += [
            "",
            f"Brochure export FY{FISCAL_YEAR} (ja): {export['rows']} rows in {export['seconds']:.2f} s, "
            f"peak memory {export['peak_mib']:.0f} MiB; COPY of the same tables' rows: {export['copy_seconds']:.2f} s "
            f"(ratio {export['seconds'] / max(export['copy_seconds'], 1e-6):.1f}).",
            "",
            f"PDF brochure FY{FISCAL_YEAR} (ja): {result['pdf_seconds']:.2f} s.",
            "",
        ]
    big = results[largest]
    small = results[min(results)]
    floor = big["floor"]["rps"]
    share_ok = all(f["rps"] / floor >= 0.5 for f in big["pages"].values())
    p99_ok = all(f["p99"] < 100 for f in big["pages"].values())
    queries_ok = all(
        big["queries"].get(p, (0, 99))[0] == 200
        and big["queries"].get(p, (0, 99))[1] <= 10
        and big["queries"].get(p) == small["queries"].get(p)
        for p in big["pages"]
    )
    export_ratio = big["export"]["seconds"] / max(big["export"]["copy_seconds"], 1e-6)
    memory_flat = big["export"]["peak_mib"] <= small["export"]["peak_mib"] * 1.2
    pdf_ok = all(r["pdf_seconds"] < 10 for r in results.values())
    pdf_times = ", ".join(f"{r['pdf_seconds']:.1f} s" for r in results.values())
    lines += [
        "## Targets",
        "",
        f"- every public page at least 0.5 of /healthz throughput at scale {largest}: "
        f"{verdict(share_ok)} (lowest {min(f['rps'] / floor for f in big['pages'].values()):.2f})",
        f"- p99 under 100 ms at scale {largest}: {verdict(p99_ok)} "
        f"(highest {max(f['p99'] for f in big['pages'].values()):.1f} ms)",
        f"- queries per page at most 10 and the same at scale {min(results)} and {largest}: {verdict(queries_ok)} "
        f"(highest {max(c for _, c in big['queries'].values())})",
        f"- export within 3 times COPY's time: {verdict(export_ratio <= 3)} (ratio {export_ratio:.1f}); "
        f"memory flat from scale {min(results)} to {largest}: {verdict(memory_flat)} "
        f"({small['export']['peak_mib']:.0f} -> {big['export']['peak_mib']:.0f} MiB)",
        f"- PDF in under 10 s: {verdict(pdf_ok)} ({pdf_times})",
        "",
    ]
    return "\n".join(lines)


def main():
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env=env_for("clair_portal", STATIC_ROOT=static_root),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    results = {scale: run_scale(scale, static_root) for scale in SCALES}
    shutil.rmtree(static_root)
    report = write_results(results, "make bench " + " ".join(sys.argv[1:]))
    (ROOT / "bench" / "RESULTS.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
