"""An officer changes a victim's contact details: whether each is safe, when, voicemail,
whether it was confirmed with the victim; adds one or removes one.

The rules:

- **Not safe means never used, at once.** Marking a detail not safe, or removing it,
  ends every victim session signed in with it (`VictimSession.ended_at`: the next
  request of that browser is signed out; a session belongs to the detail, so a session
  with that email address or mobile number ends whoever else's record holds it too),
  and cancels what is waiting in the outbox to go to it (`outbox.cancel_pending`).
  Nothing is sent to say so: a confirmation could be read by the very person the
  victim needs to be safe from, and the officer is usually talking to the victim as they
  make the change.
- **Confirmed with the victim.** Only a confirmed (`verified_at`) email address or mobile
  number signs the victim in (portal.services.sign_in). A detail an officer adds is
  confirmed only when the officer says they confirmed it with the victim (read it back
  to them on a call, say); otherwise it can be confirmed later on its Change page.
  Marking a detail not safe, then safe again, leaves that as it was.
- **Every change is recorded**: a timeline entry the victim never sees, saying the
  change in words without the detail itself, and an audit event
  ("contact.marked_unsafe", …) holding the detail's id and kind, never its value.

The victim makes the same changes to their own details online
(portal.services.contact_choices), through these same functions with a `VictimActor`:
the entry then says the victim made the change, and goes on each of their cases still
open (a detail is the victim's, whichever case they changed it from), and the audit
names the victim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.catalogue import N_
from portal.models import (
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    NotificationChannel,
    VictimSession,
    utcnow,
)
from portal.notifications.outbox import cancel_pending
from portal.services.locks import lock_row
from portal.services.staff_changes import Actor, VictimActor, audit, staff_note

#: Contact details a victim can sign in with, and the session channel each is.
SIGN_IN_CHANNELS = {Channel.EMAIL: NotificationChannel.EMAIL, Channel.SMS: NotificationChannel.SMS}
#: Contact details that have safe times (a letter comes when it comes).
TIMED = (Channel.EMAIL, Channel.SMS, Channel.PHONE)
#: The order details are listed in (the order notify_victim tries them in, phone last).
ORDER = (Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.LETTER)

#: What each change says on the timeline, for each kind of detail (whole sentences:
#: Welsh mutates the words around them).
NOTES = {
    "marked_unsafe": {
        Channel.EMAIL: N_("Email address marked not safe"),
        Channel.SMS: N_("Mobile number for texts marked not safe"),
        Channel.PHONE: N_("Phone number for calls marked not safe"),
        Channel.LETTER: N_("Postal address marked not safe"),
    },
    "marked_safe": {
        Channel.EMAIL: N_("Email address marked safe again"),
        Channel.SMS: N_("Mobile number for texts marked safe again"),
        Channel.PHONE: N_("Phone number for calls marked safe again"),
        Channel.LETTER: N_("Postal address marked safe again"),
    },
    "times_changed": {
        Channel.EMAIL: N_("Safe times for the email address changed"),
        Channel.SMS: N_("Safe times for the mobile number for texts changed"),
        Channel.PHONE: N_("Safe times for the phone number for calls changed"),
    },
    "voicemail_safe": {Channel.PHONE: N_("Voicemail on the phone number for calls marked safe")},
    "voicemail_unsafe": {
        Channel.PHONE: N_("Voicemail on the phone number for calls marked not safe")
    },
    "confirmed": {
        Channel.EMAIL: N_("Email address confirmed with the victim"),
        Channel.SMS: N_("Mobile number for texts confirmed with the victim"),
    },
    "added": {
        Channel.EMAIL: N_("Email address added"),
        Channel.SMS: N_("Mobile number for texts added"),
        Channel.PHONE: N_("Phone number for calls added"),
        Channel.LETTER: N_("Postal address added"),
    },
    "removed": {
        Channel.EMAIL: N_("Email address removed"),
        Channel.SMS: N_("Mobile number for texts removed"),
        Channel.PHONE: N_("Phone number for calls removed"),
        Channel.LETTER: N_("Postal address removed"),
    },
}


#: The same changes, made by the victim online (the officer reads who made them).
BY_VICTIM = {
    "marked_unsafe": {
        Channel.EMAIL: N_("The victim marked their email address not safe"),
        Channel.SMS: N_("The victim marked their mobile number for texts not safe"),
        Channel.PHONE: N_("The victim marked their phone number for calls not safe"),
        Channel.LETTER: N_("The victim marked their postal address not safe"),
    },
    "marked_safe": {
        Channel.EMAIL: N_("The victim marked their email address safe again"),
        Channel.SMS: N_("The victim marked their mobile number for texts safe again"),
        Channel.PHONE: N_("The victim marked their phone number for calls safe again"),
        Channel.LETTER: N_("The victim marked their postal address safe again"),
    },
    "added": {
        Channel.EMAIL: N_("The victim added an email address and proved it with a security code"),
        Channel.SMS: N_(
            "The victim added a mobile number for texts and proved it with a security code"
        ),
        Channel.PHONE: N_("The victim added a phone number for calls"),
        Channel.LETTER: N_("The victim added a postal address"),
    },
    "removed": {
        Channel.EMAIL: N_("The victim removed an email address"),
        Channel.SMS: N_("The victim removed a mobile number for texts"),
        Channel.PHONE: N_("The victim removed a phone number for calls"),
        Channel.LETTER: N_("The victim removed a postal address"),
    },
}
#: Cases whose timeline no longer takes entries (portal.services.timeline.NOT_WRITABLE).
FINISHED = (CaseStatus.CLOSED, CaseStatus.MERGED)


def cases_to_note(case: Case, actor: Actor) -> list[Case]:
    """Where a change to the victim's details goes on the timeline: the case it was made
    from, and for a change the victim made, each of their other cases still open."""
    if not isinstance(actor, VictimActor):
        return [case]
    others = [c for c in case.victim.cases if c is not case and c.status not in FINISHED]
    return [case, *sorted(others, key=lambda c: c.id or 0)]


class DuplicateDetail(ValueError):
    """The victim's record already holds this detail, for this way of contact."""


@dataclass(frozen=True)
class Done:
    """What one change did: its timeline words (the message id, to show the officer in
    the page's language), the sessions it ended and the notifications it cancelled."""

    notes: tuple[str, ...] = ()
    sessions_ended: int = 0
    notifications_cancelled: int = 0
    preference_id: int | None = None
    #: The detail is no longer used (marked not safe, or removed): nothing was sent to say so.
    stopped_using: bool = False


def details_of(case: Case) -> list[ContactPreference]:
    """The victim's contact details, in the order they are tried."""
    return sorted(
        case.victim.contact_preferences, key=lambda p: (ORDER.index(p.channel), p.id or 0)
    )


def detail_of(case: Case, preference_id: int) -> ContactPreference | None:
    """The victim's own contact detail `preference_id`, or None (another victim's, or none)."""
    return next((p for p in case.victim.contact_preferences if p.id == preference_id), None)


def _end_sessions(session: Session, preference: ContactPreference, now: datetime) -> int:
    channel = SIGN_IN_CHANNELS.get(preference.channel)
    if channel is None:
        return 0
    result = session.execute(
        update(VictimSession)
        .where(
            VictimSession.channel == channel,
            VictimSession.destination == preference.value,
            VictimSession.ended_at.is_(None),
        )
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _record(
    session: Session,
    actor: Actor,
    case: Case,
    preference: ContactPreference,
    change: str,
    now: datetime,
    **detail: int | bool,
) -> str:
    note = NOTES[change][preference.channel]
    if isinstance(actor, VictimActor):
        note = BY_VICTIM.get(change, {}).get(preference.channel, note)
    for noted in cases_to_note(case, actor):
        staff_note(session, actor, noted, note, now)
    audit(
        session,
        actor,
        case,
        f"contact.{change}",
        {"preference": preference.id, "channel": preference.channel.value, **detail},
        now,
    )
    return note


def _stop_using(session: Session, preference: ContactPreference, now: datetime) -> tuple[int, int]:
    return _end_sessions(session, preference, now), cancel_pending(session, preference, now=now)


def set_safety(
    session: Session,
    case: Case,
    preference: ContactPreference,
    safe: bool,
    actor: Actor,
    now: datetime | None = None,
) -> Done:
    """Mark `preference` safe or not safe. Asking for what it already is changes nothing
    (a form sent twice, or from two tabs)."""
    lock_row(session, preference)
    now = now or utcnow()
    if preference.is_safe == safe:
        return Done(preference_id=preference.id)
    preference.is_safe = safe
    if safe:
        note = _record(session, actor, case, preference, "marked_safe", now)
        return Done((note,), preference_id=preference.id)
    ended, cancelled = _stop_using(session, preference, now)
    note = _record(
        session,
        actor,
        case,
        preference,
        "marked_unsafe",
        now,
        sessions_ended=ended,
        notifications_cancelled=cancelled,
    )
    return Done((note,), ended, cancelled, preference.id, stopped_using=True)


def remove(
    session: Session,
    case: Case,
    preference: ContactPreference,
    actor: Actor,
    now: datetime | None = None,
) -> Done:
    """Remove `preference` from the victim's record: as not safe, and gone."""
    now = now or utcnow()
    ended, cancelled = _stop_using(session, preference, now)
    note = _record(
        session,
        actor,
        case,
        preference,
        "removed",
        now,
        sessions_ended=ended,
        notifications_cancelled=cancelled,
    )
    preference_id = preference.id
    case.victim.contact_preferences.remove(preference)
    session.delete(preference)
    return Done((note,), ended, cancelled, preference_id, stopped_using=True)


def change(
    session: Session,
    case: Case,
    preference: ContactPreference,
    actor: Actor,
    *,
    safe_from: time | None,
    safe_until: time | None,
    voicemail_safe: bool | None = None,
    confirmed: bool | None = None,
    now: datetime | None = None,
) -> Done:
    """Change when `preference` is safe to use, whether a voicemail is (phones), and
    whether it was confirmed with the victim (email and mobile, once: a confirmed detail
    stays confirmed). Each real change is recorded; nothing else is."""
    now = now or utcnow()
    notes = []
    if preference.channel in TIMED and (safe_from, safe_until) != (
        preference.safe_from,
        preference.safe_until,
    ):
        preference.safe_from, preference.safe_until = safe_from, safe_until
        notes.append(_record(session, actor, case, preference, "times_changed", now))
    if (
        preference.channel == Channel.PHONE
        and voicemail_safe is not None
        and voicemail_safe != preference.voicemail_safe
    ):
        preference.voicemail_safe = voicemail_safe
        change_name = "voicemail_safe" if voicemail_safe else "voicemail_unsafe"
        notes.append(_record(session, actor, case, preference, change_name, now))
    if preference.channel in SIGN_IN_CHANNELS and confirmed and preference.verified_at is None:
        preference.verified_at = now
        notes.append(_record(session, actor, case, preference, "confirmed", now))
    return Done(tuple(notes), preference_id=preference.id)


def add(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    channel: Channel,
    value: str,
    safe: bool,
    confirmed: bool,
    now: datetime | None = None,
) -> Done:
    """Add a contact detail (`value` already normalised: portal.domain.contact_details).

    Raises DuplicateDetail when the victim's record already holds it for that way."""
    now = now or utcnow()
    if any(p.channel == channel and p.value == value for p in case.victim.contact_preferences):
        raise DuplicateDetail(channel.value)
    preference = ContactPreference(
        channel=channel,
        value=value,
        is_safe=safe,
        voicemail_safe=False,
        verified_at=now if confirmed else None,
    )
    case.victim.contact_preferences.append(preference)
    session.flush()  # its id, for the audit
    note = _record(session, actor, case, preference, "added", now, confirmed=confirmed)
    return Done((note,), preference_id=preference.id)
