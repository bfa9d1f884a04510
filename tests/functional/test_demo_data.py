"""The demo data `make run` loads (and the `app` fixture): a console worth looking at.

Every region has its officers and a few dozen cases in every state, dated from today so
that the queues always hold fresh and overdue work; what a victim reads is in their
language; everything is invented. portal/demo_console.py generates it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import demo_console, encryption
from portal.catalogue import in_language
from portal.demo import DEMO_OFFICER_PASSWORD, DEMO_TOTP_SECRETS, OFFICERS
from portal.demo_console import (
    ABBREVIATIONS,
    CONSOLE_OFFICERS,
    DECLINE_NOTES,
    GENERATED_REFERENCES,
    REFERENCE_PREFIX,
    DemoOfficer,
    plan_everything,
)
from portal.domain.case_timeline import CONTACT_KINDS
from portal.domain.passwords import verify_password
from portal.domain.regions import PROBATION_REGIONS
from portal.domain.waiting import wait
from portal.domain.working_days import working_days_between
from portal.extensions import db, limiter
from portal.models import (
    Case,
    CaseSource,
    CaseStatus,
    Channel,
    ContactDirection,
    ContactPreference,
    Language,
    Message,
    NotificationStatus,
    OfficerRole,
    OutboxNotification,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    VictimLiaisonOfficer,
)
from portal.services.messages import local_day
from portal.services.registration import JOINED_ONLINE
from portal.services.timeline import standard_wording


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def demo_cases(session, region: str | None = None) -> list[Case]:
    pattern = f"{REFERENCE_PREFIX}{ABBREVIATIONS[region]}-%" if region else GENERATED_REFERENCES
    return session.scalars(
        select(Case)
        .where(Case.reference.like(pattern))
        .options(
            selectinload(Case.victim).selectinload(Victim.contact_preferences),
            selectinload(Case.timeline),
        )
        .order_by(Case.reference)
    ).all()


def test_every_region_has_a_manager_and_vlos_and_wales_has_welsh_speakers(session):
    officers = session.scalars(
        select(VictimLiaisonOfficer).options(selectinload(VictimLiaisonOfficer.region))
    ).all()
    demo_emails = {email for _, _, email, _, _ in OFFICERS} | {o.email for o in CONSOLE_OFFICERS}
    demo = [officer for officer in officers if officer.email in demo_emails]
    assert len(demo) == len(demo_emails)
    for names in PROBATION_REGIONS:
        here = [o for o in demo if o.region.code == names.code and o.role != OfficerRole.ADMIN]
        roles = Counter(o.role for o in here)
        assert roles[OfficerRole.MANAGER] == 1, names.code
        assert 1 <= roles[OfficerRole.VLO] <= 3, names.code
    welsh_speakers = [o for o in demo if o.region.code == "wales" and o.speaks_welsh]
    assert {o.role for o in welsh_speakers} >= {OfficerRole.VLO, OfficerRole.MANAGER}
    assert [o.email for o in demo if o.role == OfficerRole.ADMIN] == ["priya.shah@example.gov.uk"]


def test_every_demo_officer_signs_in_with_the_password_and_their_printed_secret(session):
    officers = session.scalars(
        select(VictimLiaisonOfficer).where(
            VictimLiaisonOfficer.email.in_([o.email for o in CONSOLE_OFFICERS])
        )
    ).all()
    assert len(officers) == len(CONSOLE_OFFICERS)
    # One hash (Argon2 is slow on purpose), made once for all of them.
    (password_hash,) = {officer.password_hash for officer in officers}
    assert verify_password(password_hash, DEMO_OFFICER_PASSWORD)
    for officer in officers:
        secret = encryption.decrypt(officer.totp_secret_sealed)
        assert secret == DEMO_TOTP_SECRETS[officer.email]
        pyotp.TOTP(secret).now()  # a valid base32 secret
        assert officer.totp_confirmed_at is not None
    # The original three keep their secrets (the README and the browser tests use them).
    assert DEMO_TOTP_SECRETS["alys.prydderch@example.gov.uk"] == "DEMOALYSPRYDDERCHVCSDEMO"
    assert len(set(DEMO_TOTP_SECRETS.values())) == len(DEMO_TOTP_SECRETS)


def test_each_region_has_a_few_dozen_cases_in_every_state(session, demo_day):
    today = demo_day
    for code in ABBREVIATIONS:
        cases = demo_cases(session, code)
        assert 30 <= len(cases) <= 60, code
        assert {case.status for case in cases} == set(CaseStatus), code
        triage = [c for c in cases if c.status == CaseStatus.TRIAGE]
        waits = [wait(c.clock_started_on, today) for c in triage]
        assert any(w.waited == 0 for w in waits), f"{code}: nothing registered today"
        assert any(0 < w.waited <= 20 for w in waits), code
        assert any(w.overdue for w in waits), f"{code}: nothing overdue"
        flagged = [c for c in triage if c.possible_duplicate_of_id]
        assert len(flagged) >= 2, code
        active = [c for c in cases if c.status == CaseStatus.ACTIVE]
        waiting = [c for c in active if c.first_contact_on is None]
        assert any(wait(c.clock_started_on, today).overdue for c in waiting), code
        assert any(not wait(c.clock_started_on, today).overdue for c in waiting), code
        assert {c.stage for c in active if c.first_contact_on} == set(SentenceStage), code
        assert all(c.officer_id for c in active), code


def test_links_between_cases_are_the_same_person_in_the_same_region(session):
    cases = {case.id: case for case in demo_cases(session)}
    flagged = [c for c in cases.values() if c.possible_duplicate_of_id]
    merged = [c for c in cases.values() if c.status == CaseStatus.MERGED]
    assert flagged and merged
    assert all(c.merged_into_id for c in merged)
    for case in flagged + merged:
        original = cases[case.possible_duplicate_of_id or case.merged_into_id]
        assert original.status in (CaseStatus.ACTIVE, CaseStatus.PAUSED)
        assert original.region_id == case.region_id
        assert original.victim.full_name == case.victim.full_name
        assert original.offender_name == case.offender_name
        safe_emails = {p.value for p in original.victim.contact_preferences if p.is_safe}
        assert {p.value for p in case.victim.contact_preferences} <= safe_emails


def test_referrals_declines_and_the_clock(session, demo_day):
    cases = demo_cases(session)
    referrals = [c for c in cases if c.source == CaseSource.REFERRAL]
    assert len(referrals) > len(cases) / 4
    for case in referrals:
        assert case.referred_on == case.clock_started_on
        assert "Witness Care Unit" in case.referred_by
    declined = [c for c in cases if c.status == CaseStatus.DECLINED]
    assert {c.decline_reason for c in declined} == set(DECLINE_NOTES)
    for case in declined:
        language = 1 if case.victim.language == Language.WELSH else 0
        assert case.decline_note == DECLINE_NOTES[case.decline_reason][language]
        assert case.triaged_by_id and case.triaged_at and case.officer_id is None
    contacted = [c for c in cases if c.first_contact_on]
    assert all(c.clock_started_on <= c.first_contact_on for c in contacted)
    recent = [c for c in contacted if (demo_day - c.first_contact_on).days <= 28]
    on_time = [
        c for c in recent if working_days_between(c.clock_started_on, c.first_contact_on) <= 20
    ]
    assert 0 < len(on_time) < len(recent), "the manager's chart shows contacts on time and late"


def test_online_registrations_proved_an_email_address_or_mobile(session):
    for case in demo_cases(session):
        proved = [p for p in case.victim.contact_preferences if p.verified_at]
        if case.source == CaseSource.ONLINE:
            assert proved, case.reference
        assert all(p.is_safe and p.channel in (Channel.EMAIL, Channel.SMS) for p in proved)


def test_victims_are_varied_and_welsh_speakers_are_mostly_in_wales(session):
    cases = demo_cases(session)
    victims = [case.victim for case in cases]
    assert any(v.accessibility_needs for v in victims)
    assert any(v.representative_name for v in victims)
    assert any(v.envelope_name_to_avoid for v in victims)
    assert any(not p.is_safe for v in victims for p in v.contact_preferences)
    assert {p.channel for v in victims for p in v.contact_preferences} == set(Channel)
    welsh = Counter(
        case.region.code if case.region else None
        for case in cases
        if case.victim.language == Language.WELSH
    )
    in_wales = welsh.pop("wales")
    assert in_wales > len(demo_cases(session, "wales")) / 4
    assert in_wales > 2 * max(welsh.values())


def test_everything_is_invented(session):
    mobile = re.compile(r"\+447700900\d{3}")
    landline = re.compile(r"\+442079460\d{3}")
    details = session.scalars(
        select(ContactPreference)
        .join(Victim)
        .join(Case)
        .where(Case.reference.like(GENERATED_REFERENCES))
    ).all()
    for detail in details:
        if detail.channel == Channel.EMAIL:
            assert detail.value.endswith("@example.com")
        elif detail.channel == Channel.SMS:
            assert mobile.fullmatch(detail.value)
        elif detail.channel == Channel.PHONE:
            assert landline.fullmatch(detail.value)
        else:
            assert "ZZ99" in detail.value
    mobiles = [d.value for d in details if d.channel == Channel.SMS]
    assert len(mobiles) == len(set(mobiles)), "no two victims share a mobile number"
    for officer in CONSOLE_OFFICERS:
        assert officer.email.endswith("@example.gov.uk")


def test_what_the_victim_reads_is_in_their_language(session):
    """Each entry's summary is one of the demo's phrases in the victim's language, and what
    only officers read is one of the officers' notes, in English."""
    phrases = [words for options in demo_console.STAGE_WORDS.values() for words in options]
    phrases += [words for _, _, words in demo_console.LATER_CONTACTS]
    phrases += [
        (standard_wording(stage, "en"), standard_wording(stage, "cy")) for stage in SentenceStage
    ]
    phrases += [words for _, words, _ in demo_console.HIDDEN_CONTACTS]
    phrases += list(demo_console.FIRST_CONTACT.values())
    phrases += [
        demo_console.REFERRED,
        demo_console.ACCEPTED,
        demo_console.DECLINED,
        demo_console.JOINED_TO_CASE,
        demo_console.PAUSED,
        demo_console.LEFT,
        demo_console.ENDED,
        demo_console.HANDED_OVER,
        demo_console.come_back_words(),
        (in_language("en", JOINED_ONLINE), in_language("cy", JOINED_ONLINE)),
    ]
    sentenced = (
        re.compile(r"The offender was sentenced to \d+ years in custody\."),
        re.compile(r"Cafodd y troseddwr ddedfryd o [a-z ]+ o garchar\."),
    )
    notes = {note for _, _, note in demo_console.HIDDEN_CONTACTS}
    notes |= {*demo_console.INTERNAL_NOTES, *demo_console.HANDOVER_NOTES, *demo_console.PAUSE_NOTES}
    events, directions = Counter(), Counter()
    for case in demo_cases(session):
        welsh = case.victim.language == Language.WELSH
        said = {words[welsh] for words in phrases}
        for event in case.timeline:
            events[case.victim.language] += 1
            assert event.language == case.victim.language
            assert event.summary in said or sentenced[welsh].fullmatch(event.summary), (
                case.reference,
                event.summary,
            )
            if event.internal_note:
                assert event.internal_note in notes or event.internal_note.startswith(
                    "Same victim and offender as VCS-DEMO-"
                )
            if event.kind == TimelineEventKind.HANDOVER:
                assert not event.visible_to_victim and event.internal_note
            assert (event.direction is not None) == (event.kind in CONTACT_KINDS)
            directions[event.direction] += 1
    assert events[Language.WELSH] > 100 and events[Language.ENGLISH] > 1000
    assert directions[ContactDirection.FROM_VICTIM] and directions[ContactDirection.TO_VICTIM]
    assert in_language("cy", JOINED_ONLINE) != in_language("en", JOINED_ONLINE)


def test_stage_updates_were_told_within_0_to_8_working_days(session, demo_day):
    today = demo_day
    rows = session.execute(
        select(TimelineEvent, OutboxNotification, Case)
        .join(OutboxNotification, TimelineEvent.notification_id == OutboxNotification.id)
        .join(Case, TimelineEvent.case_id == Case.id)
        .where(Case.reference.like(GENERATED_REFERENCES))
        .options(selectinload(Case.victim).selectinload(Victim.contact_preferences))
    ).all()
    delays = Counter()
    for event, notification, case in rows:
        assert notification.status == NotificationStatus.SENT
        assert notification.victim_id == case.victim_id
        assert notification.language == case.victim.language
        safe = {p.value for p in case.victim.contact_preferences if p.is_safe}
        assert notification.recipient in safe
        assert event.visible_to_victim
        assert event.created_at <= notification.sent_at <= datetime.now(notification.sent_at.tzinfo)
        if event.kind == TimelineEventKind.STAGE:
            assert notification.template_key == "new_stage"
            delay = working_days_between(event.created_at.date(), notification.sent_at.date())
            delays[delay] += 1
    assert set(delays) == set(range(9)), "every delay from 0 to 8 working days"
    assert delays[0] + delays[1] > sum(delays.values()) / 2  # most are told within the aim
    recent = [
        e
        for e, _, _ in rows
        if e.kind == TimelineEventKind.STAGE and e.created_at.date() >= today - timedelta(days=28)
    ]
    assert len(recent) >= 12, "the manager's chart has the last four weeks' updates"
    # Nothing is waiting to be sent: `make run`'s worker sends no demo notification.
    pending = session.scalars(
        select(OutboxNotification.id)
        .join(Victim)
        .join(Case)
        .where(
            Case.reference.like(GENERATED_REFERENCES),
            OutboxNotification.status != NotificationStatus.SENT,
        )
    ).all()
    assert pending == []


def test_nothing_happens_in_the_future(session, demo_day):
    today = demo_day
    for case in demo_cases(session):
        assert case.clock_started_on <= today
        assert case.first_contact_on is None or case.first_contact_on <= today
        assert all(event.occurred_on <= today for event in case.timeline)


def test_the_plan_is_the_same_on_the_same_day():
    officers = {}
    for code, name, email, welsh, role in OFFICERS:
        officers.setdefault(code, []).append((email, name, role, welsh))
    for officer in CONSOLE_OFFICERS:
        officers.setdefault(officer.region, []).append(
            (officer.email, officer.name, officer.role, officer.speaks_welsh)
        )
    by_region = {
        code: [
            DemoOfficer(code, name, email, role, welsh) for email, name, role, welsh in sorted(here)
        ]
        for code, here in officers.items()
    }
    morning = datetime.fromisoformat("2026-03-02T10:00:00+00:00")
    first = plan_everything(morning.date(), morning, by_region)
    again = plan_everything(morning.date(), morning + timedelta(hours=6), by_region)
    assert first == again
    later = plan_everything(
        morning.date() + timedelta(days=7), morning + timedelta(days=7), by_region
    )
    assert [c.reference for c in later] == [c.reference for c in first]
    assert later[0].clock_started_on != first[0].clock_started_on  # dated from "today"


def test_demo_data_is_refused_in_production(app, monkeypatch):
    from portal import create_app
    from tests.support.config import production

    production(monkeypatch, DATABASE_URL="postgresql://portal@127.0.0.1:5432/portal")
    try:
        result = create_app("production").test_cli_runner().invoke(args=["demo", "load"])
    finally:
        limiter.init_app(app)  # the one limiter counts for the test app again, in memory
    assert result.exit_code != 0
    assert "never loaded in production" in result.output


def test_messages_wait_in_every_region_overdue_ones_a_welsh_readers_and_some_answered(
    session, demo_day
):
    today = demo_day
    cases = demo_cases(session)
    messages = session.scalars(
        select(Message).where(Message.case_id.in_([c.id for c in cases]))
    ).all()
    by_case: dict[int, list[Message]] = {}
    for message in messages:
        by_case.setdefault(message.case_id, []).append(message)
    case_of = {c.id: c for c in cases}
    for code in ABBREVIATIONS:
        here = {c.id for c in demo_cases(session, code)}
        waiting = [
            m for m in messages if m.case_id in here and m.sender == "victim" and not m.answered_at
        ]
        waits = [wait(local_day(m.created_at), today, 5) for m in waiting]
        assert any(w.overdue for w in waits), f"{code}: nothing overdue"
        assert any(not w.overdue for w in waits), code
        answered = [m for m in messages if m.case_id in here and m.sender == "officer"]
        assert answered and any(m.read_at for m in answered), code
        assert any(m.no_reply_needed for m in messages if m.case_id in here), code
    wales = {c.id for c in demo_cases(session, "wales")}
    assert any(
        case_of[m.case_id].victim.language == Language.WELSH
        and wait(local_day(m.created_at), today, 5).overdue
        for m in messages
        if m.case_id in wales and m.sender == "victim" and not m.answered_at
    ), "a Welsh reader's message is overdue in Wales"
    for case_id, written in by_case.items():
        case = case_of[case_id]
        assert case.status == CaseStatus.ACTIVE and case.officer_id
        for message in written:
            assert message.language == case.victim.language
            assert message.created_at <= datetime.now(message.created_at.tzinfo)
            if message.sender == "officer":
                assert message.officer_id == case.officer_id
    # Every officer who signs in with the README's addresses finds messages waiting.
    officers = {
        o.email: o.id
        for o in session.scalars(select(VictimLiaisonOfficer))
        if o.email in ("alys.prydderch@example.gov.uk", "ruth.adebayo-finch@example.gov.uk")
    }
    assert len(officers) == 2
    for email, officer_id in officers.items():
        assert any(
            case_of[m.case_id].officer_id == officer_id and not m.answered_at
            for m in messages
            if m.sender == "victim"
        ), email


# --- what victims do for themselves (issue 16) -------------------------------------------------


def test_victims_who_use_the_self_service_pages_are_seen_on_both_sides(app, session, demo_day):
    """VCS-DEMO-0004 to 0006 (Wales, Alys Prydderch): requests in several states, a pause
    until a parole review, a victim who left and asked to come back. Each victim signs in;
    their officer's "What needs you first" lists what waits for her."""
    from portal.models import NotificationChannel, RequestKind, RequestStatus, VictimRequest
    from portal.services import queues, sign_in

    by_reference = {
        case.reference: case
        for case in session.scalars(
            select(Case).where(
                Case.reference.in_(["VCS-DEMO-0004", "VCS-DEMO-0005", "VCS-DEMO-0006"])
            )
        )
    }
    requests = {
        (request.case_id, request.kind): request
        for request in session.scalars(
            select(VictimRequest).options(selectinload(VictimRequest.steps))
        )
    }
    elin, dylan, rhian = (by_reference[f"VCS-DEMO-000{n}"] for n in (4, 5, 6))
    statement = requests[(elin.id, RequestKind.PERSONAL_STATEMENT)]
    licence = requests[(elin.id, RequestKind.LICENCE_CONDITIONS)]
    summary = requests[(rhian.id, RequestKind.DECISION_SUMMARY)]
    assert statement.status == RequestStatus.RETURNED and statement.steps[-1].message
    assert statement.steps[-1].language == Language.WELSH
    assert licence.status == RequestStatus.SENT
    assert summary.status == RequestStatus.SUMMARY_SENT and summary.summary_sent_on
    # Every step is on the timeline the victim sees, in their language; an officer's step
    # told them, content-free, already sent.
    for request in (statement, licence, summary):
        entries = [e for e in request.case.timeline if e.request_id == request.id]
        assert len(entries) == len(request.steps)
        assert all(e.visible_to_victim and e.language == request.language for e in entries)
        for step in request.steps[1:]:
            assert step.notification.status == NotificationStatus.SENT
            assert step.notification.template_key == "request_update"
    assert (dylan.status, dylan.paused_until_stage) == (CaseStatus.PAUSED, SentenceStage.PAROLE)
    assert (rhian.status, rhian.left_at is not None, rhian.come_back_asked_at is not None) == (
        CaseStatus.CLOSED,
        True,
        True,
    )
    # Each of them signs in with their email address.
    for case in (elin, dylan, rhian):
        [email] = [p.value for p in case.victim.contact_preferences]
        assert sign_in._safe_details(session, NotificationChannel.EMAIL, email)
    # Alys's "What needs you first": the licence request, overdue; Rhian asking to come back.
    alys = session.scalars(
        select(VictimLiaisonOfficer).filter_by(email="alys.prydderch@example.gov.uk")
    ).one()
    needs = queues.needs_you(session, alys, demo_day)
    [waiting] = [row for row in needs.requests_waiting.rows if row.case_id == elin.id]
    assert waiting.kind == RequestKind.LICENCE_CONDITIONS and waiting.wait.overdue
    assert rhian.id in [row.case_id for row in needs.asked_to_come_back.rows]


def test_victims_who_left_and_some_who_asked_to_come_back(session, demo_day):
    """In every region a victim left the scheme (and can sign in to ask to come back); in
    every other region they have asked, online, and the officer's list shows them."""
    from portal.services import queues

    today = demo_day
    asked_in = []
    for code in ABBREVIATIONS:
        left = [c for c in demo_cases(session, code) if c.left_at is not None]
        assert len(left) == 1, code
        [case] = left
        assert case.status == CaseStatus.CLOSED and case.closed_at == case.left_at
        if case.come_back_asked_at is not None:
            assert case.come_back_asked_at > case.left_at
            asked_in.append(code)
            [entry] = [e for e in case.timeline if e.created_at == case.come_back_asked_at]
            assert entry.visible_to_victim and entry.recorded_by_id is None
            officer = session.get(VictimLiaisonOfficer, case.officer_id)
            needs = queues.needs_you(session, officer, today)
            assert case.id in [row.case_id for row in needs.asked_to_come_back.rows], code
    assert len(asked_in) == len(ABBREVIATIONS) // 2
    # A case closed because the sentence ended records when, and nobody left it.
    ended = [c for c in demo_cases(session) if c.status == CaseStatus.CLOSED and c.left_at is None]
    assert ended and all(c.closed_at is not None for c in ended)
