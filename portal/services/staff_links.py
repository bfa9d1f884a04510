"""One mechanism for every link emailed to a member of staff.

An invitation, a reset of the authenticator app and a reset of the password
each send the officer a `StaffLink`: a random token in the emailed address,
of which only a keyed hash is kept (like every other secret of the portal,
portal.services.security_codes.fingerprint). A link works once, until
LINK_LIFETIME after it was sent, and only while the officer is active; a new
link of the same purpose replaces the officer's earlier ones. Opening the
link (a GET, which a mail scanner may do) uses nothing: the page's form does,
with one conditional UPDATE (`used_at = now WHERE used_at IS NULL AND
expires_at > now`), so that two clicks, or two browsers, use it once.

Setting up an authenticator app needs the password AND such a link (an
invitation or a reset of the app): `grants_set_up` says whether the link a
browser used still lets it set one up. So someone who learns an officer's
password cannot register their own app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.domain.security_codes import new_link_secret
from portal.models import (
    NotificationChannel,
    StaffLink,
    StaffLinkPurpose,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.notifications.content import STAFF_LINK_KINDS
from portal.notifications.outbox import enqueue
from portal.services.security_codes import fingerprint

#: How long an emailed link works.
LINK_LIFETIME = timedelta(hours=72)
LINK_HOURS = int(LINK_LIFETIME.total_seconds() // 3600)
#: After a browser used an invitation or a new-app link, how long it may set the app up.
SET_UP_WINDOW = timedelta(hours=1)
#: Longer than any token we make: anything longer is not ours, and is not hashed.
MAX_TOKEN_LENGTH = 100


def token_hash(secret_key: str, token: str) -> str:
    return fingerprint(secret_key, f"staff-link:{token}")


def withdraw(
    session: Session,
    officer_id: int,
    purposes: tuple[StaffLinkPurpose, ...] = tuple(StaffLinkPurpose),
    now: datetime | None = None,
) -> None:
    """Make the officer's unused links of `purposes` (every purpose by default) stop working."""
    now = now or utcnow()
    session.execute(
        update(StaffLink)
        .where(
            StaffLink.officer_id == officer_id,
            StaffLink.purpose.in_(purposes),
            StaffLink.used_at.is_(None),
            StaffLink.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def send(
    session: Session,
    officer: VictimLiaisonOfficer,
    purpose: StaffLinkPurpose,
    *,
    secret_key: str,
    link_for: Callable[[str], str],
    now: datetime | None = None,
) -> StaffLink:
    """Make a new link for `officer` (their earlier ones of this purpose stop working) and
    queue the email carrying it, in the officer's language. `link_for(token)` builds the
    address; the token itself is never stored. The caller commits."""
    now = now or utcnow()
    withdraw(session, officer.id, (purpose,), now)
    token = new_link_secret()
    link = StaffLink(
        purpose=purpose,
        officer_id=officer.id,
        token_hash=token_hash(secret_key, token),
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    session.add(link)
    session.flush()
    enqueue(
        session,
        recipient=officer.email,
        channel=NotificationChannel.EMAIL,
        kind=STAFF_LINK_KINDS[purpose.value],
        language=officer.language,
        personalisation={"link": link_for(token), "hours": LINK_HOURS},
        now=now,
    )
    return link


def find(
    session: Session, token: str, secret_key: str, now: datetime | None = None
) -> StaffLink | None:
    """The live link with this token (unused, not run out, its officer active), or None.
    Nothing is used up."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = session.scalar(
        select(StaffLink).where(StaffLink.token_hash == token_hash(secret_key, token))
    )
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    officer = link.officer
    if not officer.is_active or (link.purpose.sets_up_app and officer.totp_confirmed_at):
        return None  # deactivated since, or the app it was sent to set up is set up
    return link


def use(session: Session, link: StaffLink, now: datetime | None = None) -> bool:
    """Use the link up: True for the one request that did, False for any other."""
    now = now or utcnow()
    used = session.execute(
        update(StaffLink)
        .where(StaffLink.id == link.id, StaffLink.used_at.is_(None), StaffLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(link)
    return used == 1


def grants_set_up(
    session: Session, officer: VictimLiaisonOfficer, link_id: object, now: datetime | None = None
) -> bool:
    """Whether the link `link_id`, used by this browser, lets it set up `officer`'s app now:
    an invitation or new-app link of theirs, used within SET_UP_WINDOW, while they are
    active and have no app yet."""
    if not isinstance(link_id, int) or officer.totp_confirmed_at is not None:
        return False
    link = session.get(StaffLink, link_id)
    return (
        link is not None
        and link.officer_id == officer.id
        and link.purpose.sets_up_app
        and link.used_at is not None
        and (now or utcnow()) - link.used_at < SET_UP_WINDOW
        and officer.is_active
    )
