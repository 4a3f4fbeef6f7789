"""Reads of the audit trail: a page of events in two queries (a count and the page), whatever the filters."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone

from dutydesk.audit import rules
from dutydesk.audit.actions import FIELD_LABELS, label_of
from dutydesk.audit.models import AuditEvent

PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    """What a history page asks for; every part optional. `refs` must all be held by an event."""

    team_ids: tuple[int, ...] | None = None  # None: every team (the manager's search)
    refs: tuple[str, ...] = ()
    concerning: int | None = None  # a profile id: events about them or by them
    action: str = ""
    text: str = ""
    since: date | None = None
    until: date | None = None


def _queryset(filters: Filters):
    events = AuditEvent.objects.all()
    if filters.team_ids is not None:
        events = events.filter(team_id__in=filters.team_ids)
    if filters.refs:
        events = events.filter(refs__contains=list(filters.refs))
    if filters.concerning is not None:
        events = events.filter(Q(refs__contains=[rules.person(filters.concerning)]) | Q(actor_id=filters.concerning))
    if filters.action:
        events = events.filter(Q(action=filters.action) | Q(action__startswith=filters.action + "."))
    if filters.text:
        events = events.filter(
            Q(target_label__icontains=filters.text)
            | Q(reason__icontains=filters.text)
            | Q(actor_name__icontains=filters.text)
        )
    zone = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(at__gte=datetime.combine(filters.since, time.min, zone))
    if filters.until:
        events = events.filter(at__lt=datetime.combine(filters.until + timedelta(days=1), time.min, zone))
    return events.order_by("-at", "-id")


MAX_PAGES = 200  # a reader narrows the filters long before this; a deeper page is a probe


def events_page(filters: Filters, page_number: int = 1) -> dict:
    """One page of events, newest first, each with its action's label and its changes as (field label, before,
    after, had a before) rows. One query, whatever the filters and the page: a row more than shown says whether
    there is a next page, so nothing counts the whole trail."""
    page_number = min(max(1, page_number), MAX_PAGES)
    offset = (page_number - 1) * PER_PAGE
    found = list(_queryset(filters)[offset : offset + PER_PAGE + 1])
    return {
        "events": [_row(event) for event in found[:PER_PAGE]],
        "page_number": page_number,
        "has_previous": page_number > 1,
        "has_next": len(found) > PER_PAGE and page_number < MAX_PAGES,
    }


def _field(target_type: str, name: str):
    if not target_type:
        return None
    try:
        return apps.get_model(target_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):  # a field since removed keeps its stored name
        return None


def _field_label(field, name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    return str(field.verbose_name) if field is not None else name


def _value(field, value) -> str:
    """A stored value as the reader's language shows it: a choice by its label (state, kind ...)."""
    choices = dict(field.flatchoices) if field is not None and getattr(field, "flatchoices", None) else {}
    if choices and isinstance(value, str) and value in choices:
        return str(choices[value])
    return _shown(value)


def _row(event: AuditEvent) -> dict:
    before, after = event.before or {}, event.after or {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        field = _field(event.target_type, key)
        changes.append(
            (_field_label(field, key), _value(field, before.get(key)), _value(field, after.get(key)), key in before)
        )
    return {"event": event, "label": label_of(event.action), "changes": changes}


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def action_choices() -> list[tuple[str, str]]:
    from dutydesk.audit.actions import LABELS

    return sorted(((code, str(label)) for code, label in LABELS.items()), key=lambda item: item[1])
