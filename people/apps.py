from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Team members and training")

    def ready(self):
        from appraisal.table import register_reward_control
        from dutydesk import home, navigation
        from people import permissions  # noqa: F401  (grants the people actions)
        from people.home import home_section
        from people.reward_controls import reward_controls

        navigation.register(
            _("Team members"), "people.manage", "people:members", order=70, kwargs=navigation.home_team_kwargs
        )
        navigation.register(
            _("New hires"), "people.new_hires", "people:new-hires", order=72, kwargs=navigation.home_team_kwargs
        )
        navigation.register(
            _("Training"), "people.training", "people:training", order=73, kwargs=navigation.home_team_kwargs
        )
        navigation.register(_("My training"), "people.own", "people:mine", order=62)
        home.register(home_section, order=40)
        register_reward_control(reward_controls)
