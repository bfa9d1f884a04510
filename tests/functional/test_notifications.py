"""The outbox: written with the change or not at all; content in both languages; receipts."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from datetime import time as clock

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.config import PROJECT_ROOT, ConfigurationError
from portal.domain.security_codes import new_link_secret
from portal.domain.sms import sms_length
from portal.extensions import db
from portal.models import (
    Channel,
    Language,
    Message,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    Sender,
)
from portal.notifications.content import (
    KINDS,
    longest_personalisation,
    render,
    sms_that_do_not_fit,
)
from portal.notifications.outbox import enqueue, notify_victim
from portal.notifications.providers import DevelopmentProvider
from portal.notifications.worker import send_due
from tests.i18n.catalogue import OPEN, build_pseudo_translations
from tests.i18n.test_no_english_leaks import leaks_in
from tests.support.factories import CaseFactory, ContactPreferenceFactory, OutboxNotificationFactory

SAMPLE = {
    "code": "123456",
    "minutes": 10,
    "url": "https://victim-contact.example.gov.uk/sign-in",
    "reference": "VCS-ABCD-1234",
    "link": "https://victim-contact.example.gov.uk/register/resume/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "date": "23/12/2026",
    "mine": 3,
    "region": 12,
}
OFFENDER = "Test Offender"
#: The public address the portal is to run at in production (PUBLIC_BASE_URL): every SMS
#: must fit one fragment with real links to it. Production checks its own address on start.
PRODUCTION_ADDRESS = "https://victim-contact-scheme.service.justice.gov.uk"


@pytest.fixture
def session(app, db_session):
    with app.app_context():
        yield db.session


def outbox_count(session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxNotification))


# --- written in the same transaction -------------------------------------------------


def test_a_message_and_its_notification_are_saved_together(session):
    case = CaseFactory()
    preference = ContactPreferenceFactory(victim=case.victim)
    session.commit()
    before = outbox_count(session)
    session.add(Message(case=case, sender=Sender.OFFICER, body="Hello", language=Language.ENGLISH))
    notify_victim(session, case.victim, "new_message", {"url": SAMPLE["url"]})
    session.commit()
    assert outbox_count(session) == before + 1
    notification = session.scalars(
        select(OutboxNotification).filter_by(recipient=preference.value)
    ).one()
    assert notification.status == NotificationStatus.PENDING


def test_a_rolled_back_message_leaves_no_notification(session):
    case = CaseFactory()
    ContactPreferenceFactory(victim=case.victim)
    session.commit()
    before_messages = session.scalar(select(func.count()).select_from(Message))
    before = outbox_count(session)
    session.add(Message(case=case, sender=Sender.OFFICER, body="Hello", language=Language.ENGLISH))
    notify_victim(session, case.victim, "new_message", {"url": SAMPLE["url"]})
    session.flush()
    assert outbox_count(session) == before + 1
    session.rollback()
    assert outbox_count(session) == before
    assert session.scalar(select(func.count()).select_from(Message)) == before_messages


def test_notifications_go_to_a_safe_channel_in_the_victims_language(session):
    case = CaseFactory(victim__language=Language.WELSH)
    ContactPreferenceFactory(victim=case.victim, channel=Channel.EMAIL, is_safe=False)
    sms = ContactPreferenceFactory(victim=case.victim, channel=Channel.SMS, value="+447700900999")
    (notification,) = notify_victim(session, case.victim, "new_stage", {"url": SAMPLE["url"]})
    assert notification.recipient == sms.value
    assert notification.channel == NotificationChannel.SMS
    assert notification.language == Language.WELSH


def test_no_safe_channel_means_no_notification(session):
    case = CaseFactory()
    ContactPreferenceFactory(victim=case.victim, is_safe=False)
    assert notify_victim(session, case.victim, "new_stage", {"url": SAMPLE["url"]}) == []


def test_quiet_hours_hold_back_sms_but_not_sign_in_codes(session, tmp_path):
    evening = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
    case = CaseFactory()
    ContactPreferenceFactory(
        victim=case.victim,
        channel=Channel.SMS,
        value="+447700900111",
        safe_from=clock(9),
        safe_until=clock(17),
    )
    (held,) = notify_victim(session, case.victim, "new_message", {"url": "u"}, now=evening)
    assert held.next_attempt_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    code = enqueue(
        session,
        recipient="+447700900111",
        channel=NotificationChannel.SMS,
        kind="sign_in_code",
        language="en",
        personalisation={"code": "123456", "minutes": 10},
        safe_from=clock(9),
        safe_until=clock(17),
        now=evening,
    )
    assert code.next_attempt_at == evening
    session.commit()
    sent = send_due(session, DevelopmentProvider(tmp_path), now=evening)
    assert sent.claimed == [code.id]


def test_an_unknown_kind_is_refused(session):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        enqueue(
            session,
            recipient="a@example.com",
            channel=NotificationChannel.EMAIL,
            kind="offender_released",
            language="en",
            personalisation={},
        )


# --- content ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("channel", ["email", "sms", "letter"])
def test_every_kind_renders_in_both_languages(app, kind, channel):
    with app.app_context():
        english = render(kind, channel, "en", SAMPLE)
        welsh = render(kind, channel, "cy", SAMPLE)
    assert english.body and welsh.body
    assert english.body != welsh.body
    if channel == "email":
        assert english.subject and welsh.subject and english.subject != welsh.subject
    for rendered in (english, welsh):
        text = rendered.subject + rendered.body
        assert OFFENDER not in text
        assert "Official" not in text and "Swyddogol" not in text
    if channel == "sms":
        with app.test_request_context("/"):
            longest = longest_personalisation(PRODUCTION_ADDRESS)
            english, welsh = (render(kind, channel, lang, longest) for lang in ("en", "cy"))
        for rendered in (english, welsh):
            length = sms_length(rendered.body)
            assert length.fragments == 1, (kind, rendered.body, length)
            assert length.encoding == "GSM", "Welsh SMS avoid ŵ, ŷ, â and ’ to stay in one fragment"


def test_sms_are_measured_with_real_links_to_the_public_address(app):
    """Links built the way the portal builds them (a real resume token), not a short sample."""
    with app.test_request_context("/"):
        longest = longest_personalisation(PRODUCTION_ADDRESS)
    assert longest["url"] == f"{PRODUCTION_ADDRESS}/sign-in"
    prefix = f"{PRODUCTION_ADDRESS}/register/resume/"
    assert longest["link"].startswith(prefix)
    assert len(longest["link"]) - len(prefix) == len(new_link_secret()) >= 32


def test_production_starts_when_every_sms_fits_with_links_to_its_address(monkeypatch):
    from tests.support.config import production

    production(monkeypatch, PUBLIC_BASE_URL=PRODUCTION_ADDRESS)
    app = create_app("production")
    with app.test_request_context("/"):
        assert sms_that_do_not_fit(app.config["PUBLIC_BASE_URL"]) == []


def test_production_refuses_an_address_too_long_for_one_sms(monkeypatch):
    from tests.support.config import production

    too_long = "https://cynllun-cyswllt-dioddefwyr.victim-contact-scheme.service.justice.gov.uk"
    production(monkeypatch, PUBLIC_BASE_URL=too_long)
    with pytest.raises(ConfigurationError, match="registration_resume"):
        create_app("production")


def test_welsh_minutes_take_the_welsh_plural_forms(app):
    with app.app_context():
        two = render("sign_in_code", "sms", "cy", {**SAMPLE, "minutes": 2}).body
        ten = render("sign_in_code", "sms", "cy", {**SAMPLE, "minutes": 10}).body
        one_en = render("sign_in_code", "sms", "en", {**SAMPLE, "minutes": 1}).body
    assert "2 funud" in two
    assert "10 munud" in ten
    assert "1 minute." in one_en


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_english_in_welsh_notifications(tmp_path, database_url, kind):
    """Rendered through the pseudo catalogue: every word must come from it."""
    from portal import create_app
    from portal.extensions import babel

    build_pseudo_translations(tmp_path)
    pseudo_app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)},
    )
    babel.domain_instance.cache.clear()
    try:
        with pseudo_app.app_context():
            for channel in ("email", "sms", "letter"):
                rendered = render(kind, channel, "cy", SAMPLE)
                text = f"{rendered.subject} {rendered.body}".replace(SAMPLE["url"], "")
                text = text.replace(SAMPLE["link"], "").replace(SAMPLE["date"], "")
                assert OPEN in rendered.body
                assert not leaks_in(text.replace(SAMPLE["reference"], "")), text
    finally:
        babel.domain_instance.cache.clear()


def test_missing_personalisation_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="needs code"):
        render("sign_in_code", "sms", "en", {"minutes": 10})


# --- the development provider and the worker command -----------------------------------------


def test_development_provider_writes_the_log_and_a_file(session, tmp_path, caplog, monkeypatch):
    portal_logger = logging.getLogger("portal")
    monkeypatch.setattr(portal_logger, "handlers", [*portal_logger.handlers, caplog.handler])
    notification = OutboxNotificationFactory(
        template_key="sign_in_code", personalisation={"code": "654321", "minutes": 10}
    )
    session.commit()
    with caplog.at_level("INFO", logger="portal.notifications.providers"):
        assert send_due(session, DevelopmentProvider(tmp_path)).sent == 1
    written = (tmp_path / f"{notification.id}.txt").read_text()
    assert "654321" in written and notification.recipient in written
    assert "654321" in caplog.text


def test_worker_command_sends_and_stops_cleanly_on_sigterm(tmp_path):
    database = tmp_path / "worker.db"
    outbox = tmp_path / "outbox"
    env = dict(
        os.environ,
        PORTAL_ENV="testing",
        PORTAL_TEST_DATABASE_URL=f"sqlite:///{database}",
        NOTIFICATIONS_OUTBOX_DIR=str(outbox),
        FLASK_APP="wsgi.py",
    )
    flask = [sys.executable, "-m", "flask"]
    for command in (["db", "upgrade"], ["demo", "load"], ["demo", "send-sign-in-code"]):
        subprocess.run(
            [*flask, *command], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True
        )
    worker = subprocess.Popen(
        [*flask, "notifications", "work", "--poll", "0.2"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not list(outbox.glob("*.txt")):
            time.sleep(0.1)
        (written,) = list(outbox.glob("*.txt"))
        assert "Your security code is" in written.read_text()
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0
    assert "stopped" in output


# --- delivery receipts -----------------------------------------------------------------


@pytest.fixture
def receipts(app):
    app.config["NOTIFY_CALLBACK_TOKEN"] = "callback-token-for-tests-0123456789"
    yield app.test_client()
    app.config["NOTIFY_CALLBACK_TOKEN"] = ""


def bearer(token="callback-token-for-tests-0123456789"):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("provider_status", "expected"),
    [
        ("delivered", NotificationStatus.DELIVERED),
        ("permanent-failure", NotificationStatus.FAILED),
        ("temporary-failure", NotificationStatus.FAILED),
        ("technical-failure", NotificationStatus.FAILED),
        ("sending", NotificationStatus.SENT),
    ],
)
def test_delivery_receipt_updates_the_status(session, receipts, provider_status, expected):
    notification = OutboxNotificationFactory(status=NotificationStatus.SENT)
    session.commit()
    response = receipts.post(
        "/notifications/delivery-receipts",
        json={"id": "notify-id", "reference": notification.id, "status": provider_status},
        headers=bearer(),
    )
    assert response.status_code == 200
    session.expire_all()
    assert session.get(OutboxNotification, notification.id).status == expected


@pytest.mark.parametrize(
    "headers", [{}, bearer("wrong"), {"Authorization": "callback-token-for-tests-0123456789"}]
)
def test_delivery_receipt_needs_the_bearer_token(session, receipts, headers):
    notification = OutboxNotificationFactory(status=NotificationStatus.SENT)
    session.commit()
    response = receipts.post(
        "/notifications/delivery-receipts",
        json={"reference": notification.id, "status": "delivered"},
        headers=headers,
    )
    assert response.status_code == 401
    session.expire_all()
    assert session.get(OutboxNotification, notification.id).status == NotificationStatus.SENT


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '["a list"]',
        '{"status": "delivered"}',
        '{"reference": "x"}',
        "[" * 100_000,
        # Control characters never reach the database (a NUL was a 500 on PostgreSQL).
        '{"reference": "a\\u0000b", "status": "delivered"}',
        '{"reference": "00000000-0000-4000-8000-000000000000", "status": "deliv\\u0000ered"}',
        '{"reference": "x", "status": "delivered"}',
    ],
)
def test_malformed_receipts_are_a_clear_400(receipts, db_session, body):
    response = receipts.post(
        "/notifications/delivery-receipts",
        data=body,
        content_type="application/json",
        headers=bearer(),
    )
    assert response.status_code == 400
    assert "error" in response.json


def test_receipts_are_refused_when_no_token_is_configured(app, db_session):
    response = app.test_client().post(
        "/notifications/delivery-receipts",
        json={"reference": "x", "status": "delivered"},
        headers=bearer(""),
    )
    assert response.status_code == 401
