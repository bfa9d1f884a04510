"""The retention rule (portal.services.retention, `flask retention apply`), on SQLite and
PostgreSQL: a closed case just outside its period is emptied of everything personal and
keeps its shell for the figures; one just inside is untouched; an open case never is; a
declined registration follows its own period; a person is emptied only once every case of
theirs is; a second run changes nothing; batches; the dry run counts and changes nothing;
and the audit, kept as it is, holds no personal text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    ContactDirection,
    DatePrecision,
    DeclineReason,
    Language,
    MessageDraft,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    RegistrationDraft,
    Representative,
    RequestStatus,
    Sender,
    SentenceStage,
    TimelineEventKind,
    Victim,
    VictimRequest,
    VictimSession,
)
from portal.services import messages, retention, sign_in, timeline, triage, victim_contacts
from portal.services import your_data as your_data_service
from portal.services.retention import Periods, years_before
from portal.services.staff_changes import StaffActor
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    OutboxNotificationFactory,
    RegistrationDraftFactory,
    RepresentativeFactory,
    TimelineEventFactory,
    VictimFactory,
    VictimRequestStepFactory,
)

pytestmark = pytest.mark.database

#: Today: the demo data the suite loads is recent, so none of it is due.
NOW = datetime.now(UTC).replace(microsecond=0)
SIX_YEARS = Periods(after_closing=6, after_declining=6)
#: The moment six years before NOW: a case closed before it is due.
CUTOFF = years_before(NOW, 6)
DAY = timedelta(days=1)
SIGN_IN_URL = "https://portal.example/sign-in"

#: Every kind of personal text a case and its person hold.
TEXTS = {
    "name": "Gwenllian Retention",
    "representative": "Ifor Representative",
    "relationship words": "her uncle, who brought her up",
    "envelope": "Ceri Dangerous",
    "access other": "Needs a quiet room",
    "offender": "Offender Retention",
    "sentence": "Nine years in custody",
    "external": "POLICE-REF-0042",
    "summary": "The offender was moved to an open prison in Wales.",
    "internal": "Staff: the victim's sister also rang.",
    "message": "Please call me after six, not before.",
    "reply": "I will call you on Thursday evening.",
    "draft": "I started writing this and stopped.",
    "email": "gwenllian.retention@example.com",
    "address": "7 Retention Lane\nRetention Town\nZZ99 9ZZ",
    "decline": "We could not find the sentence you described.",
    "request": "Please keep him away from Heol y Coleg, where my daughter's school is.",
    "decision": "The Parole Board agreed an exclusion zone around the school.",
    "helper": "Dilwyn Helper",
    "helper email": "dilwyn.helper@example.com",
}


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db_session


def commit() -> None:
    db.session.commit()


def a_person(**fields) -> Victim:
    victim = VictimFactory(
        full_name=TEXTS["name"],
        date_of_birth=date(1990, 1, 2),
        representative_name=TEXTS["representative"],
        relationship_to_victim=f"parent: {TEXTS['relationship words']}",
        language=Language.WELSH,
        accessibility_needs="interpreter",
        accessibility_other=TEXTS["access other"],
        envelope_name_to_avoid=TEXTS["envelope"],
        **fields,
    )
    ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=TEXTS["email"])
    ContactPreferenceFactory(victim=victim, channel=Channel.LETTER, value=TEXTS["address"])
    RepresentativeFactory(
        victim=victim, full_name=TEXTS["helper"], destination=TEXTS["helper email"]
    )
    OutboxNotificationFactory(
        victim=victim,
        recipient=TEXTS["email"],
        status=NotificationStatus.SENT,
        personalisation={"url": SIGN_IN_URL},
        safe_contact=False,
    )
    return victim


def a_case(victim: Victim | None = None, **fields) -> Case:
    """A case with one of every record that holds personal text."""
    case = CaseFactory(
        assigned=True,
        victim=victim or a_person(),
        offender_name=TEXTS["offender"],
        sentence_description=TEXTS["sentence"],
        external_reference=TEXTS["external"],
        court_code="cardiff",
        sentenced_in="2020-01",
        offence_type="violent",
        stage=SentenceStage.CUSTODY,
        first_contact_on=date(2020, 3, 1),
        **fields,
    )
    TimelineEventFactory(
        case=case,
        kind=TimelineEventKind.STAGE,
        stage=SentenceStage.CUSTODY,
        occurred_on=date(2021, 4, 1),
        precision=DatePrecision.MONTH,
        summary=TEXTS["summary"],
        internal_note=TEXTS["internal"],
        recorded_by_id=case.officer.id,
    )
    MessageFactory(case=case, sender=Sender.VICTIM, body=TEXTS["message"])
    MessageFactory(
        case=case, sender=Sender.OFFICER, officer_id=case.officer.id, body=TEXTS["reply"]
    )
    db.session.add(MessageDraft(case_id=case.id, victim_id=case.victim_id, body=TEXTS["draft"]))
    RegistrationDraftFactory(submitted_case_id=case.id, verified_value=TEXTS["email"])
    step = VictimRequestStepFactory(
        request__case=case,
        request__answers={"exclusion_zone_places": TEXTS["request"]},
        status=RequestStatus.DECIDED,
        actor_type=ActorType.STAFF,
        officer_id=case.officer.id,
        message=TEXTS["decision"],
    )
    db.session.flush()
    assert step.request.case_id == case.id
    return case


def closed(closed_at: datetime, victim: Victim | None = None) -> Case:
    return a_case(victim, status=CaseStatus.CLOSED, closed_at=closed_at)


def emptied(session, case_id: int) -> bool:
    session.expire_all()
    return session.get(Case, case_id).anonymised_at is not None


def texts_in_case(session, case_id: int) -> list[str]:
    """Every personal text still held for the case and its person."""
    session.expire_all()
    case = session.get(Case, case_id)
    victim = case.victim
    held = [
        case.offender_name,
        case.sentence_description,
        case.external_reference,
        case.decline_note,
        victim.full_name,
        victim.representative_name,
        victim.relationship_to_victim,
        victim.accessibility_other,
        victim.envelope_name_to_avoid,
    ]
    held += [e.summary for e in case.timeline] + [e.internal_note for e in case.timeline]
    held += [m.body for m in case.messages]
    held += session.scalars(select(MessageDraft.body).where(MessageDraft.case_id == case_id)).all()
    requests = session.scalars(select(VictimRequest).where(VictimRequest.case_id == case_id)).all()
    held += [str(request.answers) for request in requests]
    held += [step.message for request in requests for step in request.steps]
    held += [p.value for p in victim.contact_preferences]
    for representative in session.scalars(
        select(Representative).where(Representative.victim_id == victim.id)
    ):
        held += [representative.full_name, representative.destination]
    held += session.scalars(
        select(OutboxNotification.recipient).where(OutboxNotification.victim_id == victim.id)
    ).all()
    held += session.scalars(
        select(RegistrationDraft.verified_value).where(
            RegistrationDraft.submitted_case_id == case_id
        )
    ).all()
    return [text for text in held if text and any(text in t or t in text for t in TEXTS.values())]


# --- the period ---------------------------------------------------------------------------


def test_a_closed_case_just_outside_the_period_is_emptied_and_its_shell_kept(session):
    case = closed(CUTOFF - DAY)
    case_id, victim_id, officer_id, region_id = (
        case.id,
        case.victim_id,
        case.officer_id,
        case.region_id,
    )
    reference = case.reference
    notification_id = session.scalar(
        select(OutboxNotification.id).where(OutboxNotification.victim_id == victim_id)
    )
    db.session.commit()
    assert texts_in_case(session, case_id)

    counts = retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert (counts.cases, counts.people) == (1, 1)
    assert texts_in_case(session, case_id) == []
    case = session.get(Case, case_id)
    # The shell the figures count.
    assert (case.reference, case.status, case.officer_id, case.region_id) == (
        reference,
        CaseStatus.CLOSED,
        officer_id,
        region_id,
    )
    assert (case.stage, case.offence_type, case.first_contact_on) == (
        SentenceStage.CUSTODY,
        "violent",
        date(2020, 3, 1),
    )
    assert (case.court_code, case.sentenced_in) == (None, None)
    assert case.anonymised_at == NOW
    [entry] = case.timeline
    assert (entry.kind, entry.stage, entry.occurred_on, entry.precision, entry.summary) == (
        TimelineEventKind.STAGE,
        SentenceStage.CUSTODY,
        date(2021, 4, 1),
        DatePrecision.MONTH,
        "",
    )
    assert [(m.sender, m.body) for m in case.messages] == [
        (Sender.VICTIM, ""),
        (Sender.OFFICER, ""),
    ]
    victim = session.get(Victim, victim_id)
    assert (victim.full_name, victim.date_of_birth, victim.accessibility_needs) == ("", None, None)
    assert (victim.relationship_to_victim, victim.language) == ("parent", Language.WELSH)
    assert victim.contact_preferences == []
    notification = session.get(OutboxNotification, notification_id)
    assert (notification.recipient, notification.personalisation, notification.status) == (
        "",
        {},
        NotificationStatus.SENT,
    )
    [event] = session.scalars(
        select(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == retention.ANONYMISED
        )
    ).all()
    assert (event.actor_type, event.detail) == (ActorType.SYSTEM, {"status": "closed"})


def test_a_closed_case_just_inside_the_period_is_untouched(session):
    case = closed(CUTOFF + DAY)
    case_id = case.id
    db.session.commit()
    before = texts_in_case(session, case_id)

    counts = retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert (counts.cases, counts.people) == (0, 0)
    assert not emptied(session, case_id)
    assert texts_in_case(session, case_id) == before


@pytest.mark.parametrize("status", [CaseStatus.TRIAGE, CaseStatus.ACTIVE, CaseStatus.PAUSED])
def test_an_open_case_is_never_touched_however_old(session, status):
    case = a_case(status=status)
    case_id = case.id
    long_ago = NOW - timedelta(days=365 * 30)
    session.execute(
        Case.__table__.update()
        .where(Case.id == case_id)
        .values(created_at=long_ago, updated_at=long_ago, closed_at=long_ago)
    )
    db.session.commit()
    before = texts_in_case(session, case_id)

    retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert not emptied(session, case_id)
    assert texts_in_case(session, case_id) == before


def test_a_person_with_an_open_case_keeps_their_details(session):
    person = a_person()
    old = closed(CUTOFF - DAY, victim=person)
    live = a_case(person, status=CaseStatus.ACTIVE)
    old_id, live_id, victim_id = old.id, live.id, person.id
    db.session.commit()

    counts = retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert (counts.cases, counts.people) == (1, 0)
    assert emptied(session, old_id) and not emptied(session, live_id)
    victim = session.get(Victim, victim_id)
    assert victim.full_name == TEXTS["name"] and victim.anonymised_at is None
    assert {p.value for p in victim.contact_preferences} == {TEXTS["email"], TEXTS["address"]}
    # The old case's own words are gone all the same.
    old = session.get(Case, old_id)
    assert old.offender_name == "" and [m.body for m in old.messages] == ["", ""]


def test_closing_records_when_and_reopening_forgets(session):
    case = a_case(status=CaseStatus.ACTIVE)
    assert case.closed_at is None
    case.status = CaseStatus.CLOSED
    assert case.closed_at is not None
    case.status = CaseStatus.ACTIVE
    assert case.closed_at is None
    given = datetime(2020, 1, 1, tzinfo=UTC)
    assert CaseFactory(status=CaseStatus.CLOSED, closed_at=given).closed_at == given


def test_a_case_closed_before_closing_was_recorded_counts_from_its_last_change(session):
    case = a_case(status=CaseStatus.CLOSED)
    case_id = case.id
    session.execute(
        Case.__table__.update()
        .where(Case.id == case_id)
        .values(closed_at=None, updated_at=CUTOFF - DAY)
    )
    db.session.commit()
    retention.apply(session, SIX_YEARS, commit, now=NOW)
    assert emptied(session, case_id)


# --- declined registrations, and second registrations ------------------------------------


def declined(decided_at: datetime) -> Case:
    case = a_case(
        status=CaseStatus.DECLINED,
        decline_reason=DeclineReason.CASE_NOT_FOUND,
        decline_note=TEXTS["decline"],
        triaged_at=decided_at,
    )
    return case


def test_a_declined_registration_follows_its_own_period(session):
    shorter = Periods(after_closing=6, after_declining=1)
    outside = declined(years_before(NOW, 1) - DAY)
    inside = declined(years_before(NOW, 1) + DAY)
    outside_id, inside_id = outside.id, inside.id
    db.session.commit()

    # With the default periods, a decline 13 months ago is kept.
    assert retention.apply(session, SIX_YEARS, commit, now=NOW).cases == 0

    counts = retention.apply(session, shorter, commit, now=NOW)
    assert (counts.cases, counts.people) == (1, 1)
    assert emptied(session, outside_id) and not emptied(session, inside_id)
    assert session.get(Case, outside_id).decline_note is None
    assert session.get(Case, inside_id).decline_note == TEXTS["decline"]


def test_a_second_registration_goes_with_the_case_it_was_joined_to(session):
    kept_target = a_case(status=CaseStatus.ACTIVE)
    kept = a_case(status=CaseStatus.MERGED, merged_into_id=kept_target.id)
    gone_target = closed(CUTOFF - DAY)
    gone = a_case(status=CaseStatus.MERGED, merged_into_id=gone_target.id)
    ids = kept_target.id, kept.id, gone_target.id, gone.id
    db.session.commit()

    counts = retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert counts.cases == 2
    assert [emptied(session, case_id) for case_id in ids] == [False, False, True, True]


# --- running it -----------------------------------------------------------------------------


def test_a_second_run_changes_nothing(session):
    case_id = closed(CUTOFF - DAY).id
    db.session.commit()
    first = retention.apply(session, SIX_YEARS, commit, now=NOW)
    audit_rows = session.scalar(select(func.count()).select_from(AuditEvent))

    second = retention.apply(session, SIX_YEARS, commit, now=NOW + DAY)

    assert first.cases == 1
    assert (second.cases, second.people, set(second.records.values())) == (0, 0, {0})
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows
    assert session.get(Case, case_id).anonymised_at == NOW


def test_it_works_in_batches(session):
    ids = [closed(CUTOFF - DAY * (n + 1)).id for n in range(5)]
    db.session.commit()
    commits = []

    counts = retention.apply(
        session, SIX_YEARS, lambda: (commits.append(1), commit()), now=NOW, batch_size=2
    )

    assert (counts.cases, counts.people) == (5, 5)
    assert len(commits) == 3 + 3  # cases in 2, 2, 1; then people in 2, 2, 1
    assert all(emptied(session, case_id) for case_id in ids)


def test_the_dry_run_counts_what_would_go_and_changes_nothing(session):
    person = a_person()
    closed(CUTOFF - DAY, victim=person)
    closed(CUTOFF - 2 * DAY, victim=person)
    closed(CUTOFF + DAY)
    db.session.commit()

    planned = retention.plan(session, SIX_YEARS, now=NOW)
    assert not session.scalar(
        select(func.count()).select_from(Case).where(Case.anonymised_at.is_not(None))
    )
    done = retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert (planned.cases, planned.people) == (2, 1)
    assert planned.lines() == done.lines()
    assert done.records == {
        "timeline entries": 2,
        "messages": 4,
        "unsent messages": 2,
        "registration drafts": 2,
        "requests": 2,
        "request steps": 2,
        "contact details": 2,
        "representatives": 1,
        "notifications cancelled": 0,
        "notifications": 1,
    }


def test_a_pending_notification_to_an_emptied_person_is_cancelled(session):
    case = closed(CUTOFF - DAY)
    pending = OutboxNotificationFactory(
        victim=case.victim, recipient=TEXTS["email"], safe_contact=False
    )
    pending_id = pending.id
    db.session.commit()
    retention.apply(session, SIX_YEARS, commit, now=NOW)
    session.expire_all()
    notification = session.get(OutboxNotification, pending_id)
    assert (notification.status, notification.recipient) == (NotificationStatus.CANCELLED, "")


def test_the_command_prints_counts_only(app, session):
    closed(datetime.now(UTC) - timedelta(days=365 * 7))
    db.session.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing was changed." in dry.output
    assert "  cases: 1" in dry.output and "  people: 1" in dry.output
    assert not session.scalar(
        select(func.count()).select_from(Case).where(Case.anonymised_at.is_not(None))
    )

    done = runner.invoke(args=["retention", "apply", "--batch-size", "1"])
    assert done.exit_code == 0, done.output
    assert "  cases: 1" in done.output
    again = runner.invoke(args=["retention", "apply"])
    assert "  cases: 0" in again.output
    for output in (dry.output, done.output, again.output):
        for line in output.splitlines():
            assert re.fullmatch(
                r"Retention: \d+ years after closing, \d+ years after declining\."
                r"|Dry run: nothing was changed\. Would empty:|Emptied:|  [a-z ]+: \d+",
                line,
            ), line
        for text in TEXTS.values():
            assert text.splitlines()[0] not in output


def test_the_periods_are_configured(app):
    from portal import create_app
    from portal.config import ConfigurationError

    assert Periods.from_config(app.config) == Periods(6, 6)
    configured = create_app("testing", {"RETENTION_YEARS_AFTER_DECLINING": "2"})
    assert Periods.from_config(configured.config) == Periods(6, 2)
    for wrong in ("0", "many", "101"):
        with pytest.raises(ConfigurationError):
            create_app("testing", {"RETENTION_YEARS_AFTER_CLOSING": wrong})


# --- the audit ---------------------------------------------------------------------------


def test_the_audit_holds_no_personal_text_before_or_after(app, session):
    """The real services write their audit; then the rule runs. The audit is kept as it
    was (append-only) and holds no name, contact detail or free text, before or after."""
    officer = OfficerFactory()
    victim = a_person()
    ContactPreferenceFactory(victim=victim, channel=Channel.SMS, value="+447700900987")
    case = CaseFactory(
        victim=victim,
        status=CaseStatus.ACTIVE,
        officer=officer,
        region=officer.region,
        offender_name=TEXTS["offender"],
    )
    waiting = CaseFactory(victim=victim, status=CaseStatus.TRIAGE, region=officer.region)
    db.session.flush()
    long_ago = years_before(NOW, 7)

    timeline.add_stage(
        session,
        case,
        timeline.StageEntry(
            SentenceStage.PAROLE,
            date(2024, 1, 5),
            DatePrecision.MONTH,
            TEXTS["summary"],
            TEXTS["internal"],
            "key-stage",
        ),
        timeline.Actor(officer, "request-1", "192.0.2.10"),
        SIGN_IN_URL,
    )
    timeline.record_contact(
        session,
        case,
        timeline.ContactEntry(
            TimelineEventKind.CALL,
            ContactDirection.FROM_VICTIM,
            date(2024, 1, 6),
            True,
            TEXTS["reply"],
            TEXTS["internal"] + " (call)",
            "key-call",
        ),
        timeline.Actor(officer, "request-2", "192.0.2.10"),
    )
    messages.send_from_victim(
        session,
        case,
        TEXTS["message"],
        "key-message",
        messages.Actor(ActorType.VICTIM, victim.id, "request-3"),
        now=long_ago,
    )
    messages.reply(
        session,
        case,
        officer,
        TEXTS["reply"],
        Language.WELSH,
        "key-reply",
        SIGN_IN_URL,
        messages.Actor(ActorType.STAFF, officer.id, "request-4", "192.0.2.10"),
        now=long_ago,
    )
    sms = next(p for p in victim.contact_preferences if p.channel == Channel.SMS)
    victim_contacts.set_safety(
        session, case, sms, False, StaffActor(officer.id, "request-5", "192.0.2.10")
    )
    triage.decline(
        session,
        waiting,
        triage.Who(officer, "request-6", "192.0.2.10"),
        DeclineReason.OTHER,
        TEXTS["decline"],
        SIGN_IN_URL,
        now=long_ago,
    )
    sign_in.start_session(session, NotificationChannel.EMAIL, TEXTS["email"], "request-7")
    record = session.scalars(select(VictimSession).order_by(VictimSession.id.desc())).first()
    your_data_service.download(session, record, "json", "request-8")
    case.status = CaseStatus.CLOSED
    case.closed_at = long_ago
    db.session.commit()

    def audit_text() -> str:
        session.expire_all()
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.case_id.in_(ids)).order_by(AuditEvent.id)
        ).all()
        return " ".join(f"{row.action} {row.address} {row.request_id} {row.detail}" for row in rows)

    ids = [case.id, waiting.id]
    before = audit_text()
    assert "message.sent" in before and "triage.declined" in before
    assert "data downloaded" in before and "contact.marked_unsafe" in before

    counts = retention.apply(session, SIX_YEARS, commit, now=NOW)

    assert (counts.cases, counts.people) == (2, 1)
    after = audit_text()
    assert after.startswith(before)  # kept as it was, with the rule's own events added
    assert after.count(retention.ANONYMISED) == 2
    personal = [*TEXTS.values(), "+447700900987", "07700 900987", TEXTS["email"].split("@")[0]]
    for text in (before, after):
        for value in personal:
            for line in value.splitlines():
                assert line not in text, line
