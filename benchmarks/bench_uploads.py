"""Hostile workbooks against the web process (issue #22 item 4): one row of two million cells and 3.2 million
shared strings, uploaded to the HR import and to the survey upload. Each upload runs in a fresh Python process
that is the web process (Django's test client through every middleware and the real view), which measures its own
wall time and the growth of its resident memory (Linux's peak RSS, VmHWM, reset through /proc/self/clear_refs just
before the upload): what `ps` or `top` would show a user. The figure kept is the worse of the two pages."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

from dutydesk.models import Role
from testdata import make_person, make_team

BASE_DIR = Path(__file__).resolve().parent.parent

# The web process: warm up with a small real upload (imports, the first queries), reset the peak, upload the bomb.
WEB_PROCESS = r"""
import json, sys, time, django
from django.conf import settings
settings.DATABASES["default"]["NAME"] = sys.argv[1]
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # the test client's host and e-mail backend, as in the tests
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from dutydesk.tests import hostile_files
from dutydesk.spreadsheets import workbook_bytes
from openpyxl import Workbook


def rss(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024


client = Client(raise_request_exception=False)
client.force_login(User.objects.get(username="bench-supervisor"))
team = sys.argv[2]
url = {
    "people": reverse("people:import", kwargs={"team": team}),
    "surveys": reverse("appraisal:surveys", kwargs={"team": team}),
}[sys.argv[3]]
book = Workbook()
book.active.append(["agent", "date", "score"])
small = workbook_bytes(book)
content = getattr(hostile_files, sys.argv[4] + "_workbook")()
for data in (small, content):
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak RSS starts again from the current RSS
    before, start = rss("VmRSS:"), time.perf_counter()
    response = client.post(url, {"step": "preview", "scale": "five", "file": SimpleUploadedFile("up.xlsx", data)})
    seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": seconds,
    "growth_mb": rss("VmHWM:") - before,
    "status": response.status_code,
    "refused": "单元格" in response.content.decode() or "解压后超过" in response.content.decode(),
}))
"""


def _upload(team_slug: str, page: str, builder: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dutydesk.settings_test", "PYTHONPATH": str(BASE_DIR)}
    out = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS, connection.settings_dict["NAME"], team_slug, page, builder],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    assert settings.DATABASES["default"]["NAME"]
    team = make_team("华东客服组", "bench-east")
    make_person(Role.SUPERVISOR, team, username="bench-supervisor", name="王芳")
    for builder, name in (("wide_row", "wide_row"), ("shared_strings", "shared_strings")):
        results = [_upload(team.slug, page, builder) for page in ("people", "surveys")]
        # A bomb that was not refused is a failure, not a figure.
        assert all(r["refused"] and r["status"] in (200, 400) for r in results), results
        print(f"BENCH upload.{name}.seconds {max(r['seconds'] for r in results):.3f} s")
        print(f"BENCH upload.{name}.peak_mb {max(r['growth_mb'] for r in results):.1f} MB")
