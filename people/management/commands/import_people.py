"""python manage.py import_people FILE [--team SLUG] [--dry-run] [--all-qualified]: the web page's import from a
shell. New people the file gives no qualification for are new hires unless --all-qualified says they already work
alone (R-ROSTER-6), as the page's preview asks.

Prints the same preview as the page; exits non-zero (and imports nothing) on any bad row or an unreadable file.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dutydesk.models import Team
from dutydesk.spreadsheets import UnreadableFile
from people.services import PeopleError
from people.services import imports as services
from people.services.members import activation_path, needs_activation


class Command(BaseCommand):
    help = "Import people from an HR file (Excel .xlsx or CSV): preview, then import if every row is good."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the HR file (.xlsx or .csv)")
        parser.add_argument("--team", help="team (slug) of rows without a team column")
        parser.add_argument("--dry-run", action="store_true", help="print the preview only; change nothing")
        parser.add_argument(
            "--all-qualified",
            action="store_true",
            help="new people without a qualification in the file already work alone (otherwise: new hires)",
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="the site's address, for activation e-mails (e.g. https://duty.example.com)",
        )

    def handle(self, *args, file, team, dry_run, base_url, all_qualified, **options):
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        default_team = None
        if team:
            default_team = Team.objects.filter(slug=team).first()
            if default_team is None:
                raise CommandError(f"no team with the short name {team!r}")
        teams = list(Team.objects.all())
        content = path.read_bytes()
        try:
            checked = services.preview_people(
                teams=teams, default_team=default_team, file_name=path.name, content=content
            )
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        for line in services.describe(checked.preview):
            self.stdout.write(line)
        if not checked.preview.is_clean:
            raise CommandError("nothing imported: fix the bad rows and run again")
        if dry_run:
            return
        try:
            record = services.import_people(
                teams=teams,
                default_team=default_team,
                file_name=path.name,
                content=content,
                actor=None,
                base_url=base_url or None,
                all_qualified=all_qualified,
            )
        except (PeopleError, UnreadableFile) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"imported: {record.created} added, {record.updated} updated, {record.unchanged} unchanged"
            )
        )
        new = [row.person.employee_number for row in checked.preview.rows if row.status == "new"]
        from dutydesk.models import Profile

        for profile in Profile.objects.filter(employee_number__in=new).select_related("user").order_by("name"):
            if needs_activation(profile.user):
                self.stdout.write(
                    f"{profile.employee_number} {profile.name}: {base_url.rstrip('/')}{activation_path(profile.user)}"
                )
