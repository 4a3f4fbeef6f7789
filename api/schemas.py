"""The shapes the API answers with (pydantic, through django-ninja): the OpenAPI document is built from these."""

import datetime as dt
from datetime import date, datetime, time
from decimal import Decimal

from ninja import Schema
from pydantic import BaseModel, Field

from api import permissions
from dutydesk.texts import render
from logbook.rules import mask, mask_text


def _ref(profile) -> dict:
    return {"id": profile.pk, "name": profile.name}


def _whole(context, person_id: int) -> bool:
    request = context["request"]
    return permissions.sees_personal_fields(request.auth, request.team, person_id)


class ProblemOut(Schema):
    """RFC 9457 problem details (served as application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str


class TeamOut(Schema):
    slug: str
    name: str


# Plain pydantic models where nothing is resolved from a Django object: a month of 200 agents has thousands of
# assignments, and ninja's Schema runs a Python validator per object (four times slower).
class PersonRef(BaseModel):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    name: str
    role: str
    team: str | None
    qualification: str
    skills: list[str]
    hire_date: date | None
    left_on: date | None
    phone: str = Field(description="Masked unless the reader keeps the team's records (or it is their own).")
    employee_number: str = Field(description="Masked like the phone.")

    @staticmethod
    def resolve_team(obj, context) -> str:
        return context["request"].team.slug

    @staticmethod
    def resolve_skills(obj) -> list[str]:
        return [skill.code for skill in obj.skills.all()]

    @staticmethod
    def resolve_phone(obj, context) -> str:
        return obj.phone if _whole(context, obj.pk) else mask(obj.phone)

    @staticmethod
    def resolve_employee_number(obj, context) -> str:
        return obj.employee_number if _whole(context, obj.pk) else mask(obj.employee_number)


class ShiftTypeOut(Schema):
    id: int
    key: str
    name: str
    start: time
    end: time
    is_night: bool
    headcount: int
    active: bool
    required_skills: list[str]


class VersionOut(BaseModel):
    number: int | None
    kind: str
    reason: str
    published_at: datetime | None
    in_force: bool


class AssignmentOut(BaseModel):
    duty_shift: int
    date: date
    shift_type: str
    starts_at: datetime
    ends_at: datetime
    role: str
    person: PersonRef


class RosterMonthOut(BaseModel):
    team: str
    month: str
    published: bool
    version: int | None = Field(description="The version whose assignments are listed (the one in force).")
    versions: list[VersionOut]
    assignments: list[AssignmentOut]


class LeaveShiftOut(Schema):
    duty_shift: int
    date: date
    shift_type: str
    substitute: PersonRef | None

    @staticmethod
    def resolve_duty_shift(obj) -> int:
        return obj.duty_shift_id

    @staticmethod
    def resolve_date(obj) -> dt.date:
        return obj.duty_shift.date

    @staticmethod
    def resolve_shift_type(obj) -> str:
        return obj.duty_shift.shift_type.key

    @staticmethod
    def resolve_substitute(obj) -> dict | None:
        return _ref(obj.substitute) if obj.substitute_id else None


class LeaveOut(Schema):
    id: int
    person: PersonRef
    kind: str
    state: str
    emergency: bool
    reason: str
    created_at: datetime
    decided_at: datetime | None
    shifts: list[LeaveShiftOut]

    @staticmethod
    def resolve_person(obj) -> dict:
        return _ref(obj.profile)

    @staticmethod
    def resolve_reason(obj) -> str:
        return mask_text(obj.reason)

    @staticmethod
    def resolve_shifts(obj) -> list:
        return list(obj.shifts.all())


class LeaveIn(Schema):
    shifts: list[int] = Field(description="Ids of the person's own published duty shifts (`duty_shift` above).")
    kind: str = Field(description="Type of leave, e.g. personal, sick, annual.")
    reason: str
    substitute: int | None = Field(None, description="A colleague of the team proposed as substitute.")
    person: int | None = Field(
        None, description="Service tokens with leave:write only: whose leave it is. A personal token files its own."
    )


class SwapOut(Schema):
    id: int
    person: PersonRef
    colleague: PersonRef
    give_shift: int
    give_date: date
    take_shift: int | None = Field(
        None, description="None for a give-away: the colleague takes the shift, gives none back."
    )
    take_date: date | None = None
    state: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_person(obj) -> dict:
        return _ref(obj.profile)

    @staticmethod
    def resolve_colleague(obj) -> dict:
        return _ref(obj.colleague)

    @staticmethod
    def resolve_give_shift(obj) -> int:
        return obj.give_shift_id

    @staticmethod
    def resolve_give_date(obj) -> dt.date:
        return obj.give_shift.date

    @staticmethod
    def resolve_take_shift(obj) -> int | None:
        return obj.take_shift_id

    @staticmethod
    def resolve_take_date(obj) -> dt.date | None:
        return obj.take_shift.date if obj.take_shift_id is not None else None


class SignInOut(Schema):
    id: int
    person: PersonRef
    duty_shift: int
    date: date
    shift_type: str
    signed_in_at: datetime | None
    late_minutes: int
    signed_out_at: datetime | None
    submitted_at: datetime | None

    @staticmethod
    def resolve_person(obj) -> dict:
        return _ref(obj.profile)

    @staticmethod
    def resolve_duty_shift(obj) -> int:
        return obj.duty_shift_id

    @staticmethod
    def resolve_date(obj) -> dt.date:
        return obj.duty_shift.date

    @staticmethod
    def resolve_shift_type(obj) -> str:
        return obj.duty_shift.shift_type.key


class DisciplineOut(Schema):
    id: int
    person: PersonRef
    kind: str
    date: date
    duty_shift: int | None
    note: str

    @staticmethod
    def resolve_person(obj) -> dict:
        return _ref(obj.profile)

    @staticmethod
    def resolve_duty_shift(obj) -> int | None:
        return obj.duty_shift_id

    @staticmethod
    def resolve_note(obj) -> str:
        return mask_text(render(obj.note_text, fallback=obj.note))


class StatementLineOut(Schema):
    person: PersonRef
    employee_number: str
    shifts: int
    planned_hours: Decimal
    actual_hours: Decimal
    night_hours: Decimal
    workday_hours: Decimal
    rest_day_hours: Decimal
    holiday_hours: Decimal
    overtime_pay_units: Decimal
    comp_earned: Decimal
    comp_used: Decimal
    comp_balance: Decimal


class StatementOut(Schema):
    team: str
    month: str
    version: int
    status: str
    computed_at: datetime
    finalised_at: datetime | None
    lines: list[StatementLineOut]


class HolidayDayOut(Schema):
    date: date
    kind: str
    name: str


class HolidayYearOut(Schema):
    year: int
    status: str
    source: str
    days: list[HolidayDayOut]
