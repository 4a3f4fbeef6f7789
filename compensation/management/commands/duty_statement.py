"""python manage.py duty_statement --team SLUG --month YYYY-MM --format json|xlsx [--output FILE]

Writes the payroll rows of a team's month (the current statement version) to standard output (JSON) or a file
(Excel; JSON too with --output). It reads what is computed; --compute computes an open month first."""

import json

from django.core.management.base import BaseCommand, CommandError

from compensation import queries, services
from compensation.export import payroll_json, payroll_workbook
from dutydesk.models import Team
from dutydesk.months import parse_month


class Command(BaseCommand):
    help = "Export a team's monthly duty statement (payroll rows) as JSON or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="the team's short name (slug)")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", help="file to write (required for xlsx)")
        parser.add_argument("--compute", action="store_true", help="compute the month first (if not finalised)")

    def handle(self, *args, team, month, format, output=None, compute=False, **options):
        try:
            month = parse_month(month)
        except ValueError as error:
            raise CommandError(f"--month: {error}; write it as YYYY-MM") from error
        found = Team.objects.filter(slug=team).first()
        if found is None:
            raise CommandError(f"no team {team!r}; teams: {', '.join(Team.objects.values_list('slug', flat=True))}")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE")
        if compute:
            try:
                services.compute_statement(team=found, month=month)
            except services.CompensationError as error:
                raise CommandError(str(error)) from error
        statement = queries.current_statement(found, month)
        if statement is None:
            raise CommandError(f"{found.slug} {month:%Y-%m} is not computed yet; run with --compute")
        lines = queries.statement_lines(statement)
        if format == "xlsx":
            with open(output, "wb") as out:
                out.write(payroll_workbook(found, month, statement, lines))
            self.stderr.write(f"{len(lines)} rows written to {output}")
            return
        text = json.dumps(payroll_json(statement, lines), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as out:
                out.write(text + "\n")
        else:
            self.stdout.write(text)
