"""Print, import or seed the company holiday calendar (R-CAL-1); a thin wrapper over workcalendar.services.

python manage.py holiday_calendar --year 2027 [--format json]
python manage.py holiday_calendar --import notice-2027.csv [--source "国务院办公厅关于2027年…的通知"]
                                  [--notice-date 2026-11-12] [--year 2027] [--dry-run]
python manage.py holiday_calendar --seed [--year 2028]
"""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workcalendar import queries, services
from workcalendar.services import CalendarError


def year_json(year) -> dict:
    return {
        "year": year.year,
        "status": year.status,
        "source": {
            "title": year.source.title,
            "date": year.source.date.isoformat() if year.source.date else None,
        },
        "days": [{"date": on.isoformat(), "kind": day.kind, "name": day.name} for on, day in sorted(year.days.items())],
    }


class Command(BaseCommand):
    help = "Print a year of the company holiday calendar, import the State Council's notice, or seed from the package."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the year to print, import into or seed")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--import", dest="import_file", metavar="FILE", help="a CSV or JSON file of date,kind,name")
        parser.add_argument("--source", default="", help="the notice's title (default: the file's, else its name)")
        parser.add_argument("--notice-date", default="", help="the notice's date, YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="check the file, change nothing")
        parser.add_argument("--seed", action="store_true", help="write the years the holidays package knows")

    def handle(self, *args, **options):
        if options["import_file"]:
            return self._import(options)
        if options["seed"]:
            outcome = services.seed_years([options["year"]] if options["year"] else None)
            for year, what in sorted(outcome.items()):
                self.stdout.write(f"{year} {what}")
            return None
        if not options["year"]:
            raise CommandError("Give --year YYYY to print, --import FILE to import, or --seed.")
        year = queries.calendar_of_year(options["year"]).year(options["year"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(year_json(year), ensure_ascii=False, indent=2))
            return None
        source = year.source.title + (f" ({year.source.date.isoformat()})" if year.source.date else "")
        self.stdout.write(f"{year.year} {year.status} {source}".rstrip())
        for on, day in sorted(year.days.items()):
            self.stdout.write(f"{on.isoformat()} {day.kind} {day.name}".rstrip())
        return None

    def _import(self, options):
        path = Path(options["import_file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        notice_date = None
        if options["notice_date"]:
            try:
                notice_date = date.fromisoformat(options["notice_date"])
            except ValueError:
                raise CommandError("--notice-date must be YYYY-MM-DD") from None
        try:
            check = services.check_import(
                file_name=path.name,
                content=content,
                year=options["year"],
                source_title=options["source"],
                source_date=notice_date,
            )
        except CalendarError as error:
            raise CommandError(str(error)) from None
        if not check.is_clean:
            for where, what in check.problems:
                self.stderr.write(f"{path.name}, {where}: {what}")
            raise CommandError(f"{len(check.problems)} problem(s); nothing was imported.")
        for change in check.changes:
            before = f"{change.before.kind} {change.before.name}" if change.before else "-"
            after = f"{change.after.kind} {change.after.name}" if change.after else "-"
            self.stdout.write(f"{change.date.isoformat()}: {before} -> {after}")
        if options["dry_run"]:
            self.stdout.write(
                f"{check.year}: {len(check.days)} days, {len(check.changes)} change(s); dry run, nothing written."
            )
            return None
        try:
            revision = services.import_calendar(
                year=check.year,
                days=check.days,
                source_title=check.source_title or f"{path.name}",
                source_date=check.source_date,
                actor=None,
            )
        except CalendarError as error:
            raise CommandError(str(error)) from None
        if revision is None:
            self.stdout.write(f"{check.year}: already as in the file; nothing changed.")
        else:
            self.stdout.write(
                f"{check.year}: official, revision {revision.number}, {len(revision.changes)} date(s) changed."
            )
        return None
