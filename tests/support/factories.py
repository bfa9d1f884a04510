"""factory_boy factories for every model, saved through the test's own session.

Each builds a valid record with no other set-up: a case brings its victim, an
officer brings a region, a code brings its hash. Tests build the records they
need with these instead of leaning on the demo data (portal/demo.py), which the
`app` fixture still loads for the tests that check the demo itself.

Call them inside an application context (the session is `db.session`), then
commit: the commit only releases a savepoint of the test's transaction.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import cache

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import current_app

from portal import encryption
from portal.domain.passwords import hash_password
from portal.domain.security_codes import hash_code
from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    CodePurpose,
    ContactPreference,
    Language,
    Message,
    MessageDraft,
    NotificationChannel,
    OfficerRole,
    OutboxNotification,
    Region,
    RegistrationDraft,
    Relation,
    Representative,
    RequestKind,
    RequestStatus,
    SecurityCode,
    Sender,
    SentenceStage,
    StaffLink,
    StaffLinkPurpose,
    StaffRecoveryCode,
    StaffSession,
    StaffSignInFailure,
    TimelineEvent,
    TimelineEventKind,
    Victim,
    VictimLiaisonOfficer,
    VictimRequest,
    VictimRequestStep,
    VictimSession,
    utcnow,
)
from portal.notifications.outbox import CHANNEL_OF
from portal.services.security_codes import fingerprint
from portal.services.staff_auth import recovery_hash
from portal.services.staff_links import LINK_LIFETIME, token_hash

#: The password of every officer the factory makes.
OFFICER_PASSWORD = "test-officer-password"


@cache
def _officer_password_hash() -> str:
    """Argon2 is slow on purpose: hash the test password once."""
    return hash_password(OFFICER_PASSWORD)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class RegionFactory(Base):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"test-region-{n}")
    name_en = factory.Sequence(lambda n: f"Test Region {n}")
    name_cy = factory.Sequence(lambda n: f"Rhanbarth Prawf {n}")
    unit_name_en = factory.LazyAttribute(lambda r: f"{r.name_en} Victim Liaison Unit")
    unit_name_cy = factory.LazyAttribute(lambda r: f"Uned Cyswllt Dioddefwyr {r.name_cy}")
    email = factory.LazyAttribute(lambda r: f"victim-liaison.{r.code}@example.gov.uk")
    phone = "0300 555 0000"
    address = "1 Test Street\nTest Town\nTE1 1ST"
    address_cy = "1 Stryd Prawf\nTref Prawf\nTE1 1ST"
    is_example = True


class OfficerFactory(Base):
    class Meta:
        model = VictimLiaisonOfficer

    region = factory.SubFactory(RegionFactory)
    full_name = factory.Sequence(lambda n: f"Test Officer {n}")
    email = factory.Sequence(lambda n: f"officer{n}@example.gov.uk")
    password_hash = factory.LazyFunction(_officer_password_hash)
    speaks_welsh = False
    role = OfficerRole.VLO

    class Params:
        #: An officer who has set up their authenticator app with TOTP_SECRET.
        with_app = factory.Trait(
            totp_secret_sealed=factory.LazyFunction(lambda: encryption.encrypt(TOTP_SECRET)),
            totp_confirmed_at=factory.LazyFunction(utcnow),
        )


#: The authenticator app secret of every officer made `with_app=True`.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


class StaffRecoveryCodeFactory(Base):
    """A recovery code; pass `code` for the code it is a hash of."""

    class Meta:
        model = StaffRecoveryCode
        exclude = ("code",)

    officer = factory.SubFactory(OfficerFactory, with_app=True)
    code = factory.Sequence(lambda n: f"recov-{n:05d}")
    code_hash = factory.LazyAttribute(
        lambda c: recovery_hash(current_app.config["SECRET_KEY"], c.code)
    )
    created_at = factory.LazyFunction(utcnow)


class StaffSessionFactory(Base):
    """A signed-in officer's session; pass `token` for the cookie's token it is a hash of."""

    class Meta:
        model = StaffSession
        exclude = ("token",)

    officer = factory.SubFactory(OfficerFactory, with_app=True)
    token = factory.Sequence(lambda n: f"test-staff-session-token-{n}")
    token_hash = factory.LazyAttribute(lambda s: hashlib.sha256(s.token.encode()).hexdigest())
    method = "password+totp"
    created_at = factory.LazyFunction(utcnow)
    last_seen_at = factory.SelfAttribute("created_at")


class StaffLinkFactory(Base):
    """A link emailed to a member of staff (an invitation by default, to an officer with no app
    yet); pass `token` for the token it is a hash of."""

    class Meta:
        model = StaffLink
        exclude = ("token",)

    officer = factory.SubFactory(OfficerFactory)
    purpose = StaffLinkPurpose.INVITATION
    token = factory.Sequence(lambda n: f"test-staff-link-{n:04d}")
    token_hash = factory.LazyAttribute(
        lambda link: token_hash(current_app.config["SECRET_KEY"], link.token)
    )
    created_at = factory.LazyFunction(utcnow)
    expires_at = factory.LazyAttribute(lambda link: link.created_at + LINK_LIFETIME)


class StaffSignInFailureFactory(Base):
    class Meta:
        model = StaffSignInFailure

    email_key = factory.Sequence(lambda n: f"{n:064x}")
    network_key = "0" * 64
    created_at = factory.LazyFunction(utcnow)


class VictimFactory(Base):
    class Meta:
        model = Victim

    full_name = factory.Sequence(lambda n: f"Test Victim {n}")
    language = Language.ENGLISH


class ContactPreferenceFactory(Base):
    class Meta:
        model = ContactPreference

    victim = factory.SubFactory(VictimFactory)
    channel = Channel.EMAIL
    value = factory.Sequence(lambda n: f"victim{n}@example.com")
    is_safe = True
    #: Proved (a code was entered, or an officer confirmed it): only such a detail signs in.
    verified_at = factory.LazyFunction(utcnow)


class CaseFactory(Base):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"VCS-TEST-{n:04d}")
    victim = factory.SubFactory(VictimFactory)
    offender_name = "Test Offender"
    offence_type = "violent"

    class Params:
        #: A case an officer is working on: in a region, with its officer.
        assigned = factory.Trait(
            status=CaseStatus.ACTIVE,
            officer=factory.SubFactory(OfficerFactory),
            region=factory.SelfAttribute("officer.region"),
        )


class TimelineEventFactory(Base):
    class Meta:
        model = TimelineEvent

    case = factory.SubFactory(CaseFactory)
    kind = TimelineEventKind.STAGE
    stage = SentenceStage.SENTENCE
    occurred_on = factory.Sequence(lambda n: date(2024, 1, 1) + timedelta(days=n))
    summary = factory.Sequence(lambda n: f"Test event {n}.")
    language = Language.ENGLISH


class MessageFactory(Base):
    class Meta:
        model = Message

    case = factory.SubFactory(CaseFactory)
    sender = Sender.VICTIM
    body = factory.Sequence(lambda n: f"Test message {n}.")
    language = Language.ENGLISH


class RepresentativeFactory(Base):
    """Someone a victim named to act for them, proved and live, who may do everything that
    can be given."""

    class Meta:
        model = Representative

    victim = factory.SubFactory(VictimFactory)
    full_name = "Rhian Helper"
    relation = Relation.FAMILY
    channel = NotificationChannel.EMAIL
    destination = factory.Sequence(lambda n: f"helper{n}@example.com")
    language = Language.ENGLISH
    may_see_case = True
    may_message = True
    may_request = True
    proved_at = factory.LazyFunction(utcnow)


class MessageDraftFactory(Base):
    """What a victim typed on a case and has not sent (kept on the server)."""

    class Meta:
        model = MessageDraft

    case = factory.SubFactory(CaseFactory)
    victim = factory.SelfAttribute("case.victim")
    body = factory.Sequence(lambda n: f"Test draft {n}")


class AuditEventFactory(Base):
    class Meta:
        model = AuditEvent

    actor_type = ActorType.SYSTEM
    action = "test action"
    detail = factory.LazyFunction(dict)


class OutboxNotificationFactory(Base):
    class Meta:
        model = OutboxNotification

    victim = factory.SubFactory(VictimFactory)
    recipient = factory.Sequence(lambda n: f"victim{n}@example.com")
    channel = NotificationChannel.EMAIL
    template_key = "new_message"
    language = Language.ENGLISH
    personalisation = factory.LazyFunction(lambda: {"url": "https://portal.example/sign-in"})

    @factory.post_generation
    def safe_contact(self, create, extracted, **kwargs):
        """The victim's own, safe contact detail that the notification goes to
        (pass safe_contact=False for a detail that is no longer on file)."""
        if extracted is False or self.victim is None:
            return
        db.session.add(
            ContactPreference(
                victim=self.victim,
                channel=CHANNEL_OF[NotificationChannel(self.channel)],
                value=self.recipient,
                is_safe=True,
                **kwargs,
            )
        )
        db.session.flush()


class RegistrationDraftFactory(Base):
    class Meta:
        model = RegistrationDraft

    answers = factory.LazyFunction(dict)
    language = Language.ENGLISH
    expires_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))


class SecurityCodeFactory(Base):
    """A code sent by email; pass `code` for the secret it is a hash of, `to` for where."""

    class Meta:
        model = SecurityCode
        exclude = ("code", "to")

    code = "123456"
    to = factory.Sequence(lambda n: f"victim{n}@example.com")
    purpose = CodePurpose.SIGN_IN
    channel = NotificationChannel.EMAIL
    destination_key = factory.LazyAttribute(
        lambda c: fingerprint(current_app.config["SECRET_KEY"], c.to)
    )
    network = "test"
    code_hash = factory.LazyAttribute(lambda c: hash_code(current_app.config["SECRET_KEY"], c.code))
    created_at = factory.LazyFunction(utcnow)
    expires_at = factory.LazyAttribute(lambda c: c.created_at + timedelta(minutes=10))


class VictimSessionFactory(Base):
    """A signed-in victim's session; pass `token` for the cookie's token it is a hash of."""

    class Meta:
        model = VictimSession
        exclude = ("token",)

    token = factory.Sequence(lambda n: f"test-session-token-{n}")
    token_hash = factory.LazyAttribute(lambda s: hashlib.sha256(s.token.encode()).hexdigest())
    channel = NotificationChannel.EMAIL
    destination = factory.Sequence(lambda n: f"victim{n}@example.com")
    created_at = factory.LazyFunction(utcnow)
    last_seen_at = factory.SelfAttribute("created_at")


class VictimRequestFactory(Base):
    """A request on an active case: a draft of licence conditions unless told otherwise."""

    class Meta:
        model = VictimRequest

    case = factory.SubFactory(CaseFactory, assigned=True)
    kind = RequestKind.LICENCE_CONDITIONS
    status = RequestStatus.DRAFT
    answers = factory.LazyFunction(dict)
    language = factory.SelfAttribute("case.victim.language")
    created_at = factory.LazyFunction(utcnow)


class VictimRequestStepFactory(Base):
    """The victim's sending of a request."""

    class Meta:
        model = VictimRequestStep

    request = factory.SubFactory(
        VictimRequestFactory, status=RequestStatus.SENT, sent_at=factory.LazyFunction(utcnow)
    )
    status = RequestStatus.SENT
    actor_type = ActorType.VICTIM
    language = factory.SelfAttribute("request.language")
    created_at = factory.LazyFunction(utcnow)
