"""A production environment that passes every check, for tests to change one setting of."""

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "s" * 64,
    "ENCRYPTION_KEYS": "c2VjcmV0LWtleS1mb3ItdGhlLXByb2R1Y3Rpb24tdGU=",
    "DATABASE_URL": "postgresql://u@db/portal",
    "NOTIFICATIONS_PROVIDER": "smtp",
    "SMTP_HOST": "smtp.example.gov.uk",
    "SMTP_FROM": "no-reply@example.gov.uk",
    "PUBLIC_BASE_URL": "https://victim-contact.example.gov.uk",
    # The test suite's own Redis database (tests/functional/test_rate_limits.py flushes it).
    "REDIS_URL": "redis://127.0.0.1:6379/11",
}


def production(monkeypatch, **changes):
    for variable, value in {**PRODUCTION_ENVIRONMENT, **changes}.items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
