"""Time off duty that another app decides: approved leave, and the shifts people gave and took in recorded swaps.

The roster imports no leave code. The app that keeps leave and swaps (leave/) registers its source here in its
AppConfig.ready(), in the shape of dutydesk.notifications.reminders.register and leave.kinds.register:
- `approved(team, start, end)`: a queryset of two-column rows (profile id, date), one per person and day of
  approved leave in [start, end] (R-ROSTER-8: never a shift during approved leave). The roster reads it as rows and
  puts its SQL inside its own statements (roster.queries.solver_instance: one query for the whole month);
- `history(team, start, end)`: what the fairness report counts, in two lists: (profile id, date) per approved leave
  day, and (requester id, colleague id, date given, date taken or None) per recorded swap (R-SWAP-1).
Without a registered source there is no leave: nobody is kept off a day, the report counts no leave and no swap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet


@dataclass(frozen=True)
class AbsenceSource:
    approved: Callable[..., QuerySet]
    history: Callable[..., tuple[list[tuple], list[tuple]]]


_source: AbsenceSource | None = None

# The two columns the roster's statements expect when nothing is registered: no row.
NO_ROWS_SQL = "SELECT NULL::bigint, NULL::date WHERE false"


def register(*, approved: Callable[..., QuerySet], history: Callable[..., tuple[list[tuple], list[tuple]]]) -> None:
    """Called in an app's AppConfig.ready(); registering again replaces the source."""
    global _source
    _source = AbsenceSource(approved, history)


def approved_sql(team, start: date, end: date) -> tuple[str, tuple]:
    """The SQL and parameters of the approved leave rows (profile id, date), for a statement that embeds them."""
    if _source is None:
        return NO_ROWS_SQL, ()
    return _source.approved(team, start, end).order_by().query.sql_with_params()


def approved_dates(team, start: date, end: date) -> dict[int, set[date]]:
    """Dates of approved leave per profile id in [start, end] (R-ROSTER-8)."""
    dates: dict[int, set[date]] = defaultdict(set)
    if _source is not None:
        for profile_id, day in _source.approved(team, start, end):
            dates[profile_id].add(day)
    return dict(dates)


def history(team, start: date, end: date) -> tuple[list[tuple], list[tuple]]:
    """Approved leave days and recorded swaps in [start, end], for the fairness report."""
    if _source is None:
        return [], []
    return _source.history(team, start, end)
