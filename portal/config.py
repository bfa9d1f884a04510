"""Configuration: a class for each environment, read from the environment at start.

`create_app(config)` takes the name of an environment ("development",
"testing", "production"), optionally with a dict of overrides. Every setting
that differs between machines comes from an environment variable; the README
lists them all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from portal.encryption import DEVELOPMENT_KEY, parse_keys

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production"  # noqa: S105
#: The Redis addresses flask-limiter can use: TCP, TLS, a Unix socket, a cluster or sentinels.
REDIS_URL = re.compile(r"^(redis|rediss|redis\+unix|redis\+cluster|redis\+sentinel)://.+")


def _is_fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


#: The rate limits' store when there is no Redis (portal.rate_limit_store).
IN_PROCESS_STORE = "inprocess://"


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete, so the portal refuses to start."""


class Config:
    """Settings shared by every environment. Safe defaults first."""

    ENV_NAME = "base"
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
    #: Fernet keys for data encrypted at rest, newest first (portal.encryption).
    ENCRYPTION_KEYS = DEVELOPMENT_KEY
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: Mapping[str, Any] = {"pool_pre_ping": True}
    REDIS_URL = ""

    # Languages: English (formatted as en_GB) and Welsh.
    LANGUAGES = ("en", "cy")
    BABEL_DEFAULT_LOCALE = "en_GB"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGE_COOKIE_NAME = "vcs_lang"

    # Requests: a body limit, and the largest form kept in memory.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    MAX_FORM_PARTS = 200

    # Session cookie: HttpOnly and SameSite=Lax always, Secure in production.
    SESSION_COOKIE_NAME = "vcs_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=2)

    # CSRF on every POST, htmx ones included (X-CSRFToken header).
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = int(timedelta(hours=2).total_seconds())
    #: The token and SameSite cookies protect forms; requiring a Referer over
    #: HTTPS would refuse people whose privacy tools remove it.
    WTF_CSRF_SSL_STRICT = False

    # Security headers (flask-talisman): HTTPS and HSTS in production only.
    FORCE_HTTPS = False
    STRICT_TRANSPORT_SECURITY = False

    # Rate limits (flask-limiter): in-process store (portal.rate_limit_store) unless
    # REDIS_URL is set (production requires it, so that every worker and machine counts
    # together).
    RATELIMIT_STORAGE_URI = IN_PROCESS_STORE
    #: If Redis cannot be reached, each process counts on its own until it is
    #: back, rather than every page failing.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_DEFAULT = "300 per minute"
    RATELIMIT_HEADERS_ENABLED = False
    #: Security codes and "carry on" links one network address may ask for.
    REGISTRATION_CODE_LIMIT = "10 per hour"
    #: Sign-in codes one network address may ask for.
    SIGN_IN_CODE_LIMIT = "10 per hour"
    #: Staff sign-in attempts (passwords and second factors) one network address may make;
    #: each account also locks after portal.services.staff_auth.MAX_FAILURES.
    STAFF_SIGN_IN_LIMIT = "30 per 15 minutes"
    #: Minutes without a request before a staff session ends; the pages warn 2 minutes
    #: before (the GOV.UK timeout warning).
    STAFF_IDLE_MINUTES = 30

    #: The retention rule (portal.services.retention, `flask retention apply`): whole years
    #: a case is kept after it was closed, and after a registration was declined, before
    #: everything personal in it is removed. README "Retention" says why 6.
    RETENTION_YEARS_AFTER_CLOSING = 6
    RETENTION_YEARS_AFTER_DECLINING = 6

    SERVICE_PHASE = "beta"
    LOG_JSON = False
    #: How many proxies in front of the portal set X-Forwarded-For/-Proto/-Host.
    TRUSTED_PROXIES = 0

    # Notifications: "development" (the log and instance/outbox/), "notify" or "smtp".
    NOTIFICATIONS_PROVIDER = "development"
    NOTIFICATIONS_OUTBOX_DIR = str(INSTANCE_DIR / "outbox")
    #: Where links in notifications point: the sign-in page of this portal.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    NOTIFY_API_KEY = ""
    NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    NOTIFY_EMAIL_TEMPLATE_ID = ""
    NOTIFY_SMS_TEMPLATE_ID = ""
    NOTIFY_LETTER_TEMPLATE_ID = ""
    NOTIFY_CALLBACK_TOKEN = ""
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_FROM = ""
    SMTP_STARTTLS = True

    @classmethod
    def validate(cls, settings: Mapping[str, Any]) -> None:
        """Refuse to start on an unsafe configuration. Nothing to check by default."""


class DevelopmentConfig(Config):
    """`make run`: the embedded SQLite database and in-process stores."""

    ENV_NAME = "development"
    #: Edits to static/ are served without a restart (portal.static_files).
    STATIC_FILES_RELOAD = True


class TestingConfig(Config):
    """The test suite: the database comes from the test fixtures."""

    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'test.db'}"
    RATELIMIT_DEFAULT = "10000 per minute"
    #: Every browser test signs staff in from 127.0.0.1; tests of the limit set their own.
    STAFF_SIGN_IN_LIMIT = "1000 per 15 minutes"


class ProductionConfig(Config):
    """Production: HTTPS, HSTS, Secure cookies, JSON logs and a real secret."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    FORCE_HTTPS = True
    STRICT_TRANSPORT_SECURITY = True
    LOG_JSON = True
    TRUSTED_PROXIES = 1

    @classmethod
    def validate(cls, settings: Mapping[str, Any]) -> None:
        key = settings.get("SECRET_KEY") or ""
        if key == DEVELOPMENT_SECRET_KEY or len(key) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be a random value of at least 32 characters in "
                "production: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        keys = parse_keys(str(settings.get("ENCRYPTION_KEYS") or ""))
        if not keys or DEVELOPMENT_KEY in keys or not all(map(_is_fernet_key, keys)):
            raise ConfigurationError(
                "ENCRYPTION_KEYS must hold at least one Fernet key of your own in production: "
                "python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            )
        if str(settings.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
            raise ConfigurationError("DATABASE_URL must name a PostgreSQL database in production.")
        if not REDIS_URL.match(str(settings.get("REDIS_URL") or "")):
            raise ConfigurationError(
                "REDIS_URL must name a Redis server in production (redis://host:6379/0): "
                "without it each worker counts rate limits on its own."
            )
        provider = settings.get("NOTIFICATIONS_PROVIDER")
        if provider not in ("notify", "smtp"):
            raise ConfigurationError(
                "NOTIFICATIONS_PROVIDER must be notify or smtp in production: the "
                "development provider writes security codes to the log."
            )
        if provider == "notify":
            missing = [
                name
                for name in (
                    "NOTIFY_API_KEY",
                    "NOTIFY_EMAIL_TEMPLATE_ID",
                    "NOTIFY_SMS_TEMPLATE_ID",
                    "NOTIFY_LETTER_TEMPLATE_ID",
                    "NOTIFY_CALLBACK_TOKEN",
                )
                if not settings.get(name)
            ]
            if missing:
                raise ConfigurationError(f"Notify needs {', '.join(missing)}.")
        if provider == "smtp" and not (settings.get("SMTP_HOST") and settings.get("SMTP_FROM")):
            raise ConfigurationError("SMTP needs SMTP_HOST and SMTP_FROM.")
        if not str(settings.get("PUBLIC_BASE_URL", "")).startswith("https://"):
            raise ConfigurationError("PUBLIC_BASE_URL must be the portal's https:// address.")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

#: Environment variable -> setting it fills.
ENVIRONMENT_SETTINGS = {
    "SECRET_KEY": "SECRET_KEY",
    "ENCRYPTION_KEYS": "ENCRYPTION_KEYS",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "REDIS_URL": "REDIS_URL",
    "RATELIMIT_DEFAULT": "RATELIMIT_DEFAULT",
    "REGISTRATION_CODE_LIMIT": "REGISTRATION_CODE_LIMIT",
    "SIGN_IN_CODE_LIMIT": "SIGN_IN_CODE_LIMIT",
    "STAFF_SIGN_IN_LIMIT": "STAFF_SIGN_IN_LIMIT",
    "STAFF_IDLE_MINUTES": "STAFF_IDLE_MINUTES",
    "SERVICE_PHASE": "SERVICE_PHASE",
    "RETENTION_YEARS_AFTER_CLOSING": "RETENTION_YEARS_AFTER_CLOSING",
    "RETENTION_YEARS_AFTER_DECLINING": "RETENTION_YEARS_AFTER_DECLINING",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "NOTIFICATIONS_PROVIDER": "NOTIFICATIONS_PROVIDER",
    "NOTIFICATIONS_OUTBOX_DIR": "NOTIFICATIONS_OUTBOX_DIR",
    "NOTIFY_API_KEY": "NOTIFY_API_KEY",
    "NOTIFY_BASE_URL": "NOTIFY_BASE_URL",
    "NOTIFY_EMAIL_TEMPLATE_ID": "NOTIFY_EMAIL_TEMPLATE_ID",
    "NOTIFY_SMS_TEMPLATE_ID": "NOTIFY_SMS_TEMPLATE_ID",
    "NOTIFY_LETTER_TEMPLATE_ID": "NOTIFY_LETTER_TEMPLATE_ID",
    "NOTIFY_CALLBACK_TOKEN": "NOTIFY_CALLBACK_TOKEN",
    "SMTP_HOST": "SMTP_HOST",
    "SMTP_PORT": "SMTP_PORT",
    "SMTP_USERNAME": "SMTP_USERNAME",
    "SMTP_PASSWORD": "SMTP_PASSWORD",
    "SMTP_FROM": "SMTP_FROM",
    "SMTP_STARTTLS": "SMTP_STARTTLS",
}


def _normalise_database_url(url: str) -> str:
    """Accept the postgres:// and postgresql:// forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(
    name: str | None = None, overrides: Mapping[str, Any] | None = None
) -> tuple[type[Config], dict[str, Any]]:
    """Build the settings for environment `name` (default: $PORTAL_ENV, else production).

    Production is the default so that a server started without PORTAL_ENV is
    safe or refuses to start; `make run` sets PORTAL_ENV=development.
    """
    name = name or os.environ.get("PORTAL_ENV", "production")
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise ConfigurationError(
            f"Unknown PORTAL_ENV {name!r}: use one of {', '.join(CONFIGS)}"
        ) from None
    settings = {key: getattr(config_class, key) for key in dir(config_class) if key.isupper()}
    if name == "testing":
        # The test suite names its own database; it never touches DATABASE_URL.
        if os.environ.get("PORTAL_TEST_DATABASE_URL"):
            settings["SQLALCHEMY_DATABASE_URI"] = os.environ["PORTAL_TEST_DATABASE_URL"]
        if os.environ.get("NOTIFICATIONS_OUTBOX_DIR"):
            settings["NOTIFICATIONS_OUTBOX_DIR"] = os.environ["NOTIFICATIONS_OUTBOX_DIR"]
    else:
        for variable, key in ENVIRONMENT_SETTINGS.items():
            if os.environ.get(variable):
                settings[key] = os.environ[variable]
    settings.update(overrides or {})
    try:
        settings["STAFF_IDLE_MINUTES"] = int(settings["STAFF_IDLE_MINUTES"])
    except ValueError:
        raise ConfigurationError("STAFF_IDLE_MINUTES must be a whole number of minutes") from None
    if not 5 <= settings["STAFF_IDLE_MINUTES"] <= 60:
        raise ConfigurationError("STAFF_IDLE_MINUTES must be from 5 to 60")
    for key in ("RETENTION_YEARS_AFTER_CLOSING", "RETENTION_YEARS_AFTER_DECLINING"):
        try:
            settings[key] = int(settings[key])
        except ValueError:
            raise ConfigurationError(f"{key} must be a whole number of years") from None
        if not 1 <= settings[key] <= 100:
            raise ConfigurationError(f"{key} must be from 1 to 100 years")
    if isinstance(settings.get("SMTP_STARTTLS"), str):
        settings["SMTP_STARTTLS"] = settings["SMTP_STARTTLS"].lower() not in ("0", "false", "no")
    settings["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(
        settings["SQLALCHEMY_DATABASE_URI"]
    )
    if settings.get("REDIS_URL") and settings["RATELIMIT_STORAGE_URI"] == IN_PROCESS_STORE:
        settings["RATELIMIT_STORAGE_URI"] = settings["REDIS_URL"]
    config_class.validate(settings)
    return config_class, settings
