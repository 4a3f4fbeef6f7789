"""Texts the system wrote before issue #13, said in words a user reads:
- absence records said "（R-ATT-3）" in their note (point 5): users do not know the codes, the rule is in the words
  before it;
- handovers not yet signed by both were pre-filled with "(reply by 11-29 15:30)" (point 4), English in a Chinese
  list. A handover signed by both is a record and stays as it was signed (R-LOG-5; the database refuses it anyway).
"""

import re

from django.db import migrations
from django.db.models import Q

CODE = re.compile(r"\s*[（(]R-[A-Z]+-[0-9]+[）)]")
REPLY_BY = re.compile(r" \(reply by (\d\d-\d\d \d\d:\d\d)\)")


def drop_codes(apps, schema_editor):
    DisciplineRecord = apps.get_model("logbook", "DisciplineRecord")
    for record in DisciplineRecord.objects.filter(note__regex=r"R-[A-Z]+-[0-9]").only("note"):
        record.note = CODE.sub("", record.note)
        record.save(update_fields=["note"])


def reply_by_in_chinese(apps, schema_editor):
    Handover = apps.get_model("logbook", "Handover")
    unlocked = Q(outgoing_signed_at__isnull=True) | Q(incoming_signed_at__isnull=True)
    for handover in Handover.objects.filter(unlocked, open_items__contains="(reply by ").only("open_items"):
        handover.open_items = REPLY_BY.sub(r"（\1 前回复）", handover.open_items)
        handover.save(update_fields=["open_items"])


class Migration(migrations.Migration):

    dependencies = [
        ("logbook", "0004_search_text_exact_substring"),
    ]

    operations = [
        migrations.RunPython(drop_codes, migrations.RunPython.noop),
        migrations.RunPython(reply_by_in_chinese, migrations.RunPython.noop),
    ]
