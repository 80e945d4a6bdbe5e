"""Time and memory of a parser fed crafted input: the bounds every test of
uploaded or received bytes holds (uploads, mail, news texts)."""

import contextlib
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

MiB = 1024 * 1024
GUARD = 1024 * MiB  # address space allowed above what a process already has


def address_space():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def peak_resident_memory():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


@contextlib.contextmanager
def measured(*, allocations: bool = True):
    """Peak memory allocated (tracemalloc) and seconds taken inside the block,
    which may use at most GUARD more address space (MemoryError past it).
    Without `allocations`, no tracemalloc (it makes code that allocates many
    small objects, as WeasyPrint's layout, four times slower): the peak is
    then how far the block raised the process's peak resident memory."""
    figures = {}
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (address_space() + GUARD, hard))
    resident = peak_resident_memory()
    if allocations:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        yield figures
    finally:
        figures["seconds"] = time.perf_counter() - start
        if allocations:
            figures["peak"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        else:
            figures["peak"] = peak_resident_memory() - resident
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        print(f"peak {figures['peak'] / MiB:.1f} MiB, {figures['seconds']:.2f} s")


def figures_of_child(code: str, *args: str) -> dict:
    """Runs `code` in a fresh Python with the test settings (memory measured
    there starts anew): the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=Path(__file__).resolve().parents[1],
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)
