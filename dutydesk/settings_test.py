"""Test settings: fast hashing and in-memory email; the database and the broker stay real."""

import os

from dutydesk.settings import *  # noqa: F403
from dutydesk.settings import DATABASES, REDIS_URL

# Several developers (or helpers) may run the suite at once on one machine: each names its own test database
# and Redis database through these variables.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_dutydesk")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests get their own Redis database, never the demo site's queue.
# pytest-xdist workers (gw0, gw1, ...) get Redis databases 15, 14, ... (or TEST_REDIS_DB, TEST_REDIS_DB - 1, ...)
# so their Celery queues, unacked messages and caches never mix; pytest-django already gives each worker its own
# test database (test_dutydesk_gw0 ...). Redis has databases 0-15 and 0 is the demo site's.
_xdist_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_test_redis_db = int(os.environ.get("TEST_REDIS_DB", "15")) - _xdist_worker
if not 1 <= _test_redis_db <= 15:
    raise ValueError(f"Redis database {_test_redis_db} for test worker {_xdist_worker}: use fewer workers (-n)")
TEST_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/" + str(_test_redis_db)
CELERY_BROKER_URL = TEST_REDIS_URL
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS_URL}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
# The notification tests post to a robot sink on 127.0.0.1 (dutydesk/notifications/tests/sinks.py).
ROBOT_WEBHOOK_ALLOW_LOOPBACK = True
# The outgoing webhooks' tests and benchmark post to a receiver on 127.0.0.1 (api/tests/receiver.py).
API_WEBHOOK_ALLOW_LOOPBACK = True
# Tests serve static files from the source folders; no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The sign-in tests' OpenID Connect provider and LDAP directory run on 127.0.0.1 over plain HTTP / LDAP.
SSO_ALLOW_LOOPBACK = True
# The stock PostgreSQL backend, emptying tables between transaction=True tests with DELETE rather than TRUNCATE
# (~20 ms instead of 0.3-3 s a test; dutydesk/testing_postgresql/base.py says why that is the same).
DATABASES["default"]["ENGINE"] = "dutydesk.testing_postgresql"
