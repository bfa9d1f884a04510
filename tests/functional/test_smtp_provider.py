"""Email through a real local SMTP server (aiosmtpd), for teams without Notify."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from portal.extensions import db
from portal.models import NotificationChannel, NotificationStatus, OutboxNotification
from portal.notifications.providers import SmtpProvider
from portal.notifications.worker import send_due
from tests.support.factories import OutboxNotificationFactory


class Inbox(MessageHandler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def prepare_message(self, session, envelope):
        return message_from_bytes(envelope.content)


class Refusing:
    """An SMTP server that refuses every recipient for good (550)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 mailbox unavailable"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def provider_for(controller) -> SmtpProvider:
    return SmtpProvider(
        controller.hostname, controller.port, "no-reply@example.gov.uk", starttls=False
    )


def test_email_arrives_in_the_victims_language(session, smtp_server):
    controller, inbox = smtp_server
    notification = OutboxNotificationFactory(
        language="cy",
        template_key="sign_in_code",
        personalisation={"code": "246810", "minutes": 10},
    )
    session.commit()
    assert send_due(session, provider_for(controller)).sent == 1
    (message,) = inbox.messages
    assert message["To"] == notification.recipient
    assert message["From"] == "no-reply@example.gov.uk"
    assert message["Subject"] == "Eich cod diogelwch"
    assert notification.id in message["Message-ID"]
    assert "246810" in message.get_payload(decode=True).decode()
    session.expire_all()
    assert session.get(OutboxNotification, notification.id).status == NotificationStatus.SENT


def test_smtp_server_down_is_retried(session):
    notification = OutboxNotificationFactory()
    session.commit()
    provider = SmtpProvider("127.0.0.1", free_port(), "no-reply@example.gov.uk", starttls=False)
    assert send_due(session, provider).retrying == 1
    session.expire_all()
    assert session.get(OutboxNotification, notification.id).status == NotificationStatus.PENDING


def test_a_refused_recipient_fails_without_retry(session):
    controller = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        notification = OutboxNotificationFactory()
        session.commit()
        assert send_due(session, provider_for(controller)).failed == 1
    finally:
        controller.stop()
    session.expire_all()
    failed = session.get(OutboxNotification, notification.id)
    assert failed.status == NotificationStatus.FAILED
    assert failed.last_error.startswith("smtp 5")


def test_smtp_sends_email_only(session, smtp_server):
    controller, inbox = smtp_server
    notification = OutboxNotificationFactory(
        channel=NotificationChannel.SMS, recipient="+447700900123"
    )
    session.commit()
    assert send_due(session, provider_for(controller)).failed == 1
    assert inbox.messages == []
    session.expire_all()
    assert "cannot send sms" in session.get(OutboxNotification, notification.id).last_error
