import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.utils import translation

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


# --- Issue #13 points 2 and 5: one meaning per message, status words with their context, no rule codes ---------

RULE_CODE = re.compile(r"R-[A-Z]+-[0-9]")
# English words whose Chinese depends on what they stand for: a verb or a state (Open: 打开 / 待处理), a noun or a
# verb (Record: 记录 / 登记; Order: 订单 / 顺序; Leave: 请假 / 离开). Alone as a message (a button, a badge, a column)
# nothing tells the translator which one is meant, so such a message must carry a context (pgettext,
# {% translate "Open" context "…" %}). Inside a sentence the sentence says it.
AMBIGUOUS_WORDS = {
    "open",
    "close",
    "closed",
    "leave",
    "review",
    "order",
    "done",
    "draft",
    "record",
    "check",
    "back",
    "break",
    "cover",
    "mark",
    "post",
    "present",
    "clear",
    "set",
    "rest",
    "due",
    "pending",
    "book",
    "sign",
    "state",
    "match",
    "finished",
    "available",
}
# Model fields whose choices are statuses: the words a badge shows (issue #13 point 2).
STATUS_FIELD = re.compile(r"(^|_)(status|state|band|accuracy|qualification)$")


def _entries():
    for po_path in CATALOGUES:
        for entry in polib.pofile(str(po_path)):
            if not entry.obsolete and entry.msgid:
                yield po_path, entry


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_message_shows_a_rule_code(po_path):
    # Users do not know R-LEAVE-1: the rule is said in words; the code stays in comments, logs and tests.
    found = [
        entry.msgid
        for entry in polib.pofile(str(po_path))
        if RULE_CODE.search(" ".join([entry.msgid, entry.msgstr, *entry.msgstr_plural.values()]))
    ]
    assert found == []


def test_a_message_means_the_same_in_every_catalogue():
    # Django merges every catalogue into one: the same message (and context) translated two ways means one of the
    # two translations is shown where the other was meant — "Open" came out as 查看 on an open logbook entry.
    meanings = defaultdict(set)
    for _path, entry in _entries():
        meanings[(entry.msgctxt, entry.msgid)].add(entry.msgstr)
    assert {key: sorted(found) for key, found in meanings.items() if len(found) > 1} == {}


def test_an_ambiguous_word_alone_carries_a_context():
    bare = sorted(
        {
            entry.msgid
            for _path, entry in _entries()
            if entry.msgctxt is None and entry.msgid.strip(" .:：!?").lower() in AMBIGUOUS_WORDS
        }
    )
    assert bare == []


def test_the_ambiguity_checks_can_fail():
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Open", msgstr="查看"))
    catalogue.append(polib.POEntry(msgid="Open the duty page", msgstr="打开值班页面"))
    catalogue.append(polib.POEntry(msgid="Open", msgctxt="logbook entry status", msgstr="待处理"))
    bare = [e.msgid for e in catalogue if e.msgctxt is None and e.msgid.strip(" .:：!?").lower() in AMBIGUOUS_WORDS]
    assert bare == ["Open"]


@pytest.mark.django_db
def test_every_status_label_is_translated_with_its_context():
    contexts = defaultdict(dict)  # English label -> {context: Chinese}
    for _path, entry in _entries():
        if entry.msgctxt:
            contexts[entry.msgid][entry.msgctxt] = entry.msgstr
    checked, missing = 0, []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (STATUS_FIELD.search(field.name) and getattr(field, "choices", None)):
                continue
            for _value, label in field.choices:
                with translation.override("en"):
                    english = str(label)
                with translation.override("zh-hans"):
                    chinese = str(label)
                checked += 1
                if chinese not in contexts[english].values():
                    missing.append(f"{model.__name__}.{field.name}: {english} → {chinese}")
    assert missing == []
    assert checked > 30
