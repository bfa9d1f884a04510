"""Exit this page goes through the portal: it ends a signed-in session, forgets the
cookie, and only then sends the person to a neutral site, with or without JavaScript
(GOV.UK's script follows the button's href)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import AuditEvent, VictimSession
from tests.support.registration_state import registration_in_progress
from tests.support.victim_state import signed_in_victim

EXIT = "/exit-this-page"
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def test_exit_ends_the_session_and_the_old_cookie_no_longer_opens_the_case(client, app_db):
    signed_in_victim(client)
    assert client.get("/account").status_code == 200
    with client.session_transaction() as cookie:
        old_cookie = dict(cookie)

    response = client.get(EXIT, headers={"Sec-Fetch-Site": "same-origin"})

    assert response.status_code == 303
    assert response.headers["Location"] == NEUTRAL_SITE
    assert "no-store" in response.headers["Cache-Control"]
    # The cookie is deleted in the browser...
    assert client.get_cookie("vcs_session") is None
    assert client.get("/account").headers["Location"] == "/sign-in"
    # ...and a copy of it, from before (Back, history, someone who kept it), is worth nothing.
    with client.session_transaction() as cookie:
        cookie.update(old_cookie)
    assert client.get("/account").headers["Location"] == "/sign-in"
    app_db.expire_all()
    (record,) = app_db.scalars(select(VictimSession)).all()
    assert record.ended_at is not None
    assert app_db.scalars(select(AuditEvent).filter_by(action="victim signed out")).one()


def test_exit_without_javascript_from_an_old_browser_ends_the_session_too(client, app_db):
    """A plain link followed by a browser that sends no Sec-Fetch-Site header."""
    signed_in_victim(client)
    assert client.get(EXIT).headers["Location"] == NEUTRAL_SITE
    assert client.get("/account").headers["Location"] == "/sign-in"


def test_exit_forgets_a_registration_in_progress_on_this_device(client):
    registration_in_progress(client)
    assert client.get("/register/check-answers").status_code == 200
    client.get(EXIT)
    assert client.get_cookie("vcs_session") is None
    assert client.get("/register/check-answers").status_code != 200


def test_exit_when_not_signed_in_just_leaves(client):
    response = client.get(EXIT)
    assert response.status_code == 303
    assert response.headers["Location"] == NEUTRAL_SITE


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site"])
def test_another_sites_link_to_exit_signs_nobody_out(client, app_db, fetch_site):
    """A GET that signs out could be forged by another site's link: that one only leaves."""
    signed_in_victim(client)
    response = client.get(EXIT, headers={"Sec-Fetch-Site": fetch_site})
    assert response.headers["Location"] == NEUTRAL_SITE
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    "url", ["/", "/account", "/sign-out", "/information/staying-safe-online", "/no-such-page"]
)
def test_every_victim_page_points_exit_this_page_at_the_portal(pages, url):
    signed_in_victim(pages.client)
    page = pages.get(url, status=404 if url == "/no-such-page" else 200)
    button = page.select_one(".govuk-exit-this-page a")
    assert button["href"] == EXIT


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "en",
            "If you have signed in to see your case, the ‘Exit this page’ button also signs "
            "you out.",
        ),
        (
            "cy",
            "Os ydych chi wedi mewngofnodi i weld eich achos, bydd y botwm ‘Gadael y dudalen "
            "hon’ hefyd yn eich allgofnodi.",
        ),
    ],
)
def test_the_staying_safe_page_says_exit_signs_you_out(pages, language, says):
    page = pages.get(f"/information/staying-safe-online?lang={language}")
    assert says in page.find("main").get_text(" ", strip=True)
