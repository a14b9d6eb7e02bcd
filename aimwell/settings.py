"""Django settings for Aimwell, read only from environment variables (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from aimwell.config import env_bool, env_int, env_list, env_secret, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
load_env_file(Path(env_str("AIMWELL_ENV_FILE", str(BASE_DIR / ".env"))))

SECRET_KEY = env_secret("AIMWELL_SECRET_KEY")
# A separate key for the audit trail's MACs: rotating the session key must not break the chain.
AIMWELL_AUDIT_KEY = env_secret("AIMWELL_AUDIT_KEY")
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
    "aimwell.core",
    "aimwell.accounts",
    "aimwell.catalog",
    "aimwell.inventory",
    "aimwell.context",
    "aimwell.documents",
    "aimwell.evidence",
    "aimwell.risks",
    "aimwell.controls",
    "aimwell.operations",
    "aimwell.monitoring",
    "aimwell.certification",
    "aimwell.transparency",
    "aimwell.reports",
    "aimwell.interchange",
    "aimwell.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aimwell.accounts.middleware.CurrentOrganisationMiddleware",
    "aimwell.certification.middleware.GuestScopeMiddleware",
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
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

NINJA_PAGINATION_PER_PAGE = 50

# Background work: a database-backed queue (django-tasks); `aimwell reminders worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Email goes to the console unless a real backend is configured.
EMAIL_BACKEND = env_str("AIMWELL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("AIMWELL_FROM_EMAIL", "aimwell@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("AIMWELL_LOG_LEVEL", "WARNING")},
}
