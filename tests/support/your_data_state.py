"""A victim with one of everything "Your data" shows, for the pages' language checks.

Welsh, registered by a parent (their own name, their words for who they are), with access
needs in the list and in their own words, a name not to put on envelopes, an email to
sign in with, a phone with safe times and voicemail, a postal address not safe to use;
an active case (a court, a month of sentence, the sentence, their own reference, a release
told as a month, a call, messages both ways, a message not sent, a request for licence
conditions decided with the officer's words, a statement returned with comments, a
decision summary sent and a draft), a case paused until a parole review, another paused
until a day, a declined request with the officer's words, a case the victim left and asked
to come back to, a second request joined to the first, and a referral from the police.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import Flask

from portal.extensions import db
from portal.models import (
    ActorType,
    CaseSource,
    CaseStatus,
    Channel,
    DatePrecision,
    DeclineReason,
    Language,
    MessageDraft,
    RequestKind,
    RequestStatus,
    Sender,
    SentenceStage,
    TimelineEventKind,
    UpdatesWanted,
)
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    TimelineEventFactory,
    VictimFactory,
    VictimRequestFactory,
    VictimRequestStepFactory,
)

EMAIL = "everything.held@example.com"


@dataclass(frozen=True)
class EverythingHeld:
    email: str
    mobile: None = None


def everything_held(app: Flask) -> EverythingHeld:
    with app.app_context():
        officer = OfficerFactory(full_name="Alys Prydderch", speaks_welsh=True)
        victim = VictimFactory(
            full_name="Siôn Hughes",
            representative_name="Carys Hughes",
            relationship_to_victim="parent: ei fam",
            date_of_birth=date(2010, 5, 2),
            language=Language.WELSH,
            accessibility_needs="large-print, interpreter",
            accessibility_other="Rhywun i eistedd gyda fi",
            envelope_name_to_avoid="Gareth Hughes",
        )
        ContactPreferenceFactory(victim=victim, channel=Channel.EMAIL, value=EMAIL)
        ContactPreferenceFactory(
            victim=victim,
            channel=Channel.PHONE,
            value="+442920180000",
            safe_from=time(9, 0),
            safe_until=time(17, 0),
            voicemail_safe=True,
        )
        ContactPreferenceFactory(
            victim=victim, channel=Channel.SMS, value="+447700900654", verified_at=None
        )
        ContactPreferenceFactory(
            victim=victim, channel=Channel.LETTER, value="1 Ffordd Prawf\nCaerdydd", is_safe=False
        )
        active = CaseFactory(
            victim=victim,
            status=CaseStatus.ACTIVE,
            officer=officer,
            region=officer.region,
            offender_name="Troseddwr Prawf",
            offence_type="sexual",
            court_code="cardiff",
            sentenced_in="2021-03",
            sentence_description="Chwe blynedd o garchar",
            external_reference="HEDDLU-123",
            stage=SentenceStage.RELEASE,
            updates_wanted=UpdatesWanted.ANNUAL,
        )
        for kind, stage, on, precision, summary, language in (
            (
                TimelineEventKind.STAGE,
                SentenceStage.RELEASE,
                date(2027, 3, 14),
                DatePrecision.MONTH,
                "Cafodd y troseddwr ei ryddhau ar drwydded.",
                Language.WELSH,
            ),
            (
                TimelineEventKind.CALL,
                None,
                date(2024, 2, 1),
                DatePrecision.DAY,
                "Phone call about the parole review.",
                Language.ENGLISH,
            ),
        ):
            TimelineEventFactory(
                case=active,
                kind=kind,
                stage=stage,
                occurred_on=on,
                precision=precision,
                summary=summary,
                language=language,
                recorded_by_id=officer.id,
            )
        MessageFactory(
            case=active,
            sender=Sender.VICTIM,
            body="Pryd mae’r gwrandawiad?",
            language=Language.WELSH,
            created_at=datetime(2026, 11, 2, 10, 15, tzinfo=UTC),
        )
        MessageFactory(
            case=active,
            sender=Sender.OFFICER,
            officer_id=officer.id,
            body="Byddaf yn eich ffonio yfory.",
            language=Language.WELSH,
        )
        db.session.add(MessageDraft(case_id=active.id, victim_id=victim.id, body="Diolch am"))
        licence = VictimRequestStepFactory(
            request__case=active,
            request__kind=RequestKind.LICENCE_CONDITIONS,
            request__status=RequestStatus.DECIDED,
            request__answers={
                "no_contact": ["me", "family"],
                "family_who": "Fy mab",
                "exclusion_zone": "yes",
                "places": "Ysgol fy mab",
                "other_concerns": "",
            },
        ).request
        VictimRequestStepFactory(
            request=licence,
            status=RequestStatus.DECIDED,
            actor_type=ActorType.STAFF,
            officer_id=officer.id,
            message="Mae’r Bwrdd Parôl wedi gosod amod.",
        )
        statement = VictimRequestStepFactory(
            request__case=active,
            request__kind=RequestKind.PERSONAL_STATEMENT,
            request__status=RequestStatus.RETURNED,
            request__answers={"physical": "Rwy’n methu cysgu.", "how_given": "video_link"},
        ).request
        VictimRequestStepFactory(
            request=statement,
            status=RequestStatus.RETURNED,
            actor_type=ActorType.STAFF,
            officer_id=officer.id,
            message="Ysgrifennwch fwy am eich gwaith.",
        )
        summary = VictimRequestStepFactory(
            request__case=active,
            request__kind=RequestKind.DECISION_SUMMARY,
            request__status=RequestStatus.SUMMARY_SENT,
            request__summary_sent_on=date(2026, 10, 20),
        ).request
        VictimRequestStepFactory(
            request=summary,
            status=RequestStatus.SUMMARY_SENT,
            actor_type=ActorType.STAFF,
            officer_id=officer.id,
        )
        VictimRequestFactory(case=active, kind=RequestKind.LICENCE_CONDITIONS)
        for pause in (
            {"paused_until_stage": SentenceStage.PAROLE},
            {"paused_until": date(2027, 5, 1)},
        ):
            CaseFactory(
                victim=victim,
                status=CaseStatus.PAUSED,
                officer=officer,
                region=officer.region,
                stage=SentenceStage.CUSTODY,
                **pause,
            )
        CaseFactory(
            victim=victim,
            status=CaseStatus.DECLINED,
            decline_reason=DeclineReason.OTHER,
            decline_note="Allen ni ddim dod o hyd i’r ddedfryd.",
            triaged_at=datetime.now(UTC),
        )
        CaseFactory(
            victim=victim,
            status=CaseStatus.CLOSED,
            officer=officer,
            region=officer.region,
            stage=SentenceStage.CUSTODY,
            left_at=datetime(2026, 9, 1, 10, 0, tzinfo=UTC),
            come_back_asked_at=datetime(2026, 10, 1, 10, 0, tzinfo=UTC),
        )
        CaseFactory(victim=victim, status=CaseStatus.MERGED, merged_into_id=active.id)
        CaseFactory(
            victim=victim,
            status=CaseStatus.TRIAGE,
            source=CaseSource.REFERRAL,
            referred_on=date(2026, 10, 1),
            referred_by="Uned Gofal Tystion",
        )
        db.session.commit()
    return EverythingHeld(EMAIL)
