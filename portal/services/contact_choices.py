"""A signed-in victim changes how they are contacted: which details, which are safe, safe
times and voicemail, a name not to put on envelopes, the language we write in, their
access needs, and how much they want to hear on each case.

The rules:

- **A new email address or mobile number is proved first.** A 6-digit code
  (CodePurpose.CONTACT, portal.services.security_codes: its lifetime, guesses and limits)
  goes to it; until the code is entered it is on no record (the browser's session holds
  what was typed), so nothing can be sent to it, nobody can sign in with it, and no
  notification or duplicate check uses it. Entering the code adds it, confirmed.
- **Not safe means never used, at once**, exactly as when an officer marks it: through
  portal.services.victim_contacts (victim sessions signed in with it end, what waits in
  the outbox to go to it is cancelled), with a `VictimActor`.
- **Every change is confirmed**: on screen (the views), and by the content-free
  "contact_changed" notification through a detail that was safe before the change and is
  still safe after it: never one just marked not safe or removed (not even to confirm
  that change), nor one just added. When there is none, nothing is sent and the page
  says so. One confirmation waiting to go is enough for several changes. A victim who
  left the scheme (and has no other case open) is sent nothing after the confirmation of
  leaving: their later changes are confirmed on screen only.
- **Every change is recorded**: a timeline entry the officer sees (never the victim, never
  the detail itself) on each of the victim's open cases, and an audit event naming the
  victim (ActorType.VICTIM), with ids and kinds, never a value.

The caller commits (everything a change does is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalogue import N_
from portal.domain.participation import left_the_scheme
from portal.models import (
    Case,
    Channel,
    CodePurpose,
    ContactPreference,
    Language,
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    UpdatesWanted,
    Victim,
    utcnow,
)
from portal.notifications.outbox import NOTIFIABLE, enqueue, safe_channels
from portal.services import security_codes, victim_contacts
from portal.services.locks import lock_row
from portal.services.security_codes import CODE_LIFETIME, CheckResult, TooManyCodes
from portal.services.staff_changes import VictimActor, audit, staff_note
from portal.services.victim_contacts import TIMED, DuplicateDetail, cases_to_note

__all__ = ["CODE_LIFETIME", "CheckResult", "DuplicateDetail", "TooManyCodes"]

#: What a new detail of each kind is proved with: email and mobile take a code.
PROVED_BY_CODE = {Channel.EMAIL: NotificationChannel.EMAIL, Channel.SMS: NotificationChannel.SMS}
KIND = "contact_changed"

#: What the officer reads of each change the victim made (whole sentences, in the victim's
#: language: the detail, the name or the times themselves are on the case, not here).
NOTES = {
    "times": N_("The victim changed when it is safe to call or text them"),
    "voicemail_safe": N_("The victim said a voicemail is safe"),
    "voicemail_unsafe": N_("The victim said a voicemail is not safe"),
    "envelope": N_("The victim changed the name not to put on envelopes"),
    "access_needs": N_("The victim changed their access needs"),
    Language.ENGLISH: N_("The victim asked us to write to them in English"),
    Language.WELSH: N_("The victim asked us to write to them in Welsh"),
    UpdatesWanted.EVERY_STAGE: N_("The victim chose to hear about every key stage"),
    UpdatesWanted.RELEASE_ONLY: N_("The victim chose to hear only about release"),
    UpdatesWanted.ANNUAL: N_("The victim chose an update once a year"),
}


class LastDetail(ValueError):
    """A victim must keep one way for us to contact them: mark it not safe instead."""


@dataclass(frozen=True)
class Changed:
    """What a change did: whether anything changed, and the confirmation sent (None when
    nothing changed, or no detail that stayed safe could take it)."""

    changed: bool
    told: OutboxNotification | None = None
    #: The detail is no longer used: victim sessions signed in with it have ended.
    stopped_using: bool = False


NOTHING = Changed(changed=False)


# --- who may be told, and telling them -------------------------------------------------------


def safe_now(victim: Victim) -> frozenset[int]:
    """The ids of the victim's details safe to notify now (taken before a change)."""
    return frozenset(p.id for p in safe_channels(victim) if p.id is not None)


def confirmation_channel(victim: Victim, safe_before: frozenset[int]) -> ContactPreference | None:
    """Where a change's confirmation may go: the first detail that was safe before the change
    and still is after it (never one just marked not safe, removed or added)."""
    return next((p for p in safe_channels(victim) if p.id in safe_before), None)


def out_of_scheme(victim: Victim) -> bool:
    """Whether the victim has left the scheme and has no other case open: nothing is sent
    to them, not even the confirmation of a change (portal.domain.participation)."""
    return left_the_scheme((case.status, case.left_at) for case in victim.cases)


def confirm(
    session: Session,
    victim: Victim,
    safe_before: frozenset[int],
    sign_in_url: str,
    now: datetime | None = None,
    kind: str = KIND,
    *,
    leaving: bool = False,
) -> OutboxNotification | None:
    """Queue the content-free confirmation of a change, or None when no detail stayed safe
    or the victim has left the scheme (`out_of_scheme`: the confirmation of `leaving` is the
    last thing they are sent).

    One confirmation waiting to go to that detail covers several changes made together.
    `kind` is what it says ("contact_changed"; "representative_added" when the victim named
    someone to act for them: portal.services.representatives)."""
    now = now or utcnow()
    if not leaving and out_of_scheme(victim):
        return None
    preference = confirmation_channel(victim, safe_before)
    if preference is None:
        return None
    channel = NOTIFIABLE[preference.channel]
    waiting = session.scalar(
        select(OutboxNotification).where(
            OutboxNotification.victim_id == victim.id,
            OutboxNotification.template_key == kind,
            OutboxNotification.status == NotificationStatus.PENDING,
            OutboxNotification.channel == channel,
            OutboxNotification.recipient == preference.value,
        )
    )
    if waiting is not None:
        return waiting
    notification = enqueue(
        session,
        recipient=preference.value,
        channel=channel,
        kind=kind,
        language=victim.language,
        personalisation={"url": sign_in_url},
        victim=victim,
        safe_from=preference.safe_from,
        safe_until=preference.safe_until,
        now=now,
    )
    session.flush()
    return notification


def _note(session: Session, case: Case, actor: VictimActor, message: str, now: datetime) -> None:
    for noted in cases_to_note(case, actor):
        staff_note(session, actor, noted, message, now)


# --- contact details ----------------------------------------------------------------------


def holds(victim: Victim, channel: Channel, value: str) -> bool:
    """Whether the victim's record already has `value` for this way of contact."""
    return any(p.channel == channel and p.value == value for p in victim.contact_preferences)


def send_code(
    session: Session,
    channel: NotificationChannel,
    value: str,
    secret_key: str,
    *,
    requester: str,
    network: str,
    language: Language | str,
    now: datetime | None = None,
) -> None:
    """Send a code to a new email address or mobile number (`value`, normalised), for this
    browser. Nothing about the victim goes with it, and it names no victim: the detail is on
    no record yet. Raises TooManyCodes (having written an audit row) at a limit."""
    security_codes.send(
        session,
        purpose=CodePurpose.CONTACT,
        channel=channel,
        destination=value,
        secret_key=secret_key,
        network=network,
        requester=requester,
        language=language,
        now=now,
    )


def check_code(
    session: Session,
    channel: NotificationChannel,
    value: str,
    typed: str,
    secret_key: str,
    *,
    requester: str,
    now: datetime | None = None,
) -> str:
    """Check a typed code against the newest this browser asked for `value`; the guess counts."""
    return security_codes.check_newest(
        session,
        CodePurpose.CONTACT,
        channel,
        value,
        typed,
        secret_key,
        requester=requester,
        now=now,
    )


def _timed_like(victim: Victim) -> tuple[time | None, time | None]:
    """The safe times the victim's other details have (a new one keeps to them)."""
    timed = [p for p in victim.contact_preferences if p.channel in TIMED]
    return (timed[0].safe_from, timed[0].safe_until) if timed else (None, None)


def add(
    session: Session,
    case: Case,
    actor: VictimActor,
    channel: Channel,
    value: str,
    sign_in_url: str,
    *,
    proved: bool,
    now: datetime | None = None,
) -> Changed:
    """Add a detail, safe to use: an email address or mobile number only once `proved` with
    a code. Raises DuplicateDetail when the record has it already."""
    if channel in PROVED_BY_CODE and not proved:
        raise ValueError("an email address or mobile number is proved first")
    now = now or utcnow()
    victim = case.victim
    before = safe_now(victim)
    safe_from, safe_until = _timed_like(victim)
    done = victim_contacts.add(
        session, case, actor, channel=channel, value=value, safe=True, confirmed=proved, now=now
    )
    added = victim_contacts.detail_of(case, done.preference_id)
    if channel in TIMED:
        added.safe_from, added.safe_until = safe_from, safe_until
    return Changed(True, confirm(session, victim, before, sign_in_url, now))


def replace(
    session: Session,
    case: Case,
    actor: VictimActor,
    old: ContactPreference,
    value: str,
    sign_in_url: str,
    *,
    proved: bool,
    now: datetime | None = None,
) -> Changed:
    """Put a new `value` in place of `old` (the same way of contact, its safe times and
    voicemail): the new one is added, the old one removed (sessions signed in with it end,
    what waits to go to it is cancelled). Raises DuplicateDetail when the record has it."""
    if old.channel in PROVED_BY_CODE and not proved:
        raise ValueError("an email address or mobile number is proved first")
    now = now or utcnow()
    victim = case.victim
    before = safe_now(victim)
    done = victim_contacts.add(
        session,
        case,
        actor,
        channel=old.channel,
        value=value,
        safe=True,
        confirmed=proved,
        now=now,
    )
    new = victim_contacts.detail_of(case, done.preference_id)
    new.safe_from, new.safe_until, new.voicemail_safe = (
        old.safe_from,
        old.safe_until,
        old.voicemail_safe,
    )
    victim_contacts.remove(session, case, old, actor, now=now)
    return Changed(True, confirm(session, victim, before, sign_in_url, now), stopped_using=True)


def set_safety(
    session: Session,
    case: Case,
    actor: VictimActor,
    preference: ContactPreference,
    safe: bool,
    sign_in_url: str,
    now: datetime | None = None,
) -> Changed:
    """Mark a detail not safe (never used again, at once) or safe again. Asking for what it
    already is changes nothing."""
    now = now or utcnow()
    before = safe_now(case.victim)
    done = victim_contacts.set_safety(session, case, preference, safe, actor, now=now)
    if not done.notes:
        return NOTHING
    told = confirm(session, case.victim, before, sign_in_url, now)
    return Changed(True, told, stopped_using=done.stopped_using)


def remove(
    session: Session,
    case: Case,
    actor: VictimActor,
    preference: ContactPreference,
    sign_in_url: str,
    now: datetime | None = None,
) -> Changed:
    """Remove a detail (never used again, at once). Raises LastDetail for the only one.
    Removed already (from another tab) changes nothing."""
    lock_row(session, case.victim)  # two tabs removing the last two: one is refused
    if preference not in case.victim.contact_preferences:
        return NOTHING
    if len(case.victim.contact_preferences) <= 1:
        raise LastDetail(preference.channel.value)
    now = now or utcnow()
    before = safe_now(case.victim)
    victim_contacts.remove(session, case, preference, actor, now=now)
    return Changed(True, confirm(session, case.victim, before, sign_in_url, now), True)


def set_times(
    session: Session,
    case: Case,
    actor: VictimActor,
    sign_in_url: str,
    *,
    safe_from: time | None,
    safe_until: time | None,
    voicemail_safe: bool | None,
    now: datetime | None = None,
) -> Changed:
    """When it is safe to call or text (every email address, mobile and phone number, as
    registering keeps it), and whether a voicemail is safe (phone numbers): one entry each."""
    lock_row(session, case.victim)  # the same form from two tabs is noted once
    for preference in case.victim.contact_preferences:
        session.refresh(preference)  # as another tab left them
    now = now or utcnow()
    victim = case.victim
    before = safe_now(victim)
    timed = [p for p in victim.contact_preferences if p.channel in TIMED]
    phones = [p for p in victim.contact_preferences if p.channel == Channel.PHONE]
    moved = [p for p in timed if (p.safe_from, p.safe_until) != (safe_from, safe_until)]
    for preference in moved:
        preference.safe_from, preference.safe_until = safe_from, safe_until
    voiced = [
        p for p in phones if voicemail_safe is not None and p.voicemail_safe != voicemail_safe
    ]
    for preference in voiced:
        preference.voicemail_safe = voicemail_safe
    if not moved and not voiced:
        return NOTHING
    if moved:
        _note(session, case, actor, NOTES["times"], now)
        audit(
            session,
            actor,
            case,
            "contact.times_changed",
            {"preferences": [p.id for p in moved], "by": "victim"},
            now,
        )
    if voiced:
        change = "voicemail_safe" if voicemail_safe else "voicemail_unsafe"
        _note(session, case, actor, NOTES[change], now)
        audit(
            session, actor, case, f"contact.{change}", {"preferences": [p.id for p in voiced]}, now
        )
    return Changed(True, confirm(session, victim, before, sign_in_url, now))


# --- the victim's other choices -------------------------------------------------------------


def _changed(
    session: Session,
    case: Case,
    actor: VictimActor,
    note: str,
    action: str,
    detail: dict,
    sign_in_url: str,
    now: datetime,
    before: frozenset[int],
) -> Changed:
    _note(session, case, actor, note, now)
    audit(session, actor, case, action, detail, now)
    return Changed(True, confirm(session, case.victim, before, sign_in_url, now))


def set_envelope_name(
    session: Session,
    case: Case,
    actor: VictimActor,
    name: str | None,
    sign_in_url: str,
    now: datetime | None = None,
) -> Changed:
    """A name never to put on an envelope (None: there is none)."""
    lock_row(session, case.victim)  # the same form from two tabs is noted once
    victim = case.victim
    name = (name or "").strip() or None
    if victim.envelope_name_to_avoid == name:
        return NOTHING
    before = safe_now(victim)
    had = victim.envelope_name_to_avoid is not None
    victim.envelope_name_to_avoid = name
    detail = {"had_one": had, "has_one": name is not None}
    return _changed(
        session,
        case,
        actor,
        NOTES["envelope"],
        "victim.envelope_name_changed",
        detail,
        sign_in_url,
        now or utcnow(),
        before,
    )


def set_language(
    session: Session,
    case: Case,
    actor: VictimActor,
    language: Language,
    sign_in_url: str,
    now: datetime | None = None,
) -> Changed:
    """The language we write in (letters, emails, texts, and the confirmation of this)."""
    lock_row(session, case.victim)  # the same form from two tabs is noted once
    victim = case.victim
    language = Language(language)
    if victim.language == language:
        return NOTHING
    before = safe_now(victim)
    old = victim.language
    victim.language = language
    detail = {"from": old.value, "to": language.value}
    return _changed(
        session,
        case,
        actor,
        NOTES[language],
        "victim.language_changed",
        detail,
        sign_in_url,
        now or utcnow(),
        before,
    )


def set_access_needs(
    session: Session,
    case: Case,
    actor: VictimActor,
    needs: list[str],
    other: str | None,
    sign_in_url: str,
    now: datetime | None = None,
) -> Changed:
    """Help to read or talk to us, as registering keeps it ("large-print, bsl"), with an
    "other" need in words (kept only while "other" is chosen)."""
    lock_row(session, case.victim)  # the same form from two tabs is noted once
    victim = case.victim
    kept = ", ".join(needs) or None
    other = ((other or "").strip() or None) if "other" in needs else None
    if (victim.accessibility_needs, victim.accessibility_other) == (kept, other):
        return NOTHING
    before = safe_now(victim)
    victim.accessibility_needs, victim.accessibility_other = kept, other
    detail = {"needs": list(needs)}
    return _changed(
        session,
        case,
        actor,
        NOTES["access_needs"],
        "victim.access_needs_changed",
        detail,
        sign_in_url,
        now or utcnow(),
        before,
    )


def set_updates_wanted(
    session: Session,
    case: Case,
    actor: VictimActor,
    wanted: UpdatesWanted,
    sign_in_url: str,
    now: datetime | None = None,
) -> Changed:
    """How much the victim wants to hear about this case (only this case's timeline says so)."""
    lock_row(session, case)  # the same form from two tabs is noted once
    wanted = UpdatesWanted(wanted)
    if case.updates_wanted == wanted:
        return NOTHING
    now = now or utcnow()
    before = safe_now(case.victim)
    old = case.updates_wanted
    case.updates_wanted = wanted
    staff_note(session, actor, case, NOTES[wanted], now)
    audit(
        session,
        actor,
        case,
        "case.updates_wanted_changed",
        {"from": old.value, "to": wanted.value},
        now,
    )
    return Changed(True, confirm(session, case.victim, before, sign_in_url, now))
