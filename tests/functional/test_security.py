"""The security baseline: headers, CSP, CSRF, cookies, caching, body limit, config."""

import re

import pytest

from portal import create_app
from portal.extensions import limiter

PRODUCTION_DB = "postgresql://portal@127.0.0.1:5432/portal"


@pytest.fixture
def production_app(app, monkeypatch):
    """A production portal (its rate limits in the suite's Redis); afterwards the one
    limiter object counts for the test app again, in memory."""
    from tests.support.config import production

    production(monkeypatch, DATABASE_URL=PRODUCTION_DB)
    yield create_app("production")
    limiter.init_app(app)


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_content_security_policy_is_strict(client):
    response = client.get("/")
    csp = csp_directives(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]+'", csp["script-src"])


def test_each_response_has_its_own_nonce(client):
    first = csp_directives(client.get("/"))["script-src"]
    second = csp_directives(client.get("/"))["script-src"]
    assert first != second


def test_each_pages_scripts_carry_its_own_responses_nonce(client):
    """The head is rendered once (templates/layouts/base.html); the nonce is put in on
    each use, so every script tag names the nonce its own response allows."""
    for _ in range(2):
        response = client.get("/sign-in")
        allowed = re.fullmatch(r"'self' 'nonce-([\w-]+)'", csp_directives(response)["script-src"])
        named = re.findall(r'<script [^>]*nonce="([^"]*)"', response.get_data(as_text=True))
        assert named and set(named) == {allowed[1]}


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain http in development


def test_pages_are_never_stored_but_assets_may_be(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"
    assert client.get("/static/no-such-file.css").headers["Cache-Control"] == "no-store"
    css = client.get("/static/govuk/govuk-frontend.min.css")
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("Cache-Control", "")


def test_govuk_assets_are_served_where_the_css_expects_them(client):
    css = client.get("/static/govuk/govuk-frontend.min.css").get_data(as_text=True)
    for path in set(re.findall(r"url\((/assets/[^)]+)\)", css)):
        assert client.get(path).status_code == 200, path


def test_post_without_csrf_token_is_refused_with_a_friendly_page(probe_client):
    response = probe_client.post("/probe/form?lang=cy", data={})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Mae’n ddrwg gennym, mae eich ffurflen wedi dod i ben" in body


def test_post_with_a_forged_csrf_token_is_refused(probe_client):
    response = probe_client.post("/probe/form", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "Sorry, your form has expired" in response.get_data(as_text=True)


def test_post_with_the_page_token_succeeds_and_redirects_with_303(probe_client):
    page = probe_client.get("/probe/form").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = probe_client.post("/probe/form", data={"csrf_token": token})
    assert response.status_code == 303


def test_htmx_post_carries_the_token_in_a_header(probe_client):
    page = probe_client.get("/probe/form").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = probe_client.post("/probe/form", headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = probe_client.post(
        "/probe/form", headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert accepted.status_code == 303


def test_session_cookie_is_http_only_and_lax(probe_client):
    probe_client.get("/probe/form")
    cookie = probe_client.get_cookie("vcs_session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure  # development over http


def test_request_body_limit(probe_client):
    response = probe_client.post("/probe/form", data={"big": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_production_is_https_only(production_app):
    app = production_app
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    client = app.test_client()
    redirected = client.get("/", base_url="http://portal.example")
    assert redirected.status_code == 302
    assert redirected.headers["Location"].startswith("https://")
    response = client.get("/", base_url="https://portal.example")
    assert response.status_code == 200
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_trusts_one_proxy_for_the_scheme_and_client(production_app):
    client = production_app.test_client()
    # The TLS-terminating proxy says the request came in over https.
    response = client.get(
        "/", base_url="http://portal.internal", headers={"X-Forwarded-Proto": "https"}
    )
    assert response.status_code == 200


def test_a_server_started_without_portal_env_is_production(monkeypatch):
    from portal.config import ConfigurationError

    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_without_redis_rate_limits_count_in_process(app):
    from portal.rate_limit_store import InProcessStorage

    with app.app_context():
        assert isinstance(limiter.storage, InProcessStorage)


def test_production_counts_rate_limits_in_redis(production_app):
    from limits.storage import RedisStorage

    assert isinstance(limiter.storage, RedisStorage)
