"""What each notification says, in English and Welsh, from the catalogue.

Content is deliberately bare: no offender's name, no case detail, no
"Official", nothing that someone reading over the victim's shoulder would
learn from. Each message says to sign in. SMS text uses the straight
apostrophe so that it stays in the GSM alphabet (one 160-character fragment).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from flask import url_for
from flask_babel import force_locale, gettext, ngettext

from portal.domain.security_codes import CODE_LIFETIME, LINK_LIFETIME, new_link_secret
from portal.domain.sms import sms_length
from portal.language import LOCALES

#: How long a "carry on" link works, for rows queued before the email said so.
LINK_HOURS = int(LINK_LIFETIME.total_seconds() // 3600)


class Rendered(NamedTuple):
    subject: str  # email subject; empty for SMS
    body: str


def _sign_in_code(channel: str, p: Mapping[str, Any]) -> Rendered:
    minutes = int(p["minutes"])
    if channel == "sms":
        return Rendered(
            "",
            ngettext(
                "Your security code is %(code)s. It expires in %(num)d minute.",
                "Your security code is %(code)s. It expires in %(num)d minutes.",
                minutes,
                code=p["code"],
            ),
        )
    return Rendered(
        gettext("Your security code"),
        ngettext(
            "Your security code is %(code)s.\n\nIt expires in %(num)d minute.\n\n"
            "If you did not ask for this code, you do not need to do anything.",
            "Your security code is %(code)s.\n\nIt expires in %(num)d minutes.\n\n"
            "If you did not ask for this code, you do not need to do anything.",
            minutes,
            code=p["code"],
        ),
    )


def _new_message(channel: str, p: Mapping[str, Any]) -> Rendered:
    if channel == "sms":
        return Rendered(
            "", gettext("You have a new message. Sign in to read it: %(url)s", url=p["url"])
        )
    return Rendered(
        gettext("You have a new message"),
        gettext("You have a new message.\n\nSign in to read it:\n%(url)s", url=p["url"]),
    )


def _update(channel: str, p: Mapping[str, Any]) -> Rendered:
    """A new stage, or a decision on a registration: the same bare words for both."""
    if channel == "sms":
        return Rendered(
            "", gettext("There is an update for you. Sign in to read it: %(url)s", url=p["url"])
        )
    return Rendered(
        gettext("There is an update for you"),
        gettext("There is an update for you.\n\nSign in to read it:\n%(url)s", url=p["url"]),
    )


def _contact_changed(channel: str, p: Mapping[str, Any]) -> Rendered:
    """A change the victim made to how we contact them, pause or leave (portal.services.
    contact_choices): no word of what changed, to a detail that was safe before and still is,
    so that someone else making changes in their name is noticed."""
    if channel == "sms":
        return Rendered(
            "",
            gettext(
                "Your contact preferences have changed. If you did not change them, sign in "
                "to check: %(url)s",
                url=p["url"],
            ),
        )
    return Rendered(
        gettext("Your contact preferences have changed"),
        gettext(
            "Your contact preferences have changed.\n\n"
            "If you did not change them, sign in to check them:\n%(url)s",
            url=p["url"],
        ),
    )


def _representative_code(channel: str, p: Mapping[str, Any]) -> Rendered:
    """The code that proves the detail of someone a victim is naming to act for them: they
    give it to the victim if they agree (portal.services.representatives). No name: the
    victim tells them who is asking."""
    minutes = int(p["minutes"])
    if channel == "sms":
        return Rendered(
            "",
            ngettext(
                "Someone wants you to act for them in the Victim Contact Scheme. If you agree, "
                "give them this code: %(code)s. It expires in %(num)d minute.",
                "Someone wants you to act for them in the Victim Contact Scheme. If you agree, "
                "give them this code: %(code)s. It expires in %(num)d minutes.",
                minutes,
                code=p["code"],
            ),
        )
    return Rendered(
        gettext("Someone has asked you to act for them"),
        ngettext(
            "Someone has asked you to act for them in the Victim Contact Scheme.\n\n"
            "If you agree, give them this security code: %(code)s\n\n"
            "It expires in %(num)d minute.\n\n"
            "If you do not know who is asking, do not give the code to anyone. You do not need "
            "to do anything else.",
            "Someone has asked you to act for them in the Victim Contact Scheme.\n\n"
            "If you agree, give them this security code: %(code)s\n\n"
            "It expires in %(num)d minutes.\n\n"
            "If you do not know who is asking, do not give the code to anyone. You do not need "
            "to do anything else.",
            minutes,
            code=p["code"],
        ),
    )


def _representative_invitation(channel: str, p: Mapping[str, Any]) -> Rendered:
    """To someone a victim named to act for them, once their detail is proved: where to
    sign in. Nothing about the victim or the case."""
    if channel == "sms":
        return Rendered(
            "",
            gettext(
                "Someone asked you to help them with the Victim Contact Scheme. Sign in: %(url)s",
                url=p["url"],
            ),
        )
    return Rendered(
        gettext("Someone has asked you to help them"),
        gettext(
            "Someone has asked you to help them with the Victim Contact Scheme.\n\n"
            "Sign in with this email address to see what you can do for them:\n%(url)s\n\n"
            "If you were not expecting this, you do not need to do anything.",
            url=p["url"],
        ),
    )


def _representative_added(channel: str, p: Mapping[str, Any]) -> Rendered:
    """To the victim, on a detail that is safe: someone can now act for them. No name, so
    that someone else naming a representative in their name is noticed."""
    if channel == "sms":
        return Rendered(
            "",
            gettext(
                "Someone can now act for you. If you did not ask for this, sign in to check: "
                "%(url)s",
                url=p["url"],
            ),
        )
    return Rendered(
        gettext("Someone can now act for you"),
        gettext(
            "You have asked someone to act for you.\n\n"
            "If you did not ask for this, sign in to check who can act for you, and to stop "
            "them:\n%(url)s",
            url=p["url"],
        ),
    )


def _registration_received(channel: str, p: Mapping[str, Any]) -> Rendered:
    if channel == "sms":
        return Rendered(
            "",
            gettext(
                "We have your request to join. We will be in touch within 20 working days. "
                "Reference: %(reference)s",
                reference=p["reference"],
            ),
        )
    return Rendered(
        gettext("We have your request"),
        gettext(
            "We have your request to join.\n\n"
            "Someone will contact you within 20 working days.\n\n"
            "Your reference number is %(reference)s.",
            reference=p["reference"],
        ),
    )


def _registration_resume(channel: str, p: Mapping[str, Any]) -> Rendered:
    """The link back to a registration (the pages offer it by email); it works once."""
    if channel == "sms":
        return Rendered(
            "",
            gettext("Carry on with your request to join: %(link)s It works once.", link=p["link"]),
        )
    return Rendered(
        gettext("Carry on with your request"),
        ngettext(
            "Use this link to carry on where you left off:\n%(link)s\n\n"
            "The link works once, for %(num)d hour. Your answers are kept until %(date)s.\n\n"
            "If you did not ask for this, you do not need to do anything.",
            "Use this link to carry on where you left off:\n%(link)s\n\n"
            "The link works once, for %(num)d hours. Your answers are kept until %(date)s.\n\n"
            "If you did not ask for this, you do not need to do anything.",
            int(p.get("hours", LINK_HOURS)),
            link=p["link"],
            date=p["date"],
        ),
    )


def _referral_welcome(channel: str, p: Mapping[str, Any]) -> Rendered:
    """The first we say to someone the police referred: who told us, that they can sign in
    with the detail this came to, when we will be in touch. A letter goes only when no
    email address or mobile number is safe, so it cannot offer one to sign in with."""
    if channel == "sms":
        # One fragment, in both languages, with the link: no room for the 20 days here;
        # the case page says it, on the timeline's first entry.
        return Rendered(
            "",
            gettext(
                "The police gave your details to the Victim Liaison Unit. "
                "Sign in with this number: %(url)s",
                url=p["url"],
            ),
        )
    if channel == "letter":
        return Rendered(
            gettext("We will contact you soon"),
            gettext(
                "The police have given your details to the Victim Liaison Unit, so that we "
                "can keep you informed.\n\n"
                "Someone from the unit will contact you within 20 working days.\n\n"
                "If you would like to see your case online, give them an email address or "
                "mobile number that is safe to use. You can then sign in at:\n%(url)s",
                url=p["url"],
            ),
        )
    return Rendered(
        gettext("We will contact you soon"),
        gettext(
            "The police have given your details to the Victim Liaison Unit, so that we can "
            "keep you informed.\n\n"
            "Someone from the unit will contact you within 20 working days.\n\n"
            "You can sign in with this email address to see your case:\n%(url)s",
            url=p["url"],
        ),
    )


def _staff_link(purpose: str) -> Callable[[str, Mapping[str, Any]], Rendered]:
    """An emailed link to a member of staff (portal.services.staff_links): their invitation,
    or a reset of their authenticator app or password. Staff only: nothing about a victim.
    Sent by email; the text message is for completeness (every kind fits one SMS)."""

    def build(channel: str, p: Mapping[str, Any]) -> Rendered:
        hours = int(p.get("hours", LINK_HOURS))
        if channel == "sms":
            link = p["link"]
            return Rendered(
                "", gettext("Your staff console link: %(link)s It works once.", link=link)
            )
        if purpose == "invitation":
            subject = gettext("Your account for the Victim Contact Scheme staff console")
            body = ngettext(
                "An administrator has made you an account for the Victim Contact Scheme staff "
                "console.\n\nUse this link to choose your password and set up your "
                "authenticator app:\n%(link)s\n\nThe link works once, for %(num)d hour. If it "
                "has run out, ask an administrator to send you a new one.",
                "An administrator has made you an account for the Victim Contact Scheme staff "
                "console.\n\nUse this link to choose your password and set up your "
                "authenticator app:\n%(link)s\n\nThe link works once, for %(num)d hours. If it "
                "has run out, ask an administrator to send you a new one.",
                hours,
                link=p["link"],
            )
        elif purpose == "new-app":
            subject = gettext("Set up your authenticator app again")
            body = ngettext(
                "An administrator has reset the authenticator app for your staff console "
                "account.\n\nUse this link, with your password, to set up a new one:\n%(link)s"
                "\n\nThe link works once, for %(num)d hour. If you did not ask for this, tell an "
                "administrator straight away.",
                "An administrator has reset the authenticator app for your staff console "
                "account.\n\nUse this link, with your password, to set up a new one:\n%(link)s"
                "\n\nThe link works once, for %(num)d hours. If you did not ask for this, tell an "
                "administrator straight away.",
                hours,
                link=p["link"],
            )
        else:
            subject = gettext("Choose a new password")
            body = ngettext(
                "An administrator has reset the password for your staff console account.\n\n"
                "Use this link to choose a new one:\n%(link)s\n\nYou will still need your "
                "authenticator app to sign in. The link works once, for %(num)d hour. If you did "
                "not ask for this, tell an administrator straight away.",
                "An administrator has reset the password for your staff console account.\n\n"
                "Use this link to choose a new one:\n%(link)s\n\nYou will still need your "
                "authenticator app to sign in. The link works once, for %(num)d hours. If you did "
                "not ask for this, tell an administrator straight away.",
                hours,
                link=p["link"],
            )
        return Rendered(subject, body)

    return build


def _daily_summary(channel: str, p: Mapping[str, Any]) -> Rendered:
    """The morning email an officer may ask for (portal.services.messages.daily_summaries):
    how many conversations wait for a reply, numbers only, never a name or a word of them."""
    if channel == "sms":
        return Rendered(
            "",
            gettext(
                "Messages wait for a reply in the staff console: yours %(mine)d, your region "
                "%(region)d. %(url)s",
                mine=int(p["mine"]),
                region=int(p["region"]),
                url=p["url"],
            ),
        )
    return Rendered(
        gettext("Messages waiting for a reply"),
        gettext(
            "Messages from victims are waiting for a reply in the Victim Contact Scheme staff "
            "console.\n\nConversations waiting on your cases: %(mine)d\nConversations waiting "
            "in your region: %(region)d\n\nSign in to read them:\n%(url)s\n\nYou get this "
            "email because you asked for a daily summary. You can stop it on your account page.",
            mine=int(p["mine"]),
            region=int(p["region"]),
            url=p["url"],
        ),
    )


#: Every kind of notification, and the personalisation each needs.
KINDS: dict[str, tuple[Callable[[str, Mapping[str, Any]], Rendered], tuple[str, ...]]] = {
    "sign_in_code": (_sign_in_code, ("code", "minutes")),
    "new_message": (_new_message, ("url",)),
    "new_stage": (_update, ("url",)),
    "registration_received": (_registration_received, ("reference",)),
    "registration_resume": (_registration_resume, ("link", "date")),
    "registration_accepted": (_update, ("url",)),
    "registration_declined": (_update, ("url",)),
    #: The case has a new Victim Liaison Officer (their name is on the case page only).
    "new_officer": (_update, ("url",)),
    #: A victim's request to their officer moved on (what happened is on its page only).
    "request_update": (_update, ("url",)),
    "referral_welcome": (_referral_welcome, ("url",)),
    #: The victim changed their contact preferences, paused updates or left the scheme.
    "contact_changed": (_contact_changed, ("url",)),
    #: Their officer brought a case the victim had left back into the scheme.
    "back_in_scheme": (_update, ("url",)),
    #: To someone a victim is naming to act for them: the code that proves their detail.
    "representative_code": (_representative_code, ("code", "minutes")),
    #: To a representative once named: where to sign in (nothing about the victim).
    "representative_invitation": (_representative_invitation, ("url",)),
    #: To the victim: someone can now act for them.
    "representative_added": (_representative_added, ("url",)),
    "staff_invitation": (_staff_link("invitation"), ("link",)),
    "staff_new_app": (_staff_link("new-app"), ("link",)),
    "staff_new_password": (_staff_link("new-password"), ("link",)),
    "staff_daily_summary": (_daily_summary, ("mine", "region", "url")),
}
#: The kind of email each staff link's purpose sends (portal.services.staff_links).
STAFF_LINK_KINDS = {
    "invitation": "staff_invitation",
    "new-app": "staff_new_app",
    "new-password": "staff_new_password",
}
#: Kinds that may be sent outside the person's safe times: they asked for them.
SEND_AT_ANY_TIME = frozenset(
    {
        "sign_in_code",
        "representative_code",
        "registration_resume",
        "staff_daily_summary",
        *STAFF_LINK_KINDS.values(),
    }
)
#: Personalisation never kept once sent (least data).
SENSITIVE_FIELDS = frozenset({"code", "link"})


def render(kind: str, channel: str, language: str, personalisation: Mapping[str, Any]) -> Rendered:
    """The words of notification `kind` for `channel`, in `language` ("en" or "cy")."""
    builder, needed = KINDS[kind]
    missing = [field for field in needed if field not in personalisation]
    if missing:
        raise ValueError(f"{kind} needs {', '.join(missing)}")
    # Builders tell "sms" from the rest; a letter reads as an email does unless its
    # builder says otherwise (it has no subject line).
    known = channel if channel in ("sms", "letter") else "email"
    if language == "cy" and "url" in personalisation and known != "sms":
        # A Welsh reader lands on Welsh pages, whatever their browser's language (not in a
        # text message: every one must stay a single SMS, and the page asks for Welsh too).
        url = personalisation["url"]
        personalisation = {**personalisation, "url": url + ("&" if "?" in url else "?") + "lang=cy"}
    with force_locale(LOCALES[language]):
        return builder(known, personalisation)


# --- links, and whether every SMS fits one fragment with them -------------------------------


def sign_in_link(base_url: str) -> str:
    """The link a "sign in to read it" message carries, on the public address `base_url`."""
    return base_url.rstrip("/") + url_for("sign_in.start")


def resume_link(base_url: str, token: str) -> str:
    """The one-use link back to a registration, on the public address `base_url`."""
    return base_url.rstrip("/") + url_for("register.resume_link", token=token)


def staff_sign_in_link(base_url: str) -> str:
    """The staff console's sign-in page, on the public address `base_url`."""
    return base_url.rstrip("/") + url_for("staff_sign_in.start")


def staff_link(base_url: str, token: str) -> str:
    """A one-use link emailed to a member of staff, on the public address `base_url`."""
    return base_url.rstrip("/") + url_for("staff_sign_in.link", token=token)


def longest_personalisation(base_url: str) -> dict[str, Any]:
    """Personalisation as long as real notifications get: links to `base_url` built the way
    the portal builds them, with a real resume token, the longest reference and code."""
    return {
        "code": "000000",
        "minutes": int(CODE_LIFETIME.total_seconds() // 60),
        "url": sign_in_link(base_url),
        "link": resume_link(base_url, new_link_secret()),
        "reference": "VCS-0000-0000",
        "date": "",
        "hours": LINK_HOURS,
        "mine": 999,
        "region": 9999,
    }


def sms_that_do_not_fit(base_url: str) -> list[str]:
    """Each SMS kind and language that would need more than one GSM fragment when its links
    go to `base_url` (needs an application context)."""
    personalisation = longest_personalisation(base_url)
    problems = []
    for kind in KINDS:
        for language in LOCALES:
            length = sms_length(render(kind, "sms", language, personalisation).body)
            if length.encoding != "GSM" or length.fragments != 1:
                problems.append(f"{kind} ({language}): {length.characters} {length.encoding}")
    return problems
