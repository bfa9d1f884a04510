"""Where notifications go: GOV.UK Notify, an SMTP server, or (by default) the log.

Each provider sends one rendered notification and says what happened:
`TemporaryFailure` means try again later, `PermanentFailure` means give up.
`find_sent(reference)` tells whether an earlier attempt already got through,
so that a retry after a crash or a timeout does not send twice.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from portal.notifications.content import Rendered

if TYPE_CHECKING:
    from notifications_python_client.errors import APIError

log = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    """The provider could not take it now: retry with backoff."""


class PermanentFailure(Exception):
    """The provider refused it for good (bad request, bad key): do not retry."""


@dataclass(frozen=True)
class Outgoing:
    reference: str  # the outbox id
    channel: str  # email, sms, letter
    recipient: str
    recipient_name: str
    rendered: Rendered


class Provider(Protocol):
    name: str
    #: The channels it can send: a notification on another channel fails at once.
    channels: frozenset[str]

    def send(self, outgoing: Outgoing) -> str:
        """Send it; return the provider's id for it."""

    def find_sent(self, reference: str) -> str | None:
        """The provider's id of an earlier send with this reference, if any."""


def letter_address(name: str, postal_address: str) -> dict[str, str]:
    """Notify's address lines: the name first (none when the letter may carry no name), the
    postcode last, at most 7 lines."""
    lines = [line.strip() for line in [name, *postal_address.splitlines()] if line.strip()]
    lines = [*lines[:6], lines[-1]] if len(lines) > 7 else lines
    return {f"address_line_{index}": line for index, line in enumerate(lines, start=1)}


class NotifyProvider:
    """GOV.UK Notify through notifications-python-client.

    One generic template per channel, whose content is the personalisation:
    email "((subject))" / "((body))", SMS "((body))", letter "((body))". Our
    words stay in our Welsh and English catalogue, reviewed with the code.
    """

    name = "notify"
    channels = frozenset({"email", "sms", "letter"})
    #: Notify's documented errors that retrying cannot fix.
    GIVE_UP = {400, 403}

    def __init__(self, api_key: str, base_url: str, template_ids: dict[str, str], timeout=10):
        # Imported here: only the notifications worker sends, and the client (with requests
        # and PyJWT) would add 18 MB to every web worker that never uses it.
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.template_ids = template_ids

    def send(self, outgoing: Outgoing) -> str:
        from notifications_python_client.errors import APIError

        template_id = self.template_ids[outgoing.channel]
        body = {"subject": outgoing.rendered.subject, "body": outgoing.rendered.body}
        try:
            if outgoing.channel == "email":
                response = self.client.send_email_notification(
                    outgoing.recipient, template_id, body, reference=outgoing.reference
                )
            elif outgoing.channel == "sms":
                response = self.client.send_sms_notification(
                    outgoing.recipient,
                    template_id,
                    {"body": outgoing.rendered.body},
                    reference=outgoing.reference,
                )
            else:
                personalisation: dict[str, Any] = letter_address(
                    outgoing.recipient_name, outgoing.recipient
                )
                personalisation["body"] = outgoing.rendered.body
                response = self.client.send_letter_notification(
                    template_id, personalisation, reference=outgoing.reference
                )
        except APIError as error:
            raise self._classify(error) from error
        return str(response["id"])

    def find_sent(self, reference: str) -> str | None:
        from notifications_python_client.errors import APIError

        try:
            found = self.client.get_all_notifications(reference=reference)
        except APIError as error:
            raise self._classify(error) from error
        notifications = found.get("notifications", [])
        return str(notifications[0]["id"]) if notifications else None

    def _classify(self, error: APIError) -> Exception:
        # 400 bad request and 403 bad key: Notify says fix, do not retry.
        # 429 rate limit, 500 and 503 (also how the client reports timeouts
        # and refused connections): Notify says try again later.
        kind = PermanentFailure if error.status_code in self.GIVE_UP else TemporaryFailure
        return kind(f"notify {error.status_code}")


class SmtpProvider:
    """Email through an SMTP server, for teams without Notify. Email only."""

    name = "smtp"
    channels = frozenset({"email"})

    def __init__(self, host, port, sender, username=None, password=None, starttls=True, timeout=10):
        self.host, self.port, self.sender = host, int(port), sender
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, outgoing: Outgoing) -> str:
        if outgoing.channel != "email":
            raise PermanentFailure(f"smtp cannot send {outgoing.channel}")
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = outgoing.recipient
        message["Subject"] = outgoing.rendered.subject
        # The same Message-ID on every attempt lets a mail system spot a resend.
        message_id = f"<{outgoing.reference}@victim-contact-scheme.invalid>"
        message["Message-ID"] = message_id
        message.set_content(outgoing.rendered.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            failure = PermanentFailure if all(500 <= c < 600 for c in codes) else TemporaryFailure
            raise failure(f"smtp {codes[0] if codes else 'refused'}") from error
        except smtplib.SMTPResponseException as error:
            failure = PermanentFailure if 500 <= error.smtp_code < 600 else TemporaryFailure
            raise failure(f"smtp {error.smtp_code}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"smtp {type(error).__name__}") from error
        return message_id

    def find_sent(self, reference: str) -> str | None:
        return None  # SMTP keeps no record we can ask


class DevelopmentProvider:
    """The embedded default: writes each notification to the log and a folder.

    Refused in production: it would put security codes in the log.
    """

    name = "development"
    channels = frozenset({"email", "sms", "letter"})

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, reference: str) -> Path:
        return self.folder / f"{reference}.txt"

    def send(self, outgoing: Outgoing) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        to = outgoing.recipient
        if outgoing.channel == "letter":  # the envelope: a name (if it may carry one), then
            to = "\n".join(letter_address(outgoing.recipient_name, to).values())
        text = (
            f"To: {to}\nChannel: {outgoing.channel}\n"
            f"Subject: {outgoing.rendered.subject}\n\n{outgoing.rendered.body}\n"
        )
        self._path(outgoing.reference).write_text(text, encoding="utf-8")
        log.info("development_notification %s\n%s", outgoing.reference, text)
        return outgoing.reference

    def find_sent(self, reference: str) -> str | None:
        return reference if self._path(reference).exists() else None


#: The channels each provider (NOTIFICATIONS_PROVIDER) can send.
CHANNELS = {
    "notify": NotifyProvider.channels,
    "smtp": SmtpProvider.channels,
    "development": DevelopmentProvider.channels,
}


def channels_for(config: dict[str, Any]) -> frozenset[str]:
    """What the configured provider can send: letters only through Notify (or the
    development provider), and SMTP sends email alone."""
    return CHANNELS.get(config["NOTIFICATIONS_PROVIDER"], DevelopmentProvider.channels)


def provider_from_config(config: dict[str, Any]) -> Provider:
    choice = config["NOTIFICATIONS_PROVIDER"]
    if choice == "notify":
        return NotifyProvider(
            config["NOTIFY_API_KEY"],
            config["NOTIFY_BASE_URL"],
            {
                "email": config["NOTIFY_EMAIL_TEMPLATE_ID"],
                "sms": config["NOTIFY_SMS_TEMPLATE_ID"],
                "letter": config["NOTIFY_LETTER_TEMPLATE_ID"],
            },
        )
    if choice == "smtp":
        return SmtpProvider(
            config["SMTP_HOST"],
            config["SMTP_PORT"],
            config["SMTP_FROM"],
            config.get("SMTP_USERNAME"),
            config.get("SMTP_PASSWORD"),
            starttls=config["SMTP_STARTTLS"],
        )
    return DevelopmentProvider(Path(config["NOTIFICATIONS_OUTBOX_DIR"]))
