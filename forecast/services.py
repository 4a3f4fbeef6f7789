"""Every write of the demand forecast: the team's service target, a volume import, applying suggestions.

A volume file is checked whole first: one bad row anywhere and nothing is imported (every bad row is listed). The
rows of a clean file replace what the team had for the same dates and hours, so importing it twice changes nothing.
Applying suggestions changes headcounts only through roster.team_services.set_headcounts, which refuses a
published month and serialises two supervisors on the roster row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dutydesk.models import Profile
from dutydesk.spreadsheets import read_table
from forecast import queries, rules
from forecast.models import ContactVolume, ServiceTarget, VolumeImport
from roster.services import RosterError
from roster.team_services import set_headcounts

# A year of every hour is 8,784 rows.
MAX_ROWS = 10_000


class ForecastError(Exception):
    """A refused forecast action; the message is translated and fit to show as it is."""


@dataclass
class BadFile(ForecastError):
    """The file has bad rows: every one of them, nothing imported."""

    errors: list[rules.RowError]

    def __str__(self) -> str:
        return _("Nothing was imported: fix the rows below and upload the file again.")


def row_messages() -> dict[str, str]:
    return {
        "empty": _("The file has no rows of volume."),
        "header": _(
            "The first row must name the columns date, hour, contacts and average handling seconds; "
            "missing: %(columns)s."
        ),
        "date": _("date “%(value)s” is not a date (write 2026-11-07)"),
        "future": _("date %(value)s is in the future; import what happened"),
        "hour": _("hour “%(value)s” must be a whole number from 0 to 23"),
        "contacts": _("contacts “%(value)s” must be a whole number from 0 to %(most)d"),
        "handling": _("average handling seconds “%(value)s” must be a whole number from 1 to %(most)d"),
        "duplicate": _("the same date and hour as row %(line)d"),
    }


@transaction.atomic
def save_target(
    team, *, actor: Profile, answered_pct: int, answer_seconds: int, handling_seconds: int
) -> ServiceTarget:
    """The team's service target (80 % within 20 s) and the handling time assumed for logbook contacts."""
    target, _created = ServiceTarget.objects.select_for_update().get_or_create(team=team)
    target.answered_pct, target.answer_seconds, target.handling_seconds = answered_pct, answer_seconds, handling_seconds
    target.save()
    return target


def check_volume(*, file_name: str, content: bytes, today: date) -> list[rules.VolumeRow]:
    """The file's rows, all good; raises UnreadableFile (the file as a whole) or BadFile (every bad row)."""
    table = read_table(file_name, content, max_rows=MAX_ROWS, max_cols=20)
    columns = {
        "date": _("date"),
        "hour": _("hour"),
        "contacts": _("contacts"),
        "handling_s": _("average handling seconds"),
    }
    rows, errors = rules.parse_volume(table, today=today, words=row_messages(), column_names=columns)
    if errors:
        raise BadFile(errors)
    return rows


def import_volume(team, *, file_name: str, content: bytes, actor: Profile | None, today: date) -> VolumeImport:
    """Import a volume file (date, hour, contacts, average handling seconds) into the team's history.

    Side effects: the file's rows replace the team's volume of the same dates and hours; one VolumeImport row
    says who, when and which dates. Nothing is written when any row is bad (BadFile lists them all).
    """
    rows = check_volume(file_name=file_name, content=content, today=today)
    with transaction.atomic():
        # Two imports of one team at once: one after the other, so the later file wins whole.
        ServiceTarget.objects.select_for_update().get_or_create(team=team)
        record = VolumeImport.objects.create(
            team=team,
            file_name=file_name[:200],
            imported_by=actor,
            rows=len(rows),
            first_date=min(row.date for row in rows),
            last_date=max(row.date for row in rows),
        )
        ContactVolume.objects.bulk_create(
            [
                ContactVolume(
                    team=team,
                    date=row.date,
                    hour=row.hour,
                    contacts=row.contacts,
                    handling_seconds=row.handling_s,
                    source=record,
                )
                for row in rows
            ],
            update_conflicts=True,
            unique_fields=["team", "date", "hour"],
            update_fields=["contacts", "handling_seconds", "source"],
            batch_size=2000,
        )
    return record


def apply_suggestions(team, month: date, *, keys: set[str], fingerprint: str, actor: Profile, today: date) -> int:
    """Give the chosen shifts of `month` their suggested headcount (R-ROSTER-1); returns how many changed.

    Refused, nothing changed, when the suggestions differ from those the page showed (`fingerprint`: a new import
    or another supervisor's apply came in between) or when the month is published (roster.team_services).
    """
    page = queries.month_forecast(team, month, today=today)
    chosen = [row["suggestion"] for row in page["rows"] if row["suggestion"].key in keys]
    if not chosen:
        raise ForecastError(_("Choose at least one shift to apply."))
    if not any(s.differs for s in chosen):
        return 0  # already as suggested: a second click of the same form
    if page["fingerprint"] != fingerprint:
        raise ForecastError(_("The forecast changed since you opened the page; look at it again and apply."))
    headcounts = {(s.shift.date, s.shift.shift_type_id): s.agents for s in chosen}
    try:
        return set_headcounts(team, month, headcounts, actor=actor, reason=_("Demand forecast"))
    except RosterError as error:
        raise ForecastError(str(error)) from error
