"""The real Notify client against a local stand-in: errors handled as Notify documents."""

from datetime import timedelta

import jwt
import pytest

from portal.extensions import db
from portal.models import NotificationChannel, NotificationStatus, OutboxNotification, utcnow
from portal.notifications.providers import NotifyProvider
from portal.notifications.worker import send_due
from tests.support.factories import OutboxNotificationFactory
from tests.support.fake_notify import API_KEY, SECRET, SERVICE_ID, FakeNotifyServer

TEMPLATES = {"email": "email-template-id", "sms": "sms-template-id", "letter": "letter-template-id"}


@pytest.fixture
def notify():
    with FakeNotifyServer() as server:
        yield server


@pytest.fixture
def provider(notify):
    return NotifyProvider(API_KEY, notify.base_url, TEMPLATES, timeout=0.5)


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def status_of(session, notification_id):
    session.expire_all()
    return session.get(OutboxNotification, notification_id)


def test_email_reaches_notify_with_token_template_and_reference(session, notify, provider):
    notification = OutboxNotificationFactory(
        template_key="sign_in_code", personalisation={"code": "123456", "minutes": 10}
    )
    session.commit()
    result = send_due(session, provider)
    assert result.sent == 1
    (request,) = notify.state.sends
    assert request.path == "/v2/notifications/email"
    token = request.authorization.removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    assert request.payload["template_id"] == "email-template-id"
    assert request.payload["email_address"] == notification.recipient
    assert request.payload["reference"] == notification.id
    assert "123456" in request.payload["personalisation"]["body"]
    assert request.payload["personalisation"]["subject"] == "Your security code"
    sent = status_of(session, notification.id)
    assert sent.status == NotificationStatus.SENT
    assert sent.provider_reference == notify.state.accepted[notification.id]["id"]
    assert "code" not in sent.personalisation, "the code is forgotten once sent"


def test_sms_and_letter_use_their_templates(session, notify, provider):
    sms = OutboxNotificationFactory(channel=NotificationChannel.SMS, recipient="+447700900123")
    letter = OutboxNotificationFactory(
        channel=NotificationChannel.LETTER,
        recipient="1 Example Road\nExample Town\nEX1 2BB",
        victim__full_name="Jordan Ellis",
    )
    session.commit()
    assert send_due(session, provider).sent == 2
    by_reference = {r.payload["reference"]: r for r in notify.state.sends}
    assert by_reference[sms.id].path == "/v2/notifications/sms"
    assert by_reference[sms.id].payload["phone_number"] == "+447700900123"
    letter_request = by_reference[letter.id]
    assert letter_request.path == "/v2/notifications/letter"
    personalisation = letter_request.payload["personalisation"]
    assert personalisation["address_line_1"] == "Jordan Ellis"
    assert personalisation["address_line_4"] == "EX1 2BB"


@pytest.mark.parametrize("status", [400, 403])
def test_errors_notify_says_not_to_retry_fail_at_once(session, notify, provider, status):
    notify.state.script = [("status", status)]
    notification = OutboxNotificationFactory()
    session.commit()
    result = send_due(session, provider)
    assert result.failed == 1
    failed = status_of(session, notification.id)
    assert failed.status == NotificationStatus.FAILED
    assert failed.last_error == f"notify {status}"
    assert len(notify.state.sends) == 1


@pytest.mark.parametrize("status", [429, 500])
def test_errors_notify_says_to_retry_are_retried_later_and_sent_once(
    session, notify, provider, status
):
    notify.state.script = [("status", status)]
    notification = OutboxNotificationFactory()
    session.commit()
    now = utcnow()
    assert send_due(session, provider, now=now).retrying == 1
    waiting = status_of(session, notification.id)
    assert waiting.status == NotificationStatus.PENDING
    assert waiting.next_attempt_at > now  # backoff
    assert send_due(session, provider, now=now).claimed == [], "not due yet"
    later = now + timedelta(hours=7)
    assert send_due(session, provider, now=later).sent == 1
    assert status_of(session, notification.id).status == NotificationStatus.SENT
    assert len(notify.state.sends) == 2
    assert list(notify.state.accepted) == [notification.id], "accepted exactly once"


def test_a_timeout_after_notify_accepted_is_not_sent_twice(session, notify, provider):
    notify.state.script = [("timeout", 1.5, True)]
    notification = OutboxNotificationFactory()
    session.commit()
    now = utcnow()
    assert send_due(session, provider, now=now).retrying == 1
    assert status_of(session, notification.id).last_error == "notify 503"
    assert send_due(session, provider, now=now + timedelta(hours=7)).sent == 1
    assert len(notify.state.sends) == 1, "the retry found the first send by its reference"
    lookups = [r for r in notify.state.requests if r.method == "GET"]
    assert lookups and lookups[0].query["reference"] == [notification.id]
    assert status_of(session, notification.id).status == NotificationStatus.SENT


def test_a_crash_mid_send_is_recovered_when_the_lease_runs_out(session, notify, provider):
    notification = OutboxNotificationFactory()
    session.commit()
    # A worker claimed it, Notify accepted it, then the worker died before recording.
    row = status_of(session, notification.id)
    row.status = NotificationStatus.SENDING
    row.attempts = 1
    row.next_attempt_at = utcnow() + timedelta(minutes=5)
    notify.state.accepted[notification.id] = {"id": "earlier-send", "reference": notification.id}
    session.commit()
    assert send_due(session, provider).claimed == [], "lease still running"
    result = send_due(session, provider, now=utcnow() + timedelta(minutes=6))
    assert result.sent == 1
    recovered = status_of(session, notification.id)
    assert recovered.provider_reference == "earlier-send"
    assert notify.state.sends == []


def test_gives_up_after_the_last_attempt(session, notify, provider):
    notify.state.script = [("status", 500)] * 8
    notification = OutboxNotificationFactory()
    session.commit()
    moment = utcnow()
    for _ in range(8):
        send_due(session, provider, now=moment)
        moment += timedelta(hours=7)
    failed = status_of(session, notification.id)
    assert failed.status == NotificationStatus.FAILED
    assert failed.attempts == 8
    assert len(notify.state.sends) == 8
