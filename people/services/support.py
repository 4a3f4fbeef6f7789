"""The support directory of a team (R-TRAIN-2): the technical-support hotline and the business departments an
agent on duty can reach, kept by the supervisor."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile, Team
from people.models import SupportContact
from people.services import PeopleError

CONTACT_FIELDS = ("kind", "name", "contact", "phone", "wecom_id", "dingtalk_id", "feishu_id", "hours", "note", "order")


@transaction.atomic
def save_contact(*, team: Team, actor: Profile, values: dict, contact: SupportContact | None = None) -> SupportContact:
    """Add a line to the directory, or change one of this team's. Refused: a name the team already has, or a line
    nobody can be reached on (no phone and no WeCom / DingTalk / Feishu id)."""
    if not any(values.get(name) for name in ("phone", "wecom_id", "dingtalk_id", "feishu_id")):
        raise PeopleError(_("Give a phone number or a WeCom, DingTalk or Feishu id."))
    if contact is not None:
        contact = SupportContact.objects.select_for_update().filter(pk=contact.pk, team=team).first()
        if contact is None:
            raise PeopleError(_("This line was removed meanwhile; nothing was saved."))
    before = snapshot(contact, CONTACT_FIELDS) if contact is not None else None
    contact = contact or SupportContact(team=team)
    for name in CONTACT_FIELDS:
        setattr(contact, name, values.get(name, getattr(contact, name)))
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as error:
        raise PeopleError(_("The directory already has %(name)s.") % {"name": values.get("name")}) from error
    record("people.support", actor=actor, target=contact, before=before, after=snapshot(contact, CONTACT_FIELDS))
    return contact


@transaction.atomic
def remove_contact(contact: SupportContact, *, actor: Profile) -> None:
    record("people.support_remove", actor=actor, target=contact, before=snapshot(contact, CONTACT_FIELDS))
    SupportContact.objects.filter(pk=contact.pk).delete()
