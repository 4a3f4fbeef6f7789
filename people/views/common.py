"""What the people views share."""

from django.contrib import messages
from django.shortcuts import get_object_or_404

from dutydesk.models import Profile


def person_or_404(request, pk) -> Profile:
    """A person of the team in the address; another team's person answers 404."""
    return get_object_or_404(Profile.objects.select_related("user", "team"), pk=pk, team=request.team)


def run(request, action, success: str = "") -> tuple[bool, object]:
    """Call a service: (True, its result) and `success` shown, or (False, None) and its refusal shown as an error
    (the service changed nothing)."""
    from people.services import PeopleError

    try:
        result = action()
    except PeopleError as error:
        messages.error(request, str(error))
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def search_term(request) -> str:
    return request.GET.get("q", "").strip()[:60]
