"""Referrals from the police: an officer types a Witness Care Unit's referral into a case.

Through the staff page (`/staff/referrals/new`) on the real database: what each role
may choose, every group's checks with their messages linked to the fields, forged
posts, the case and record made, the possible-duplicate flag against a registration
made through the public pages, the welcome on the right channel and in the right
language (sent by the real worker), details marked unsafe never used, and no bad input
ever giving a 500.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseSource,
    CaseStatus,
    Channel,
    Language,
    NotificationChannel,
    OfficerRole,
    OutboxNotification,
    Region,
    TimelineEventKind,
    UpdatesWanted,
    utcnow,
)
from portal.notifications.providers import NotifyProvider
from portal.notifications.worker import send_due
from portal.staff.referral_forms import BEFORE_SENTENCE
from tests.support.delivery import deliver, delivered_to
from tests.support.factories import OfficerFactory, RegionFactory
from tests.support.fake_notify import API_KEY, FakeNotifyServer
from tests.support.queries import queries, statements
from tests.support.registration_steps import VICTIM_ANSWERS, csrf, register
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database

URL = "/staff/referrals/new"
NOTIFY_TEMPLATES = {"email": "email-template", "sms": "sms-template", "letter": "letter-template"}
#: The day the form is checked against, taken once at import (the parameters below are
#: built from it) and pinned for every test by `referral_day`.
TODAY = utcnow().date()
REFERRED = TODAY - timedelta(days=3)
SENTENCED = REFERRED - timedelta(days=40)
OFFENDER = "Dafydd Rhys"
EMAIL = "sian.referral@example.com"

#: A whole referral, as an officer types it: a Welsh-speaking victim who is safe by email
#: and not by phone, with large print and another access need.
GOOD = {
    "referred_by": "Gwent Police Witness Care Unit",
    "referred-day": str(REFERRED.day),
    "referred-month": str(REFERRED.month),
    "referred-year": str(REFERRED.year),
    "victim_name": "Siân Ŵyn Jones",
    "born-day": "7",
    "born-month": "3",
    "born-year": "1985",
    "registering_as": "self",
    "language": "cy",
    "accessibility_needs": ["large-print", "other"],
    "accessibility_other": "Needs a hearing loop",
    "email": EMAIL,
    "email_safe": "yes",
    "phone": "029 2018 3000",
    "phone_safe": "no",
    "offender_name": OFFENDER,
    "offence_type": "violent",
    "court": "cardiff",
    "sentenced-month": str(SENTENCED.month),
    "sentenced-year": str(SENTENCED.year),
    "sentence": "8 years in prison",
    "external_reference": "WCU/2026/0042",
}


def with_changes(**changes) -> dict:
    """GOOD with some answers changed; None leaves an answer out."""
    data = {**GOOD, **changes}
    return {name: value for name, value in data.items() if value is not None}


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def send(client, data: dict, url: str = URL):
    """Post the form as a browser does: its token from the page first."""
    token = csrf(page_of(client.get(url)))
    return client.post(url, data={**data, "csrf_token": token})


def error_summary(page) -> list[tuple[str, str]]:
    summary = page.find(class_="govuk-error-summary")
    if summary is None:
        return []
    return [(a.get_text(" ", strip=True), a["href"]) for a in summary.find_all("a")]


def text_of(element) -> str:
    return " ".join(element.get_text().split())


def labels(page, within=None) -> list[str]:
    scope = page.find(id=within) if within else page
    return [label.get_text(" ", strip=True) for label in scope.find_all("label")]


def officer_in(region_id: int | None = None, **kwargs):
    """An officer (factory) of the region `region_id` (a new region when None)."""
    if region_id is not None:
        kwargs["region"] = db.session.get(Region, region_id)
    return OfficerFactory(**kwargs)


def cases(session) -> int:
    return session.scalar(select(func.count()).select_from(Case))


def newest_case(session) -> Case:
    return session.scalars(select(Case).order_by(Case.id.desc())).first()


@pytest.fixture(autouse=True)
def referral_day(monkeypatch) -> None:
    """The form's "today" is TODAY: the run may pass midnight after this module was imported,
    and FUTURE (tomorrow, at import) would then be a day the form accepts."""
    monkeypatch.setattr("portal.staff.referral_views._today", lambda: TODAY)


@pytest.fixture
def wales(app, db_session) -> int:
    with app.app_context():
        return db.session.scalar(select(Region.id).filter_by(code="wales"))


@pytest.fixture
def vlo(client, wales) -> int:
    return signed_in_officer(client, role=OfficerRole.VLO, region_id=wales)


# --- the page -------------------------------------------------------------------------


def test_the_page_is_in_the_navigation_and_says_where_the_case_goes(client, vlo):
    page = page_of(client.get("/staff"))
    navigation = page.find(class_="govuk-service-navigation__list")
    links = {a.get_text(strip=True): a["href"] for a in navigation.find_all("a")}
    assert links["Add a referral"] == URL
    page = page_of(client.get(URL))
    assert page.title.get_text(strip=True).startswith("Add a referral from the police")
    current = page.find(class_="govuk-service-navigation__item--active")
    assert current.get_text(strip=True) == "Add a referral"
    main = page.find("main").get_text(" ", strip=True)
    assert "The case will be added to Wales and given to you." in main
    assert page.find(id="region") is None and page.find(id="officer") is None
    for heading in ("The referral", "The victim", "Language and access needs",
                    "Contact details", "The offence", "Court and sentence"):  # fmt: skip
        assert page.find("h2", string=heading), heading


def test_a_manager_chooses_among_the_active_officers_of_their_region(app, client, wales):
    with app.app_context():
        colleague = officer_in(wales, full_name="Colleague In Wales")
        officer_in(wales, full_name="Gone From Wales", is_active=False)
        OfficerFactory(full_name="Officer Elsewhere")
        db.session.commit()
        colleague_id = colleague.id
    me = signed_in_officer(client, role=OfficerRole.MANAGER, region_id=wales)
    page = page_of(client.get(URL))
    options = {o["value"]: o.get_text(strip=True) for o in page.select("#officer option")}
    assert str(me) in options and str(colleague_id) in options
    assert "Gone From Wales" not in options.values()
    assert "Officer Elsewhere" not in options.values()
    assert page.select_one("#officer option[selected]")["value"] == str(me)
    assert page.find(id="region") is None


def test_an_admin_chooses_the_region_and_any_officer(app, client, wales):
    with app.app_context():
        elsewhere = OfficerFactory(full_name="Officer Elsewhere")
        db.session.commit()
        region_name = elsewhere.region.name_en
    signed_in_officer(client, role=OfficerRole.ADMIN)
    page = page_of(client.get(URL))
    regions = [o.get_text(strip=True) for o in page.select("#region option")]
    assert regions[:3] == ["Choose a region", "Wales", "North West"]
    groups = [group["label"] for group in page.select("#officer optgroup")]
    assert "Wales" in groups and region_name in groups
    assert "Officer Elsewhere" in [o.get_text(strip=True) for o in page.select("#officer option")]


# --- a referral made ------------------------------------------------------------------


def test_a_referral_makes_an_active_case_for_the_officer_and_welcomes_the_victim(
    app, client, app_db, vlo, wales
):
    before = cases(app_db)
    response = send(client, GOOD)
    assert response.status_code == 303
    assert cases(app_db) == before + 1
    case = newest_case(app_db)
    assert response.headers["Location"] == f"/staff/cases/{case.id}"
    assert case.status == CaseStatus.ACTIVE
    assert case.source == CaseSource.REFERRAL
    assert (case.region_id, case.officer_id, case.triaged_by_id) == (wales, vlo, vlo)
    assert case.referred_on == REFERRED and case.clock_started_on == REFERRED
    assert case.referred_by == "Gwent Police Witness Care Unit"
    assert case.reference.startswith("VCS-")
    assert case.possible_duplicate_of_id is None
    assert (case.offender_name, case.offence_type, case.court_code) == (
        OFFENDER,
        "violent",
        "cardiff",
    )
    assert case.sentenced_in == f"{SENTENCED.year:04d}-{SENTENCED.month:02d}"
    assert case.sentence_description == "8 years in prison"
    assert case.external_reference == "WCU/2026/0042"
    assert case.updates_wanted == UpdatesWanted.EVERY_STAGE
    victim = case.victim
    assert victim.full_name == "Siân Ŵyn Jones"
    assert victim.date_of_birth.isoformat() == "1985-03-07"
    assert victim.language == Language.WELSH
    assert victim.relationship_to_victim == "self" and victim.representative_name is None
    assert victim.accessibility_needs == "large-print, other"
    assert victim.accessibility_other == "Needs a hearing loop"
    details = {p.channel: p for p in victim.contact_preferences}
    assert set(details) == {Channel.EMAIL, Channel.PHONE}
    assert details[Channel.EMAIL].value == EMAIL and details[Channel.EMAIL].is_safe
    assert details[Channel.EMAIL].verified_at is not None, "the police gave it: it is proved"
    assert details[Channel.PHONE].value == "+442920183000"
    assert not details[Channel.PHONE].is_safe
    assert details[Channel.PHONE].verified_at is None, "a detail marked unsafe is never used"
    [welcome] = app_db.scalars(select(OutboxNotification).filter_by(victim_id=victim.id)).all()
    assert welcome.template_key == "referral_welcome"
    assert (welcome.channel, welcome.recipient) == (NotificationChannel.EMAIL, EMAIL)
    assert welcome.language == Language.WELSH
    assert welcome.personalisation["url"].endswith("/sign-in")
    [note] = case.timeline
    assert note.kind == TimelineEventKind.NOTE and note.visible_to_victim
    assert note.language == Language.WELSH and note.occurred_on == REFERRED
    assert note.summary.startswith("Gwnaeth Uned Gofal Tystion yr heddlu eich atgyfeirio")
    assert note.recorded_by_id == vlo and note.notification_id == welcome.id
    [audit] = app_db.scalars(select(AuditEvent).filter_by(action="referral.created")).all()
    assert (audit.actor_id, audit.case_id) == (vlo, case.id)
    assert audit.detail == {
        "region": wales,
        "officer": vlo,
        "welcome": "email",
        "possible_duplicate_of": None,
    }
    assert audit.request_id and audit.address
    # The officer lands with a banner giving the reference and how the victim was welcomed.
    page = page_of(client.get(response.headers["Location"]))
    banner = text_of(page.find(class_="govuk-notification-banner--success"))
    assert f"Referral added. Its reference is {case.reference}." in banner
    assert "A welcome email, saying how to sign in, will go to the email address" in banner
    assert "It will be in Welsh." in banner
    assert not page_of(client.get("/staff")).find(class_="govuk-notification-banner")
    # The worker sends it: in Welsh, bare of anything about the case.
    [sent] = deliver(app, app_db)
    assert sent.recipient == EMAIL and sent.channel == "email"
    assert sent.rendered.subject == "Byddwn yn cysylltu â chi cyn bo hir"
    assert "Uned Cyswllt Dioddefwyr" in sent.rendered.body
    assert "20 diwrnod gwaith" in sent.rendered.body
    assert sent.rendered.body.rstrip().endswith(
        "/sign-in?lang=cy"
    )  # Welsh pages for a Welsh reader
    for secret in (OFFENDER, "Caerdydd", "Cardiff", "trais", "violent", case.reference):
        assert secret not in sent.rendered.subject + sent.rendered.body


def test_someone_acting_for_the_victim_is_written_to_by_name(app, client, app_db, vlo):
    response = send(
        client,
        with_changes(registering_as="bereaved", representative_name="Ifan Jones", language="en"),
    )
    assert response.status_code == 303
    victim = newest_case(app_db).victim
    assert victim.relationship_to_victim == "bereaved"
    assert victim.representative_name == "Ifan Jones"
    assert victim.full_name == "Siân Ŵyn Jones"


def test_a_date_of_birth_and_the_sentence_month_may_be_left_out(client, app_db, vlo):
    data = with_changes(**{"born-day": None, "born-month": None, "born-year": None})
    data.update({"sentenced-month": "", "sentenced-year": ""})
    assert send(client, data).status_code == 303
    case = newest_case(app_db)
    assert case.victim.date_of_birth is None and case.sentenced_in is None


# --- checked, group by group ----------------------------------------------------------

FUTURE = TODAY + timedelta(days=1)
#: The last day of last month: before a sentence this month.
LAST_MONTH = TODAY.replace(day=1) - timedelta(days=1)


@pytest.mark.parametrize(
    ("changes", "message", "href"),
    [
        # The referral
        ({"referred_by": None}, "Enter the name of the Witness Care Unit", "#referred_by"),
        ({"referred_by": "x" * 201}, "The Witness Care Unit must be 200 characters or fewer",
         "#referred_by"),
        ({"referred-day": "", "referred-month": "", "referred-year": ""},
         "Enter the date of the referral", "#referred-day"),
        ({"referred-month": ""}, "The date of the referral must include a month",
         "#referred-month"),
        ({"referred-month": "13"}, "The date of the referral must be a real date", "#referred-day"),
        ({"referred-day": str(FUTURE.day), "referred-month": str(FUTURE.month),
          "referred-year": str(FUTURE.year)},
         "The date of the referral must be today or in the past", "#referred-day"),
        ({"sentenced-month": str(TODAY.month), "sentenced-year": str(TODAY.year),
          "referred-day": str(LAST_MONTH.day), "referred-month": str(LAST_MONTH.month),
          "referred-year": str(LAST_MONTH.year)},
         str(BEFORE_SENTENCE), "#referred-day"),
        # The victim
        ({"victim_name": None}, "Enter the victim’s full name", "#victim_name"),
        ({"victim_name": "12345"}, "Name must include letters", "#victim_name"),
        ({"born-day": "31", "born-month": "2"}, "Date of birth must be a real date", "#born-day"),
        ({"born-year": str(TODAY.year + 1)}, "Date of birth must be in the past", "#born-day"),
        ({"registering_as": None}, "Select who we will contact", "#registering_as"),
        ({"registering_as": "neighbour"}, "Select who we will contact", "#registering_as"),
        ({"registering_as": "parent"}, "Enter the name of the person we will contact",
         "#representative_name"),
        # Language and access needs
        ({"language": None}, "Select the language to write to them in", "#language"),
        ({"language": "fr"}, "Select the language to write to them in", "#language"),
        ({"accessibility_needs": ["wheelchair"]}, "Select the access needs from the list",
         "#accessibility_needs"),
        ({"accessibility_other": ""}, "Describe the other access needs", "#accessibility_other"),
        # Contact details and their safety
        ({"email": None, "email_safe": None, "phone": None, "phone_safe": None},
         "Enter at least one way to contact them: an email address, a mobile or phone number, "
         "or a postal address", "#email"),
        ({"email": "sian@"}, "Enter an email address in the correct format, like name@example.com",
         "#email"),
        ({"email_safe": None}, "Select whether it is safe to email this address", "#email_safe"),
        ({"email_safe": "perhaps"}, "Select whether it is safe to email this address",
         "#email_safe"),
        ({"mobile": "01632 960001", "mobile_safe": "yes"},
         "Enter a UK mobile number, like 07700 900 982", "#mobile"),
        ({"mobile": "07700 900123"}, "Select whether it is safe to text this number",
         "#mobile_safe"),
        ({"phone": "123"}, "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
         "#phone"),
        ({"phone_safe": "yes", "voicemail": "no"}, "Select when it is safe to call or text",
         "#when"),
        ({"phone_safe": "yes", "when": "any-time"}, "Select yes if we can leave a voicemail",
         "#voicemail"),
        ({"phone_safe": "yes", "voicemail": "no", "when": "between", "safe_from": "17:00",
          "safe_until": "09:00"}, "The latest time must be after the earliest time",
         "#safe_until"),
        ({"postcode": "CF10 1AA", "letter_safe": "yes"},
         "Enter address line 1, typically the building and street", "#address_line_1"),
        ({"address_line_1": "1 Heol y Frenhines", "town": "Caerdydd", "postcode": "XX1",
          "letter_safe": "yes"}, "Enter a real postcode, like CF10 1AA", "#postcode"),
        ({"address_line_1": "1 Heol y Frenhines", "town": "Caerdydd", "postcode": "CF10 1AA"},
         "Select whether it is safe to send letters to this address", "#letter_safe"),
        # The offence
        ({"offender_name": None}, "Enter the name of the person who committed the crime",
         "#offender_name"),
        ({"offence_type": None}, "Select the kind of crime", "#offence_type"),
        ({"offence_type": "fraud"}, "Select the kind of crime", "#offence_type"),
        # Court and sentence
        ({"court": None}, "Select the court, or select that it is not listed", "#court"),
        ({"court": "atlantis"}, "Select the court, or select that it is not listed", "#court"),
        ({"sentenced-month": "13"}, "The date they were sentenced must be a real date",
         "#sentenced-month"),
        ({"sentence": "x" * 201}, "Sentence must be 200 characters or fewer", "#sentence"),
        ({"external_reference": "x" * 51}, "Reference must be 50 characters or fewer",
         "#external_reference"),
    ],
)  # fmt: skip
def test_each_group_is_checked_with_a_message_linked_to_its_field(
    client, app_db, vlo, changes, message, href
):
    before = cases(app_db)
    response = send(client, with_changes(**changes))
    assert response.status_code == 200
    page = page_of(response)
    assert page.title.get_text(strip=True).startswith("Error: Add a referral from the police")
    assert (message, href) in error_summary(page)
    target = page.find(id=href[1:])
    assert target is not None, f"the summary links to {href}, which is not on the page"
    group = target.find_parent(class_="govuk-form-group--error")
    assert group is not None and message in group.get_text(" ", strip=True)
    assert cases(app_db) == before, "nothing is saved"
    # What was typed is kept, so the officer fixes only what is wrong.
    typed = page.find(id="offender_name").get("value") or None
    assert typed == changes.get("offender_name", OFFENDER)


def test_the_error_summary_follows_the_page(client, vlo):
    page = page_of(
        send(client, with_changes(referred_by=None, victim_name=None, court=None, email_safe=None))
    )
    assert [href for _text, href in error_summary(page)] == [
        "#referred_by",
        "#victim_name",
        "#email_safe",
        "#court",
    ]


def test_messages_are_in_welsh_on_a_welsh_page(client, vlo):
    client.get(f"{URL}?lang=cy")
    page = page_of(send(client, with_changes(victim_name=None, email_safe=None)))
    assert page.title.get_text(strip=True).startswith("Gwall: Ychwanegu atgyfeiriad gan yr heddlu")
    assert error_summary(page) == [
        ("Rhowch enw llawn y dioddefwr", "#victim_name"),
        ("Dewiswch a yw’n ddiogel anfon e-bost i’r cyfeiriad hwn", "#email_safe"),
    ]


# --- who may choose what: forged posts ----------------------------------------------


@pytest.mark.parametrize(
    ("role", "forged"),
    [
        (OfficerRole.VLO, {"region": "own"}),
        (OfficerRole.VLO, {"region": "other"}),
        (OfficerRole.VLO, {"officer": "colleague"}),
        (OfficerRole.MANAGER, {"region": "other"}),
    ],
)
def test_a_field_not_offered_is_refused_and_nothing_is_saved(
    app, client, app_db, wales, role, forged
):
    with app.app_context():
        colleague = officer_in(wales)
        other = RegionFactory()
        db.session.commit()
        values = {"own": str(wales), "other": str(other.id), "colleague": str(colleague.id)}
    signed_in_officer(client, role=role, region_id=wales)
    before = cases(app_db)
    response = send(client, {**GOOD, **{k: values[v] for k, v in forged.items()}})
    assert response.status_code == 400
    assert cases(app_db) == before
    assert not app_db.scalars(select(AuditEvent).filter_by(action="referral.created")).all()


@pytest.mark.parametrize("region", ["999999", "abc", "", "1; DROP TABLE cases"])
def test_an_admin_must_choose_a_real_region(client, app_db, region):
    signed_in_officer(client, role=OfficerRole.ADMIN)
    before = cases(app_db)
    page = page_of(send(client, with_changes(region=region)))
    assert ("Select the region of the case", "#region") in error_summary(page)
    assert cases(app_db) == before


def test_an_admin_puts_the_case_in_the_region_and_with_the_officer_chosen(app, client, app_db):
    with app.app_context():
        officer = OfficerFactory()
        db.session.commit()
        officer_id, region_id = officer.id, officer.region_id
    admin = signed_in_officer(client, role=OfficerRole.ADMIN)
    response = send(client, with_changes(region=str(region_id), officer=str(officer_id)))
    assert response.status_code == 303
    case = newest_case(app_db)
    assert (case.region_id, case.officer_id, case.triaged_by_id) == (region_id, officer_id, admin)
    [audit] = app_db.scalars(select(AuditEvent).filter_by(action="referral.created")).all()
    assert (audit.actor_id, audit.detail["region"], audit.detail["officer"]) == (
        admin,
        region_id,
        officer_id,
    )


def test_an_admin_cannot_give_the_case_to_an_officer_of_another_region(app, client, app_db, wales):
    with app.app_context():
        elsewhere = OfficerFactory()
        db.session.commit()
        elsewhere_id = elsewhere.id
    signed_in_officer(client, role=OfficerRole.ADMIN)
    before = cases(app_db)
    page = page_of(send(client, with_changes(region=str(wales), officer=str(elsewhere_id))))
    assert ("Select an officer who works in the region of the case", "#officer") in (
        error_summary(page)
    )
    assert cases(app_db) == before


@pytest.mark.parametrize("who", ["elsewhere", "inactive", "nobody", "not a number"])
def test_a_manager_gives_the_case_only_to_an_active_officer_of_their_region(
    app, client, app_db, wales, who
):
    with app.app_context():
        ids = {
            "elsewhere": str(OfficerFactory().id),
            "inactive": str(officer_in(wales, is_active=False).id),
            "nobody": "987654",
            "not a number": "①",
        }
        db.session.commit()
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=wales)
    before = cases(app_db)
    page = page_of(send(client, with_changes(officer=ids[who])))
    assert ("Select the officer who will have the case", "#officer") in error_summary(page)
    assert cases(app_db) == before


def test_a_manager_gives_the_case_to_a_colleague(app, client, app_db, wales):
    with app.app_context():
        colleague = officer_in(wales)
        db.session.commit()
        colleague_id = colleague.id
    manager = signed_in_officer(client, role=OfficerRole.MANAGER, region_id=wales)
    assert send(client, with_changes(officer=str(colleague_id))).status_code == 303
    case = newest_case(app_db)
    assert (case.region_id, case.officer_id, case.triaged_by_id) == (wales, colleague_id, manager)


# --- a victim who also registered online ---------------------------------------------


def registered_online(pages, app_db) -> Case:
    """A registration made through the public pages (tests/support/registration_steps)."""
    register(pages, app_db)
    return newest_case(app_db)


@pytest.fixture
def pages_client(app, db_session):
    from tests.support.pages import PageClient

    return PageClient(app.test_client())


def test_a_referral_for_someone_who_registered_online_is_flagged(client, pages_client, app_db, vlo):
    online = registered_online(pages_client, app_db)
    registered_email = VICTIM_ANSWERS["contact"]["email"]
    response = send(
        client,
        with_changes(
            email=registered_email.upper(),
            victim_name="  SIAN wyn   jones ",
            offender_name="dafydd RHYS",
        ),
    )
    assert response.status_code == 303
    case = newest_case(app_db)
    assert case.id != online.id and case.possible_duplicate_of_id == online.id
    flagged = app_db.scalars(
        select(AuditEvent).filter_by(action="possible duplicate flagged", case_id=case.id)
    ).all()
    assert [event.detail for event in flagged] == [{"possible_duplicate_of": online.id}]
    [created] = app_db.scalars(select(AuditEvent).filter_by(action="referral.created")).all()
    assert created.detail["possible_duplicate_of"] == online.id
    # Nothing is added to the other case.
    app_db.refresh(online)
    assert len(online.timeline) == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"email_safe": "no", "mobile": "07700 900111", "mobile_safe": "yes", "when": "any-time"},
        {"offender_name": "Someone Else"},
        {"victim_name": "A Different Child"},  # a parent may register two children
    ],
)
def test_a_referral_is_flagged_only_by_a_safe_detail_and_the_same_names(
    client, pages_client, app_db, vlo, changes
):
    registered_online(pages_client, app_db)
    email = VICTIM_ANSWERS["contact"]["email"]
    assert send(client, with_changes(email=email, **changes)).status_code == 303
    assert newest_case(app_db).possible_duplicate_of_id is None


# --- the welcome: the right channel, in the right language ---------------------------


def test_a_text_goes_when_the_email_address_is_not_safe(app, client, app_db, vlo):
    data = with_changes(
        email_safe="no",
        mobile="07700 900456",
        mobile_safe="yes",
        when="between",
        safe_from="09:00",
        safe_until="17:00",
        language="en",
    )
    assert send(client, data).status_code == 303
    case = newest_case(app_db)
    [welcome] = app_db.scalars(select(OutboxNotification).filter_by(victim_id=case.victim_id))
    assert (welcome.channel, welcome.recipient) == (NotificationChannel.SMS, "+447700900456")
    assert welcome.language == Language.ENGLISH
    email = next(p for p in case.victim.contact_preferences if p.channel == Channel.EMAIL)
    assert email.verified_at is None, "an unsafe email address cannot be used to sign in"
    sms = next(p for p in case.victim.contact_preferences if p.channel == Channel.SMS)
    assert sms.verified_at is not None
    assert (sms.safe_from.hour, sms.safe_until.hour) == (9, 17)
    page = page_of(client.get("/staff"))
    banner = text_of(page.find(class_="govuk-notification-banner"))
    assert "A welcome text message" in banner and "It will be in English." in banner


def test_a_letter_goes_when_only_the_address_is_safe_without_the_avoided_name(
    app, client, app_db, vlo
):
    data = with_changes(
        email=None,
        email_safe=None,
        phone_safe="yes",
        when="any-time",
        voicemail="no",
        address_line_1="1 Heol y Frenhines",
        town="Caerdydd",
        postcode="cf10 1aa",
        letter_safe="yes",
        envelope_name_to_avoid="siân jones",
    )
    assert send(client, data).status_code == 303
    case = newest_case(app_db)
    [welcome] = app_db.scalars(select(OutboxNotification).filter_by(victim_id=case.victim_id))
    assert welcome.channel == NotificationChannel.LETTER
    assert welcome.recipient == "1 Heol y Frenhines\nCaerdydd\nCF10 1AA"
    [sent] = deliver(app, app_db)
    assert sent.channel == "letter"
    assert sent.recipient_name == "", "the name not to put on envelopes is left off"
    assert "Uned Cyswllt Dioddefwyr" in sent.rendered.body
    assert "e-bost neu rif ffôn symudol diogel" in sent.rendered.body


def test_the_welcome_letter_goes_through_notify_to_whoever_we_write_to(app, client, app_db, vlo):
    """Letters work with the real Notify client (against a local stand-in): the address
    lines start with the representative's name, and the body is the Welsh welcome."""
    data = with_changes(
        email=None,
        email_safe=None,
        phone=None,
        phone_safe=None,
        registering_as="parent",
        representative_name="Gwen Owen",
        address_line_1="1 Stryd y Castell",
        town="Caernarfon",
        postcode="LL55 1SE",
        letter_safe="yes",
        envelope_name_to_avoid="Siân",
    )
    assert send(client, data).status_code == 303
    with FakeNotifyServer() as notify:
        provider = NotifyProvider(API_KEY, notify.base_url, NOTIFY_TEMPLATES, timeout=0.5)
        with app.app_context():
            assert send_due(app_db, provider).sent == 1
    [request] = notify.state.sends
    assert request.path == "/v2/notifications/letter"
    assert request.payload["template_id"] == NOTIFY_TEMPLATES["letter"]
    personalisation = request.payload["personalisation"]
    assert [personalisation[f"address_line_{n}"] for n in range(1, 5)] == [
        "Gwen Owen",
        "1 Stryd y Castell",
        "Caernarfon",
        "LL55 1SE",
    ]
    assert "Uned Cyswllt Dioddefwyr" in personalisation["body"]
    assert "Siân" not in str(personalisation)


def test_with_no_safe_way_to_write_nothing_is_sent_and_the_officer_is_told_to_phone(
    client, app_db, vlo
):
    data = with_changes(email_safe="no", phone_safe="yes", when="any-time", voicemail="yes")
    assert send(client, data).status_code == 303
    case = newest_case(app_db)
    assert not app_db.scalars(select(OutboxNotification).filter_by(victim_id=case.victim_id)).all()
    assert case.timeline[0].notification_id is None
    assert all(p.verified_at is None for p in case.victim.contact_preferences if not p.is_safe)
    page = page_of(client.get("/staff"))
    banner = text_of(page.find(class_="govuk-notification-banner"))
    assert case.reference in banner
    assert "Nothing has been sent" in banner and "Phone them to welcome them." in banner
    [audit] = app_db.scalars(select(AuditEvent).filter_by(action="referral.created")).all()
    assert audit.detail["welcome"] is None


def test_when_the_provider_cannot_send_letters_the_officer_is_told(
    app, client, app_db, vlo, monkeypatch
):
    monkeypatch.setitem(app.config, "NOTIFICATIONS_PROVIDER", "smtp")
    data = with_changes(
        email=None,
        email_safe=None,
        phone=None,
        phone_safe=None,
        address_line_1="1 Heol y Frenhines",
        town="Caerdydd",
        postcode="CF10 1AA",
        letter_safe="yes",
    )
    assert send(client, data).status_code == 303
    case = newest_case(app_db)
    assert not app_db.scalars(select(OutboxNotification).filter_by(victim_id=case.victim_id)).all()
    banner = page_of(client.get("/staff")).find(class_="govuk-notification-banner")
    assert "this service cannot send letters" in text_of(banner)


def test_an_unsafe_detail_never_signs_anyone_in(app, client, app_db, vlo):
    data = with_changes(email_safe="no", mobile="07700 900456", mobile_safe="yes", when="any-time")
    assert send(client, data).status_code == 303
    deliver(app, app_db)  # the welcome, by text
    victim_client = app.test_client()
    for typed, recipient, codes in (
        (EMAIL, EMAIL, 0),
        ("07700 900456", "+447700900456", 1),
    ):
        victim_client.get("/sign-in")
        send(victim_client, {"contact": typed}, url="/sign-in")
        assert delivered_to(app, app_db, recipient) == codes


# --- the court search -----------------------------------------------------------------


def test_courts_are_found_as_the_officer_types(client, vlo):
    page = page_of(client.get(f"{URL}?court_q=caerd&lang=cy", headers={"HX-Request": "true"}))
    assert "Llys y Goron Caerdydd" in labels(page, "court-choices")
    assert page.find(id="court-count").get_text(strip=True) == "1 llys yn cyfateb"


def test_find_court_keeps_what_was_typed_and_saves_nothing(client, app_db, vlo):
    before = cases(app_db)
    data = with_changes(court=None, court_q="swan", find_court="1")
    response = send(client, data)
    assert response.status_code == 200
    page = page_of(response)
    assert not error_summary(page) and not page.title.get_text().startswith("Error")
    assert page.find(id="victim_name")["value"] == "Siân Ŵyn Jones"
    assert page.find(id="court_q")["value"] == "swan"
    assert "Swansea Crown Court" in labels(page, "court-choices")
    assert cases(app_db) == before
    empty = page_of(send(client, with_changes(court_q="", find_court="1")))
    assert ("Enter the name of a town, city or Crown Court", "#court_q") in error_summary(empty)


# --- bad input never breaks it -------------------------------------------------------

BAD_INPUT = [
    {},
    {"victim_name": ["one", "two"], "court": ["cardiff", "swansea"]},
    {"referred-day": "²", "referred-month": "٣", "referred-year": "２０２６"},
    {"referred-year": "99999999999999999999", "born-year": "-1985"},
    {"sentenced-month": "1", "sentenced-year": "2026", "sentenced-not_known": "y"},
    {"accessibility_needs": "other", "accessibility_other": "x" * 5000},
    {
        "when": "between",
        "safe_from": "25:00",
        "safe_until": ["09:00", "10:00"],
        "phone_safe": "yes",
    },
    {"email": "a@b.c" * 200, "mobile": "+" * 40, "postcode": "Z" * 300, "letter_safe": "yes"},
    {"court_q": "%" * 500, "find_court": "1"},
    {"registering_as": "parent", "representative_name": "\u202e\u200b", "language": ["cy", "en"]},
]


@pytest.mark.parametrize("changes", BAD_INPUT)
@pytest.mark.parametrize("role", [OfficerRole.VLO, OfficerRole.ADMIN])
def test_no_bad_input_gives_a_500(client, wales, changes, role):
    signed_in_officer(client, role=role, region_id=wales)
    extra = {"officer": "x", "region": "y"} if role == OfficerRole.ADMIN else {}
    response = send(client, {**GOOD, **changes, **extra})
    assert response.status_code in (200, 303, 400), response.status_code


def test_a_post_without_its_token_changes_nothing(client, app_db, vlo):
    before = cases(app_db)
    response = client.post(URL, data=GOOD)
    assert response.status_code == 400
    assert cases(app_db) == before


# --- fast, and no writes on a GET ------------------------------------------------------


def test_the_page_asks_the_same_queries_however_many_officers_and_regions(app, client):
    signed_in_officer(client, role=OfficerRole.ADMIN)
    few = queries(app, lambda: client.get(URL))
    with app.app_context():
        for _ in range(15):
            OfficerFactory()
        db.session.commit()
    assert queries(app, lambda: client.get(URL)) == few


def test_showing_the_page_writes_nothing_but_the_audit(app, client, vlo):
    client.get(URL)
    with statements(app) as seen:
        assert client.get(URL).status_code == 200
    writes = [s for s in seen if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert [w.split("(")[0].strip() for w in writes] == ["INSERT INTO audit_events"]


def test_the_same_form_sent_twice_makes_one_case_and_one_welcome(client, app_db, vlo):
    """A double click, a resend after a timeout, or the same form posted again (an outside
    test made four cases, victims and welcomes this way) makes one case."""
    page = page_of(client.get(URL))
    key = page.find("input", attrs={"name": "submission_key"})["value"]
    token = csrf(page)
    before = cases(app_db)
    welcomes = app_db.scalar(select(func.count()).select_from(OutboxNotification))
    first = client.post(URL, data={**GOOD, "csrf_token": token, "submission_key": key})
    again = client.post(URL, data={**GOOD, "csrf_token": token, "submission_key": key})
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert cases(app_db) == before + 1
    assert app_db.scalar(select(func.count()).select_from(OutboxNotification)) == welcomes + 1
    # A new form (a new key) is a new referral.
    assert send(client, GOOD).status_code == 303
    assert cases(app_db) == before + 2
