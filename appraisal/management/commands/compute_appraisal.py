"""Compute (or correct) any team's month: `manage.py compute_appraisal --team team-east --month 2026-11`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from appraisal import services
from appraisal.models import ScoreStatus
from dutydesk.models import Team


class Command(BaseCommand):
    help = "Compute a team's monthly appraisal (R-APP-2..5); --reason makes a correction of a finalised month."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="team slug, e.g. team-east (or 'all')")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--reason", default="", help="correct a finalised month: a new version with this reason")

    def handle(self, *args, team, month, reason, **options):
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise CommandError(f"--month must look like 2026-11, not {month!r}") from None
        teams = Team.objects.all() if team == "all" else Team.objects.filter(slug=team)
        if not teams:
            raise CommandError(f"no team {team!r}")
        for each in teams:
            try:
                if reason:
                    appraisal = services.correct_appraisal(team=each, month=first, actor=None, reason=reason)
                else:
                    appraisal = services.compute_appraisal(team=each, month=first)
            except services.AppraisalError as error:
                raise CommandError(f"{each.slug} {month}: {error}") from None
            rated = appraisal.scores.filter(status=ScoreStatus.RATED).count()
            self.stdout.write(
                f"{each.slug} {month} v{appraisal.version}: {rated} rated, "
                f"excellent: {', '.join(appraisal.excellent_names) or '-'}"
            )
