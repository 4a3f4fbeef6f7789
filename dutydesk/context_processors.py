from dutydesk.navigation import menu_for, team_switcher
from dutydesk.permissions import role_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or role_of(user) is None:
        return {"nav_items": [], "user_role": None, "team_switcher": None}
    return {"nav_items": menu_for(request), "user_role": role_of(user), "team_switcher": team_switcher(request)}
