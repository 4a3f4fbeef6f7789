"""R-PIPL-3 (issue 22 item 2): customers' personal data removed from entries and the search index once the
company's retention period has passed since the logbook closed; the rest and the statistics stay; a dry run says
what would go; a run killed half-way leaves every entry untouched or fully cleaned."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dutydesk.audit.models import AuditEvent
from logbook import privacy, queries, rules, services
from logbook.models import Entry, EntryStatus, Logbook, RetentionPolicy, RetentionRun
from logbook.schedule import BEAT_SCHEDULE
from logbook.services import DutyError
from testdata import open_entry, signed_in, write_entry

BASE_DIR = Path(__file__).resolve().parents[2]
FIELDS = privacy.PERSONAL_FIELDS


def closed(logbook, days_ago: int) -> None:
    """The logbook was signed out and submitted `days_ago` days ago (test data: set where the clock says)."""
    at = timezone.now() - timedelta(days=days_ago)
    Logbook.objects.filter(pk=logbook.pk).update(
        signed_in_at=at - timedelta(hours=8), signed_out_at=at, submitted_at=at
    )


def complaint_figures(team):
    return sorted(Entry.objects.filter(team=team).values_list("kind", "category", "status", "created_at"))


@pytest.mark.django_db
def test_run_removes_personal_data_of_closed_logbooks_past_the_period_only(team, agent, lead, supervisor):
    old_logbook = signed_in(team, agent)
    old = write_entry(old_logbook, content="客户13912345678要求退款，已处理")
    waiting = open_entry(old_logbook, content="客户13712345678等回复")  # R-LOG-2: still awaited
    closed(old_logbook, days_ago=181)
    recent_logbook = signed_in(team, lead)
    recent = write_entry(recent_logbook)
    closed(recent_logbook, days_ago=179)
    figures = complaint_figures(team)
    assert [e.pk for e in queries.search_entries("赵女士", team_ids=[team.pk])] != []

    run = privacy.purge_personal_data(actor=supervisor.profile)

    old.refresh_from_db()
    assert {name: getattr(old, name) for name in FIELDS} == {
        "customer_name": "",
        "customer_phone": "",
        "customer_ref": "",
        "content": "客户***********要求退款，已处理",
        "outcome": "已告知预计明天送达",
        "answer": "",
        "demand": "",
        "progress": "",
        "result_told": "",
    }
    assert old.personal_data_removed_at is not None
    assert "13912345678" not in old.search_text and "赵女士" not in old.search_text
    assert "赵女士" not in str(Entry.objects.values_list("search", flat=True).get(pk=old.pk))
    # The search index follows: the old entry is no longer found by the customer's name; those kept still are.
    assert {e.pk for e in queries.search_entries("赵女士", team_ids=[team.pk])} == {recent.pk, waiting.pk}
    assert [e.pk for e in queries.search_entries("要求退款", team_ids=[team.pk])] == [old.pk]
    for kept in (waiting, recent):
        kept.refresh_from_db()
        assert (kept.customer_phone, kept.personal_data_removed_at) != ("", None)
        assert kept.customer_name == "赵女士"
    assert complaint_figures(team) == figures  # the statistics stay
    assert (run.entries, run.fields, run.dry_run, run.finished_at is not None) == (
        1,
        {"customer_name": 1, "customer_phone": 1, "customer_ref": 1, "content": 1},
        False,
        True,
    )
    event = AuditEvent.objects.get(action="logbook.retention")
    assert (event.actor_name, event.after["entries"]) == ("王芳", 1)
    # A second run finds nothing more to do.
    assert privacy.purge_personal_data().entries == 0


@pytest.mark.django_db
def test_dry_run_says_what_would_go_and_changes_nothing(team, agent):
    logbook = signed_in(team, agent)
    entries = [write_entry(logbook, content=f"客户1391234567{n}要求退款") for n in range(3)]
    closed(logbook, days_ago=200)
    before = list(Entry.objects.order_by("id").values(*FIELDS, "search_text"))

    run = privacy.purge_personal_data(dry_run=True)

    assert (run.entries, run.fields, run.dry_run) == (
        3,
        {"customer_name": 3, "customer_phone": 3, "customer_ref": 3, "content": 3},
        True,
    )
    assert list(Entry.objects.order_by("id").values(*FIELDS, "search_text")) == before
    assert not Entry.objects.filter(pk__in=[e.pk for e in entries], personal_data_removed_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="logbook.retention").exists()


@pytest.mark.django_db
def test_the_company_period_decides(team, agent, manager):
    logbook = signed_in(team, agent)
    write_entry(logbook)
    closed(logbook, days_ago=45)
    assert privacy.purge_personal_data(dry_run=True).entries == 0  # default 180 days
    privacy.set_retention_days(actor=manager.profile, days=30)
    assert privacy.purge_personal_data(dry_run=True).entries == 1
    assert AuditEvent.objects.get(action="logbook.retention_period").before == {"days": 180}
    for bad in (29, 2000):
        with pytest.raises(DutyError):
            privacy.set_retention_days(actor=manager.profile, days=bad)
    assert RetentionPolicy.objects.get().days == 30


@pytest.mark.django_db
def test_command_dry_run_and_run_print_what_they_did(team, agent, capsys):
    logbook = signed_in(team, agent)
    write_entry(logbook)
    closed(logbook, days_ago=400)
    call_command("purge_personal_data", "--dry-run")
    assert "would remove personal data from 1 entries" in capsys.readouterr().out
    call_command("purge_personal_data")
    assert "removed personal data from 1 entries" in capsys.readouterr().out
    assert Entry.objects.get().customer_phone == ""


def test_the_job_runs_nightly():
    assert BEAT_SCHEDULE["logbook-purge-personal-data"]["task"] == "logbook.tasks.task_purge_personal_data"


@pytest.mark.django_db
def test_manager_sets_the_period_and_sees_the_runs(client, team, agent, manager, supervisor):
    logbook = signed_in(team, agent)
    write_entry(logbook)
    closed(logbook, days_ago=200)
    client.force_login(manager)
    page = client.get("/logbook/privacy/").content.decode()
    assert 'data-testid="retention-due"' in page and "1" in page
    client.post("/logbook/privacy/", {"dry_run": "1"})
    assert RetentionRun.objects.get().dry_run
    response = client.post("/logbook/privacy/", {"days": "10"})
    assert 'data-testid="retention-error"' in response.content.decode()
    assert RetentionPolicy.objects.get().days == 180
    client.post("/logbook/privacy/", {"days": "365"})
    assert RetentionPolicy.objects.get().days == 365
    client.force_login(supervisor)
    assert client.get("/logbook/privacy/").status_code == 403


@pytest.mark.django_db
def test_entry_page_after_retention_says_so_and_offers_no_reveal(client, team, agent):
    logbook = signed_in(team, agent)
    entry = write_entry(logbook)
    closed(logbook, days_ago=200)
    privacy.purge_personal_data()
    client.force_login(agent)
    page = client.get(f"/logbook/team-east/entries/{entry.pk}/").content.decode()
    assert 'data-testid="personal-data-removed"' in page and 'data-testid="reveal-form"' not in page


# --- killed half-way ------------------------------------------------------------------------------------------


def _lock_holder(entry_id: int):
    """A separate connection holding a row lock on one entry, as an agent's open edit would."""
    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    conn.execute("SELECT id FROM logbook_entry WHERE id = %s FOR UPDATE", [entry_id])
    return conn


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retention-under-test' "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_half_way_leaves_every_entry_untouched_or_fully_cleaned(team, agent):
    from dutydesk.testing import wait_until

    logbook = signed_in(team, agent)
    entries = [write_entry(logbook, content=f"第{n}位客户1391234{n:04d}要求退款") for n in range(40)]
    closed(logbook, days_ago=200)
    original = {row["id"]: row for row in Entry.objects.values("id", *FIELDS, "search_text")}
    ids = sorted(original)
    # Batches of 10: the first two commit, the third locks 21..24 inside its transaction and then waits for the
    # 25th, which another connection holds; the process is killed there, mid-transaction.
    holder = _lock_holder(ids[24])
    env = {**os.environ, "RETENTION_DB_NAME": connection.settings_dict["NAME"], "RETENTION_BATCH": "10"}
    process = subprocess.Popen(
        [sys.executable, "-m", "logbook.tests.retention_process"], cwd=BASE_DIR, env=env, start_new_session=True
    )
    try:
        wait_until(_waiting_on_a_lock, timeout=60, what="the retention run to reach the locked entry")
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # no cleanup, no commit
        process.wait(30)
        holder.rollback()
        holder.close()

    cleaned, untouched = [], []
    for row in Entry.objects.values("id", *FIELDS, "search_text", "personal_data_removed_at"):
        before = original[row["id"]]
        values = {name: row[name] for name in FIELDS}
        if row["personal_data_removed_at"] is None:
            assert values == {name: before[name] for name in FIELDS} and row["search_text"] == before["search_text"]
            untouched.append(row["id"])
        else:
            assert values == {**{name: before[name] for name in FIELDS}, **rules.erased(before)}
            entry = Entry.objects.get(pk=row["id"])
            services.index_entry(entry)
            assert row["search_text"] == entry.search_text and "赵女士" not in row["search_text"]
            cleaned.append(row["id"])
    assert sorted(cleaned) == ids[:20] and sorted(untouched) == ids[20:]  # batches 1-2 whole, batch 3 not at all
    interrupted = RetentionRun.objects.get()
    assert (interrupted.entries, interrupted.finished_at) == (20, None)  # what it says it removed, it removed

    # The next run (tonight's) finishes the job.
    assert privacy.purge_personal_data().entries == 20
    assert not Entry.objects.filter(pk__in=[e.pk for e in entries], personal_data_removed_at__isnull=True).exists()
    assert EntryStatus.DONE in set(Entry.objects.values_list("status", flat=True))
