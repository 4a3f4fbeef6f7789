"""Who an identity belongs to, as pure functions on plain values (no ORM).

Nobody gets an account by signing in (issue 23): an identity from WeCom, DingTalk, Feishu, OpenID Connect or the
company directory is linked to a person HR imported, found in this order, and only when exactly one person fits:
1. the provider's user id already stored on the person (WeCom / DingTalk / Feishu user id from the HR file);
2. the employee number;
3. the mobile number (mainland numbers compared without +86, spaces or dashes);
4. the email address (case-insensitive).
A step with two or more fits stops the search (it is never resolved by a later step: two people with one mobile
means the data needs a person to look at it). People who have left (from their leaving date) are never candidates,
and nor is a person already linked to another identity of the same provider.
"""

import re
from dataclasses import dataclass
from datetime import date

WECOM, DINGTALK, FEISHU, OIDC, LDAP = "wecom", "dingtalk", "feishu", "oidc", "ldap"
# The profile field that holds each chat platform's user id (dutydesk.models.Profile).
IM_ID_FIELD = {WECOM: "wecom_id", DINGTALK: "dingtalk_id", FEISHU: "feishu_id"}

# Names a company gives the employee-number attribute in the WeCom directory (通讯录 → 自定义字段).
WECOM_NUMBER_ATTRIBUTES = ("工号", "员工编号", "employee_number", "Employee number")

# How a link was found (the values of models.LinkHow).
IM_ID, EMPLOYEE_NUMBER, MOBILE, EMAIL = "im_id", "employee_number", "mobile", "email"
STEPS = (IM_ID, EMPLOYEE_NUMBER, MOBILE, EMAIL)

# Why nobody was linked.
NO_MATCH, AMBIGUOUS, TAKEN = "no_match", "ambiguous", "taken"

# Where a refused directory sign-in says why, on the request (the login page shows it instead of "wrong password").
REFUSAL_ATTRIBUTE = "sso_refusal"


@dataclass(frozen=True)
class Facts:
    """What the provider's user info says about the person, normalised."""

    uid: str
    name: str = ""
    employee_number: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class Candidate:
    """A person who may sign in: plain values from their profile."""

    profile_id: int
    im_id: str = ""
    employee_number: str = ""
    mobile: str = ""
    email: str = ""
    left_on: date | None = None
    linked_uid: str = ""  # the identity of this provider already linked to them, if any


@dataclass(frozen=True)
class Decision:
    profile_id: int | None
    how: str = ""
    refusal: str = ""  # NO_MATCH, AMBIGUOUS or TAKEN when profile_id is None
    step: str = ""  # the step that was ambiguous or taken


_MOBILE_NOISE = re.compile(r"[\s\-()（）]")


def normalise_mobile(value: str | None) -> str:
    """+86 138-0013-8000 → 13800138000; anything else keeps its digits (and a leading +) only."""
    if not value:
        return ""
    digits = _MOBILE_NOISE.sub("", str(value))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
            break
    return digits


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def _text(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def facts_from(provider: str, info: dict, uid: str) -> Facts:
    """The user info a provider answers, in its documented field names, as Facts."""
    if provider == WECOM:  # cgi-bin/user/get: the employee number is an extra attribute the company names 工号
        number = next(
            (
                a.get("value") or (a.get("text") or {}).get("value")
                for a in (info.get("extattr") or {}).get("attrs", [])
                if a.get("name") in WECOM_NUMBER_ATTRIBUTES
            ),
            None,
        )
        mobile, email, name = info.get("mobile"), info.get("email") or info.get("biz_mail"), info.get("name")
    elif provider == DINGTALK:  # topapi/v2/user/get (result) merged over v1.0/contact/users/me
        number, mobile, email = info.get("job_number"), info.get("mobile"), info.get("org_email") or info.get("email")
        name = info.get("name") or info.get("nick")
    elif provider == FEISHU:  # authen/v1/user_info
        number, mobile = info.get("employee_no"), info.get("mobile")
        email, name = info.get("enterprise_email") or info.get("email"), info.get("name")
    elif provider == OIDC:  # userinfo (standard claims, and the employee number as the directory names it)
        number = info.get("employee_number") or info.get("employee_id") or info.get("employeeNumber")
        mobile, email, name = info.get("phone_number"), info.get("email"), info.get("name")
    elif provider == LDAP:  # inetOrgPerson attributes, first values
        number, mobile = info.get("employeeNumber"), info.get("mobile") or info.get("telephoneNumber")
        email, name = info.get("mail"), info.get("cn") or info.get("displayName")
    else:
        raise ValueError(f"unknown provider {provider!r}")
    return Facts(
        uid=_text(uid),
        name=_text(name),
        employee_number=_text(number),
        mobile=normalise_mobile(mobile),
        email=normalise_email(email),
    )


def identity_usable(left_on: date | None, today: date) -> bool:
    """A leaver's identities stop working on their leaving date (their last day is the day before)."""
    return left_on is None or today < left_on


def match(provider: str, facts: Facts, candidates: list[Candidate], *, today: date) -> Decision:
    """The one person this identity belongs to, or why there is none (module docstring)."""
    present = [c for c in candidates if identity_usable(c.left_on, today)]
    values = {
        IM_ID: (facts.uid if provider in IM_ID_FIELD else "", lambda c: c.im_id.strip()),
        EMPLOYEE_NUMBER: (facts.employee_number, lambda c: c.employee_number.strip()),
        MOBILE: (facts.mobile, lambda c: normalise_mobile(c.mobile)),
        EMAIL: (facts.email, lambda c: normalise_email(c.email)),
    }
    for step in STEPS:
        wanted, of = values[step]
        if not wanted:
            continue
        fits = [c for c in present if of(c) == wanted]
        if not fits:
            continue
        if len(fits) > 1:
            return Decision(None, refusal=AMBIGUOUS, step=step)
        person = fits[0]
        if person.linked_uid and person.linked_uid != facts.uid:
            return Decision(None, refusal=TAKEN, step=step)
        return Decision(person.profile_id, how=step)
    return Decision(None, refusal=NO_MATCH)


def provider_installed(provider: str, *, ldap_importable: bool) -> bool:
    """Whether this server can use the provider at all: the company directory needs python-ldap and
    django-auth-ldap, optional (requirements-ldap.txt, built only where the LDAP headers are installed); the others
    need nothing more. Without them the settings page says so instead of a form, and the login page offers no
    directory sign-in."""
    return provider != LDAP or ldap_importable
