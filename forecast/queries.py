"""Reads for the demand forecast: the team's history (logbook entries by hour, imported volume), its target, and
the page data of a month's forecast. The logbook is read only through logbook.queries.contacts_by_hour, the
roster only through roster.queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from dutydesk.months import month_start
from forecast import rules
from forecast.models import ContactVolume, ServiceTarget, VolumeImport
from logbook.queries import contacts_by_hour
from roster import queries as roster_queries
from roster.calendar import PROMOTION_PRESETS

# How far back the forecast looks: a year and a bit, so last year's 618, 双11 and 双12 are always in it.
HISTORY_DAYS = 400


def target_of(team) -> ServiceTarget:
    """The team's service target (the defaults, unsaved, until a supervisor sets one)."""
    return ServiceTarget.objects.filter(team=team).first() or ServiceTarget(team=team)


def imported_history(team, start: date, end: date) -> rules.History:
    history: rules.History = defaultdict(dict)
    rows = ContactVolume.objects.filter(team=team, date__range=(start, end)).values_list(
        "date", "hour", "contacts", "handling_seconds"
    )
    for day, hour, contacts, handling in rows:
        history[day][hour] = rules.Hourly(contacts, contacts * handling)
    return dict(history)


def history_of(team, *, today: date) -> tuple[rules.History, set[date]]:
    """The team's contact history before `today` (imported volume, the logbook for the other dates) and which of
    its dates were promotion days (the team's promotion duty days and the 618 / 双11 / 双12 presets)."""
    start, end = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    history = rules.merge_history(contacts_by_hour(team, start, end), imported_history(team, start, end))
    promotion = roster_queries.promotion_dates(team, start, end)
    promotion |= {day for day in history if (day.month, day.day) in PROMOTION_PRESETS}
    return history, promotion


def planned(team, month: date) -> list[rules.PlannedShift]:
    return [rules.PlannedShift(**row) for row in roster_queries.planned_shifts(team, month)]


def explain(suggestion: rules.Suggestion, uplift: rules.Uplift) -> str:
    """The plain sentence beside a suggestion: 星期六夜班预计每小时 42 个咨询，需要 5 人."""
    shift = suggestion.shift
    words = {"weekday": WEEKDAYS[shift.date.weekday()], "shift": shift.name}
    if suggestion.peak_hour is None:
        if not suggestion.basis_days:
            return _("%(weekday)s %(shift)s: no contacts recorded yet, so no more than the minimum is asked.") % words
        return _("%(weekday)s %(shift)s: no contacts in these hours on past %(weekday)ss.") % words
    sentence = _(
        "%(weekday)s %(shift)s: about %(contacts)s contacts an hour expected at %(hour)02d:00, %(agents)d needed."
    ) % {
        **words,
        "contacts": f"{suggestion.contacts_per_hour:g}",
        "hour": suggestion.peak_hour,
        "agents": suggestion.agents,
    }
    if shift.promotion and uplift.days:
        sentence += " " + _("Promotion day: %(factor)s times an ordinary day, as on %(count)d past promotion days.") % {
            "factor": f"{uplift.factor:g}",
            "count": len(uplift.days),
        }
    elif shift.promotion:
        sentence += " " + _("Promotion day: no past promotion day in the history to learn from, counted as ordinary.")
    return sentence


def month_forecast(team, month: date, *, today: date) -> dict:
    """Everything the forecast page of `month` shows, in a fixed number of queries."""
    month = month_start(month)
    target = target_of(team)
    history, promotion = history_of(team, today=today)
    suggestions, uplift = rules.suggest(
        planned(team, month),
        history,
        promotion,
        rules.Target(target.answered_pct, target.answer_seconds, target.handling_seconds),
        today=today,
    )
    rows = [{"suggestion": s, "sentence": explain(s, uplift)} for s in suggestions]
    days: dict[date, list] = defaultdict(list)
    for row in rows:
        days[row["suggestion"].shift.date].append(row)
    chart = {
        "labels": [f"{s.shift.date:%m-%d} {s.shift.name}" for s in suggestions],
        "set": [s.shift.headcount for s in suggestions],
        "suggested": [s.agents for s in suggestions],
        "contacts": [s.contacts_per_hour for s in suggestions],
    }
    return {
        "month": month,
        "target": target,
        "rows": rows,
        "days": sorted(days.items()),
        "chart": chart,
        "uplift": uplift,
        "fingerprint": rules.fingerprint(suggestions),
        "differing": sum(s.differs for s in suggestions),
        "published": roster_queries.is_published(team, month),
        "history_days": len(history),
        "imported_days": ContactVolume.objects.filter(
            team=team, date__range=(today - timedelta(days=HISTORY_DAYS), today)
        )
        .values("date")
        .distinct()
        .count(),
        "last_import": VolumeImport.objects.filter(team=team).select_related("imported_by").first(),
    }


def recent_imports(team, limit: int = 10) -> list[VolumeImport]:
    return list(VolumeImport.objects.filter(team=team).select_related("imported_by")[:limit])
