"""Triage of a registration: accept, decline, move to another region, join to an existing
case. Each is one transaction with its own audit event; the victim is told in their
language, on a safe channel only; deciding twice changes nothing and tells nobody twice;
anything forged is a form error or a 404, never a 500."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.access import UNMATCHED_STAFF_REQUEST
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    DeclineReason,
    Language,
    OfficerRole,
    OutboxNotification,
    TimelineEvent,
    TimelineEventKind,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    RegionFactory,
    VictimFactory,
)
from tests.support.queries import queries
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer
from tests.support.triage import add_registration

pytestmark = pytest.mark.database


@dataclass(frozen=True)
class Unit:
    region_id: int
    other_region_id: int
    officer_id: int  # the signed-in VLO
    colleague_id: int  # another VLO of the region, who speaks Welsh
    colleague_name: str
    other_unit_cy: str
    other_unit_en: str


@pytest.fixture
def unit(app, client) -> Unit:
    with app.app_context():
        region, other = RegionFactory(), RegionFactory()
        colleague = OfficerFactory(region=region, speaks_welsh=True, full_name="Rhys Colleague")
        db.session.commit()
        ids = (region.id, other.id, colleague.id, colleague.full_name)
        units = (other.unit_name_cy, other.unit_name_en)
    officer_id = signed_in_officer(client, region_id=ids[0], full_name="Anna Officer")
    return Unit(ids[0], ids[1], officer_id, ids[2], ids[3], *units)


def registration(app, region_id, **kwargs):
    with app.app_context():
        made = add_registration(db.session, region_id=region_id, **kwargs)
        db.session.commit()
        return made


def token(client, url: str = "/staff") -> str:
    return csrf(BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser"))


def send(client, url: str, data: dict, page_url: str | None = None):
    return client.post(url, data={**data, "csrf_token": token(client, page_url or "/staff")})


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def errors(response) -> list[str]:
    summary = soup(response).find(class_="govuk-error-summary")
    return [li.get_text(strip=True) for li in summary.find_all("li")] if summary else []


def triage_url(case_id: int, step: str = "") -> str:
    return f"/staff/cases/{case_id}/triage" + (f"/{step}" if step else "")


def audit(app_db, action: str) -> list[AuditEvent]:
    return app_db.scalars(select(AuditEvent).filter_by(action=action)).all()


def outbox(app_db, victim_id: int) -> list[OutboxNotification]:
    return app_db.scalars(select(OutboxNotification).filter_by(victim_id=victim_id)).all()


# --- the triage page --------------------------------------------------------------------


def test_the_triage_page_shows_what_the_victim_told_us(app, pages, unit):
    made = registration(app, unit.region_id, language=Language.WELSH)
    page = pages.get(triage_url(made.case_id))
    assert page.find("h1").get_text(strip=True) == "Triage this registration"
    text = page.get_text(" ", strip=True)
    for shown in (
        made.reference,
        made.victim_name,
        made.email,
        "Welsh (Cymraeg)",
        "Large print",
        "Offender Waiting For Triage",
        "Cardiff Crown Court",
        "April 2024",
        "8 years",
        "Every key stage",
        "The victim",
    ):
        assert shown in text, shown
    contacts = page.find_all(class_="app-contact-detail")
    assert (
        "Safe to use" in contacts[0].get_text() and "Proved with a code" in contacts[0].get_text()
    )
    assert "Not safe: we will not use it" in contacts[1].get_text()
    assert "Reads Welsh" in page.find(id="victim-language").get_text()
    decisions = [i["value"] for i in page.select("input[name=decision]")]
    assert decisions == ["accept", "decline", "transfer", "link"]


def test_choosing_a_decision_leads_to_its_page(app, client, unit):
    made = registration(app, unit.region_id)
    for decision in ("accept", "decline", "transfer", "link"):
        response = send(client, triage_url(made.case_id), {"decision": decision})
        assert response.status_code == 303
        assert response.headers["Location"] == triage_url(made.case_id, decision)
        assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("decision", [None, "", "merge", "accept "])
def test_no_or_a_forged_decision_is_an_error(app, client, unit, decision):
    made = registration(app, unit.region_id)
    data = {} if decision is None else {"decision": decision}
    response = send(client, triage_url(made.case_id), data)
    assert response.status_code == 200
    assert errors(response) == ["Select what to do with this registration"]
    assert soup(response).title.get_text().startswith("Error: ")


def test_another_regions_registration_is_not_found(app, client, unit):
    made = registration(app, unit.other_region_id)
    for step in ("", "accept", "decline", "transfer", "link"):
        assert client.get(triage_url(made.case_id, step)).status_code == 404
    response = send(client, triage_url(made.case_id, "accept"), {"officer": unit.officer_id})
    assert response.status_code == 404
    response = send(client, triage_url(made.case_id, "decline"), {"reason": "other", "note": "x"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Case, made.case_id).status == CaseStatus.TRIAGE


def test_a_case_that_does_not_exist_is_not_found_and_the_attempt_is_audited(client, app_db, unit):
    assert client.get(triage_url(999_999)).status_code == 404
    (event,) = audit(app_db, "GET staff.triage")
    assert event.case_id is None  # no such case to point at
    assert event.detail == {"status": 404, "allowed": True, "case_id": 999_999}


def test_a_case_number_too_big_for_the_database_is_not_found(client, app_db, unit):
    too_big = 2**31
    assert client.get(triage_url(too_big)).status_code == 404
    assert send(client, triage_url(too_big, "accept"), {"officer": "1"}).status_code == 404
    # Beyond any id, the address matches no page at all: audited as such, with no case.
    events = audit(app_db, UNMATCHED_STAFF_REQUEST)
    assert [(e.detail["method"], e.case_id) for e in events] == [("GET", None), ("POST", None)]


def test_a_case_not_in_triage_is_refused_kindly(app, client, pages, unit):
    with app.app_context():
        case = CaseFactory(status=CaseStatus.ACTIVE, region_id=unit.region_id)
        db.session.commit()
        case_id = case.id
    page = pages.get(triage_url(case_id))
    assert page.find("h1").get_text(strip=True) == "This registration has already been triaged"
    assert page.find(id="status-now").get_text(strip=True) == "It is now: Active."
    response = send(client, triage_url(case_id, "decline"), {"reason": "other", "note": "No."})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Case, case_id).status == CaseStatus.ACTIVE


def test_the_triage_pages_queries_do_not_grow_with_the_contact_details(app, client, unit):
    made = registration(app, unit.region_id)
    few = queries(app, lambda: client.get(triage_url(made.case_id)))
    with app.app_context():
        case = db.session.get(Case, made.case_id)
        for n in range(10):
            ContactPreferenceFactory(victim=case.victim, value=f"more{n}@example.com")
        db.session.commit()
    assert queries(app, lambda: client.get(triage_url(made.case_id))) == few


# --- accept -------------------------------------------------------------------------------


def test_accept_lists_the_regions_active_officers_the_current_one_first(app, pages, unit):
    with app.app_context():
        OfficerFactory(region_id=unit.region_id, full_name="Aaron Gone", is_active=False)
        OfficerFactory(region_id=unit.other_region_id, full_name="Elsewhere Officer")
        db.session.commit()
    made = registration(app, unit.region_id, language=Language.WELSH)
    page = pages.get(triage_url(made.case_id, "accept"))
    options = [(o["value"], o.get_text(strip=True)) for o in page.select("#officer option")]
    assert options[0] == (str(unit.officer_id), "Anna Officer")
    assert (str(unit.colleague_id), "Rhys Colleague (speaks Welsh)") in options
    assert len(options) == 2
    assert page.select_one("#officer option[selected]")["value"] == str(unit.officer_id)


def test_an_english_speaking_victim_does_not_get_the_welsh_label(app, pages, unit):
    made = registration(app, unit.region_id, language=Language.ENGLISH)
    page = pages.get(triage_url(made.case_id, "accept"))
    assert "speaks Welsh" not in page.select_one("#officer").get_text()


def test_accepting_assigns_tells_the_victim_in_their_language_and_audits(app, client, app_db, unit):
    made = registration(app, unit.region_id, language=Language.WELSH)
    response = send(client, triage_url(made.case_id, "accept"), {"officer": unit.colleague_id})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/cases/{made.case_id}"
    case = app_db.get(Case, made.case_id)
    assert case.status == CaseStatus.ACTIVE
    assert case.officer_id == unit.colleague_id
    assert case.triaged_by_id == unit.officer_id and case.triaged_at is not None
    (event,) = [e for e in case.timeline if e.kind == TimelineEventKind.TRIAGE]
    assert event.visible_to_victim and event.language == Language.WELSH
    assert event.summary == (
        "Mae eich cais i ymuno wedi’i dderbyn. Eich Swyddog Cyswllt Dioddefwyr yw Rhys Colleague."
    )
    assert event.recorded_by_id == unit.officer_id
    (notification,) = outbox(app_db, made.victim_id)
    assert notification.template_key == "registration_accepted"
    assert notification.language == Language.WELSH
    assert notification.recipient == made.email  # the safe email, never the unsafe phone
    assert event.notification_id == notification.id
    (accepted,) = audit(app_db, "triage.accepted")
    assert accepted.case_id == made.case_id and accepted.actor_id == unit.officer_id
    assert accepted.detail == {"officer": unit.colleague_id, "region": unit.region_id,
                               "notified": True}  # fmt: skip
    assert accepted.request_id

    home = soup(client.get("/staff"))
    banner = home.find(class_="govuk-notification-banner--success")
    assert banner.find(class_="govuk-notification-banner__heading").get_text(strip=True) == (
        f"{made.reference} is accepted. Its Victim Liaison Officer is Rhys Colleague."
    )
    assert "asked the victim to sign in" in banner.get_text()
    assert not soup(client.get("/staff")).find(class_="govuk-notification-banner")  # once


def test_accepting_twice_tells_the_victim_once(app, client, app_db, unit):
    made = registration(app, unit.region_id)
    form_token = token(client, triage_url(made.case_id, "accept"))
    data = {"officer": unit.officer_id, "csrf_token": form_token}
    first = client.post(triage_url(made.case_id, "accept"), data=data)
    assert first.status_code == 303
    second = client.post(triage_url(made.case_id, "accept"), data=data)
    assert second.status_code == 409
    assert soup(second).find("h1").get_text(strip=True) == (
        "This registration has already been triaged"
    )
    stale = client.post(
        triage_url(made.case_id, "decline"),
        data={"reason": "other", "note": "x", "csrf_token": form_token},
    )
    assert stale.status_code == 409
    assert len(outbox(app_db, made.victim_id)) == 1
    assert len(audit(app_db, "triage.accepted")) == 1
    assert app_db.get(Case, made.case_id).status == CaseStatus.ACTIVE


def test_a_decision_already_made_in_the_same_moment_changes_nothing(app, client, app_db, unit):
    """The page was read while the case was in triage; someone else decided before the
    UPDATE: the conditional UPDATE finds nothing to change."""
    from portal.services import triage

    made = registration(app, unit.region_id)
    with app.app_context():
        case = db.session.get(Case, made.case_id)
        officer = case.region.officers[0]
        db.session.execute(
            Case.__table__.update()
            .where(Case.id == made.case_id)
            .values(status=CaseStatus.DECLINED)
        )
        with pytest.raises(triage.AlreadyDecided):
            triage.accept(db.session, case, triage.Who(officer), officer.id, "https://x/sign-in")
        db.session.rollback()
    assert not outbox(app_db, made.victim_id)


@pytest.mark.parametrize("officer", ["", "abc", "999999", "other-region", "inactive", "1.5"])
def test_an_officer_who_cannot_take_it_is_a_form_error(app, client, app_db, unit, officer):
    with app.app_context():
        elsewhere = OfficerFactory(region_id=unit.other_region_id)
        inactive = OfficerFactory(region_id=unit.region_id, is_active=False)
        db.session.commit()
        value = {"other-region": elsewhere.id, "inactive": inactive.id}.get(officer, officer)
    made = registration(app, unit.region_id)
    response = send(client, triage_url(made.case_id, "accept"), {"officer": value})
    assert response.status_code == 200
    assert errors(response) == ["Select the Victim Liaison Officer who will look after this case"]
    assert app_db.get(Case, made.case_id).status == CaseStatus.TRIAGE
    assert not outbox(app_db, made.victim_id)


def test_a_victim_with_no_safe_written_channel_is_not_sent_anything(app, client, app_db, unit):
    made = registration(app, unit.region_id)
    with app.app_context():
        for detail in db.session.get(Case, made.case_id).victim.contact_preferences:
            detail.is_safe = detail.channel == Channel.PHONE
        db.session.commit()
    send(client, triage_url(made.case_id, "accept"), {"officer": unit.officer_id})
    assert not outbox(app_db, made.victim_id)
    assert audit(app_db, "triage.accepted")[0].detail["notified"] is False
    banner = soup(client.get("/staff")).find(class_="govuk-notification-banner")
    assert "Tell them another way." in banner.get_text()


# --- decline ------------------------------------------------------------------------------


def test_declining_tells_the_victim_kindly_and_audits_no_free_text(app, client, app_db, unit):
    made = registration(app, unit.region_id)
    page = soup(client.get(triage_url(made.case_id, "decline")))
    reasons = [i["value"] for i in page.select("#main-content input[name=reason]")]
    assert reasons == [reason.value for reason in DeclineReason]
    response = send(
        client,
        triage_url(made.case_id, "decline"),
        {"reason": "case_not_found", "note": "  We could not find a sentence at Cardiff.  "},
    )
    assert response.status_code == 303
    case = app_db.get(Case, made.case_id)
    assert case.status == CaseStatus.DECLINED
    assert case.decline_reason == DeclineReason.CASE_NOT_FOUND
    assert case.decline_note == "We could not find a sentence at Cardiff."
    assert case.officer_id is None and case.triaged_by_id == unit.officer_id
    (notification,) = outbox(app_db, made.victim_id)
    assert notification.template_key == "registration_declined"
    assert notification.language == Language.ENGLISH and notification.recipient == made.email
    (declined,) = audit(app_db, "triage.declined")
    assert declined.detail == {"reason": "case_not_found", "with_note": True, "notified": True}
    assert "Cardiff" not in str(declined.detail)
    (event,) = [e for e in case.timeline if e.kind == TimelineEventKind.TRIAGE]
    assert event.visible_to_victim and "Cardiff" not in event.summary


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select why we cannot accept this registration"),
        ({"reason": "too_old"}, "Select why we cannot accept this registration"),
        ({"reason": "other"}, "Explain to the victim why we cannot accept their request"),
        ({"reason": "other", "note": "   "},
         "Explain to the victim why we cannot accept their request"),
        ({"reason": "other", "note": "x" * 1001},
         "Your words to the victim must be 1,000 characters or fewer"),
        ({"reason": "other", "note": "bell\x07"},
         "Your words to the victim must not include special characters"),
    ],
)  # fmt: skip
def test_a_decline_needs_a_reason_and_words_for_another_reason(
    app, client, app_db, unit, data, message
):
    made = registration(app, unit.region_id)
    response = send(client, triage_url(made.case_id, "decline"), data)
    if "\x07" in data.get("note", ""):
        assert response.status_code == 400  # control characters never reach a form
    else:
        assert response.status_code == 200
        assert message in errors(response)
    assert app_db.get(Case, made.case_id).status == CaseStatus.TRIAGE
    assert not outbox(app_db, made.victim_id)


def test_the_note_is_asked_for_in_the_victims_language(app, pages, unit):
    made = registration(app, unit.region_id, language=Language.WELSH)
    page = pages.get(triage_url(made.case_id, "decline"))
    assert "Write to the victim in Welsh" in page.find(id="note-hint").get_text()
    assert page.find(id="note")["lang"] == "cy"


# --- transfer -----------------------------------------------------------------------------


def test_moving_to_another_region_names_the_new_unit_and_hides_it_from_the_first(
    app, client, app_db, unit
):
    made = registration(app, unit.region_id, language=Language.WELSH)
    page = soup(client.get(triage_url(made.case_id, "transfer")))
    offered = [i["value"] for i in page.select("input[name=region]")]
    assert str(unit.other_region_id) in offered and str(unit.region_id) not in offered
    response = send(client, triage_url(made.case_id, "transfer"), {"region": unit.other_region_id})
    assert response.status_code == 303 and response.headers["Location"] == "/staff"
    case = app_db.get(Case, made.case_id)
    assert case.region_id == unit.other_region_id
    assert case.status == CaseStatus.TRIAGE and case.officer_id is None
    (event,) = [e for e in case.timeline if e.kind == TimelineEventKind.TRIAGE]
    assert event.visible_to_victim and event.language == Language.WELSH
    assert unit.other_unit_cy in event.summary
    assert event.summary.startswith("Mae eich cais i ymuno wedi’i anfon at")
    (moved,) = audit(app_db, "triage.transferred")
    assert moved.detail == {"from_region": unit.region_id, "to_region": unit.other_region_id}
    assert not outbox(app_db, made.victim_id)
    banner = soup(client.get("/staff")).find(class_="govuk-notification-banner")
    assert unit.other_unit_en in banner.get_text()
    assert client.get(triage_url(made.case_id)).status_code == 404


@pytest.mark.parametrize("region", ["", "own", "999999", "wales", "-1"])
def test_an_unknown_or_own_region_is_a_form_error(app, client, app_db, unit, region):
    made = registration(app, unit.region_id)
    value = unit.region_id if region == "own" else region
    response = send(client, triage_url(made.case_id, "transfer"), {"region": value})
    assert response.status_code == 200
    assert errors(response) == ["Select the region that should have this registration"]
    assert app_db.get(Case, made.case_id).region_id == unit.region_id


def test_the_national_queue_is_sent_to_a_region_before_it_is_accepted(app, client, app_db, unit):
    made_id = registration(app, None).case_id
    signed_in_officer(client, role=OfficerRole.ADMIN, region_id=unit.other_region_id)
    page = soup(client.get(triage_url(made_id)))
    assert [i["value"] for i in page.select("input[name=decision]")] == [
        "transfer",
        "decline",
        "link",
    ]
    assert "Send it to a region" in page.get_text()
    response = send(client, triage_url(made_id), {"decision": "accept"})
    assert errors(response) == ["Select what to do with this registration"]
    assert client.get(triage_url(made_id, "accept")).headers["Location"] == triage_url(
        made_id, "transfer"
    )
    response = send(client, triage_url(made_id, "transfer"), {"region": unit.region_id})
    assert response.status_code == 303
    app_db.expire_all()
    assert app_db.get(Case, made_id).region_id == unit.region_id


# --- link (merge) -------------------------------------------------------------------------


def existing_case(app, region_id: int, language=Language.ENGLISH, email="first@example.com"):
    with app.app_context():
        victim = VictimFactory(language=language, full_name="Same Victim")
        ContactPreferenceFactory(victim=victim, value=email)
        case = CaseFactory(
            victim=victim, status=CaseStatus.ACTIVE, region_id=region_id, offender_name="Same One"
        )
        db.session.commit()
        return case.id, case.reference, victim.id


def test_joining_a_flagged_duplicate_adds_the_proved_detail_and_tells_the_existing_case(
    app, client, app_db, unit
):
    existing_id, existing_reference, existing_victim = existing_case(
        app, unit.region_id, Language.WELSH
    )
    made = registration(
        app,
        unit.region_id,
        possible_duplicate_of_id=existing_id,
        email="second@example.com",
        victim_name="Same Victim",
    )
    page = soup(client.get(triage_url(made.case_id)))
    assert page.find(id="possible-duplicate")
    compare = page.find("table", attrs={"aria-labelledby": "possible-duplicate"})
    assert existing_reference in compare.get_text()
    page = soup(client.get(triage_url(made.case_id, "link")))
    assert [i["value"] for i in page.select("input[name=existing]")] == [
        str(existing_id),
        "reference",
    ]
    response = send(client, triage_url(made.case_id, "link"), {"existing": existing_id})
    assert response.status_code == 303
    case = app_db.get(Case, made.case_id)
    assert case.status == CaseStatus.MERGED and case.merged_into_id == existing_id
    existing = app_db.get(Case, existing_id)
    details = {(d.channel, d.value): d for d in existing.victim.contact_preferences}
    added = details[(Channel.EMAIL, "second@example.com")]
    assert added.is_safe and added.verified_at is not None
    # Only the proved detail: the unsafe phone of the new registration is not copied.
    assert (Channel.PHONE, "+447700900111") not in details
    assert existing.victim.full_name == "Same Victim"
    (event,) = [e for e in existing.timeline if e.kind == TimelineEventKind.TRIAGE]
    assert event.visible_to_victim and event.language == Language.WELSH
    assert event.summary == "Mae eich ail gais i ymuno wedi’i gysylltu â’ch achos presennol."
    assert not [e for e in case.timeline if e.kind == TimelineEventKind.TRIAGE]
    (linked,) = audit(app_db, "triage.linked")
    assert linked.case_id == made.case_id
    assert linked.detail == {
        "merged_into": existing_id,
        "flagged": True,
        "contacts_added": 1,
        "messages_moved": 0,
    }
    (joined,) = audit(app_db, "triage.joined")
    assert joined.case_id == existing_id and joined.detail["merged_from"] == made.case_id
    (notification,) = outbox(app_db, existing_victim)
    assert notification.language == Language.WELSH
    assert not outbox(app_db, made.victim_id)
    banner = soup(client.get("/staff")).find(class_="govuk-notification-banner")
    assert f"{made.reference} is joined to {existing_reference}." in banner.get_text()


def test_joining_by_a_typed_reference(app, client, app_db, unit):
    existing_id, existing_reference, _victim = existing_case(app, unit.region_id)
    made = registration(app, unit.region_id)
    page = soup(client.get(triage_url(made.case_id, "link")))
    assert page.select_one("input[name=existing]")["type"] == "hidden"
    typed = " " + existing_reference.lower() + " "
    response = send(client, triage_url(made.case_id, "link"), {"existing": "reference",
                                                               "reference": typed})  # fmt: skip
    assert response.status_code == 303
    assert app_db.get(Case, made.case_id).merged_into_id == existing_id
    assert audit(app_db, "triage.linked")[0].detail["flagged"] is False


@pytest.mark.parametrize("which", ["unknown", "other-region", "itself", "closed", "empty", "long"])
def test_a_case_that_cannot_be_joined_is_a_form_error(app, client, app_db, unit, which):
    made = registration(app, unit.region_id)
    with app.app_context():
        elsewhere = CaseFactory(status=CaseStatus.ACTIVE, region_id=unit.other_region_id)
        closed = CaseFactory(status=CaseStatus.CLOSED, region_id=unit.region_id)
        db.session.commit()
        reference = {
            "unknown": "VCS-0000-0000",
            "other-region": elsewhere.reference,
            "itself": made.reference,
            "closed": closed.reference,
            "empty": "",
            "long": "X" * 21,
        }[which]
    response = send(client, triage_url(made.case_id, "link"), {"existing": "reference",
                                                               "reference": reference})  # fmt: skip
    assert response.status_code == 200
    (message,) = errors(response)
    assert message in (
        "There is no live case with that reference number that you can see. Check the "
        "reference number, or ask a manager.",
        "Enter the reference number of the existing case",
        "A reference number must be 20 characters or fewer",
    )
    assert app_db.get(Case, made.case_id).status == CaseStatus.TRIAGE


def test_a_reference_typed_without_choosing_is_taken_as_the_choice(app, client, app_db, unit):
    existing_id, _reference, _victim = existing_case(app, unit.region_id)
    other_id, other_reference, _v = existing_case(app, unit.region_id, email="other@example.com")
    made = registration(app, unit.region_id, possible_duplicate_of_id=existing_id)
    response = send(client, triage_url(made.case_id, "link"), {"reference": other_reference})
    assert response.status_code == 303
    assert app_db.get(Case, made.case_id).merged_into_id == other_id


def test_a_forged_flagged_case_is_a_form_error(app, client, app_db, unit):
    existing_id, _reference, _victim = existing_case(app, unit.region_id)
    other_id, _other, _v = existing_case(app, unit.region_id, email="other@example.com")
    made = registration(app, unit.region_id, possible_duplicate_of_id=existing_id)
    response = send(client, triage_url(made.case_id, "link"), {"existing": other_id})
    assert errors(response) == ["Select which case this registration joins"]
    assert app_db.get(Case, made.case_id).status == CaseStatus.TRIAGE


def test_a_flagged_case_in_another_region_is_not_shown_to_a_vlo(app, client, unit):
    existing_id, existing_reference, _victim = existing_case(app, unit.other_region_id)
    made = registration(app, unit.region_id, possible_duplicate_of_id=existing_id)
    page = soup(client.get(triage_url(made.case_id)))
    assert existing_reference not in page.get_text()
    assert "that you cannot see" in page.find(id="possible-duplicate").find_next("p").get_text()
    page = soup(client.get(triage_url(made.case_id, "link")))
    assert page.select_one("input[name=existing]")["type"] == "hidden"
    response = send(client, triage_url(made.case_id, "link"), {"existing": existing_id})
    assert response.status_code == 200  # the only way is a reference it may see


def test_triage_timeline_entries_are_never_internal(app, client, app_db, unit):
    made = registration(app, unit.region_id)
    send(client, triage_url(made.case_id, "accept"), {"officer": unit.officer_id})
    events = app_db.scalars(
        select(TimelineEvent).filter_by(case_id=made.case_id, kind=TimelineEventKind.TRIAGE)
    ).all()
    assert events and all(e.internal_note is None for e in events)


def test_the_case_page_offers_triage_only_while_the_registration_waits_for_it(
    app, client, app_db, pages, unit
):
    """An outside test found "Triage this registration" on an active case's page."""
    made = registration(app, unit.region_id)
    triage_link = f'a[href="{triage_url(made.case_id)}"]'
    assert pages.get(f"/staff/cases/{made.case_id}").select(triage_link)
    app_db.get(Case, made.case_id).status = CaseStatus.ACTIVE
    app_db.commit()
    assert not pages.get(f"/staff/cases/{made.case_id}").select(triage_link)
