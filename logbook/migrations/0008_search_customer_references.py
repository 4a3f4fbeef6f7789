"""Data: existing entries are found by their order or customer reference too (issue #27 point 4). New
entries get them from services._index; here each older entry's search text and n-grams gain the same line."""

import unicodedata

from django.db import migrations


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _lexemes(text: str) -> set[str]:
    # As logbook.search.vector_text at the time of writing (a migration does not import the app's code).
    lexemes, run = set(), []
    for char in _normalise(text) + " ":
        if char.isalnum():
            run.append(char)
            continue
        word, run = "".join(run), []
        for i, first in enumerate(word):
            lexemes.add(word[i : i + 2])
            if first.isascii() and i + 3 <= len(word):
                lexemes.add(word[i : i + 3])
    return {lexeme for lexeme in lexemes if lexeme}


def add_references(apps, schema_editor):
    Entry = apps.get_model("logbook", "Entry")
    rows = Entry.objects.exclude(customer_ref="").values_list("id", "customer_ref", "search_text")
    with schema_editor.connection.cursor() as cursor:
        for entry_id, ref, text in rows.iterator(chunk_size=2000):
            lines = [_normalise(ref)]
            vector = " ".join(f"'{lexeme}'" for lexeme in sorted(_lexemes(ref)))
            cursor.execute(
                "UPDATE logbook_entry SET search_text = %s, search = search || %s::tsvector WHERE id = %s",
                ["\n".join([text, *lines]) if text else "\n".join(lines), vector, entry_id],
            )


class Migration(migrations.Migration):
    dependencies = [("logbook", "0007_discipline_note_text")]

    operations = [migrations.RunPython(add_references, migrations.RunPython.noop)]
