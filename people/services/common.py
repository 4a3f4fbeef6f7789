"""What the people services share: the audit row and the people to tell."""

from dutydesk.models import Profile
from people.models import PersonEvent


def event(profile: Profile, kind: str, *, actor: Profile | None, note: str = "") -> PersonEvent:
    return PersonEvent.objects.create(profile=profile, kind=kind, actor=actor, note=note[:300])
