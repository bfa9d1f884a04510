"""Walking the registration journey over HTTP, shared by the registration tests."""

from __future__ import annotations

from sqlalchemy import select

from portal.models import OutboxNotification

#: A complete set of answers, one form post a question, in the order asked.
VICTIM_ANSWERS = {
    "who": {"registering_as": "self"},
    "victim-name": {"victim_name": "Siân Ŵyn Jones"},
    "date-of-birth": {"day": "7", "month": "3", "year": "1985"},
    "contact": {
        "ways": ["email", "letter"],
        "email": "sian@example.com",
        "address_line_1": "1 Heol y Frenhines",
        "town": "Caerdydd",
        "postcode": "cf10 1aa",
    },
    "safe-contact": {"safe": ["email", "letter"]},
    "letters": {"envelope_name_to_avoid": ""},
    "language": {"language": "cy"},
    "accessibility": {"accessibility_needs": ["large-print"]},
    "offender": {"offender_name": "Dafydd Rhys"},
    "offence": {"offence_type": "violent"},
    "court": {"court": "cardiff"},
    "sentenced": {"month": "4", "year": "2024"},
    "sentence": {"sentence": "8 years", "external_reference": "CF/1234"},
    "updates": {"updates_wanted": "every_stage"},
}


def csrf(page) -> str:
    """The form's token, or the page's (every page has one for htmx)."""
    field = page.find("input", attrs={"name": "csrf_token"})
    return field["value"] if field else page.find("meta", attrs={"name": "csrf-token"})["content"]


def post(pages, url: str, data: dict, status: int = 200, page_url: str | None = None, **kwargs):
    """Post a form the way a browser does: fetch the page for its token, post, follow."""
    page = pages.get(page_url or url)
    return pages.post(
        url, data={**data, "csrf_token": csrf(page)}, follow_redirects=True, status=status, **kwargs
    )


def begin(pages, language: str = "en"):
    page = pages.get(f"/register?lang={language}")
    return pages.post("/register/start", data={"csrf_token": csrf(page)}, follow_redirects=True)


def answer_all(pages, answers: dict = VICTIM_ANSWERS):
    page = None
    for slug, data in answers.items():
        page = post(pages, f"/register/{slug}", data)
    return page


def latest_code(db_session, destination: str) -> str:
    notification = db_session.scalars(
        select(OutboxNotification)
        .where(
            OutboxNotification.recipient == destination,
            OutboxNotification.template_key == "sign_in_code",
        )
        .order_by(OutboxNotification.created_at.desc())
    ).first()
    return notification.personalisation["code"]


def verify(pages, db_session, way: str = "email", destination: str = "sian@example.com"):
    post(pages, "/register/verify", {"way": way})
    return post(pages, "/register/security-code", {"code": latest_code(db_session, destination)})


def register(pages, db_session, answers: dict = VICTIM_ANSWERS, language: str = "en"):
    """The whole journey; returns the confirmation page."""
    begin(pages, language)
    answer_all(pages, answers)
    post(pages, "/register/check-answers", {})
    verify(pages, db_session)
    return post(pages, "/register/declaration", {"agree": "y"})
