"""Forecast test data: logbook entries at given hours (the history the logbook gives), and volume files."""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from logbook.models import Entry, EntryKind, Logbook
from testdata import duty_shift, make_shift_types


def logbook_contacts(team, person, day: date, per_hour: dict[int, int]) -> None:
    """`per_hour[h]` inquiries written at h:10 on `day` in the person's logbook of that day's shift."""
    day_type, night_type = make_shift_types(team, day_headcount=2, night_headcount=2)
    books = {}
    rows = []
    zone = timezone.get_default_timezone()
    for hour, count in per_hour.items():
        kind = day_type if hour < 18 else night_type
        if kind.pk not in books:
            books[kind.pk] = Logbook.objects.get_or_create(
                duty_shift=duty_shift(team, day, kind), profile=person, team=team
            )[0]
        for n in range(count):
            rows.append(
                Entry(
                    logbook=books[kind.pk],
                    team=team,
                    author=person,
                    client_token=uuid.uuid4(),
                    created_at=datetime.combine(day, time(hour, 10), tzinfo=zone) + timedelta(seconds=n),
                    kind=EntryKind.INQUIRY,
                    content="咨询物流",
                )
            )
    Entry.objects.bulk_create(rows)


def volume_csv(rows, header=("date", "hour", "contacts", "average handling seconds")) -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()
