"""Django settings for Aimwell, read only from environment variables (see .env.example)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from aimwell.config import (
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    from_address,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_env_file(Path(env_str("AIMWELL_ENV_FILE", str(BASE_DIR / ".env"))))

SECRET_KEY = env_secret("AIMWELL_SECRET_KEY")
# A separate key for the audit trail's MACs: rotating the session key must not break the chain.
AIMWELL_AUDIT_KEY = env_secret("AIMWELL_AUDIT_KEY")
# Witness of the audit chain heads outside the database (`aimwell audit anchor`, hourly on the
# worker): a directory of append-only files, ideally on other storage; optionally an e-mail.
AIMWELL_AUDIT_ANCHOR_DIR = env_str("AIMWELL_AUDIT_ANCHOR_DIR", "")
AIMWELL_AUDIT_ANCHOR_EMAIL = env_str("AIMWELL_AUDIT_ANCHOR_EMAIL", "")
DEBUG = env_bool("AIMWELL_DEBUG", False)
ALLOWED_HOSTS = env_list("AIMWELL_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("AIMWELL_CSRF_TRUSTED_ORIGINS", [])
DATA_DIR = Path(env_str("AIMWELL_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "aimwell.core",
    "aimwell.accounts",
    "aimwell.catalog",
    "aimwell.inventory",
    "aimwell.classification",
    "aimwell.context",
    "aimwell.governance",
    "aimwell.documents",
    "aimwell.evidence",
    "aimwell.risks",
    "aimwell.impact_assessments",
    "aimwell.controls",
    "aimwell.operations",
    "aimwell.internal_audit",
    "aimwell.improvement",
    "aimwell.competence",
    "aimwell.objectives",
    "aimwell.incidents",
    "aimwell.management_review",
    "aimwell.notifications",
    "aimwell.monitoring",
    "aimwell.certification",
    "aimwell.transparency",
    "aimwell.lifecycle",
    "aimwell.change_control",
    "aimwell.reports",
    "aimwell.interchange",
    "aimwell.consistency",
    "aimwell.integrations",
    "aimwell.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aimwell.core.limits.EdgeLimitsMiddleware",
    "aimwell.core.concurrency.EdgeConcurrencyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "aimwell.accounts.middleware.CurrentOrganisationMiddleware",
    "aimwell.accounts.middleware.SecondFactorMiddleware",
    "aimwell.certification.middleware.GuestScopeMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aimwell.urls"
WSGI_APPLICATION = "aimwell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aimwell" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aimwell.web.context.navigation",
                "aimwell.core.concurrency.form_version",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'aimwell.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every password sign-in first (and refuses it while the account or the address
# is locked out); then the ordinary password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: after AIMWELL_SIGNIN_FAILURE_LIMIT wrong passwords for one account, or from
# one address, further attempts (even with the right password) are refused for
# AIMWELL_SIGNIN_COOLOFF_MINUTES after the last failure. A success does not reset the count: with
# one valid account an attacker could otherwise clear their address's count between guesses.
# `aimwell user unlock` lifts a lockout at once.
AXES_FAILURE_LIMIT = env_int("AIMWELL_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AIMWELL_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "aimwell.accounts.lockout.signin_username"
AXES_CLIENT_IP_CALLABLE = "aimwell.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "aimwell.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Two-factor sign-in (django-otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("AIMWELL_TOTP_ISSUER", "Aimwell")
# Single sign-on (mozilla-django-oidc): each organisation's provider is configured with
# `aimwell sso configure`; these apply to all of them. PKCE protects the code exchange.
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
# Serve static files straight from the apps, so no collectstatic step is needed to start.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("AIMWELL_SESSION_AGE_SECONDS", 8 * 3600)
SECURE_COOKIES = env_bool("AIMWELL_SECURE_COOKIES", False)
# The address of the reverse proxy in front of `aimwell serve`, whose X-Forwarded-For and
# X-Forwarded-Proto headers are then believed (the visitor's address feeds the public concern
# form's rate limit); empty: no proxy, and such headers from clients are ignored.
TRUSTED_PROXY = env_str("AIMWELL_TRUSTED_PROXY", "")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
if SECURE_COOKIES:
    # Served over HTTPS: plain HTTP is redirected, and browsers are told to use HTTPS only (HSTS).
    SECURE_SSL_REDIRECT = env_bool("AIMWELL_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("AIMWELL_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("AIMWELL_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("AIMWELL_HSTS_PRELOAD", True)
# Content Security Policy (django-csp): scripts and styles from this site only, no inline scripts
# (templates carry none: behaviour lives in static files). Inline style attributes stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

NINJA_PAGINATION_PER_PAGE = 50

# Background work: a database-backed queue (django-tasks); `aimwell reminders worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Email (reminders, notifications) goes out through the SMTP server named by AIMWELL_SMTP_HOST,
# or to the console without one (see email_settings for the variables).
_email = email_settings()
EMAIL_BACKEND: str = _email["EMAIL_BACKEND"]
EMAIL_HOST: str = _email["EMAIL_HOST"]
EMAIL_PORT: int = _email["EMAIL_PORT"]
EMAIL_HOST_USER: str = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD: str = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS: bool = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL: bool = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT: int = _email["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL: str = from_address()
SERVER_EMAIL: str = from_address()

# Integrations (docs/integrations.md): outbound webhooks and the MLflow registry sync. Their
# secrets (webhook signing secrets, MLflow tokens) are sealed with a key derived from this one
# (default: derived from the audit key). Targets on private, loopback or link-local addresses are
# refused unless AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS is true (an MLflow server inside the
# company network, say).
AIMWELL_INTEGRATIONS_KEY = env_str("AIMWELL_INTEGRATIONS_KEY", "")
AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS = env_bool(
    "AIMWELL_INTEGRATIONS_ALLOW_PRIVATE_TARGETS", False
)
# A token for MLflow servers whose organisation's connection stores none (MLFLOW_TRACKING_TOKEN).
AIMWELL_MLFLOW_TOKEN = env_str("AIMWELL_MLFLOW_TOKEN", "")
AIMWELL_WEBHOOK_TIMEOUT_SECONDS = env_int("AIMWELL_WEBHOOK_TIMEOUT_SECONDS", 10)
# Minutes between two scheduled MLflow registry syncs (`aimwell mlflow schedule`).
AIMWELL_MLFLOW_SYNC_MINUTES = env_int("AIMWELL_MLFLOW_SYNC_MINUTES", 60)
# The address people reach Aimwell at (https://aims.example.com): links in webhook payloads are
# absolute when it is set, paths otherwise.
AIMWELL_BASE_URL = env_str("AIMWELL_BASE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("AIMWELL_LOG_LEVEL", "WARNING")},
}
