"""The one way to write the audit trail: `record(...)`, called by services inside the transaction of the change.

    before = audit.snapshot(policy)
    ...change and save policy...
    audit.record("compensation.policy", actor=actor, target=policy, before=before, after=audit.snapshot(policy))

What it guarantees: the row commits with the change or not at all (it is written on the caller's connection and
transaction); it is never changed afterwards (the database refuses UPDATE and DELETE); the actor is the Profile the
service was given, `None` meaning the system (a scheduled job or a command). What it does not do: decide what is
worth recording (the service does), or keep personal data out of `before` / `after` (callers pass customers'
fields masked, R-PIPL-1, so the trail never needs the retention job).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import models

from dutydesk.audit import rules
from dutydesk.audit.models import AuditEvent

# Fields no reader of a history needs: derived search columns and bookkeeping.
_SKIPPED = {"id", "search", "search_text", "client_token"}


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The object's concrete field values by field name, as JSON-ready values (a foreign key as its id)."""
    wanted = set(fields) if fields is not None else None
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIPPED or (wanted is not None and field.name not in wanted):
            continue
        values[field.name] = _plain(getattr(obj, field.attname))
    return values


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def record(
    action: str,
    *,
    actor,
    target: models.Model | None = None,
    team=None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    refs: Iterable[str] = (),
    label: str | None = None,
) -> AuditEvent:
    """Append one event. `actor` is the acting Profile (None: the system). `target` is the object changed (its key
    goes into refs); `team` defaults to the target's team. `before` / `after` are snapshots: when both are given
    only the fields that differ are kept. `refs` adds what else the event concerns (`rules.person`, `rules.day`,
    `rules.roster`). Returns the row."""
    keys = list(refs)
    target_type = target_id = ""
    if target is not None:
        target_type, target_id = target._meta.label_lower, str(target.pk)
        keys.append(rules.target(target_type, target.pk))
        if label is None:
            label = str(target)
    team_id = getattr(team, "pk", team)
    if team_id is None and target is not None:
        team_id = getattr(target, "team_id", None)
    if team_id is not None:
        keys.append(rules.team(team_id))
    before, after = rules.changes(before, after)
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.name if actor is not None else "",
        action=action,
        team_id=team_id,
        target_type=target_type,
        target_id=target_id,
        target_label=(label or "")[:200],
        before=before,
        after=after,
        reason=(reason or "")[:2000],
        refs=list(dict.fromkeys(keys)),
    )


def record_export(action: str, *, actor, team, label: str, whole_values: tuple[str, ...] = ()) -> AuditEvent:
    """An export taken: who, when, what. `whole_values` names the personal fields it carries unmasked (R-PIPL-2:
    such an export is recorded like a reveal); none of today's exports carries any."""
    return record(
        action,
        actor=actor,
        team=team,
        label=label,
        after={"whole_values": list(whole_values)} if whole_values else None,
        refs=[rules.person(actor)] if actor is not None else [],
    )
