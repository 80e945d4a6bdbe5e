"""The load of `make load` (load/run.py starts it): visitors reading the public
pages in both languages, and now and then a local government sending the
support request form (CSRF token from the form page, as a browser does).

Each simulated user is one connection, sending its next request as soon as
the last one is answered. LOAD_FORM_DATA (JSON, from load/run.py) holds the
form's fields with the database's own ids."""

import json
import os
import random
import re

from locust import HttpUser, constant, task

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


class Visitor(HttpUser):
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
        if not match:
            return  # already counted: the page failed
        number = random.randrange(10**9)
        with self.client.post(
            path,
            data={
                **FORM_DATA,
                "email": f"load{number}@example.jp",
                "csrfmiddlewaretoken": match.group(1),
            },
            name=f"{path} (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/track/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"not saved: {response.status_code}")
