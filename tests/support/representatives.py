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
    email_id: int | None
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
            email_id=me.email_id,
            representative_id=representative.id,
            rep_email=rep_email,
            request_id=request.id,
        )
    if client is not None:
        signed_in(client, built.victim_email if as_victim else rep_email)
    return built


#: The i18n guard's pages about representatives (tests/i18n/test_no_english_leaks.py): the
#: state each needs, by its address and `as`.
REPRESENTATIVE_PAGES = {
    "account.representatives": [
        "/account/cases/{reference}/representatives",
        "/account/cases/{reference}/representatives?as=added",
        "/account/cases/{reference}/representatives?as=ended",
        "/account/cases/{reference}/representatives?as=full",
        # Someone acting for the victim, on a page only the victim may open: the kind 403.
        "/account/cases/{reference}/representatives?as=representative",
    ],
    "account.representative_new": ["/account/cases/{reference}/representatives/new"],
    "account.representative_contact": ["/account/cases/{reference}/representatives/new/contact"],
    "account.representative_permissions": [
        "/account/cases/{reference}/representatives/new/permissions"
    ],
    "account.representative_check": ["/account/cases/{reference}/representatives/new/check"],
    "account.representative_code": [
        "/account/cases/{reference}/representatives/new/security-code",
        "/account/cases/{reference}/representatives/new/security-code?sent=1",
        "/account/cases/{reference}/representatives/new/security-code?refused=1",
    ],
    "account.representative_end": [
        "/account/cases/{reference}/representatives/{representative_id}/end"
    ],
}
#: Pages seen by someone acting for a victim (`as=representative`: given everything that
#: can be given; `as=messages-only`: only messages).
ACTING_PAGES = {
    "account.home": ["/account?as=representative", "/account?as=messages-only"],
    "account.conversation": ["/account/cases/{reference}/messages?as=representative"],
    "account.your_data": ["/account/your-data?as=representatives"],
    "staff.case_contact": ["/staff/cases/{case_id}/contact?as=representatives"],
    "staff.case_representative_end": [
        "/staff/cases/{case_id}/contact/representatives/{representative_id}/end"
    ],
}
#: The fixture addresses that show the kind 403 on purpose.
REFUSED_PAGES = {"/account/cases/{reference}/representatives?as=representative"}


def _end(app: Flask, representative_id: int) -> None:
    from portal.models import ActorType, Representative, utcnow

    with app.app_context():
        found = db.session.get(Representative, representative_id)
        found.ended_at, found.ended_by = utcnow(), ActorType.VICTIM
        db.session.commit()


def prime_representative_page(client, url: str, signed_in_officer) -> str:
    """Build what `url` (one of REPRESENTATIVE_PAGES or ACTING_PAGES) shows, sign `client`
    in as whoever sees it, and return the address with its ids filled in."""
    from portal.account.representative_views import NOTICE, PENDING

    app = client.application
    path, _, query = url.partition("?")
    state = query.partition("as=")[2] if "as=" in query else ""
    if path.startswith("/staff/"):
        built = represented(app, language=Language.WELSH)
        other = represented(app, language=Language.WELSH, rep_email="ended.helper@example.com")
        with app.app_context():
            region_id = db.session.get(Case, built.case_id).region_id
        _end(app, other.representative_id)
        signed_in_officer(client, region_id=region_id)
        return url.format(case_id=built.case_id, representative_id=built.representative_id)
    if state in ("representative", "messages-only"):
        given = (Permission.MESSAGES,) if state == "messages-only" else DELEGABLE
        built = represented(app, permissions=given, language=Language.WELSH, client=client)
        return url.format(reference=built.reference)
    built = represented(app, language=Language.WELSH, client=client, as_victim=True)
    if state == "full":
        with app.app_context():
            victim = db.session.get(Case, built.case_id).victim
            for _ in range(2):
                RepresentativeFactory(victim=victim)
            db.session.commit()
    else:
        ended = RepresentativeFactory
        with app.app_context():
            victim = db.session.get(Case, built.case_id).victim
            gone = ended(victim=victim, full_name="Hen Helpwr")
            db.session.commit()
            gone_id = gone.id
        _end(app, gone_id)
    with client.session_transaction() as cookie:
        if "/new/" in path:
            cookie[PENDING] = {
                "case": built.reference,
                "full_name": "Sam Helpwr",
                "relation": "support",
                "way": "sms",
                "to": "+447700900444",
                "may": ["case", "messages", "requests"],
            }
        if state in ("added", "ended"):
            cookie[NOTICE] = {
                "case": built.reference,
                "done": state,
                "representative": built.representative_id,
                "way": "email",
                "told": "sms" if state == "added" else None,
                "to": "•••• 111" if state == "added" else None,
                "sessions": 1,
            }
    return url.format(reference=built.reference, representative_id=built.representative_id)
