"""One source for states and roles: the plain layer's strings (roster.instance, roster.calendar) are the models'
choices, so plain data read from the database means the same thing in the rules and the solver. No database."""

from roster import calendar, instance
from roster.models import AssignmentRole, DayKind


def test_plain_assignment_roles_are_the_models_roles():
    assert (instance.ROLE_MEMBER, instance.ROLE_PRIMARY, instance.ROLE_BACKUP, instance.ROLE_SHADOW) == (
        AssignmentRole.MEMBER,
        AssignmentRole.PRIMARY,
        AssignmentRole.BACKUP,
        AssignmentRole.SHADOW,
    )
    assert sorted(instance.ROLES) == sorted(AssignmentRole.values)
    # R-ROSTER-6: a shadow does not count toward headcount; every other role does.
    assert instance.COUNTED_ROLES == frozenset(AssignmentRole.values) - {AssignmentRole.SHADOW}


def test_calendar_day_kinds_are_the_models_day_kinds():
    assert (calendar.DUTY, calendar.NO_DUTY, calendar.PROMOTION, calendar.HOLIDAY) == (
        DayKind.DUTY,
        DayKind.NO_DUTY,
        DayKind.PROMOTION,
        DayKind.HOLIDAY,
    )
    assert sorted(DayKind.values) == sorted([calendar.DUTY, calendar.NO_DUTY, calendar.PROMOTION, calendar.HOLIDAY])


def test_working_time_systems_and_protection_kinds_are_the_models_choices():
    from dutydesk.models import ProtectionKind
    from roster.models import WorkingTimeSystem

    assert instance.SYSTEMS == tuple(WorkingTimeSystem.values)
    assert instance.SYSTEM_STANDARD == WorkingTimeSystem.STANDARD
    assert instance.PROTECTION_KINDS == tuple(ProtectionKind.values)
