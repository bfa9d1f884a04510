"""A victim and someone acting for them, for the representatives' tests and the i18n guard.

The victim (tests/support/preferences.py `member`: every kind of contact detail, an active
case at a stage with an officer, a timeline entry) has a message from their officer, one
of their own and a request they sent; the representative is a live `Representative` row
(proved), who may do what `permissions` says.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from portal.domain.representatives import DELEGABLE
from portal.extensions import db
from portal.models import (
    Case,
    Language,
    NotificationChannel,
    Permission,
    RequestKind,
    Sender,
)
from tests.support.factories import (
    MessageFactory,
    RepresentativeFactory,
    VictimRequestStepFactory,
)
from tests.support.preferences import member
from tests.support.victim_state import signed_in

REP_EMAIL = "rhian.helper@example.com"
REP_MOBILE = "+447700900333"
REP_NAME = "Rhian Helper"
VICTIM_NAME = "Bethan Prawf"
OFFICER_SAYS = "Your officer wrote this."
VICTIM_WROTE = "The victim wrote this."


@dataclass(frozen=True)
class Represented:
    victim_id: int
    case_id: int
    reference: str
    officer_id: int | None
    victim_email: str
    representative_id: int
    rep_email: str
    request_id: int

    def url(self, rest: str = "") -> str:
        return f"/account/cases/{self.reference}{rest}"


def represented(
    app: Flask,
    *,
    permissions=DELEGABLE,
    language: Language = Language.ENGLISH,
    rep_email: str = REP_EMAIL,
    rep_channel: NotificationChannel = NotificationChannel.EMAIL,
    client=None,
    as_victim: bool = False,
    **case,
) -> Represented:
    """A victim with a case, messages both ways and a request sent, and a representative who
    may do `permissions`; `client` is signed in as the representative (or, `as_victim`,
    as the victim)."""
    me = member(app, language=language, **case)
    given = frozenset(permissions)
    with app.app_context():
        record = db.session.get(Case, me.case_id)
        record.victim.full_name = VICTIM_NAME
        MessageFactory(
            case=record,
            sender=Sender.OFFICER,
            officer_id=me.officer_id,
            body=OFFICER_SAYS,
            language=language,
        )
        MessageFactory(case=record, sender=Sender.VICTIM, body=VICTIM_WROTE, language=language)
        request = VictimRequestStepFactory(
            request__case=record,
            request__kind=RequestKind.DECISION_SUMMARY,
            request__language=language,
            language=language,
        ).request
        representative = RepresentativeFactory(
            victim=record.victim,
            full_name=REP_NAME,
            channel=rep_channel,
            destination=rep_email,
            language=language,
            may_see_case=Permission.CASE in given,
            may_message=Permission.MESSAGES in given,
            may_request=Permission.REQUESTS in given,
        )
        db.session.commit()
        built = Represented(
            victim_id=me.victim_id,
            case_id=me.case_id,
            reference=me.reference,
            officer_id=me.officer_id,
            victim_email="bethan.prefs@example.com",
            representative_id=representative.id,
            rep_email=rep_email,
            request_id=request.id,
        )
    if client is not None:
        signed_in(client, built.victim_email if as_victim else rep_email)
    return built
