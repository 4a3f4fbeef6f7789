from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dutydesk.permissions import ACTIONS, role_of

# (label, url name, action): a link shows only to roles granted its action, so menus never lead to a 403.
NAVIGATION = [
    (_("Home"), "home", "home.view"),
]


def navigation(request):
    role = role_of(request.user) if hasattr(request, "user") else None
    if role is None:
        return {"nav_items": [], "user_role": None}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, action in NAVIGATION
        if role in ACTIONS[action]
    ]
    return {"nav_items": items, "user_role": role}
