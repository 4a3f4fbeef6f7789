"""R-LOG-7: the search finds exactly what Ctrl-F finds. Each entry gets its normalised text (the substring test)
and its search vector is rebuilt with the new n-grams (logbook.search), for the entries already written."""

from django.db import migrations, models

BATCH = 2000


def rebuild(apps, schema_editor):
    # The current tokenizer on purpose: the vectors must be the ones the search code queries. A later change of
    # logbook.search comes with its own rebuild.
    from django.conf import settings
    from django.utils import translation

    from logbook.models import Category
    from logbook.search import search_text, vector_text

    with translation.override(settings.LANGUAGE_CODE):
        labels = {value: str(label) for value, label in Category.choices}
    Entry = apps.get_model("logbook", "Entry")
    rows = Entry.objects.order_by("pk").only("content", "outcome", "demand", "departments", "progress",
                                             "result_told", "answer", "category", "customer_name")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for entry in batch:
            # The same fields, in the same order, as logbook.services.searched_fields.
            fields = [entry.content, entry.outcome, entry.demand, entry.departments, entry.progress,
                      entry.result_told, entry.answer, labels.get(entry.category, ""), entry.customer_name]
            entry.search, entry.search_text = vector_text(*fields), search_text(*fields)
        Entry.objects.bulk_update(batch, ["search", "search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("logbook", "0003_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
