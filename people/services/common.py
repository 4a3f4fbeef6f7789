"""What the people services share: the audit row and the people to tell."""

from dutydesk.models import Profile
from dutydesk.texts import Text, stored
from people.models import PersonEvent


def event(profile: Profile, kind: str, *, actor: Profile | None, note: str | Text = "") -> PersonEvent:
    """A change-log row; a Text note (dutydesk.texts) is shown in the reader's language."""
    text, note_text = stored(note)
    return PersonEvent.objects.create(profile=profile, kind=kind, actor=actor, note=text[:300], note_text=note_text)
