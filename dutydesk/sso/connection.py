"""Connection tests of the directory providers (OpenID Connect discovery, an LDAP bind and search), and the one
rule on their addresses: https / ldaps, or plain on 127.0.0.1 only where SSO_ALLOW_LOOPBACK says so (tests).

python-ldap is optional (requirements-ldap.txt), so it is imported only where an LDAP connection is made, after
ldap_installed() said it is there."""

from importlib.util import find_spec
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LOOPBACK = ("127.0.0.1", "localhost", "::1")


# The company directory's client libraries (requirements-ldap.txt): python-ldap and django-auth-ldap.
LDAP_MODULES = ("ldap", "django_auth_ldap")
# What the settings page and a connection test say on a server without them.
LDAP_NOT_INSTALLED = gettext_lazy(
    "LDAP support is not installed on this server, so nobody can sign in with the company directory. The server's "
    "administrator installs libldap2-dev and libsasl2-dev, then runs make again (it installs requirements-ldap.txt)."
)


class ConnectionProblem(Exception):
    """What is wrong, translated, for the manager's page."""


def ldap_installed() -> bool:
    """Whether this server can reach a directory: python-ldap and django-auth-ldap can be imported. (Asked each
    time, not cached: a module found is in sys.modules, so asking again costs a dictionary look-up.)"""
    return all(find_spec(name) is not None for name in LDAP_MODULES)


def address_allowed(url: str, *, secure: tuple[str, ...], plain: tuple[str, ...]) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return False
    if parts.username or parts.password or not parts.hostname:
        return False
    if parts.scheme in secure:
        return True
    return parts.scheme in plain and settings.SSO_ALLOW_LOOPBACK and parts.hostname in LOOPBACK


def oidc_address_allowed(url: str) -> bool:
    return address_allowed(url, secure=("https",), plain=("http",))


def ldap_address_allowed(url: str) -> bool:
    return address_allowed(url, secure=("ldaps",), plain=("ldap",))


def check_oidc(server_url: str) -> None:
    if not oidc_address_allowed(server_url):
        raise ConnectionProblem(_("The issuer address must start with https://."))
    url = server_url.rstrip("/")
    if "/.well-known/" not in url:
        url += "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
        response.raise_for_status()
        config = response.json()
    except requests.Timeout:
        raise ConnectionProblem(_("The issuer did not answer in time.")) from None
    except (requests.RequestException, ValueError) as error:
        raise ConnectionProblem(
            _("The issuer did not answer as OpenID Connect does: %(error)s") % {"error": error}
        ) from None
    missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if key not in config]
    if missing:
        raise ConnectionProblem(_("The issuer's configuration lacks %(keys)s.") % {"keys": ", ".join(missing)})


def ldap_connection(server_url: str):
    import ldap

    conn = ldap.initialize(server_url)
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
    conn.set_option(ldap.OPT_TIMEOUT, settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
    conn.set_option(ldap.OPT_REFERRALS, 0)
    return conn


def check_ldap(row, secret: str) -> None:
    if not ldap_installed():
        raise ConnectionProblem(str(LDAP_NOT_INSTALLED))
    import ldap

    if not ldap_address_allowed(row.server_url):
        raise ConnectionProblem(_("The directory address must start with ldaps://."))
    if not row.search_base:
        raise ConnectionProblem(_("Enter where people are searched (the search base)."))
    if row.app_key and not secret:
        raise ConnectionProblem(_("There is no bind password: enter it, or name its environment variable."))
    try:
        conn = ldap_connection(row.server_url)
        conn.simple_bind_s(row.app_key, secret)
        conn.search_s(row.search_base, ldap.SCOPE_BASE, "(objectClass=*)", ["1.1"])
        conn.unbind_s()
    except ldap.INVALID_CREDENTIALS:
        raise ConnectionProblem(_("The directory refused the bind DN or its password.")) from None
    except ldap.NO_SUCH_OBJECT:
        raise ConnectionProblem(_("The search base does not exist in the directory.")) from None
    except ldap.LDAPError as error:
        detail = error.args[0].get("desc", "") if error.args and isinstance(error.args[0], dict) else str(error)
        raise ConnectionProblem(_("The directory did not answer: %(error)s") % {"error": detail}) from None
