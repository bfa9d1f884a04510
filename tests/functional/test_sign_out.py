"""Signing out is a POST with the CSRF token, so another site cannot sign a victim out.

A GET of /sign-out (a bookmark, an old link, another site's link or image) signs
nobody out: it shows the Sign out button.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import AuditEvent, VictimSession
from tests.support.registration_steps import csrf
from tests.support.victim_state import signed_in_victim


def still_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def live_sessions(app_db) -> list[VictimSession]:
    app_db.expire_all()
    return app_db.scalars(select(VictimSession).filter_by(ended_at=None)).all()


def test_a_get_does_not_sign_out_but_shows_the_button(pages, app_db):
    signed_in_victim(pages.client)
    page = pages.get("/sign-out")
    assert page.find("h1").get_text(strip=True) == "Sign out"
    form = page.find("main").find("form")
    assert (form["method"], form["action"]) == ("post", "/sign-out")
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert form.find("button").get_text(strip=True) == "Sign out"
    assert still_signed_in(pages.client)
    assert len(live_sessions(app_db)) == 1
    assert not app_db.scalars(select(AuditEvent).filter_by(action="victim signed out")).all()


def test_another_sites_link_or_image_signs_nobody_out(client, app_db):
    signed_in_victim(client)
    headers = {"Sec-Fetch-Site": "cross-site", "Referer": "https://elsewhere.example/"}
    response = client.get("/sign-out", headers=headers)
    assert response.status_code == 200
    assert still_signed_in(client)
    assert len(live_sessions(app_db)) == 1


@pytest.mark.parametrize(
    "token",
    [None, "forged", "from-another-session"],
    ids=["no-token", "forged-token", "another-sessions-token"],
)
def test_a_post_without_this_sessions_token_is_refused(app, pages, app_db, token):
    """What another site's form could send: no token, a made-up one, or its own."""
    if token == "from-another-session":
        stranger = app.test_client()
        token = csrf(pages.check(stranger.get("/sign-in"), 200))
    signed_in_victim(pages.client)
    data = {} if token is None else {"csrf_token": token}
    page = pages.post("/sign-out", data=data, status=400)
    assert page.find("h1").get_text(strip=True) == "Sorry, your form has expired"
    assert still_signed_in(pages.client)
    assert len(live_sessions(app_db)) == 1


def test_the_button_signs_out_and_says_so(pages, app_db):
    signed_in_victim(pages.client)
    token = csrf(pages.get("/account"))
    response = pages.client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/signed-out"
    page = pages.get("/signed-out")
    assert page.find("h1").get_text(strip=True) == "You have signed out"
    assert not still_signed_in(pages.client)
    assert live_sessions(app_db) == []


@pytest.mark.parametrize(
    ("language", "button"), [("en", "Sign out"), ("cy", "Allgofnodi")], ids=["en", "cy"]
)
def test_every_signed_in_page_has_the_sign_out_button_in_its_navigation(pages, language, button):
    signed_in_victim(pages.client)
    for url in ("/account", "/information/staying-safe-online", "/regions", "/sign-out"):
        page = pages.get(f"{url}?lang={language}")
        navigation = page.find(class_="govuk-service-navigation__list")
        form = navigation.find("form")
        assert (form["method"], form["action"]) == ("post", "/sign-out"), url
        assert form.find("input", attrs={"name": "csrf_token"})["value"] == csrf(page)
        assert form.find("button", type="submit").get_text(strip=True) == button
        assert not navigation.find("a", href="/sign-out"), "no link that signs out"


def test_the_signed_out_page_is_not_shown_to_someone_still_signed_in(client):
    signed_in_victim(client)
    response = client.get("/signed-out")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-out"
    assert still_signed_in(client)


def test_a_get_when_not_signed_in_says_you_are_signed_out(pages):
    response = pages.client.get("/sign-out")
    assert response.status_code == 303
    assert response.headers["Location"] == "/signed-out"


def test_another_method_gets_the_friendly_405_page(pages):
    page = pages.check(pages.client.put("/sign-out"), 405)
    assert page.find("h1").get_text(strip=True) == "Sorry, that did not work"
