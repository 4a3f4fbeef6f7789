"""The company directory's sign-in: django-auth-ldap with the settings of the manager's page. Imports python-ldap,
which is optional (requirements-ldap.txt): only backends.DirectoryBackend imports this module, on a sign-in, when
python-ldap is installed."""

from functools import cached_property

import ldap
from django.utils import timezone
from django_auth_ldap.backend import LDAPBackend, LDAPSettings
from django_auth_ldap.config import LDAPSearch

from dutydesk.sso import connection, queries, rules, services
from dutydesk.sso.models import Provider
from dutydesk.sso.rules import REFUSAL_ATTRIBUTE


class LDAPDirectoryBackend(LDAPBackend):
    """django-auth-ldap with the settings of the manager's page. A directory sign-in signs in the person its
    identity is linked to, or links it by the rules (rules.match) on the first sign-in; it never creates an account
    (NO_NEW_USERS), and a refusal says why (REFUSAL_ATTRIBUTE on the request)."""

    @cached_property
    def row(self):
        # Read when a sign-in asks, not when Django builds the backend (it does for every permission check).
        return queries.provider_settings(Provider.LDAP)

    @property
    def settings(self):
        if self._settings is None:
            row = self.row
            secret = queries.secret_of(row) if row else ""
            self._settings = LDAPSettings(
                self.settings_prefix,
                {
                    "SERVER_URI": row.server_url if row else "",
                    "BIND_DN": row.app_key if row else "",
                    "BIND_PASSWORD": secret,
                    "USER_SEARCH": LDAPSearch(
                        row.search_base if row else "",
                        ldap.SCOPE_SUBTREE,
                        f"({(row.login_attribute if row else '') or 'uid'}=%(user)s)",
                    ),
                    "NO_NEW_USERS": True,
                    "ALWAYS_UPDATE_USER": False,
                    "USER_ATTR_MAP": {},
                    "CONNECTION_OPTIONS": {
                        ldap.OPT_NETWORK_TIMEOUT: 5,
                        ldap.OPT_TIMEOUT: 5,
                        ldap.OPT_REFERRALS: 0,
                    },
                },
            )
        return self._settings

    def authenticate(self, request, username=None, password=None, **kwargs):
        row = self.row
        if row is None or not row.enabled or not connection.ldap_address_allowed(row.server_url):
            return None
        self.request = request
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        model = self.get_user_model()
        attrs = {key: values[0] for key, values in (ldap_user.attrs or {}).items() if values}
        uid = username.strip().lower()
        account = queries.account_of(Provider.LDAP, uid)
        today = timezone.localdate()
        if account is not None:
            profile = getattr(account.user, "profile", None)
            if profile is None or not rules.identity_usable(profile.left_on, today):
                self._refuse("left")
                return model(username=f"ldap-refused:{uid}"), True
            return account.user, False
        facts = rules.facts_from(Provider.LDAP, attrs, uid)
        linked, decision = services.link_signed_in(Provider.LDAP, facts, {"dn": ldap_user.dn, **attrs})
        if linked is None:
            self._refuse(decision.refusal)
            return model(username=f"ldap-refused:{uid}"), True  # built: NO_NEW_USERS refuses it
        return linked.user, False

    def _refuse(self, reason: str) -> None:
        request = getattr(self, "request", None)
        if request is not None:
            setattr(request, REFUSAL_ATTRIBUTE, reason)
