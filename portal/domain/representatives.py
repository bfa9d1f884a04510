"""The rules of someone acting for a victim: a representative.

A victim names someone (a family member, a friend, a support worker) to act for them, with
what they may do, chosen from a short list (DELEGABLE). The representative signs in with
their own email address or mobile number, proved with a code the victim enters (so a
mistyped address reaches nobody who can use it), and then sees only what they were given.

- **Per victim, not per case.** A representative acts for the person: everything the
  victim has is the victim's, like their contact details, and a victim with two cases is
  usually the same person helped with both. The victim names them from any of their
  cases' pages, and the pages say that they can help with each of the victim's cases.
- **What can be given** (DELEGABLE): seeing the case and its timeline; reading and sending
  messages; making requests (licence conditions, a personal statement, the decision
  summary). **What cannot** (Permission.OWN): changing how the victim is contacted, which
  details are safe, pausing updates or leaving the scheme, naming or ending
  representatives, and "Your data". Those decide who is told what, and where: given to
  someone else, they could cut the victim off from their own officer or send news of the
  offender to a place the victim has said is not safe. The victim can still ask their
  representative to sit with them while they change them.
- **Ended at once.** The victim ends it, or their officer does; the representative's
  sessions end at once and signing in finds nothing more.
"""

from __future__ import annotations

from portal.domain.vocabulary import Permission, Relation

#: What a victim may give someone acting for them, in the order the pages list it.
DELEGABLE = (Permission.CASE, Permission.MESSAGES, Permission.REQUESTS)
#: What a session has for the person whose own record holds the detail it signed in with.
EVERYTHING = frozenset(Permission)
#: How many people may act for one victim at a time.
MOST_AT_ONCE = 3
#: Who a representative may be to the victim, in the order the page offers them.
RELATIONS = (Relation.FAMILY, Relation.FRIEND, Relation.SUPPORT, Relation.OTHER)
#: The longest name a representative may have (Victim.full_name's length).
NAME_LENGTH = 200


def chosen(values) -> frozenset[Permission]:
    """The permissions among `values` (form values or stored ones) that may be given."""
    delegable = {permission.value: permission for permission in DELEGABLE}
    return frozenset(delegable[value] for value in values if value in delegable)
