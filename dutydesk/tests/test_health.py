import socket

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from dutydesk import health


def _closed_port() -> int:
    # A port nothing listens on: bind, read the number, close.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthz_up_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"ok": True, "database": "up", "broker": "up"})


@pytest.mark.django_db
def test_healthz_503_when_broker_down(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"ok": False, "database": "up", "broker": "down"})


def test_healthz_503_when_database_down(client, monkeypatch):
    # A real PostgreSQL client pointed at a port where no server listens.
    dead = dict(connections["default"].settings_dict, HOST="127.0.0.1", PORT=str(_closed_port()))
    monkeypatch.setattr(health, "connections", ConnectionHandler({"default": dead}))
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"ok": False, "database": "down", "broker": "up"})
