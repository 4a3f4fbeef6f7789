"""Loading the demo organisation (`manage.py load_demo`, run by `make run` on every start): once, into an empty
database, and never again; never with DEBUG off.

Guarantees: a database that already holds a marker row (DemoLoad), or any data a person could have made, is not
changed at all. The load is one transaction that starts by writing the marker: if it fails halfway nothing stays
behind, and two starts at once load it once (the second waits on the marker's primary key, then finds it).
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction

from dutydesk.models import DemoLoad
from dutydesk.system import SYSTEM_USERNAME

LOADED, ALREADY_LOADED, NOT_EMPTY = "loaded", "already loaded", "not empty"

# Rows that Django, django-axes and migrations keep for themselves: they say nothing about what people did.
BOOKKEEPING = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
    "dutydesk.demoload",
}


class DemoRefused(Exception):
    """The demo is not loaded here (DEBUG is off: this may be a production database)."""


def tables_with_data() -> list[str]:
    """Labels of the models holding a row that is not bookkeeping (the inactive system account is not data)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in BOOKKEEPING or model._meta.proxy:
            continue
        rows = model._base_manager.all()
        if model is user_model:
            rows = rows.exclude(username=SYSTEM_USERNAME)
        if rows.exists():
            found.append(label)
    return found


def load_once(*, today: date | None = None) -> tuple[str, list[str]]:
    """(outcome, tables holding data). Loads the demo only into an empty database that never held it."""
    from dutydesk import demo

    if not settings.DEBUG:
        raise DemoRefused("DEBUG is off: the demo organisation is never loaded into a production database.")
    try:
        with transaction.atomic():
            if DemoLoad.objects.exists():
                return ALREADY_LOADED, []
            occupied = tables_with_data()
            if occupied:
                return NOT_EMPTY, occupied
            DemoLoad.objects.create()
            demo.load(today)
    except IntegrityError:
        if DemoLoad.objects.exists():  # another start loaded it a moment ago
            return ALREADY_LOADED, []
        raise
    return LOADED, []
