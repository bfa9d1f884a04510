"""Every route of a victim's pages, tried by someone acting for them without the permission
it needs: an access matrix generated from the URL map (as tests/functional/
test_staff_access.py is for the console).

`portal/account/permissions.py` ROUTES names what each route needs; a route missing from
it fails the first test. For each route and method, a representative given everything
else that can be given gets the kind 403 page, and nothing is written; one given that
permission is not refused.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.account.permissions import ROUTES
from portal.domain.representatives import DELEGABLE
from portal.models import AuditEvent, Message, Permission, TimelineEvent, VictimRequest
from tests.support.representatives import represented
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

#: What to put in each part of an address (the rest come from the records built).
VALUES = {"kind_slug": "licence-conditions", "slug": "no-contact", "way": "email"}


def account_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("account.")]


def test_every_account_route_says_what_it_needs(app):
    missing = sorted({rule.endpoint for rule in account_rules(app)} - set(ROUTES))
    assert not missing, f"add these to portal/account/permissions.py ROUTES: {missing}"
    gone = sorted(set(ROUTES) - {rule.endpoint for rule in account_rules(app)})
    assert not gone, f"these are in ROUTES but are no routes: {gone}"


def cases():
    """(endpoint, method) for every route that needs a permission."""
    from portal import create_app

    app = create_app("testing")
    return sorted(
        (rule.endpoint, method)
        for rule in account_rules(app)
        for method in sorted(rule.methods & {"GET", "POST"})
        if ROUTES.get(rule.endpoint) is not None
    )


def address(app, built, endpoint: str) -> str:
    rule = next(rule for rule in account_rules(app) if rule.endpoint == endpoint)
    values = {
        "reference": built.reference,
        "request_id": built.request_id,
        "detail_id": built.email_id,
        "representative_id": built.representative_id,
        **VALUES,
    }
    adapter = app.url_map.bind("localhost")
    return adapter.build(endpoint, {name: values[name] for name in rule.arguments})


def written(app_db) -> tuple[int, ...]:
    return tuple(
        app_db.scalar(select(func.count()).select_from(model))
        for model in (AuditEvent, Message, TimelineEvent, VictimRequest)
    )


def token(client) -> str:
    page = BeautifulSoup(client.get("/account").get_data(as_text=True), "html.parser")
    return page.find("meta", attrs={"name": "csrf-token"})["content"]


@pytest.mark.parametrize(("endpoint", "method"), cases())
def test_a_representative_without_the_permission_is_refused(app, client, app_db, endpoint, method):
    needed = ROUTES[endpoint]
    given = [p for p in DELEGABLE if p != needed]
    built = represented(app, permissions=given)
    signed_in(client, built.rep_email)
    url = address(app, built, endpoint)
    csrf = token(client)
    before = written(app_db)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf, "body": "x", "code": "123456"})
    assert response.status_code == 403, (url, response.status_code)
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("h1").get_text(strip=True) == "You cannot do this"
    assert page.find("a", href="/account")
    app_db.expire_all()
    after = written(app_db)
    # Only the request's own sign-in (none here) may be audited: nothing else is written.
    assert after == before, url


@pytest.mark.parametrize(
    "endpoint",
    sorted(
        {
            endpoint
            for endpoint, method in cases()
            if method == "GET" and ROUTES[endpoint] in DELEGABLE
        }
    ),
)
def test_a_representative_with_the_permission_is_not_refused(app, client, endpoint):
    built = represented(app, permissions=[ROUTES[endpoint]])
    signed_in(client, built.rep_email)
    response = client.get(address(app, built, endpoint))
    assert response.status_code != 403, endpoint


def test_the_victim_themselves_is_refused_nothing(app, client):
    built = represented(app, permissions=[Permission.MESSAGES])
    signed_in(client, built.victim_email)
    for endpoint, method in cases():
        if method == "GET":
            assert client.get(address(app, built, endpoint)).status_code != 403, endpoint
