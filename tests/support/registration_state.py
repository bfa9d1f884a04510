"""A registration in progress, put straight into the database and a test client's session.

For tests that need to reach a page deep in the journey (the i18n guards, the
forged-request tests) without walking every question first.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from portal.domain.security_codes import hash_code
from portal.extensions import db
from portal.models import CodePurpose, NotificationChannel, SecurityCode, utcnow
from portal.register.views import DONE, DRAFT, DRAFT_HOLDER, RESUMING
from portal.services.drafts import hold, start_draft
from portal.services.security_codes import fingerprint

#: Answers that make every question apply: someone helping a victim, every way of contact.
EVERY_QUESTION = {
    "registering_as": "supporter",
    "relationship": "friend",
    "consent": True,
    "your_name": "Alex Example",
    "victim_name": "Siân Example",
    "date_of_birth": "1985-03-27",
    "contacts": {
        "email": {"value": "victim@example.com", "safe": True},
        "sms": {"value": "+447700900982", "safe": True},
        "phone": {"value": "+441632960001", "safe": True},
        "letter": {"value": "1 Example Street\nCardiff\nCF10 1AA", "safe": True},
    },
    "safe_from": "09:00",
    "safe_until": "17:00",
    "voicemail_safe": False,
    "envelope_name_to_avoid": "",
    "language": "cy",
    "accessibility_needs": ["large-print"],
    "offender_name": "Example Offender",
    "offence_type": "violent",
    "court": "cardiff",
    "sentenced_in": "2024-04",
    "sentence": "8 years",
    "external_reference": "",
    "updates_wanted": "every_stage",
}


#: The secret of a "carry on" link that works for the draft written here.
VALID_LINK = "a-valid-carry-on-link"


def registration_in_progress(client, *, verified: bool = False, answers=None) -> str:
    """A live draft with a code sent, held by `client`'s session; returns the draft's id.

    Committed inside the test's transaction (a savepoint), so it is gone after the test.
    """
    app: Flask = client.application
    with app.app_context():
        draft_id, holder = _write_draft(db.session, app, verified, answers)
        db.session.commit()
    with client.session_transaction() as cookie:
        cookie[DRAFT] = draft_id
        cookie[DRAFT_HOLDER] = holder
        cookie[DONE] = {"reference": "VCS-ABCD-EFGH", "on": "2026-11-23"}
        cookie[RESUMING] = {"to": "victim@example.com", "way": "email"}
    return draft_id


def _write_draft(session, app: Flask, verified: bool, answers) -> tuple[str, str]:
    draft = start_draft(session, "en", answers if answers is not None else EVERY_QUESTION)
    holder = hold(draft)
    session.flush()
    now = utcnow()
    session.add_all(
        [
            SecurityCode(
                purpose=CodePurpose.LINK,
                draft_id=draft.id,
                channel=NotificationChannel.EMAIL,
                destination_key=fingerprint(app.config["SECRET_KEY"], "victim@example.com"),
                network="test",
                code_hash=hash_code(app.config["SECRET_KEY"], VALID_LINK),
                created_at=now,
                expires_at=now + timedelta(hours=72),
            ),
            SecurityCode(
                purpose=CodePurpose.REGISTRATION,
                draft_id=draft.id,
                channel=NotificationChannel.EMAIL,
                destination="victim@example.com",
                destination_key=fingerprint(app.config["SECRET_KEY"], "victim@example.com"),
                network="test",
                code_hash=hash_code(app.config["SECRET_KEY"], "123456"),
                created_at=now,
                expires_at=now + timedelta(minutes=10),
            ),
        ]
    )
    if verified:
        draft.verified_channel = NotificationChannel.EMAIL
        draft.verified_value = "victim@example.com"
    session.flush()
    return draft.id, holder
