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
TEST_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/" + os.environ.get("TEST_REDIS_DB", "15")
CELERY_BROKER_URL = TEST_REDIS_URL
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS_URL}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
# Tests serve static files from the source folders; no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
