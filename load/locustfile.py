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
from html.parser import HTMLParser
from urllib.parse import urlencode

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


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`:
    [(name, value), ...], without the submit buttons and files."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None  # (name, multiple, options, selected)
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind == "checkbox" else ""
            self.fields.append((name, attrs.get("value") or default))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[2].append(value)
            if "selected" in attrs:
                self.select[3].append(value)

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # The parser keeps the newline that HTML drops after <textarea>.
            name, value = self.textarea
            self.fields.append((name, value.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options, selected = self.select
            if not selected and options and not multiple:
                selected = options[:1]
            self.fields.extend((name, value) for value in selected)
            self.select = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields
