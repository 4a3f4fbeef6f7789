"""A database made before leave became an app of its own (issue 28) migrates in place: every leave and swap request,
their shifts, history and emergency calls, and the comp-time line that points at a request, are found afterwards
under the leave app's models, with the same ids and values; so are the content types and permissions of the moved
models.

The database is taken back to the migration state of main before the move (roster at 0008, no leave app,
compensation at 0001), rows are written through the historical models of that state, then it is migrated forward
to the head of every app.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from compensation.models import CompTimeEntry
from leave.models import EmergencyCall, LeaveRequest, LeaveShift, RequestEvent, SwapRequest
from roster import queries as roster_queries

# Main before the move: the leave and swap models were roster's, compensation's 调休 line pointed at roster's.
BEFORE = [("leave", None), ("roster", "0008_version_published_by"), ("compensation", "0001_policies_ledger_statements")]
MOVED = {
    "leaverequest": LeaveRequest,
    "leaveshift": LeaveShift,
    "swaprequest": SwapRequest,
    "requestevent": RequestEvent,
    "emergencycall": EmergencyCall,
}
ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 5)  # any date: the rows are written as they are, no rule runs


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as the database now has them: the state after every applied migration.
    applied = MigrationExecutor(connection).loader.applied_migrations
    return executor.loader.project_state(list(applied)).apps


def _head():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def _write_before_the_move(old) -> dict:
    """Rows of every moved model, and a comp-time line pointing at a leave request, as main wrote them."""
    User = old.get_model("auth", "User")
    Team = old.get_model("dutydesk", "Team")
    Profile = old.get_model("dutydesk", "Profile")
    ShiftType = old.get_model("roster", "ShiftType")
    DutyShift = old.get_model("roster", "DutyShift")
    team = Team.objects.create(name="迁移组", slug="migration")
    people = {}
    for key, role in [("A", "agent"), ("B", "agent"), ("L", "lead")]:
        user = User.objects.create(username=f"migration-{key}")
        people[key] = Profile.objects.create(user=user, name=f"迁移{key}", role=role, team=team)
    shift_type = ShiftType.objects.create(team=team, key="day", name="白班", start=time(9), end=time(18))
    shifts = [
        DutyShift.objects.create(
            team=team,
            date=day,
            shift_type=shift_type,
            starts_at=datetime.combine(day, time(9), ZONE),
            ends_at=datetime.combine(day, time(18), ZONE),
            headcount=1,
        )
        for day in (DAY, date(2026, 12, 6))
    ]
    decided = datetime(2026, 12, 1, 10, tzinfo=ZONE)
    LeaveRequest = old.get_model("roster", "LeaveRequest")
    approved = LeaveRequest.objects.create(
        team=team, profile=people["A"], kind="comp_time", reason="调休回家", state="approved", decided_at=decided
    )
    waiting = LeaveRequest.objects.create(
        team=team, profile=people["B"], kind="sick", reason="发烧", emergency=True, proposed_substitute=people["A"]
    )
    LeaveShift = old.get_model("roster", "LeaveShift")
    LeaveShift.objects.create(
        leave=approved, duty_shift=shifts[0], profile=people["A"], is_open=False, substitute=people["B"]
    )
    LeaveShift.objects.create(leave=waiting, duty_shift=shifts[1], profile=people["B"])
    swap = old.get_model("roster", "SwapRequest").objects.create(
        team=team,
        profile=people["A"],
        colleague=people["B"],
        give_shift=shifts[1],
        take_shift=shifts[0],
        reason="换个班",
        state="approved",
        decided_at=decided,
    )
    RequestEvent = old.get_model("roster", "RequestEvent")
    RequestEvent.objects.create(leave=approved, actor=people["A"], to_state="awaiting_lead")
    RequestEvent.objects.create(leave=approved, actor=people["L"], from_state="awaiting_lead", to_state="approved")
    RequestEvent.objects.create(swap=swap, actor=people["A"], to_state="awaiting_colleague")
    old.get_model("roster", "EmergencyCall").objects.create(
        team=team,
        profile=people["B"],
        duty_shift=shifts[1],
        recorded_by=people["L"],
        called_at=decided,
        said="早上发烧，来不了",
        leave=waiting,
    )
    old.get_model("compensation", "CompTimeEntry").objects.create(
        profile=people["A"], team=team, kind="used", hours=Decimal("-8"), on=DAY, leave=approved
    )
    # The content types main had for these models, and a permission on one of them.
    ContentTypeBefore = old.get_model("contenttypes", "ContentType")
    types = {name: ContentTypeBefore.objects.get_or_create(app_label="roster", model=name)[0].pk for name in MOVED}
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type_id=types["leaverequest"], codename="view_leaverequest", defaults={"name": "Can view leave request"}
    )[0]
    return {
        "team": team.pk,
        "approved": approved.pk,
        "day": shifts[0].date,
        "person": people["A"].pk,
        "types": types,
        "permission": permission.pk,
        "rows": {name: _rows(old.get_model("roster", name)) for name in MOVED},
        "ledger": _rows(old.get_model("compensation", "CompTimeEntry")),
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_request():
    try:
        before = _write_before_the_move(_migrate(BEFORE))
        assert all(before["rows"].values())  # something of each kind to find

        _migrate(_head())
        ContentType.objects.clear_cache()

        # Every row, under the leave app's models, with the same ids and values.
        assert {name: _rows(model) for name, model in MOVED.items()} == before["rows"]
        assert _rows(CompTimeEntry) == before["ledger"]
        assert CompTimeEntry.objects.get().leave == LeaveRequest.objects.get(pk=before["approved"])
        # The content types moved with their ids (permissions and admin history point at them by id).
        after = {name: ContentType.objects.get_for_model(model).pk for name, model in MOVED.items()}
        assert after == before["types"]
        assert ContentType.objects.filter(app_label="roster", model__in=list(MOVED)).count() == 0
        assert Permission.objects.get(pk=before["permission"]).content_type.app_label == "leave"
        # And the roster sees the approved leave through the source the leave app registers (R-ROSTER-8).
        assert roster_queries.approved_leave_dates(before["team"], before["day"], before["day"]) == {
            before["person"]: {before["day"]}
        }
    finally:
        _migrate(_head())
