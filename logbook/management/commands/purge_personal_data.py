"""R-PIPL-3 by hand: `manage.py purge_personal_data --dry-run` says what the retention job would remove today;
without --dry-run it removes it (what the nightly job does). Safe to stop at any moment (logbook.privacy)."""

from django.core.management.base import BaseCommand, CommandError

from logbook import privacy


class Command(BaseCommand):
    help = "Remove customers' personal data from logbook entries past the company's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what would be removed")
        parser.add_argument("--batch", type=int, default=privacy.BATCH, help="entries per transaction")

    def handle(self, *args, dry_run, batch, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        run = privacy.purge_personal_data(dry_run=dry_run, batch=batch)
        verb = "would remove" if dry_run else "removed"
        fields = ", ".join(f"{name} {count}" for name, count in sorted(run.fields.items())) or "-"
        self.stdout.write(
            f"retention {run.days} days, logbooks closed before {run.cutoff:%Y-%m-%d %H:%M}: "
            f"{verb} personal data from {run.entries} entries (fields: {fields})"
        )
