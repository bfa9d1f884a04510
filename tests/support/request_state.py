"""A Welsh victim whose active case has a request in every state, built with the factories
for the pages that show requests (the i18n guards, the page tests).

Returned as plain values: the case's reference and ids, the victim's email address (to
sign in with), the region (to sign an officer in), and each request's id by name.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask

from portal.extensions import db
from portal.models import (
    ActorType,
    Channel,
    Language,
    RequestKind,
    RequestStatus,
    SentenceStage,
    utcnow,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    VictimFactory,
    VictimRequestFactory,
    VictimRequestStepFactory,
)

K, S = RequestKind, RequestStatus

LICENCE_ANSWERS = {
    "no_contact": ["me", "family"],
    "family_who": "Fy mhlant",
    "exclusion_zone": "yes",
    "places": "Ger fy nghartref\nYsgol fy mab",
    "other_concerns": "Mae’n adnabod fy nghymdogion.",
}
STATEMENT_ANSWERS = {
    "physical": "Dydw i ddim yn cysgu.",
    "emotional": "Rwy’n ofnus bob dydd.",
    "financial": "",
    "family": "Mae fy mhlant yn poeni.",
    "anything_else": "",
    "how_given": "video_link",
}
OFFICER_WORDS = "Gosododd y Bwrdd Parôl amod dim cyswllt. Ni osodwyd parth gwahardd."
COMMENTS = "Tynnwch enw’r stryd allan, os gwelwch yn dda."

#: What each request is, by the name the fixtures use: (kind, status, answers, steps).
#: A step is (status, by an officer, their words).
REQUESTS = {
    "licence_draft": (K.LICENCE_CONDITIONS, S.DRAFT, {"no_contact": ["me"]}, ()),
    "licence_decided": (
        K.LICENCE_CONDITIONS,
        S.DECIDED,
        LICENCE_ANSWERS,
        ((S.SENT, False, None), (S.PASSED_ON, True, None), (S.DECIDED, True, OFFICER_WORDS)),
    ),
    "statement_returned": (
        K.PERSONAL_STATEMENT,
        S.RETURNED,
        STATEMENT_ANSWERS,
        ((S.SENT, False, None), (S.RETURNED, True, COMMENTS)),
    ),
    "statement_passed": (
        K.PERSONAL_STATEMENT,
        S.PASSED_ON,
        STATEMENT_ANSWERS,
        ((S.SENT, False, None), (S.CONSIDERING, True, None), (S.PASSED_ON, True, None)),
    ),
    "summary_sent": (
        K.DECISION_SUMMARY,
        S.SUMMARY_SENT,
        {},
        ((S.SENT, False, None), (S.SUMMARY_SENT, True, None)),
    ),
    "summary_asked": (K.DECISION_SUMMARY, S.SENT, {}, ((S.SENT, False, None),)),
}
EMAIL = "requests.victim@example.com"


def requests_in_every_state(app: Flask, email: str = EMAIL) -> dict[str, int | str]:
    with app.app_context():
        victim = VictimFactory(language=Language.WELSH, relationship_to_victim="self")
        ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=email)
        case = CaseFactory(
            assigned=True,
            officer=OfficerFactory(speaks_welsh=True),
            victim=victim,
            stage=SentenceStage.PAROLE,
        )
        ids: dict[str, int | str] = {
            "reference": case.reference,
            "case_id": case.id,
            "region_id": case.region_id,
            "officer_id": case.officer_id,
            "email": email,
        }
        start = utcnow() - timedelta(days=20)
        for offset, (name, (kind, status, answers, steps)) in enumerate(REQUESTS.items()):
            made = start + timedelta(days=offset)
            found = VictimRequestFactory(
                case=case,
                kind=kind,
                status=status,
                answers=dict(answers),
                created_at=made,
                sent_at=made if steps else None,
                summary_sent_on=date.today() - timedelta(days=2)
                if status == S.SUMMARY_SENT
                else None,
            )
            for number, (step_status, by_officer, words) in enumerate(steps):
                VictimRequestStepFactory(
                    request=found,
                    status=step_status,
                    actor_type=ActorType.STAFF if by_officer else ActorType.VICTIM,
                    officer_id=case.officer_id if by_officer else None,
                    message=words,
                    language=Language.WELSH,
                    created_at=made + timedelta(hours=number + 1),
                )
            ids[name] = found.id
        db.session.commit()
        return ids
