"""What each role sees first (the home page). Apps add their parts as they arrive."""

from dutydesk.models import Role


def context_for(profile) -> dict:
    return {
        "profile": profile,
        "role": Role(profile.role),
        "next_shifts": [],
    }
