"""Probes behind /healthz: a real round trip to PostgreSQL and to the Redis broker."""

import redis
from django.conf import settings
from django.db import connections


def database_up(connection=None) -> bool:
    connection = connection or connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_up(url: str | None = None) -> bool:
    try:
        client = redis.Redis.from_url(url or settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


def report(connection=None, broker_url: str | None = None) -> dict:
    database, broker = database_up(connection), broker_up(broker_url)
    return {"ok": database and broker, "database": "up" if database else "down", "broker": "up" if broker else "down"}
