"""A victim with every kind of contact detail and an active case, for the tests of their
contact preferences, pausing and leaving (tests/functional/test_contact_preferences.py,
test_participation.py, and the i18n guard).

Built with the factories inside the test's transaction and returned as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    SentenceStage,
    TimelineEventKind,
    UpdatesWanted,
    utcnow,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    TimelineEventFactory,
    VictimFactory,
)
from tests.support.victim_state import signed_in

EMAIL = "bethan.prefs@example.com"
MOBILE = "+447700900111"
PHONE = "+442920000111"
ADDRESS = "1 Heol y Prawf\nCaerdydd\nCF10 1AA"


@dataclass(frozen=True)
class Member:
    victim_id: int
    case_id: int
    reference: str
    officer_id: int | None
    email_id: int | None
    mobile_id: int | None
    phone_id: int | None
    letter_id: int | None

    def url(self, rest: str = "") -> str:
        return f"/account/cases/{self.reference}{rest}"


def member(
    app: Flask,
    *,
    language: Language = Language.ENGLISH,
    status: CaseStatus = CaseStatus.ACTIVE,
    stage: SentenceStage = SentenceStage.CUSTODY,
    ways: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.LETTER),
    email: str = EMAIL,
    mobile: str = MOBILE,
    updates_wanted: UpdatesWanted = UpdatesWanted.EVERY_STAGE,
    sign_in_with: str | None = "email",
    client=None,
    **case,
) -> Member:
    """A victim in the scheme with the details `ways` (all safe and proved, safe times 9 to
    5 on the timed ones), an active case at `stage` with an officer; signed in on `client`
    with their email address (or mobile) when a client is given."""
    with app.app_context():
        victim = VictimFactory(
            language=language,
            relationship_to_victim="self",
            envelope_name_to_avoid=None,
            accessibility_needs="large-print",
        )
        values = {
            Channel.EMAIL: email,
            Channel.SMS: mobile,
            Channel.PHONE: PHONE,
            Channel.LETTER: ADDRESS,
        }
        ids = {}
        for way in ways:
            timed = way != Channel.LETTER
            ids[way] = ContactPreferenceFactory(
                victim=victim,
                channel=way,
                value=values[way],
                safe_from=time(9, 0) if timed else None,
                safe_until=time(17, 0) if timed else None,
                voicemail_safe=way == Channel.PHONE,
                verified_at=utcnow() if way in (Channel.EMAIL, Channel.SMS) else None,
            ).id
        officer = OfficerFactory(speaks_welsh=language == Language.WELSH)
        record = CaseFactory(
            victim=victim,
            status=status,
            officer=officer if status != CaseStatus.TRIAGE else None,
            region=officer.region,
            stage=stage,
            updates_wanted=updates_wanted,
            **case,
        )
        TimelineEventFactory(
            case=record,
            kind=TimelineEventKind.STAGE,
            stage=SentenceStage.SENTENCE,
            occurred_on=date(2024, 3, 1),
            summary="The offender was sentenced.",
            language=language,
        )
        db.session.commit()
        built = Member(
            victim_id=victim.id,
            case_id=record.id,
            reference=record.reference,
            officer_id=record.officer_id,
            email_id=ids.get(Channel.EMAIL),
            mobile_id=ids.get(Channel.SMS),
            phone_id=ids.get(Channel.PHONE),
            letter_id=ids.get(Channel.LETTER),
        )
    if client is not None and sign_in_with is not None:
        signed_in(client, email if sign_in_with == "email" else mobile)
    return built


#: The i18n guard's account pages about one case (tests/i18n/test_no_english_leaks.py):
#: the state each needs, by a marker in the address.
ACCOUNT_PAGES = [
    "/account/cases/{reference}/contact",
    "/account/cases/{reference}/contact?as=notice",
    "/account/cases/{reference}/contact?as=paused",
    "/account/cases/{reference}/contact?as=left",
    "/account/cases/{reference}/contact/add/email",
    "/account/cases/{reference}/contact/add/letter",
    "/account/cases/{reference}/contact/{email_id}/change",
    "/account/cases/{reference}/contact/check",
    "/account/cases/{reference}/contact/security-code",
    "/account/cases/{reference}/contact/{email_id}/safety",
    "/account/cases/{reference}/contact/{letter_id}/remove",
    "/account/cases/{reference}/contact/times",
    "/account/cases/{reference}/contact/envelope",
    "/account/cases/{reference}/contact/language",
    "/account/cases/{reference}/contact/access-needs",
    "/account/cases/{reference}/updates",
    "/account/cases/{reference}/pause",
    "/account/cases/{reference}/pause/date",
    "/account/cases/{reference}/pause/check",
    "/account/cases/{reference}/pause/end?as=paused",
    "/account/cases/{reference}/leave",
    "/account/cases/{reference}/come-back?as=left",
    "/account?as=left",
]


def prime_account_page(client, url: str) -> str:
    """A Welsh victim signed in on `client`, their case in the state `url` names; returns
    the address with its ids filled in."""
    from portal.models import Case

    app = client.application
    me = member(app, language=Language.WELSH, client=client)
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        if "as=paused" in url:
            case.status, case.paused_until_stage = CaseStatus.PAUSED, SentenceStage.RELEASE
        if "as=left" in url:
            case.status, case.left_at = CaseStatus.CLOSED, utcnow()
        db.session.commit()
    with client.session_transaction() as cookie:
        if url.endswith(("/contact/check", "/contact/security-code")):
            cookie["contact_pending"] = {
                "case": me.reference,
                "way": "email",
                "value": "newydd@example.com",
                "replaces": me.email_id,
            }
        if url.endswith("/pause/check"):
            cookie["pause_pending"] = {"case": me.reference, "until": "parole"}
        if url.endswith("/pause/date"):
            cookie["pause_pending"] = {"case": me.reference, "until": "day", "day": None}
        if "as=notice" in url:
            cookie["contact_notice"] = {
                "case": me.reference,
                "done": "unsafe",
                "told": "sms",
                "to": "•••• 111",
            }
    return url.format(reference=me.reference, email_id=me.email_id, letter_id=me.letter_id)


def prime_staff_participation(client, url: str, officer_signed_in) -> str:
    """An officer of the region signed in on `client`, and a case whose victim left and
    asked to come back ("left") or paused until a date ("paused")."""
    from portal.models import Case

    app = client.application
    me = member(app, language=Language.WELSH)
    with app.app_context():
        case = db.session.get(Case, me.case_id)
        if "as=paused" in url:
            case.status, case.paused_until = CaseStatus.PAUSED, date(2030, 1, 1)
        else:
            case.status, case.left_at, case.come_back_asked_at = (
                CaseStatus.CLOSED,
                utcnow(),
                utcnow(),
            )
        region_id = case.region_id
        db.session.commit()
    officer_signed_in(client, region_id=region_id)
    return url.format(case_id=me.case_id)


def any_time(app: Flask, victim_id: int) -> None:
    """The victim's mobile number may be texted at any hour: a test that delivers what was
    sent does not then depend on the clock (member() makes it safe from 9 to 5)."""
    with app.app_context():
        for detail in db.session.scalars(
            select(ContactPreference).where(
                ContactPreference.victim_id == victim_id, ContactPreference.channel == Channel.SMS
            )
        ):
            detail.safe_from = detail.safe_until = None
        db.session.commit()
