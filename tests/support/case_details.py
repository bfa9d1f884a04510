"""A case with everything its pages show, for the tests of the pages about one case
(contact details, notifications sent, reassigning) and for the i18n guard.

`case_with_details` builds, in one region: a Welsh-reading victim with an email address
(safe, confirmed), a mobile number (safe, safe times), a phone number (voicemail safe,
not confirmed) and a postal address (not safe), a name not to put on envelopes,
notifications in every status, the case's officer, a Welsh-speaking officer, another
officer and an inactive one. With `fixed_ids`, the case and its details have the ids in
PAGE (so that the i18n guard's URLs can name them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from portal.extensions import db
from portal.models import (
    CaseStatus,
    Channel,
    Language,
    NotificationChannel,
    NotificationStatus,
    OfficerRole,
    Region,
    utcnow,
)
from portal.notifications.outbox import NO_LONGER_SAFE
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    OfficerFactory,
    OutboxNotificationFactory,
    RegionFactory,
    VictimFactory,
)
from tests.support.staff_state import signed_in_officer

EMAIL = "carys.case@example.com"
MOBILE = "+447700900111"
PHONE = "+442920180000"
ADDRESS = "1 Stryd y Prawf\nCaerdydd\nCF10 1AA"


@dataclass(frozen=True)
class CaseWithDetails:
    case_id: int
    region_id: int
    victim_id: int
    reference: str
    email_id: int
    mobile_id: int
    phone_id: int
    letter_id: int
    officer_id: int
    welsh_officer_id: int
    other_officer_id: int
    inactive_officer_id: int


#: The ids the i18n guard's URLs use (far above anything a sequence hands out in a test).
PAGE = CaseWithDetails(
    case_id=910001,
    region_id=0,
    victim_id=0,
    reference="VCS-PAGE-0001",
    email_id=910011,
    mobile_id=910012,
    phone_id=910013,
    letter_id=910014,
    officer_id=0,
    welsh_officer_id=0,
    other_officer_id=0,
    inactive_officer_id=0,
)


def case_with_details(
    app,
    region_id: int | None = None,
    *,
    fixed_ids: bool = False,
    language: Language = Language.WELSH,
    status: CaseStatus = CaseStatus.ACTIVE,
) -> CaseWithDetails:
    ways = ("email", "mobile", "phone", "letter")
    ids = {way: {"id": getattr(PAGE, f"{way}_id")} if fixed_ids else {} for way in ways}
    with app.app_context():
        region = db.session.get(Region, region_id) if region_id else RegionFactory()
        officer = OfficerFactory(region=region, full_name="Officer Of The Case")
        welsh = OfficerFactory(region=region, full_name="Welsh Speaking Officer", speaks_welsh=True)
        other = OfficerFactory(region=region, full_name="Another Officer")
        inactive = OfficerFactory(region=region, full_name="Inactive Officer", is_active=False)
        victim = VictimFactory(
            full_name="Carys Case", language=language, envelope_name_to_avoid="Probation"
        )
        email = ContactPreferenceFactory(
            victim=victim, channel=Channel.EMAIL, value=EMAIL, **ids["email"]
        )
        mobile = ContactPreferenceFactory(
            victim=victim,
            channel=Channel.SMS,
            value=MOBILE,
            safe_from=time(9, 0),
            safe_until=time(17, 0),
            **ids["mobile"],
        )
        phone = ContactPreferenceFactory(
            victim=victim,
            channel=Channel.PHONE,
            value=PHONE,
            voicemail_safe=True,
            verified_at=None,
            **ids["phone"],
        )
        letter = ContactPreferenceFactory(
            victim=victim, channel=Channel.LETTER, value=ADDRESS, is_safe=False, **ids["letter"]
        )
        extra = {"id": PAGE.case_id, "reference": PAGE.reference} if fixed_ids else {}
        case = CaseFactory(victim=victim, region=region, officer=officer, status=status, **extra)
        now = utcnow()
        for minutes, status_, channel, recipient, error in (
            (50, NotificationStatus.DELIVERED, NotificationChannel.EMAIL, EMAIL, None),
            (40, NotificationStatus.SENT, NotificationChannel.SMS, MOBILE, None),
            (
                30,
                NotificationStatus.FAILED,
                NotificationChannel.EMAIL,
                EMAIL,
                "notify permanent-failure",
            ),
            (20, NotificationStatus.CANCELLED, NotificationChannel.LETTER, ADDRESS, NO_LONGER_SAFE),
            (10, NotificationStatus.PENDING, NotificationChannel.SMS, MOBILE, None),
        ):
            OutboxNotificationFactory(
                victim=victim,
                recipient=recipient,
                channel=channel,
                template_key="new_stage",
                language=language,
                status=status_,
                attempts=0 if status_ == NotificationStatus.PENDING else 1,
                last_error=error,
                created_at=now - timedelta(minutes=minutes),
                sent_at=now - timedelta(minutes=minutes - 1)
                if status_ in (NotificationStatus.SENT, NotificationStatus.DELIVERED)
                else None,
                personalisation={"url": "https://portal.example/sign-in", "code": "918273"},
                safe_contact=False,
            )
        db.session.commit()
        return CaseWithDetails(
            case_id=case.id,
            region_id=region.id,
            victim_id=victim.id,
            reference=case.reference,
            email_id=email.id,
            mobile_id=mobile.id,
            phone_id=phone.id,
            letter_id=letter.id,
            officer_id=officer.id,
            welsh_officer_id=welsh.id,
            other_officer_id=other.id,
            inactive_officer_id=inactive.id,
        )


def signed_in_with_case(
    client, role: OfficerRole = OfficerRole.MANAGER, *, fixed_ids: bool = False, **kwargs
) -> tuple[int, CaseWithDetails]:
    """A `role` of a new region signed in on `client`, and a case of that region with
    everything; returns (the officer's id, the case)."""
    with client.application.app_context():
        region = RegionFactory()
        db.session.commit()
        region_id = region.id
    officer_id = signed_in_officer(client, role=role, region_id=region_id)
    return officer_id, case_with_details(
        client.application, region_id, fixed_ids=fixed_ids, **kwargs
    )
