"""The name of the running code, for what must change with a deploy (the page
cache's keys, Sentry's release): RELEASE from the environment, else the commit
checked out, read from .git without running git."""

from pathlib import Path


def checked_out_commit(repository: Path) -> str:
    git = repository / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head.removeprefix("ref: ")
        if (git / ref).exists():
            return (git / ref).read_text().strip()[:12]
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0][:12]
    except OSError:
        pass
    return "unversioned"
