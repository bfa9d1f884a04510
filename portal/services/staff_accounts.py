"""Staff accounts, run by administrators: invite, reset, deactivate, change.

Each action is one transaction (the caller commits) and writes one audit
event naming it ("staff.invited", "staff.second_factor_reset", ...) with the
administrator as actor and the officer's id in `detail`: ids and kinds only,
never a name, an address, a password or a token. Every emailed link goes
through portal.services.staff_links.

Two rules keep the console from locking itself out: an administrator cannot
deactivate, reset or demote themself, and the last active administrator can
be neither deactivated nor given another role. Both are checked under a lock
(a PostgreSQL advisory lock; SQLite's write lock), so that two administrators
deactivating each other at once cannot leave none.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portal.domain.passwords import UNUSABLE, hash_password, is_usable
from portal.models import (
    ActorType,
    AuditEvent,
    Language,
    OfficerRole,
    Region,
    StaffLink,
    StaffLinkPurpose,
    StaffRecoveryCode,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.services import staff_auth, staff_links
from portal.services.locks import serialise


class Refusal(enum.StrEnum):
    """Why an action was refused (the view words each one)."""

    YOURSELF = "yourself"  # an administrator's own account
    LAST_ADMIN = "last-admin"  # it would leave no active administrator
    EMAIL_TAKEN = "email-taken"  # another account has this email address
    NOT_NEEDED = "not-needed"  # the account is already in that state


class Refused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class Admin:
    """Who is acting, and for which request (for the audit)."""

    officer: VictimLiaisonOfficer
    request_id: str | None = None


@dataclass(frozen=True)
class Links:
    """What emailed links need: the key their tokens are hashed with, and how to build one."""

    secret_key: str
    link_for: Callable[[str], str]


class Status(enum.StrEnum):
    """An account as the list shows it."""

    INVITED = "invited"  # no password chosen, or no app set up yet
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


def status(officer: VictimLiaisonOfficer) -> Status:
    if not officer.is_active:
        return Status.DEACTIVATED
    if officer.totp_confirmed_at is None and officer.last_signed_in_at is None:
        return Status.INVITED
    return Status.ACTIVE


def has_password(officer: VictimLiaisonOfficer) -> bool:
    return is_usable(officer.password_hash)


def accounts(session: Session, region_id: int | None = None) -> list[VictimLiaisonOfficer]:
    """Every staff account (or one region's), active first, by name: one query."""
    query = select(VictimLiaisonOfficer).options(joinedload(VictimLiaisonOfficer.region))
    if region_id is not None:
        query = query.where(VictimLiaisonOfficer.region_id == region_id)
    return list(
        session.scalars(
            query.order_by(
                VictimLiaisonOfficer.is_active.desc(),
                func.lower(VictimLiaisonOfficer.full_name),
                VictimLiaisonOfficer.id,
            )
        )
    )


#: The largest id a row can have (a 32-bit integer column): a larger one in an address is
#: nobody, never a database error.
LARGEST_ID = 2**31 - 1


def account(session: Session, officer_id: int) -> VictimLiaisonOfficer | None:
    if not 0 < officer_id <= LARGEST_ID:
        return None
    return session.scalar(
        select(VictimLiaisonOfficer)
        .options(joinedload(VictimLiaisonOfficer.region))
        .where(VictimLiaisonOfficer.id == officer_id)
    )


def email_taken(session: Session, email: str) -> bool:
    found = session.scalar(
        select(VictimLiaisonOfficer.id).where(
            VictimLiaisonOfficer.email == staff_auth.normalise_email(email)
        )
    )
    return found is not None


def _audit(session: Session, by: Admin, action: str, officer_id: int, now, **detail: Any) -> None:
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=by.officer.id,
            action=action,
            request_id=by.request_id,
            detail={"officer": officer_id, **detail},
            created_at=now,
        )
    )


def _not_yourself(by: Admin, officer: VictimLiaisonOfficer) -> None:
    if officer.id == by.officer.id:
        raise Refused(Refusal.YOURSELF)


def _keep_an_admin(session: Session, officer: VictimLiaisonOfficer) -> None:
    """Refuse to take away the last active administrator (counted under a lock)."""
    serialise(session, "staff-accounts:administrators")
    if officer.role != OfficerRole.ADMIN or not officer.is_active:
        return
    others = session.scalar(
        select(func.count())
        .select_from(VictimLiaisonOfficer)
        .where(
            VictimLiaisonOfficer.role == OfficerRole.ADMIN,
            VictimLiaisonOfficer.is_active.is_(True),
            VictimLiaisonOfficer.id != officer.id,
        )
    )
    if not others:
        raise Refused(Refusal.LAST_ADMIN)


def invite(
    session: Session,
    by: Admin,
    links: Links,
    *,
    full_name: str,
    email: str,
    role: OfficerRole,
    region_id: int,
    speaks_welsh: bool,
    language: Language,
    now: datetime | None = None,
) -> VictimLiaisonOfficer:
    """A new account with no password, and an emailed invitation to choose one and set up
    the authenticator app. Refused (EMAIL_TAKEN) when the address has an account."""
    now = now or utcnow()
    if email_taken(session, email):
        raise Refused(Refusal.EMAIL_TAKEN)
    officer = VictimLiaisonOfficer(
        full_name=full_name.strip(),
        email=staff_auth.normalise_email(email),
        password_hash=UNUSABLE,
        role=OfficerRole(role),
        region_id=region_id,
        speaks_welsh=speaks_welsh,
        language=Language(language),
        is_active=True,
        created_at=now,
    )
    try:
        with session.begin_nested():  # another administrator may invite the same address
            session.add(officer)
            session.flush()
    except IntegrityError:
        raise Refused(Refusal.EMAIL_TAKEN) from None
    staff_links.send(
        session,
        officer,
        StaffLinkPurpose.INVITATION,
        secret_key=links.secret_key,
        link_for=links.link_for,
        now=now,
    )
    _audit(session, by, "staff.invited", officer.id, now, role=officer.role.value, region=region_id)
    return officer


def send_invitation_again(
    session: Session, by: Admin, links: Links, officer: VictimLiaisonOfficer, now=None
) -> None:
    """A new invitation (the old one stops working) for an account not yet set up."""
    now = now or utcnow()
    if officer.totp_confirmed_at is not None or not officer.is_active:
        raise Refused(Refusal.NOT_NEEDED)
    staff_links.send(
        session,
        officer,
        StaffLinkPurpose.INVITATION,
        secret_key=links.secret_key,
        link_for=links.link_for,
        now=now,
    )
    _audit(session, by, "staff.invitation_sent_again", officer.id, now)


def reset_second_factor(
    session: Session, by: Admin, links: Links, officer: VictimLiaisonOfficer, now=None
) -> None:
    """The app is lost: forget its secret and the recovery codes, end the officer's sessions,
    and email them a link to set up a new app (with their password)."""
    now = now or utcnow()
    _not_yourself(by, officer)
    if not officer.is_active:
        raise Refused(Refusal.NOT_NEEDED)
    officer.totp_secret_sealed = None
    officer.totp_confirmed_at = None
    officer.totp_last_step = None
    session.execute(delete(StaffRecoveryCode).where(StaffRecoveryCode.officer_id == officer.id))
    ended = staff_auth.end_every_session(session, officer.id, now)
    staff_links.send(
        session,
        officer,
        StaffLinkPurpose.NEW_APP,
        secret_key=links.secret_key,
        link_for=links.link_for,
        now=now,
    )
    _audit(session, by, "staff.second_factor_reset", officer.id, now, sessions_ended=ended)


def reset_password(
    session: Session, by: Admin, links: Links, officer: VictimLiaisonOfficer, now=None
) -> None:
    """The password is forgotten (or may be known): it stops working, the officer's sessions
    end, and they are emailed a link to choose a new one. The app is still needed."""
    now = now or utcnow()
    _not_yourself(by, officer)
    if not officer.is_active:
        raise Refused(Refusal.NOT_NEEDED)
    officer.password_hash = UNUSABLE
    ended = staff_auth.end_every_session(session, officer.id, now)
    staff_links.send(
        session,
        officer,
        StaffLinkPurpose.NEW_PASSWORD,
        secret_key=links.secret_key,
        link_for=links.link_for,
        now=now,
    )
    _audit(session, by, "staff.password_reset", officer.id, now, sessions_ended=ended)


def deactivate(session: Session, by: Admin, officer: VictimLiaisonOfficer, now=None) -> None:
    """The officer can no longer sign in (the answer is the same as a wrong password); every
    session of theirs ends at once and their emailed links stop working."""
    now = now or utcnow()
    _not_yourself(by, officer)
    _keep_an_admin(session, officer)
    if not officer.is_active:
        raise Refused(Refusal.NOT_NEEDED)
    officer.is_active = False
    ended = staff_auth.end_every_session(session, officer.id, now)
    staff_links.withdraw(session, officer.id, now=now)
    _audit(session, by, "staff.deactivated", officer.id, now, sessions_ended=ended)


def reactivate(session: Session, by: Admin, officer: VictimLiaisonOfficer, now=None) -> None:
    """The officer may sign in again, with the password and app they had."""
    now = now or utcnow()
    if officer.is_active:
        raise Refused(Refusal.NOT_NEEDED)
    officer.is_active = True
    _audit(session, by, "staff.reactivated", officer.id, now)


def change(
    session: Session,
    by: Admin,
    officer: VictimLiaisonOfficer,
    *,
    role: OfficerRole,
    region_id: int,
    speaks_welsh: bool,
    language: Language,
    now: datetime | None = None,
) -> list[str]:
    """Change the officer's role, region, Welsh and email language; returns what changed.
    An administrator cannot change their own role, nor take the last administrator's."""
    now = now or utcnow()
    role, language = OfficerRole(role), Language(language)
    if role != officer.role:
        _not_yourself(by, officer)
        if officer.role == OfficerRole.ADMIN:
            _keep_an_admin(session, officer)
    before = {
        "role": officer.role.value,
        "region": officer.region_id,
        "speaks_welsh": officer.speaks_welsh,
        "language": officer.language.value,
    }
    after = {
        "role": role.value,
        "region": region_id,
        "speaks_welsh": speaks_welsh,
        "language": language.value,
    }
    changed = [key for key in before if before[key] != after[key]]
    if not changed:
        return []
    officer.role, officer.region_id = role, region_id
    officer.speaks_welsh, officer.language = speaks_welsh, language
    _audit(
        session,
        by,
        "staff.changed",
        officer.id,
        now,
        changed={key: {"from": before[key], "to": after[key]} for key in changed},
    )
    if "region" in changed:
        session.expire(officer, ["region"])
    return changed


# --- what an emailed link lets its officer do ---------------------------------------------


def choose_password(
    session: Session,
    link: StaffLink,
    password: str,
    secret_key: str,
    request_id: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Use an invitation or new-password link to set the officer's password (already checked
    against portal.domain.passwords.password_problem). False when the link was used first
    by another request, or ran out. A new password ends the officer's other sessions."""
    now = now or utcnow()
    if not link.purpose.sets_password or not staff_links.use(session, link, now):
        return False
    officer = link.officer
    officer.password_hash = hash_password(password)
    ended = staff_auth.end_every_session(session, officer.id, now)
    staff_auth.forgive_failures(session, secret_key, officer.email)
    session.add(
        AuditEvent(
            actor_type=ActorType.STAFF,
            actor_id=officer.id,
            action="staff.password_chosen",
            request_id=request_id,
            detail={"officer": officer.id, "link": link.purpose.value, "sessions_ended": ended},
            created_at=now,
        )
    )
    return True


def regions(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).order_by(Region.id)))
