"""Demo data for `make run`: the 12 regions, officers, victims, cases and messages.

Loading is idempotent: each record is found by its natural key (region code,
officer email, case reference) and only created when missing. Contact
details are examples and are marked as such. Refused in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from portal import encryption
from portal.domain.passwords import hash_password
from portal.domain.regions import PROBATION_REGIONS
from portal.extensions import db
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    DatePrecision,
    Language,
    Message,
    NotificationChannel,
    OfficerRole,
    Region,
    Sender,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    UpdatesWanted,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.services import sign_in

DEMO_OFFICER_PASSWORD = "demo-officer-password"  # noqa: S105 (demo data only)


@dataclass(frozen=True)
class DemoSignIn:
    who: str
    email: str
    password: str | None
    #: The demo officer's authenticator app secret (add it to an app, or `oathtool`).
    totp_secret: str | None = None


def _region(code: str) -> Region:
    return db.session.execute(select(Region).filter_by(code=code)).scalar_one()


def load_regions() -> None:
    for index, names in enumerate(PROBATION_REGIONS, start=1):
        region = db.session.execute(select(Region).filter_by(code=names.code)).scalar_one_or_none()
        if region is None:
            db.session.add(
                Region(
                    code=names.code,
                    name_en=names.name_en,
                    name_cy=names.name_cy,
                    unit_name_en=names.unit_name_en,
                    unit_name_cy=names.unit_name_cy,
                    email=f"victim-liaison.{names.code}@example.gov.uk",
                    phone=f"0300 555 {index:04d}",
                    address=f"{index} Example Street\nExample Town\nEX{index} 1AA",
                    address_cy=f"{index} Stryd Enghreifftiol\nTref Enghreifftiol\nEX{index} 1AA",
                    is_example=True,
                )
            )
    db.session.flush()


OFFICERS = (
    ("wales", "Alys Prydderch", "alys.prydderch@example.gov.uk", True, OfficerRole.VLO),
    ("london", "Sam Okafor", "sam.okafor@example.gov.uk", False, OfficerRole.MANAGER),
    ("north-west", "Priya Shah", "priya.shah@example.gov.uk", False, OfficerRole.ADMIN),
)
#: Fixed authenticator app secrets for the demo officers (development only: production
#: never loads demo data). Each is printed beside the officer's password by `make run`.
DEMO_TOTP_SECRETS = {
    "alys.prydderch@example.gov.uk": "DEMOALYSPRYDDERCHVCSDEMO",
    "sam.okafor@example.gov.uk": "DEMOSAMOKAFORVCSDEMOSAMO",
    "priya.shah@example.gov.uk": "DEMOPRIYASHAHVCSDEMOPRIY",
}


def load_officers() -> dict[str, VictimLiaisonOfficer]:
    officers = {}
    for region_code, name, email, speaks_welsh, role in OFFICERS:
        officer = db.session.execute(
            select(VictimLiaisonOfficer).filter_by(email=email)
        ).scalar_one_or_none()
        if officer is None:
            officer = VictimLiaisonOfficer(
                region=_region(region_code),
                full_name=name,
                email=email,
                password_hash=hash_password(DEMO_OFFICER_PASSWORD),
                speaks_welsh=speaks_welsh,
                role=role,
            )
            db.session.add(officer)
        if officer.totp_confirmed_at is None:
            officer.totp_secret_sealed = encryption.encrypt(DEMO_TOTP_SECRETS[email])
            officer.totp_confirmed_at = utcnow()
        officers[region_code] = officer
    db.session.flush()
    return officers


def _case(reference: str) -> Case | None:
    return db.session.execute(select(Case).filter_by(reference=reference)).scalar_one_or_none()


def load_cases(officers: dict[str, VictimLiaisonOfficer]) -> None:
    if _case("VCS-DEMO-0001") is None:
        victim = Victim(
            full_name="Carys Hughes",
            language=Language.WELSH,
            relationship_to_victim="self",
            contact_preferences=[
                ContactPreference(
                    channel=Channel.EMAIL, value="carys.hughes@example.com", is_safe=True
                ),
                ContactPreference(
                    channel=Channel.SMS,
                    value="+447700900123",
                    is_safe=True,
                    safe_from=time(9, 0),
                    safe_until=time(17, 0),
                ),
            ],
        )
        case = Case(
            reference="VCS-DEMO-0001",
            victim=victim,
            region=_region("wales"),
            officer=officers["wales"],
            status=CaseStatus.ACTIVE,
            offender_name="Demo Offender One",
            offence_type="violent",
            stage=SentenceStage.PAROLE,
            updates_wanted=UpdatesWanted.EVERY_STAGE,
        )
        case.timeline = [
            TimelineEvent(
                kind=TimelineEventKind.STAGE,
                stage=SentenceStage.SENTENCE,
                occurred_on=date(2022, 3, 14),
                summary="Cafodd y troseddwr ddedfryd o chwe blynedd o garchar.",
                language=Language.WELSH,
                recorded_by_id=officers["wales"].id,
            ),
            TimelineEvent(
                kind=TimelineEventKind.CALL,
                occurred_on=date(2022, 4, 2),
                summary="Galwad gyntaf gyda’r Swyddog Cyswllt Dioddefwyr.",
                language=Language.WELSH,
                recorded_by_id=officers["wales"].id,
            ),
            TimelineEvent(
                kind=TimelineEventKind.STAGE,
                stage=SentenceStage.PAROLE,
                occurred_on=date(2026, 10, 1),
                precision=DatePrecision.MONTH,
                summary=(
                    "Mae adolygiad parôl wedi dechrau. Gallwch wneud Datganiad Personol Dioddefwr."
                ),
                language=Language.WELSH,
                recorded_by_id=officers["wales"].id,
            ),
        ]
        case.messages = [
            Message(
                sender=Sender.OFFICER,
                officer_id=officers["wales"].id,
                body=(
                    "Helo Carys, mae’r adolygiad parôl wedi dechrau. "
                    "Rhowch wybod os hoffech chi siarad."
                ),
                language=Language.WELSH,
            )
        ]
        db.session.add(case)

    if _case("VCS-DEMO-0002") is None:
        victim = Victim(
            full_name="Jordan Ellis",
            language=Language.ENGLISH,
            relationship_to_victim="self",
            envelope_name_to_avoid="Probation",
            contact_preferences=[
                ContactPreference(channel=Channel.EMAIL, value="jordan.ellis@example.com"),
                ContactPreference(
                    channel=Channel.LETTER,
                    value="1 Example Road\nExample Town\nEX1 2BB",
                    is_safe=False,
                ),
            ],
        )
        case = Case(
            reference="VCS-DEMO-0002",
            victim=victim,
            region=_region("london"),
            officer=officers["london"],
            status=CaseStatus.ACTIVE,
            offender_name="Demo Offender Two",
            offence_type="sexual",
            stage=SentenceStage.CUSTODY,
            updates_wanted=UpdatesWanted.RELEASE_ONLY,
        )
        case.timeline = [
            TimelineEvent(
                kind=TimelineEventKind.STAGE,
                stage=SentenceStage.SENTENCE,
                occurred_on=date(2024, 6, 20),
                summary="The offender was sentenced to 4 years in custody.",
                language=Language.ENGLISH,
                recorded_by_id=officers["london"].id,
            ),
            TimelineEvent(
                kind=TimelineEventKind.LETTER,
                occurred_on=date(2024, 7, 8),
                summary="Welcome letter sent, explaining the Victim Contact Scheme.",
                language=Language.ENGLISH,
                recorded_by_id=officers["london"].id,
            ),
        ]
        case.messages = [
            Message(
                sender=Sender.VICTIM,
                body="Can you tell me what happens next?",
                language=Language.ENGLISH,
            ),
            Message(
                sender=Sender.OFFICER,
                officer_id=officers["london"].id,
                body="The next step is a review of the sentence. I will write when it is due.",
                language=Language.ENGLISH,
            ),
        ]
        db.session.add(case)

    if _case("VCS-DEMO-0003") is None:
        victim = Victim(
            full_name="Alex Morgan",
            language=Language.ENGLISH,
            relationship_to_victim="bereaved-family",
            contact_preferences=[ContactPreference(channel=Channel.SMS, value="+447700900456")],
        )
        case = Case(
            reference="VCS-DEMO-0003",
            victim=victim,
            region=None,  # court not known: the national triage queue
            status=CaseStatus.TRIAGE,
            offender_name="Demo Offender Three",
            offence_type="violent",
        )
        case.timeline = [
            TimelineEvent(
                kind=TimelineEventKind.NOTE,
                occurred_on=date(2026, 11, 2),
                summary="Registration received online. Waiting for a Victim Liaison Unit.",
                language=Language.ENGLISH,
            )
        ]
        case.messages = [
            Message(
                sender=Sender.VICTIM,
                body="I did not know about the scheme until now. I would like updates.",
                language=Language.ENGLISH,
            )
        ]
        db.session.add(case)
    db.session.flush()
    _confirm_demo_contacts()


#: The demo details a victim signs in with, as if their officer had confirmed them.
DEMO_SIGN_IN_DETAILS = ("carys.hughes@example.com", "jordan.ellis@example.com", "+447700900456")


def _confirm_demo_contacts() -> None:
    """Only a proved (or officer-confirmed) detail signs in: the demo ones are confirmed."""
    for detail in db.session.scalars(
        select(ContactPreference).where(
            ContactPreference.value.in_(DEMO_SIGN_IN_DETAILS),
            ContactPreference.verified_at.is_(None),
        )
    ):
        detail.verified_at = utcnow()


def queue_demo_sign_in_code(email: str, secret_key: str) -> None:
    """Queue a real sign-in code to a demo victim, to watch the worker deliver it.

    A code works only in the browser that asked for it: to sign in, use /sign-in.
    """
    language = sign_in.language_of_signer(db.session, NotificationChannel.EMAIL, email)
    if language is None:
        raise LookupError(f"{email} cannot sign in")
    sign_in.request_code(
        db.session,
        NotificationChannel.EMAIL,
        email,
        secret_key,
        requester="demo-command",
        network="demo-command",
        language=language,
    )
    db.session.commit()


def load_demo_data() -> list[DemoSignIn]:
    """Load everything, in one transaction, and say how to sign in."""
    load_regions()
    officers = load_officers()
    load_cases(officers)
    db.session.commit()
    sign_ins = [
        DemoSignIn(
            f"{officer.role.value.upper()} ({region})",
            officer.email,
            DEMO_OFFICER_PASSWORD,
            DEMO_TOTP_SECRETS[officer.email],
        )
        for region, officer in officers.items()
    ]
    sign_ins += [
        DemoSignIn("Victim, Welsh (code by email)", "carys.hughes@example.com", None),
        DemoSignIn("Victim, English (code by email)", "jordan.ellis@example.com", None),
        DemoSignIn("Victim, waiting for an officer (code by text)", "07700 900456", None),
    ]
    return sign_ins
