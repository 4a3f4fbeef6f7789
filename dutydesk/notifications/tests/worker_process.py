"""A Celery worker in its own process, for tests and the benchmark that kill it (SIGKILL) mid-send.

    python -m dutydesk.notifications.tests.worker_process

Environment: WORKER_DB_NAME (the test database to use), WORKER_LEASE_SECONDS, WORKER_SMTP_PORT (send email to a
local SMTP sink on 127.0.0.1 instead of the test backend), WORKER_POOL / WORKER_CONCURRENCY, WORKER_SSO_BASE_URLS
(JSON {"wecom": "http://127.0.0.1:port"}: the chat apps' local servers for personal messages) and WORKER_SITE_URL.
"""

import os


def main() -> None:
    # Forced, not defaulted: `python -m dutydesk.embedded` imports dutydesk, whose celery.py sets dutydesk.settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "dutydesk.settings_test"
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = os.environ["WORKER_DB_NAME"]
    if "WORKER_LEASE_SECONDS" in os.environ:
        settings.NOTIFY_LEASE_SECONDS = float(os.environ["WORKER_LEASE_SECONDS"])
    if "WORKER_SMTP_PORT" in os.environ:
        # Never anything but 127.0.0.1 from tests and benchmarks.
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(os.environ["WORKER_SMTP_PORT"])
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    if "WORKER_SSO_BASE_URLS" in os.environ:
        import json

        settings.SSO_PROVIDER_BASE_URLS = json.loads(os.environ["WORKER_SSO_BASE_URLS"])
    if "WORKER_SITE_URL" in os.environ:
        settings.SITE_URL = os.environ["WORKER_SITE_URL"]
    django.setup()
    from dutydesk.celery import app

    app.worker_main(
        [
            "worker",
            "-l",
            os.environ.get("WORKER_LOG_LEVEL", "warning"),
            "-P",
            os.environ.get("WORKER_POOL", "solo"),
            "-c",
            os.environ.get("WORKER_CONCURRENCY", "1"),
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-n",
            f"killable-{os.getpid()}@%h",
        ]
    )


if __name__ == "__main__":
    main()
