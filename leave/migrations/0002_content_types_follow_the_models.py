"""The content types of the moved models (and so their permissions and admin history rows, which point at them)
follow the models to the leave app: renamed in place, so their ids and everything that refers to them stay.

A database made before the move has them as roster.leaverequest ...; a new one has none yet (post_migrate creates
them after the migrations, already under `leave`). A name already taken is left alone, as Django does when a
content type is renamed.
"""

from django.db import IntegrityError, migrations, transaction

MODELS = ["leaverequest", "leaveshift", "swaprequest", "requestevent", "emergencycall"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for content_type in ContentType.objects.filter(app_label=old, model__in=MODELS):
        content_type.app_label = new
        try:
            with transaction.atomic():
                content_type.save(update_fields=["app_label"])
        except IntegrityError:
            pass


def to_leave(apps, schema_editor):
    _relabel(apps, "roster", "leave")


def to_roster(apps, schema_editor):
    _relabel(apps, "leave", "roster")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("leave", "0001_leave_requests_moved_from_roster"),
    ]

    operations = [migrations.RunPython(to_leave, to_roster)]
