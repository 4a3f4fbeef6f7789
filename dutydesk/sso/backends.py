"""Authentication backends: dutydesk passwords (unless the company turned them off), the company directory
(django-auth-ldap, settings from the manager's page, never creating an account), and the backend that keeps the
session of a person who signed in through a provider.

python-ldap is optional (requirements-ldap.txt: it builds only where libldap2-dev and libsasl2-dev are installed), so
nothing here imports it: the directory's django-auth-ldap backend lives in ldap_backend.py, imported on a sign-in
only when python-ldap is installed; without it the directory signs nobody in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend

from dutydesk.sso import connection, queries


class PasswordBackend(ModelBackend):
    """Django's passwords. When the company turned passwords off, only superusers (the Django admin, the way back
    in if a provider breaks) sign in with one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not user.is_superuser and not queries.passwords_allowed():
            return None
        return user


class IdentityBackend(ModelBackend):
    """Keeps the sessions of people signed in through a provider (allauth logs them in with this backend). It
    never checks a password; like ModelBackend it lets no inactive account keep a session."""

    def authenticate(self, request, **credentials):
        return None


class DirectoryBackend(BaseBackend):
    """The company directory (ldap_backend.LDAPDirectoryBackend does the sign-in). Without python-ldap and
    django-auth-ldap installed it signs nobody in (returns None), and the settings page says LDAP support is not
    installed. It keeps the session of a person it signed in (an active account) either way."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not connection.ldap_installed():
            return None
        from dutydesk.sso.ldap_backend import LDAPDirectoryBackend

        return LDAPDirectoryBackend().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        user = get_user_model()._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
