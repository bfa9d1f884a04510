"""The layout's parts rendered once and reused (portal/rendering.py, `cached`) never show
one person what belongs to another: their own CSRF token in the sign-out form, their own
count of unread replies, the page they are on marked, their language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.support.conversations import english_conversation, welsh_conversation
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database


def page(client, address: str) -> BeautifulSoup:
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def navigation(soup: BeautifulSoup):
    return soup.select_one(".govuk-service-navigation")


def sign_out_token(soup: BeautifulSoup) -> str:
    field = navigation(soup).select_one("form.app-sign-out-form input[name=csrf_token]")
    return field["value"]


def test_each_victim_gets_their_own_token_and_count(app, db_session):
    welsh, english = app.test_client(), app.test_client()
    signed_in(welsh, welsh_conversation(app).email)
    signed_in(english, english_conversation(app).email)
    for _ in range(2):  # the second time, from the cache
        mine = page(welsh, "/account?lang=en")
        theirs = page(english, "/account?lang=en")
        meta = mine.select_one("meta[name=csrf-token]")["content"]
        assert sign_out_token(mine) == meta
        assert sign_out_token(theirs) == theirs.select_one("meta[name=csrf-token]")["content"]
        assert sign_out_token(mine) != sign_out_token(theirs)
        assert "\x00" not in str(mine) and "\x00" not in str(theirs)
        assert "1 new reply" in navigation(mine).get_text()
        assert "new repl" not in navigation(theirs).get_text()


def test_the_current_page_and_the_language_are_marked(app, db_session):
    victim = app.test_client()
    made = english_conversation(app)
    signed_in(victim, made.email)
    for _ in range(2):
        home = navigation(page(victim, "/account?lang=en"))
        messages = navigation(page(victim, f"/account/cases/{made.reference}/messages"))
        current = home.select_one("[aria-current]").get_text(strip=True)
        assert current == "Your case"
        assert messages.select_one("[aria-current]").get_text(strip=True).startswith("Messages")
        welsh = page(victim, "/account?lang=cy")
        assert navigation(welsh).select_one("[aria-current]").get_text(strip=True) == "Eich achos"
        assert "Neidio i’r prif gynnwys" in welsh.select_one(".govuk-skip-link").get_text()
        public = page(app.test_client(), "/?lang=en")
        assert navigation(public).select_one("form") is None  # no sign-out for nobody


def test_each_officer_gets_their_own_token(app, db_session):
    first, second = app.test_client(), app.test_client()
    signed_in_officer(first)
    signed_in_officer(second)
    tokens = []
    for client in (first, second, first):
        soup = page(client, "/staff")
        token = sign_out_token(soup)
        assert token == soup.select_one("meta[name=csrf-token]")["content"]
        tokens.append(token)
    assert tokens[0] != tokens[1]
    response = second.post("/staff/sign-out", data={"csrf_token": tokens[1]})
    assert response.status_code == 303
