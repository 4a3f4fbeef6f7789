from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# The project's catalogue and each app's own (roster/locale/...), so that apps are translated independently.
CATALOGUES = sorted(p for p in BASE_DIR.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_is_a_project_catalogue():
    assert BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_string_is_translated_to_simplified_chinese(po_path):
    catalogue = polib.pofile(str(po_path))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
