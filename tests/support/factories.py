"""factory_boy factories for the models, saved through the test's own session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from portal.extensions import db
from portal.models import (
    Case,
    Channel,
    ContactPreference,
    Language,
    NotificationChannel,
    OutboxNotification,
    Victim,
)
from portal.notifications.outbox import CHANNEL_OF


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


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


class CaseFactory(Base):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"VCS-TEST-{n:04d}")
    victim = factory.SubFactory(VictimFactory)
    offender_name = "Test Offender"
    offence_type = "violent"


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
