"""Time and memory of a parser fed crafted input: the bounds every test of
uploaded or received bytes holds (uploads, mail, news texts)."""

import contextlib
import resource
import time
import tracemalloc

MiB = 1024 * 1024
GUARD = 1024 * MiB  # address space allowed above what a process already has


def address_space():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


@contextlib.contextmanager
def measured():
    """Peak memory allocated (tracemalloc) and seconds taken inside the block,
    which may use at most GUARD more address space (MemoryError past it)."""
    figures = {}
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (address_space() + GUARD, hard))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield figures
    finally:
        figures["seconds"] = time.perf_counter() - start
        figures["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        print(f"peak {figures['peak'] / MiB:.1f} MiB, {figures['seconds']:.2f} s")
