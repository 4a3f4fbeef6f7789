from django.core.management.base import BaseCommand, CommandError

from dutydesk import demo, demo_loading


class Command(BaseCommand):
    help = (
        "Load the demo organisation into an empty database, once (a marker row remembers it). A database that "
        "holds anything else is left exactly as it is; with DEBUG off the command refuses."
    )

    def handle(self, *args, **options):
        try:
            outcome, tables = demo_loading.load_once()
        except demo_loading.DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        if outcome == demo_loading.LOADED:
            ready = f"Demo organisation loaded. Password for every demo login: {demo.DEMO_PASSWORD}"
            self.stdout.write(self.style.SUCCESS(ready))
        elif outcome == demo_loading.ALREADY_LOADED:
            self.stdout.write("The demo organisation was loaded before; nothing was changed.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "This database holds other data ("
                    + ", ".join(tables[:5])
                    + ("…" if len(tables) > 5 else "")
                    + "); the demo organisation is only loaded into an empty database. Nothing was changed."
                )
            )
