"""Data migrations of the logbook, run on rows as the previous code wrote them."""

import importlib

import pytest
from django.apps import apps

from logbook.models import DisciplineRecord
from testdata import running_shift

pytestmark = pytest.mark.django_db


def test_rule_codes_leave_the_absence_notes_already_written(team, agent):
    shift = running_shift(team)
    old = DisciplineRecord.objects.create(
        profile=agent.profile,
        kind="absence",
        date=shift.date,
        duty_shift=shift,
        note="班次开始 15 分钟后仍未签到（R-ATT-3）。",
    )
    typed = DisciplineRecord.objects.create(
        profile=agent.profile, kind="demerit", date=shift.date, note="私自调班，已批评"
    )
    migration = importlib.import_module("logbook.migrations.0005_stored_texts_in_words")
    migration.drop_codes(apps, None)
    old.refresh_from_db()
    typed.refresh_from_db()
    assert (old.note, typed.note) == ("班次开始 15 分钟后仍未签到。", "私自调班，已批评")


def test_a_draft_handovers_list_reads_in_chinese_a_signed_one_stays_as_signed(team, agent):
    from logbook import services
    from logbook.models import Handover
    from testdata import signed_in

    old = "- [咨询] 赵女士 138****5678 咨询订单物流到哪里了 (reply by 11-30 00:37)"
    draft = services.prepare_handover(signed_in(team, agent), profile=agent.profile)
    Handover.objects.filter(pk=draft.pk).update(open_items=old)
    migration = importlib.import_module("logbook.migrations.0005_stored_texts_in_words")
    migration.reply_by_in_chinese(apps, None)
    draft.refresh_from_db()
    assert draft.open_items == "- [咨询] 赵女士 138****5678 咨询订单物流到哪里了（11-30 00:37 前回复）"


def test_search_columns_are_rebuilt_for_entries_written_before(team, agent):
    from logbook.models import Entry
    from logbook.queries import search_entries
    from testdata import signed_in, write_entry

    entry = write_entry(signed_in(team, agent), content="订单１２３已拦截")
    Entry.objects.filter(pk=entry.pk).update(search="'订单' '单1'", search_text="")  # as the old code left it
    migration = importlib.import_module("logbook.migrations.0004_search_text_exact_substring")
    migration.rebuild(apps, None)
    assert [e.pk for e in search_entries("订单123", team_ids=[team.pk])] == [entry.pk]
