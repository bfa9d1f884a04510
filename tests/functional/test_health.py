"""GET /healthz says whether the database is reachable."""

import pytest

from portal import create_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "reachable"}


@pytest.mark.database
def test_database_unreachable_is_503(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'portal.db'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": unreachable})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.database
def test_postgresql_unreachable_is_503():
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:9/nothing?connect_timeout=2"},
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
