"""Issue #22 item 8: a statement a connection runs again and again is planned once (psycopg prepares it after 5
runs, with the parameters bound by the server; dutydesk/settings.py), so a page's big statements are not planned
on every view."""

import os

import pytest
from django.conf import settings
from django.db import connection

from dutydesk.models import Profile

pytestmark = pytest.mark.django_db


def _prepared(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{text}%"])
        return cursor.fetchone()[0]


def test_a_statement_run_often_on_a_connection_is_prepared_once():
    def read(name: str) -> None:
        list(Profile.objects.filter(name=name).values_list("id", flat=True))

    statement = 'WHERE "dutydesk_profile"."name" = $1 ORDER BY'
    for n in range(4):
        read(f"客服{n}")
    assert _prepared(statement) == 0  # not yet: 4 runs
    for n in range(4, 8):
        read(f"客服{n}")
    # One plan for every name asked: the parameters are not in the statement. None when the site is told not to
    # (DATABASE_PREPARED_STATEMENTS=off, for a pooler that cannot keep them).
    prepared = settings.DATABASES["default"].get("OPTIONS", {}).get("prepare_threshold") is not None
    assert prepared or os.environ.get("DATABASE_PREPARED_STATEMENTS") is not None  # on unless told
    assert _prepared(statement) == (1 if prepared else 0)
