from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompensationConfig(AppConfig):
    name = "compensation"
    verbose_name = _("Duty hours and compensation")

    def ready(self):
        from compensation import comp_time_leave, permissions  # noqa: F401  (grants the compensation actions)
        from compensation.home import home_section
        from dutydesk import home, navigation

        navigation.register(
            _("Duty hours"), "compensation.view_team", "compensation:team", order=65, kwargs=navigation.home_team_kwargs
        )
        navigation.register(_("My comp time"), "compensation.own", "compensation:mine", order=62)
        home.register(home_section, order=65)
        comp_time_leave.register()  # 调休: the leave kind whose balance this app keeps
        from compensation.queries import comp_time_profiles
        from roster import comp_time

        comp_time.register(comp_time_profiles)  # R-LAW-2: whose rest-day hours earn comp time

        from compensation import calendar_changes
        from workcalendar import changes as company_calendar_changes

        # R-CAL-2: a change of the company calendar recomputes open statements, proposes corrections of final ones.
        company_calendar_changes.register(calendar_changes.on_calendar_change)
