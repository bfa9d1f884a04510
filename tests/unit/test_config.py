"""Configuration is read from the environment, and production refuses unsafe settings."""

import pytest

from portal.config import ConfigurationError, load_settings
from tests.support.config import production


def test_development_defaults_to_the_embedded_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    _, settings = load_settings("development")
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["RATELIMIT_STORAGE_URI"] == "inprocess://"
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_variables_fill_the_settings(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/portal")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    _, settings = load_settings("development")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/portal"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_tests_never_use_the_real_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/live")
    monkeypatch.delenv("PORTAL_TEST_DATABASE_URL", raising=False)
    _, settings = load_settings("testing")
    assert "live" not in settings["SQLALCHEMY_DATABASE_URI"]


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigurationError, match="PORTAL_ENV"):
        load_settings("staging")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "development-only-secret-key-not-for-production"}, "SECRET_KEY"),
        ({"ENCRYPTION_KEYS": None}, "ENCRYPTION_KEYS"),
        ({"ENCRYPTION_KEYS": "not-a-fernet-key"}, "ENCRYPTION_KEYS"),
        ({"ENCRYPTION_KEYS": "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci11c2U="}, "ENCRYPTION_KEYS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"NOTIFICATIONS_PROVIDER": None}, "NOTIFICATIONS_PROVIDER"),
        ({"NOTIFICATIONS_PROVIDER": "development"}, "NOTIFICATIONS_PROVIDER"),
        ({"NOTIFICATIONS_PROVIDER": "notify"}, "NOTIFY_API_KEY"),
        ({"SMTP_HOST": None}, "SMTP_HOST"),
        ({"PUBLIC_BASE_URL": "http://insecure.example"}, "PUBLIC_BASE_URL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"REDIS_URL": "memory://"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://"}, "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_when_unsafe(monkeypatch, changes, message):
    production(monkeypatch, **changes)
    with pytest.raises(ConfigurationError, match=message):
        load_settings("production")


def test_production_with_notify(monkeypatch):
    production(
        monkeypatch,
        NOTIFICATIONS_PROVIDER="notify",
        NOTIFY_API_KEY="key",
        NOTIFY_EMAIL_TEMPLATE_ID="e",
        NOTIFY_SMS_TEMPLATE_ID="s",
        NOTIFY_LETTER_TEMPLATE_ID="l",
        NOTIFY_CALLBACK_TOKEN="t" * 40,
    )
    _, settings = load_settings("production")
    assert settings["NOTIFICATIONS_PROVIDER"] == "notify"


def test_production_settings_are_strict(monkeypatch):
    production(monkeypatch)
    config_class, settings = load_settings("production")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["FORCE_HTTPS"] is True
    assert settings["STRICT_TRANSPORT_SECURITY"] is True
    assert settings["LOG_JSON"] is True
    assert config_class.ENV_NAME == "production"


def test_production_counts_rate_limits_in_redis(monkeypatch):
    production(monkeypatch, REDIS_URL="rediss://limits.internal:6380/2")
    _, settings = load_settings("production")
    assert settings["RATELIMIT_STORAGE_URI"] == "rediss://limits.internal:6380/2"
    # Redis out of reach: each worker counts on its own rather than failing every page.
    assert settings["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_the_staff_idle_limit_is_minutes_from_the_environment(monkeypatch):
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "20")
    _, settings = load_settings("development")
    assert settings["STAFF_IDLE_MINUTES"] == 20
    monkeypatch.delenv("STAFF_IDLE_MINUTES")
    assert load_settings("development")[1]["STAFF_IDLE_MINUTES"] == 30


@pytest.mark.parametrize("minutes", ["thirty", "1", "4", "61"])
def test_a_staff_idle_limit_the_warning_cannot_serve_is_refused(monkeypatch, minutes):
    """The timeout warning shows 2 minutes before: the limit is 5 to 60 minutes."""
    monkeypatch.setenv("STAFF_IDLE_MINUTES", minutes)
    with pytest.raises(ConfigurationError, match="STAFF_IDLE_MINUTES"):
        load_settings("development")
