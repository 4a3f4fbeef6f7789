"""The audit trail: one append-only record of every decision and change (issue 22 item 3, R-ROSTER-9, R-PIPL-2).

A row says who did what to which object, when, with the values before and after and the reason given. Rows are
written by services (through `dutydesk.audit.services.record`), inside the transaction of the change they record,
so a change and its record commit or vanish together. The database refuses every UPDATE and DELETE of a row
(migration 0001's trigger), whoever asks: the admin, a script, a bug, the application itself.

`refs` lists what the event concerns, as short keys (`person:7`, `day:2026-12-05`, `roster:3`, `team:2`,
`logbook.entry:41`): the history of a person, a day or a roster is the events whose refs hold that key (one GIN
index). The actor and the team are kept without foreign-key constraints and with the actor's name written out,
so nothing elsewhere can be blocked from deletion by, or cascade into, the trail.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from dutydesk.models import Profile, Team


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), db_default=Now(), editable=False)
    # None: a scheduled job or a command (the system account, DEVELOPERS.md).
    actor = models.ForeignKey(
        Profile, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=60)
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    target_type = models.CharField(max_length=60, blank=True)  # app_label.model
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(_("what"), max_length=200, blank=True)
    before = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    after = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    refs = ArrayField(models.CharField(max_length=80), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            GinIndex(fields=["refs"], name="audit_refs_gin"),
            models.Index(fields=["-at", "-id"], name="audit_at_desc"),
            models.Index(fields=["team", "-at"], name="audit_team_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_label}"
