"""Verification codes: hashed, expiring, limited attempts and resends, via the outbox."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    NotificationChannel,
    OutboxNotification,
    RegistrationDraft,
    SecurityCode,
)
from portal.services.verification import (
    CODE_LIFETIME,
    MAX_ATTEMPTS,
    CheckResult,
    TooManyCodes,
    check_code,
    send_code,
)

SECRET = "s" * 48
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


@pytest.fixture
def draft(session):
    draft = RegistrationDraft(language="cy", expires_at=NOW + timedelta(days=30))
    session.add(draft)
    session.flush()
    return draft


def sent_code(session, record) -> str:
    notification = session.scalars(
        select(OutboxNotification)
        .where(OutboxNotification.recipient == record.destination)
        .order_by(OutboxNotification.created_at)  # ids are random uuids: no order in them
    ).all()[-1]
    return notification.personalisation["code"]


def test_a_code_is_queued_in_the_drafts_language_and_kept_hashed(session, draft):
    record = send_code(session, draft, NotificationChannel.EMAIL, "a@example.com", SECRET, NOW)
    session.flush()
    code = sent_code(session, record)
    assert len(code) == 6 and code.isdigit()
    assert code not in record.code_hash
    notification = session.scalars(
        select(OutboxNotification).where(OutboxNotification.recipient == "a@example.com")
    ).one()
    assert notification.language == "cy"
    assert notification.template_key == "sign_in_code"
    assert record.expires_at == NOW + CODE_LIFETIME


def test_the_right_code_verifies_the_contact_detail(session, draft):
    record = send_code(session, draft, NotificationChannel.SMS, "+447911123456", SECRET, NOW)
    session.flush()
    code = sent_code(session, record)
    assert (
        check_code(session, draft, f" {code[:3]} {code[3:]} ", SECRET, NOW) == CheckResult.VERIFIED
    )
    assert draft.verified_channel == NotificationChannel.SMS
    assert draft.verified_value == "+447911123456"


def test_a_wrong_code_counts_an_attempt_and_then_locks(session, draft):
    record = send_code(session, draft, NotificationChannel.EMAIL, "b@example.com", SECRET, NOW)
    session.flush()
    code = sent_code(session, record)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_ATTEMPTS):
        assert check_code(session, draft, wrong, SECRET, NOW) == CheckResult.WRONG
    assert check_code(session, draft, code, SECRET, NOW) == CheckResult.TOO_MANY_ATTEMPTS
    assert draft.verified_value is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "<script>", "9" * 5000])
def test_malformed_codes_are_wrong_not_errors(session, draft, typed):
    send_code(session, draft, NotificationChannel.EMAIL, "c@example.com", SECRET, NOW)
    session.flush()
    assert check_code(session, draft, typed, SECRET, NOW) == CheckResult.WRONG


def test_codes_expire(session, draft):
    record = send_code(session, draft, NotificationChannel.EMAIL, "d@example.com", SECRET, NOW)
    session.flush()
    later = NOW + CODE_LIFETIME + timedelta(seconds=1)
    assert (
        check_code(session, draft, sent_code(session, record), SECRET, later) == CheckResult.EXPIRED
    )


def test_no_code_yet(session, draft):
    assert check_code(session, draft, "123456", SECRET, NOW) == CheckResult.NO_CODE


def test_only_the_newest_code_counts(session, draft):
    first = send_code(session, draft, NotificationChannel.EMAIL, "e@example.com", SECRET, NOW)
    session.flush()
    old = sent_code(session, first)
    second = send_code(
        session,
        draft,
        NotificationChannel.EMAIL,
        "e@example.com",
        SECRET,
        NOW + timedelta(seconds=5),
    )
    session.flush()
    new = sent_code(session, second)
    if old != new:
        assert (
            check_code(session, draft, old, SECRET, NOW + timedelta(seconds=6)) == CheckResult.WRONG
        )
    assert (
        check_code(session, draft, new, SECRET, NOW + timedelta(seconds=6)) == CheckResult.VERIFIED
    )


def test_resends_are_limited_per_registration(session, draft):
    for minute in range(3):
        send_code(
            session,
            draft,
            NotificationChannel.EMAIL,
            f"f{minute}@example.com",
            SECRET,
            NOW + timedelta(minutes=minute),
        )
    with pytest.raises(TooManyCodes) as caught:
        send_code(
            session,
            draft,
            NotificationChannel.EMAIL,
            "f9@example.com",
            SECRET,
            NOW + timedelta(minutes=5),
        )
    assert caught.value.reason == "draft"
    # An hour later the limit has passed.
    send_code(
        session,
        draft,
        NotificationChannel.EMAIL,
        "f9@example.com",
        SECRET,
        NOW + timedelta(hours=1, minutes=5),
    )


def test_codes_to_one_address_are_limited_per_network_and_per_day(session):
    drafts = [RegistrationDraft(expires_at=NOW + timedelta(days=30)) for _ in range(25)]
    session.add_all(drafts)
    session.flush()
    number = "+447911000111"
    for draft in drafts[:5]:
        send_code(session, draft, NotificationChannel.SMS, number, SECRET, NOW, network="a")
    with pytest.raises(TooManyCodes) as caught:
        send_code(session, drafts[5], NotificationChannel.SMS, number, SECRET, NOW, network="a")
    assert caught.value.reason == "network"
    # Someone asking from another network is not locked out by the first one...
    for n, draft in enumerate(drafts[5:20]):
        send_code(session, draft, NotificationChannel.SMS, number, SECRET, NOW, network=f"n{n}")
    # ...but one number gets at most a day's worth, from anywhere.
    with pytest.raises(TooManyCodes) as caught:
        send_code(session, drafts[20], NotificationChannel.SMS, number, SECRET, NOW, network="b")
    assert caught.value.reason == "destination"
    assert session.scalar(select(func.count()).select_from(SecurityCode)) == 20
    refused = session.scalars(select(AuditEvent).filter_by(action="security code refused")).all()
    assert [event.detail["reason"] for event in refused] == ["network", "destination"]
    assert all(number not in str(event.detail) for event in refused)
