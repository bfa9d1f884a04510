"""The worker checks again at send time, and claims are owned: victims stay safe,
nothing is sent twice, SIGTERM is prompt, and nothing is kept longer than needed."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ContactPreference,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
)
from portal.notifications.worker import (
    LEASE,
    MAX_ATTEMPTS,
    apply_receipt,
    claim_due,
    retry_failed,
    send_due,
    send_one,
)
from tests.support.factories import OutboxNotificationFactory


class Recording:
    name = "recording"

    def __init__(self, on_send=None, fail_with=None):
        self.sent, self.on_send, self.fail_with = [], on_send, fail_with

    def send(self, outgoing):
        if self.fail_with:
            raise self.fail_with
        self.sent.append(outgoing.reference)
        if self.on_send:
            self.on_send(outgoing)
        return f"provider-{outgoing.reference}"

    def find_sent(self, reference):
        return None


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def reload(session, notification_id):
    session.expire_all()
    return session.get(OutboxNotification, notification_id)


def preference_of(session, notification):
    return session.scalar(
        select(ContactPreference).filter_by(
            victim_id=notification.victim_id, value=notification.recipient
        )
    )


def test_a_contact_detail_marked_unsafe_before_sending_cancels_the_notification(session):
    notification = OutboxNotificationFactory()
    preference_of(session, notification).is_safe = False
    session.commit()
    provider = Recording()
    assert send_due(session, provider).cancelled == 1
    assert provider.sent == []
    assert reload(session, notification.id).status == NotificationStatus.CANCELLED


def test_a_contact_detail_removed_before_sending_cancels_it(session):
    notification = OutboxNotificationFactory(safe_contact=False)
    session.commit()
    assert send_due(session, Recording()).cancelled == 1
    assert reload(session, notification.id).status == NotificationStatus.CANCELLED


def test_quiet_hours_chosen_after_queueing_hold_the_sms_back(session):
    evening = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
    notification = OutboxNotificationFactory(
        channel=NotificationChannel.SMS, recipient="+447911123456", next_attempt_at=evening
    )
    preference = preference_of(session, notification)
    preference.safe_from, preference.safe_until = time(9), time(17)
    session.commit()
    provider = Recording()
    result = send_due(session, provider, now=evening)
    assert provider.sent == [] and result.retrying == 1
    held = reload(session, notification.id)
    assert held.status == NotificationStatus.PENDING
    assert held.next_attempt_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert held.attempts == 0, "waiting for safe hours is not a failed attempt"
    send_due(session, provider, now=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert provider.sent == [notification.id]


def test_a_claim_taken_over_after_its_lease_ran_out_is_sent_once(session):
    notification = OutboxNotificationFactory()
    session.commit()
    start = datetime.now(UTC)
    [(_, slow_token)] = claim_due(session, start)  # a worker that then stalls
    later = start + LEASE + timedelta(seconds=1)
    [(_, fresh_token)] = claim_due(session, later)  # another worker takes over
    provider = Recording()
    assert send_one(session, provider, notification.id, fresh_token, later) == "sent"
    assert send_one(session, provider, notification.id, slow_token, later) == "skipped"
    assert provider.sent == [notification.id]


def test_a_receipt_that_arrives_before_sent_is_recorded_is_kept(app, session):
    notification = OutboxNotificationFactory()
    session.commit()

    def receipt_arrives(outgoing):
        with app.app_context():
            apply_receipt(db.session, outgoing.reference, "delivered")

    send_due(session, Recording(on_send=receipt_arrives))
    assert reload(session, notification.id).status == NotificationStatus.DELIVERED


def test_stop_ends_the_pass_after_the_current_notification(session):
    for _ in range(3):
        OutboxNotificationFactory()
    session.commit()
    stop = threading.Event()
    provider = Recording(on_send=lambda outgoing: stop.set())
    send_due(session, provider, stop=stop)
    assert len(provider.sent) == 1


def test_an_unexpected_error_is_retried_within_the_limit(session):
    notification = OutboxNotificationFactory()
    session.commit()
    result = send_due(session, Recording(fail_with=RuntimeError("boom")))
    assert result.retrying == 1
    assert reload(session, notification.id).last_error == "RuntimeError"


def test_a_row_whose_worker_died_on_every_attempt_fails_in_the_end(session):
    notification = OutboxNotificationFactory(
        status=NotificationStatus.SENDING,
        attempts=MAX_ATTEMPTS,
        next_attempt_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    session.commit()
    provider = Recording()
    send_due(session, provider)
    assert provider.sent == []
    assert reload(session, notification.id).status == NotificationStatus.FAILED


def test_codes_are_forgotten_when_a_notification_fails(session):
    notification = OutboxNotificationFactory(
        template_key="sign_in_code", personalisation={"code": "123456", "minutes": 10}
    )
    session.commit()
    from portal.notifications.providers import PermanentFailure

    send_due(session, Recording(fail_with=PermanentFailure("notify 400")))
    failed = reload(session, notification.id)
    assert failed.status == NotificationStatus.FAILED
    assert "code" not in failed.personalisation


def test_a_notification_that_bounced_is_really_sent_again(app, session):
    notification = OutboxNotificationFactory()
    session.commit()
    provider = Recording()
    provider.find_sent = lambda reference: f"provider-{reference}"  # the bounced one
    send_due(session, provider)
    apply_receipt(session, notification.id, "permanent-failure")
    assert retry_failed(session) == 1
    send_due(session, provider)
    assert provider.sent == [notification.id, notification.id]
    assert reload(session, notification.id).status == NotificationStatus.SENT


def test_retry_failed_requeues_all_but_expired_codes(session):
    message = OutboxNotificationFactory(status=NotificationStatus.FAILED, attempts=8)
    code = OutboxNotificationFactory(
        status=NotificationStatus.FAILED, template_key="sign_in_code", personalisation={}
    )
    session.commit()
    assert retry_failed(session) == 1
    requeued = reload(session, message.id)
    assert requeued.status == NotificationStatus.PENDING
    assert requeued.attempts == 1, "the next attempt asks the provider first"
    assert reload(session, code.id).status == NotificationStatus.FAILED
