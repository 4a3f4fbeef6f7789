"""dutydesk settings, read from the environment (django-environ).

Without DATABASE_URL / REDIS_URL they point at the embedded PostgreSQL and Redis of this checkout (dutydesk.embedded).
Importing settings starts nothing: manage.py, make and the test runner start those servers explicitly, so a
`manage.py check`, an IDE or a linter may import this module freely.
Bad values raise ImproperlyConfigured at start-up rather than failing later.
"""

import os
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DEBUG = env.bool("DEBUG", default=True)
# Django's technical error pages (URL patterns, tracebacks) for a signed-in staff account, only with DEBUG on and
# only when asked for: every other request, `make run` included, gets the site's own pages (dutydesk/errors.py).
DEBUG_PAGES = DEBUG and env.bool("DEBUG_PAGES", default=False)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of 50+ characters when DEBUG is false.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The site's address as people open it: e-mailed notices and activation mails link to pages under it (a relative
# link in an e-mail leads nowhere). `make run` sets it to the address it serves on.
SITE_URL = env.str("SITE_URL", default="")

if "DATABASE_URL" in os.environ and "REDIS_URL" in os.environ:
    DATABASE_URL, REDIS_URL = env.str("DATABASE_URL"), env.str("REDIS_URL")
else:
    from dutydesk import embedded

    _embedded_db, _embedded_redis = embedded.urls()  # addresses only: starts nothing
    DATABASE_URL = env.str("DATABASE_URL", default=_embedded_db)
    REDIS_URL = env.str("REDIS_URL", default=_embedded_redis)

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# A unix-socket host arrives percent-encoded in the URL (postgres://user@%2Fpath%2Fto%2Fsocket/db).
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parameters bound by the server, so that psycopg prepares a statement a connection has run 5 times: PostgreSQL then
# plans it once per connection, not on every page (the month grid's agents statement took 3 ms to plan each view;
# issue 22 item 8). Behind a pooler in transaction mode that cannot keep prepared statements (PgBouncer before
# 1.21, or without max_prepared_statements), set DATABASE_PREPARED_STATEMENTS=off.
if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("dutydesk needs PostgreSQL: DATABASE_URL must start with postgres://")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "captcha",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "dutydesk",
    "dutydesk.notifications",
    # Sign-in through WeCom, DingTalk, Feishu, OpenID Connect and LDAP (dutydesk/sso). Before allauth, so that its
    # pages are ours (templates/socialaccount/...), and django-allauth only for the third-party sign-in flow: no
    # account pages, no sign-up (dutydesk/sso/adapter.py).
    "dutydesk.sso",
    "dutydesk.audit",
    "workcalendar",
    "roster",
    "leave",
    # The shift marketplace (issue 24): beside leave, above it (it asks the roster and leave as they stand).
    "market",
    "logbook",
    "appraisal",
    "people",
    "compensation",
    "forecast",
    # The public API (issue 25): the top floor, it reads every app above. django-ninja for its docs page's files.
    "api",
    "ninja",
    # After every app of ours: the apps listed first win a translation, and allauth's catalogue says "key" and "note"
    # in its own sense (密钥, 注意), which took over our shift code and check note.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # After CSP's, so that its answer passes here first: the sign-in pages may post on to the providers.
    "dutydesk.sso.middleware.ProviderFormActionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions, language and the user: the site's error pages need them (also under DEBUG=True).
    "dutydesk.errors.SiteErrorPages",
    # After the user and the language are known, so its page is in the reader's language; before any view.
    "dutydesk.middleware.ControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dutydesk.urls"
WSGI_APPLICATION = "dutydesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["dutydesk.templatetags.dutydesk_lists", "dutydesk.templatetags.dutydesk_permissions"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dutydesk.context_processors.navigation",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's passwords, unless the company turned them off (dutydesk/sso/backends.py), then the directory (LDAP).
    "dutydesk.sso.backends.PasswordBackend",
    "dutydesk.sso.backends.DirectoryBackend",
    # Keeps the sessions of people signed in through WeCom, DingTalk, Feishu or OpenID Connect (checks no password).
    "dutydesk.sso.backends.IdentityBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle guessing (dutydesk/login_throttle.py): 5 failures for one username from one address lock it there for 15
# minutes, 20 from anywhere lock that account; when 10 different accounts failed from one address, sign-ins from it
# answer a simple challenge with the password (never a lock: a call centre shares one address). The password-change
# form counts too.
AXES_HANDLER = "dutydesk.login_throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=20)
AXES_IP_ACCOUNT_LIMIT = env.int("AXES_IP_ACCOUNT_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The challenge (django-simple-captcha): a small sum in a picture, digits only, so it reads the same in every
# language; answered within 5 minutes.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_TIMEOUT = 5
# Large and lightly disturbed: a person reads it at a glance; a script still needs to read a picture per guess.
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LETTER_ROTATION = (-12, 12)
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_dots",)

# Sign-in providers (dutydesk/sso). Nobody gets an account by signing in: an identity is linked to a person HR
# imported, or refused. Provider settings are kept in the database, their secrets encrypted (dutydesk/sso/crypto.py)
# with SSO_ENCRYPTION_KEY (a Fernet key; `python -m dutydesk.sso.crypto` makes one), or a key derived from
# SECRET_KEY when it is not set.
SOCIALACCOUNT_ADAPTER = "dutydesk.sso.adapter.SocialAccountAdapter"
ACCOUNT_ADAPTER = "dutydesk.sso.adapter.AccountAdapter"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
# Seconds a provider may take to answer one call of a sign-in or a message.
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_HTTP_TIMEOUT", default=5)
SSO_ENCRYPTION_KEY = env.str("SSO_ENCRYPTION_KEY", default="")
# {"wecom": "http://127.0.0.1:port", ...}: every address of a platform under one base. Only the tests' local
# protocol servers need it; production talks to the platforms' own hosts.
SSO_PROVIDER_BASE_URLS: dict = {}
# OpenID Connect issuers and LDAP servers may be on 127.0.0.1 over plain HTTP only in tests.
SSO_ALLOW_LOOPBACK = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="dutydesk <dutydesk@localhost>")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
}

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own static files only; no inline
# script or style anywhere (htmx's indicator style is switched off in base.html and lives in dutydesk.css). data:
# images are the small SVG icons inside Bootstrap's own stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The public API (issue 25): requests per token and window (a fixed window in the cache, which is Redis).
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=60)
# Outgoing webhooks (issue 25 item 4, api/delivery.py): attempts before a delivery is failed, the first retry's
# wait (doubling each time, at most 6 hours), the time a receiver has to answer. Only public addresses are posted
# to; the tests' local receiver on 127.0.0.1 needs API_WEBHOOK_ALLOW_LOOPBACK, which production never sets.
API_WEBHOOK_MAX_ATTEMPTS = env.int("API_WEBHOOK_MAX_ATTEMPTS", default=8)
API_WEBHOOK_BACKOFF_SECONDS = env.float("API_WEBHOOK_BACKOFF_SECONDS", default=30.0)
API_WEBHOOK_TIMEOUT_SECONDS = env.float("API_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
API_WEBHOOK_ALLOW_LOOPBACK = False
if not (
    1 <= API_WEBHOOK_MAX_ATTEMPTS <= 30 and API_WEBHOOK_BACKOFF_SECONDS > 0 and 0 < API_WEBHOOK_TIMEOUT_SECONDS <= 30
):
    raise ImproperlyConfigured("API_WEBHOOK_MAX_ATTEMPTS 1-30, API_WEBHOOK_BACKOFF_SECONDS > 0, TIMEOUT 0-30 s")

# Chat robots are posted to only over https on port 443 of their platform's host (notifications/webhooks.py);
# the tests' local sink on 127.0.0.1 needs this, nothing else does.
ROBOT_WEBHOOK_ALLOW_LOOPBACK = False

SESSION_COOKIE_AGE = 60 * 60 * 12
if not DEBUG:
    # Production: HTTPS only, behind a proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    # Health checks come over plain HTTP from the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "pgserver": {"level": "WARNING"}},
}
