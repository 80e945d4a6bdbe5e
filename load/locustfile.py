"""The load of `make load` (load/run.py starts it): visitors reading the public
pages in both languages, now and then a local government sending the support
request form (CSRF token from the form page, as a browser does), and a staff
member editing a seminar in the admin once a minute.

Each visitor is one connection, sending its next request as soon as the last
one is answered. FastHttpUser (geventhttpclient) rather than HttpUser
(requests): it spends a fraction of the CPU per request, so that locust,
which shares the machine's cores with the server, does not limit the run.

Environment, from load/run.py:
- LOAD_FORM_DATA: JSON of the form's fields with the database's own ids;
- LOAD_STAFF: JSON of the editor's username and password and the seminar's
  change page;
- LOAD_WRITES: "0" for the run without writes (the form's page is read, never
  posted; load/run.py then starts no Editor)."""

import json
import os
import random
import re
from urllib.parse import urlencode

from form_fields import form_fields  # load/ is on locust's path
from locust import FastHttpUser, constant, task

LANGUAGES = ["ja", "zh-hans"]
PAGES = [
    "",
    "seminars/",
    "seminars/18/",
    "jet/",
    "exchange/",
    "experts/",
    "support/",
    "office/",
]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_DATA = json.loads(os.environ.get("LOAD_FORM_DATA", "{}"))
STAFF = json.loads(os.environ.get("LOAD_STAFF", "{}"))
WRITES = os.environ.get("LOAD_WRITES", "1") != "0"
FORM = "application/x-www-form-urlencoded"


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task(20)
    def read_a_page(self):
        path = f"/{random.choice(LANGUAGES)}/{random.choice(PAGES)}"
        self.client.get(path)

    @task(1)
    def send_the_support_request_form(self):
        path = "/ja/support/request/"
        form = self.client.get(path, name=f"{path} (form)")
        match = CSRF_INPUT.search(form.text or "")
        if not match or not WRITES:
            return  # a failed page is already counted
        number = random.randrange(10**9)
        fields = {
            **FORM_DATA,
            "email": f"load{number}@example.jp",
            "csrfmiddlewaretoken": match.group(1),
        }
        with self.client.post(
            path,
            data=urlencode(fields, doseq=True),
            headers={"Content-Type": FORM},
            name=f"{path} (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/track/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"not saved: {response.status_code}")


class Editor(FastHttpUser):
    """A staff member, signed in once, saving a seminar's change page in the
    admin once a minute (a new number of Japanese participants each time):
    the seminars pages and the home page are rendered afresh after each."""

    fixed_count = 1
    wait_time = constant(60)

    def on_start(self):
        login = f"{STAFF['admin']}login/"
        page = self.client.get(login, name=f"{login} (form)")
        with self.client.post(
            login,
            data=urlencode(
                {
                    "username": STAFF["username"],
                    "password": STAFF["password"],
                    "next": STAFF["admin"],
                    "csrfmiddlewaretoken": CSRF_INPUT.search(page.text).group(1),
                }
            ),
            headers={"Content-Type": FORM},
            name=f"{login} (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not signed in: {response.status_code}")

    @task
    def edit_a_seminar(self):
        path = STAFF["seminar"]
        page = self.client.get(path, name="admin seminar change (form)")
        fields = form_fields(page.text or "", "seminar_form")
        edited = [
            (
                name,
                str(random.randrange(1, 100))
                if name == "participants_japan"
                else value,
            )
            for name, value in fields
        ]
        with self.client.post(
            path,
            data=urlencode([*edited, ("_save", "Save")]),
            headers={"Content-Type": FORM},
            name="admin seminar change (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not saved: {response.status_code}")
