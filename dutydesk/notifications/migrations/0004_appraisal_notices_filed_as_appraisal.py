"""Notices about the monthly appraisal written before the kind existed were filed as requests waiting for a decision
or decisions on a request (issue #13 point 9): file them, and the outbox rows of them, as appraisal notices."""

from django.db import migrations


def refile(apps, schema_editor):
    for name in ("Notification", "Outbox"):
        model = apps.get_model("notifications", name)
        field = "dedupe_key" if name == "Notification" else "key"
        model.objects.filter(**{f"{field}__startswith": "appraisal:"},
                             kind__in=["request_waiting", "request_decided"]).update(kind="appraisal")


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_notice_kind_appraisal"),
    ]

    operations = [
        migrations.RunPython(refile, migrations.RunPython.noop),
    ]
