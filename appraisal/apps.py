from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Appraisal")

    def ready(self):
        from appraisal import permissions  # noqa: F401  (grants the appraisal actions)
        from appraisal.home import home_section
        from dutydesk import home, navigation

        navigation.register(
            _("Appraisal"), "appraisal.view_team", "appraisal:team", order=60, kwargs=navigation.home_team_kwargs
        )
        navigation.register(_("My appraisal"), "appraisal.own", "appraisal:mine", order=61)
        home.register(home_section, order=60)
