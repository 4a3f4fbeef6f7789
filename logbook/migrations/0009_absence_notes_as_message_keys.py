"""Data: the absence job's reason on older discipline records becomes its message key (issue #27 point 3), so it
is shown in the reader's language like new ones; other notes are a person's own words and stay as written."""

from django.db import migrations

WRITTEN = (
    "班次开始 15 分钟后仍未签到，记为脱岗。",
    "Not signed in 15 minutes after the start: absence from post.",
)


def to_keys(apps, schema_editor):
    DisciplineRecord = apps.get_model("logbook", "DisciplineRecord")
    DisciplineRecord.objects.filter(note__in=WRITTEN, note_text={}).update(
        note_text={"key": "logbook.absence_note", "params": {}}
    )


class Migration(migrations.Migration):
    dependencies = [("logbook", "0008_search_customer_references")]

    operations = [migrations.RunPython(to_keys, migrations.RunPython.noop)]
