"""The outbox sender in a process of its own, on a PostgreSQL of its own, for the test that crashes that PostgreSQL
while it sends (test_database_fault.py).

    python -m dutydesk.notifications.tests.fault_sender setup <count> <robot url>   prints the outbox ids
    python -m dutydesk.notifications.tests.fault_sender send                        sends what is due, prints counts
    python -m dutydesk.notifications.tests.fault_sender statuses                    prints {id: status}

Environment: DATABASE_URL and REDIS_URL (set by the test), FAULT_LEASE_SECONDS (leases of this sender).
"""

import json
import logging
import os
import sys


def main(argv: list[str]) -> None:
    # Forced, not defaulted: importing dutydesk sets the development settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "dutydesk.settings_test"
    import django
    from django.conf import settings

    if "FAULT_LEASE_SECONDS" in os.environ:
        settings.NOTIFY_LEASE_SECONDS = float(os.environ["FAULT_LEASE_SECONDS"])
    django.setup()
    from dutydesk.notifications.models import Channel, NoticeKind, Outbox, Platform, TeamNotificationSettings
    from dutydesk.notifications.sending import send_due
    from testdata import make_team

    command = argv[0]
    if command == "setup":
        count, url = int(argv[1]), argv[2]
        team = make_team("华东客服组", "team-east")
        TeamNotificationSettings.objects.create(team=team, webhook_platform=Platform.WECOM, webhook_url=url)
        rows = Outbox.objects.bulk_create(
            [
                Outbox(
                    team=team,
                    key=f"fault:{n}",
                    channel=Channel.WEBHOOK,
                    kind=NoticeKind.ROSTER_PUBLISHED,
                    subject=f"通知 {n}",
                    body="排班表已发布",
                )
                for n in range(count)
            ]
        )
        print(json.dumps([row.id for row in rows]))
    elif command == "send":
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
        print(json.dumps(send_due(time_budget=120)), flush=True)
    elif command == "statuses":
        print(json.dumps({str(k): v for k, v in Outbox.objects.values_list("id", "status")}))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
