"""The account scheduled jobs act as, so every version and record still names who made it."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "dutydesk-system"


def system_user():
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "dutydesk"}
    )
    return user
