"""A real IMAP server for the tests of replies by mail: Debian's dovecot
(package dovecot-imapd), started in a temporary directory on a free loopback
port with one mailbox user, and stopped after the test."""

import getpass
import grp
import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "desk", "desk-secret"


def _group(user):
    return grp.getgrgid(user.pw_gid).gr_name


def _service_user():
    """Dovecot refuses mail access as root: as root, its own user; otherwise
    the user running the tests."""
    if os.geteuid() == 0:
        return pwd.getpwnam("dovecot")
    return pwd.getpwnam(getpass.getuser())


class ImapServer:
    def __init__(self, port: int):
        # Not under pytest's tmp_path: as root, dovecot's own user must reach
        # the mail directory, and pytest's directories are private.
        self.directory = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.port = port
        self.process = None

    @property
    def url(self):
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self):
        if not shutil.which(DOVECOT):
            raise RuntimeError("dovecot-imapd is not installed (.ci/run installs it)")
        user = _service_user()
        root = self.directory
        for name in ("run", "state", "mail", "home"):
            (root / name).mkdir(parents=True, exist_ok=True)
        for name in ("mail", "home"):
            os.chown(root / name, user.pw_uid, user.pw_gid)
        root.chmod(0o755)
        (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        login_user = "dovenull" if os.geteuid() == 0 else user.pw_name
        (root / "dovecot.conf").write_text(
            f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
default_internal_user = {user.pw_name}
default_internal_group = {_group(user)}
default_login_user = {login_user}
first_valid_uid = {user.pw_uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={user.pw_uid} gid={user.pw_gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with self.client():
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self.log()) from None
                time.sleep(0.1)

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self):
        path = self.directory / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def client(self):
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=5)
        imap.login(USER, PASSWORD)
        return imap

    def deliver(self, raw: bytes):
        """Put a mail in the mailbox, as the mail server delivers it."""
        with self.client() as imap:
            status, _ = imap.append("INBOX", None, None, raw)
            assert status == "OK"

    def count(self):
        with self.client() as imap:
            imap.select("INBOX")
            _status, found = imap.uid("search", None, "UNDELETED")
            return len(found[0].split())
