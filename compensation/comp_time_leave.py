"""调休 (comp-time leave) in the leave flow: the rules compensation registers for LeaveType.COMP_TIME through
leave.kinds (the leave app imports nothing of compensation). Registered in CompensationConfig.ready().
"""

from compensation import services
from leave import kinds
from leave.models import LeaveType


def refusal(*, profile, duty_shifts) -> str | None:
    """At filing and at the final approval: the balance must cover the shifts' planned hours."""
    return services.comp_time_refusal(profile=profile, duty_shifts=duty_shifts)


def on_approved(*, leave, duty_shifts, actor) -> None:
    """Inside the final approval's transaction: take the hours (the person's account row locked), or refuse."""
    try:
        services.take_comp_time(leave=leave, duty_shifts=duty_shifts, actor=actor)
    except services.CompensationError as error:
        raise kinds.LeaveKindRefused(str(error)) from error


def register() -> None:
    kinds.register(LeaveType.COMP_TIME, refusal=refusal, on_approved=on_approved)
