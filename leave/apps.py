from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave and swaps")

    def ready(self):
        from dutydesk import home, navigation
        from leave import home as leave_home
        from leave import (
            permissions,  # noqa: F401  (grants leave and swaps)
            queries,
        )
        from roster import absences

        navigation.register(_("Leave and swaps"), "leave.mine", "leave:requests-mine", order=12)
        navigation.register(
            _("Approvals"),
            "leave.review",
            "leave:requests-queue",
            order=13,
            kwargs=navigation.home_team_kwargs,
        )
        home.register(leave_home.home_section, order=15)
        # R-ROSTER-8: the roster keeps people off their approved leave, and its fairness report counts leave and
        # swaps, through the source registered here (the roster imports nothing of this app).
        absences.register(approved=queries.approved_leave_days, history=queries.request_history)
