from django.core.management.base import BaseCommand

from dutydesk import demo


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        demo.load()
        ready = f"Demo organisation ready. Password for every demo login: {demo.DEMO_PASSWORD}"
        self.stdout.write(self.style.SUCCESS(ready))
