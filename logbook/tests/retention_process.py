"""The retention command in its own process, for the test that kills it (SIGKILL) half-way.

    python -m logbook.tests.retention_process

Environment: RETENTION_DB_NAME (the test database), RETENTION_BATCH (entries per transaction).
"""

import os


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dutydesk.settings_test"
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = os.environ["RETENTION_DB_NAME"]
    settings.DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = "retention-under-test"
    django.setup()
    from django.core.management import call_command

    call_command("purge_personal_data", batch=int(os.environ.get("RETENTION_BATCH", "10")))


if __name__ == "__main__":
    main()
