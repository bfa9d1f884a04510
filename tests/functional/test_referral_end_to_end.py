"""A referral entered by an officer lets the victim sign in and see the case, in Welsh.

Everything goes through the real pages and the real notifications worker: the officer
signs in with their authenticator app and adds the referral on the Welsh console; the
worker welcomes the victim in Welsh; the victim asks for a code on the Welsh sign-in
page, reads it from the message the worker sends, enters it, and sees the case.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, OfficerRole, Region
from tests.functional.test_referrals import GOOD, page_of, send, with_changes
from tests.support.delivery import deliver
from tests.support.pages import PageClient
from tests.support.sign_in_steps import ask_for_code, enter_code
from tests.support.staff_state import officer_with_app, sign_in_through_the_pages

pytestmark = pytest.mark.database

EMAIL = GOOD["email"]
MOBILE, MOBILE_STORED = "07700 900654", "+447700900654"
CODE = re.compile(r"\b(\d{6})\b")


def code_sent_to(app, app_db, recipient: str) -> str:
    """The code in the message the worker really sends to `recipient` (and nothing else)."""
    [sent] = [outgoing for outgoing in deliver(app, app_db) if outgoing.recipient == recipient]
    assert sent.rendered.body.startswith("Eich cod diogelwch yw"), "the code comes in Welsh"
    return CODE.search(sent.rendered.body).group(1)


def main_text(page) -> str:
    return " ".join(page.find("main").get_text(" ").split())


@pytest.mark.parametrize(("typed", "recipient"), [(EMAIL, EMAIL), (MOBILE, MOBILE_STORED)])
def test_a_referred_victim_signs_in_and_sees_their_case_in_welsh(
    app, client, app_db, typed, recipient
):
    # An officer of the Wales unit signs in through the pages and works in Welsh.
    with app.app_context():
        wales_id = db.session.scalar(select(Region.id).filter_by(code="wales"))
    officer_id, email = officer_with_app(
        app,
        region_id=wales_id,
        speaks_welsh=True,
        full_name="Alys Swyddog",
        role=OfficerRole.VLO,
    )
    sign_in_through_the_pages(client, email)
    form = page_of(client.get("/staff/referrals/new?lang=cy"))
    assert form.find("h1").get_text(strip=True) == "Ychwanegu atgyfeiriad gan yr heddlu"
    response = send(
        client,
        with_changes(
            mobile=MOBILE, mobile_safe="yes", when="between", safe_from="08:00", safe_until="20:00"
        ),
    )
    assert response.status_code == 303
    home = page_of(client.get(response.headers["Location"]))
    case = app_db.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case.officer_id == officer_id and case.region_id == wales_id
    banner = " ".join(home.find(class_="govuk-notification-banner").get_text().split())
    assert f"Mae’r atgyfeiriad wedi’i ychwanegu. Ei gyfeirnod yw {case.reference}." in banner
    assert "Bydd yn Gymraeg." in banner

    # The worker welcomes the victim, in Welsh, by email (the first safe channel).
    [welcome] = deliver(app, app_db)
    assert (welcome.channel, welcome.recipient) == ("email", EMAIL)
    assert "Gallwch chi fewngofnodi gyda’r cyfeiriad e-bost hwn" in welcome.rendered.body
    sign_in_url = welcome.rendered.body.strip().splitlines()[-1]
    # A Welsh reader's link opens the sign-in page in Welsh, whatever their browser's language.
    assert sign_in_url.endswith("/sign-in?lang=cy")

    # The victim follows the link, on a device of their own, and signs in with the detail.
    victim = PageClient(app.test_client())
    victim.get(sign_in_url[sign_in_url.index("/sign-in") :])
    page = ask_for_code(victim, typed)
    assert page.response.request.path == "/sign-in/security-code"
    page = enter_code(victim, code_sent_to(app, app_db, recipient))
    assert page.response.request.path == "/account"
    assert page.find("html")["lang"] == "cy"
    assert page.title.get_text(strip=True) == "Eich achos – Cynllun Cyswllt â Dioddefwyr – GOV.UK"
    text = main_text(page)
    assert case.reference in text
    assert "Alys Swyddog" in text, "their officer is the one who entered the referral"
    assert "Uned Cyswllt Dioddefwyr Cymru" in text
    assert (
        "Gwnaeth Uned Gofal Tystion yr heddlu eich atgyfeirio at y Cynllun Cyswllt â "
        "Dioddefwyr. Bydd eich Swyddog Cyswllt Dioddefwyr yn cysylltu â chi o fewn 20 diwrnod "
        "gwaith."
    ) in text
