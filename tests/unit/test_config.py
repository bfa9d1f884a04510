"""Configuration is read from the environment, and production refuses unsafe settings."""

import pytest

from portal.config import ConfigurationError, load_settings


def test_development_defaults_to_the_embedded_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    _, settings = load_settings("development")
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
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


def test_production_settings_are_strict(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/portal")
    config_class, settings = load_settings("production")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["FORCE_HTTPS"] is True
    assert settings["STRICT_TRANSPORT_SECURITY"] is True
    assert settings["LOG_JSON"] is True
    assert config_class.ENV_NAME == "production"
