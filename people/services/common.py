"""What the people services share: the audit row and the people to tell."""

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record
from dutydesk.models import Profile
from people.models import PersonEvent


def event(
    profile: Profile,
    kind: str,
    *,
    actor: Profile | None,
    note: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> PersonEvent:
    """The person's own change log (shown on their page) and the same change in the audit trail, with the values
    before and after when the caller has them."""
    record(
        f"people.{kind}",
        actor=actor,
        target=profile,
        team=profile.team_id,
        before=before,
        after=after if after is not None else ({"note": note} if note else None),
        refs=[refs.person(profile)],
    )
    return PersonEvent.objects.create(profile=profile, kind=kind, actor=actor, note=note[:300])
