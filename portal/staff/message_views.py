"""Messages in the console: what waits for a reply, and a case's conversation.

- `staff.messages`: the cases whose victims' messages wait for a reply, longest wait
  first (so overdue first), each wait in working days against the 5-day target: the
  officer's own cases, or (MOJ sub-navigation, plain links) their region's; an admin's
  "region" is every region. 25 a page.
- `staff.case_messages`: one case's conversation, oldest first, and the reply form. The
  reply (`staff.case_message_reply`) is POST, 303 back with a success banner; with htmx
  the page's content is swapped in place and focus goes to the banner. The same address
  fills the reply with a standard reply in the language chosen (the victim's unless the
  officer chooses the other), re-rendering the form. "Mark as needing no reply"
  (`staff.case_messages_no_reply`) takes the case out of the queues without a reply.

The rules are in portal.services.messages (the reply notifies the victim, content-free,
on a safe channel in their language); the standard replies in
portal.services.reply_templates. A closed or joined case takes no reply: the page says
why, and a forged reply gets the refusal page (409) with nothing written.
"""

from __future__ import annotations

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import format_datetime
from sqlalchemy.orm import joinedload, selectinload

from portal.domain.messages import MESSAGE_LENGTH, REPLY_WITHIN_WORKING_DAYS
from portal.extensions import db
from portal.models import ActorType, Case, Language, OfficerRole, Victim
from portal.notifications import content as notification_content
from portal.services import messages, queues, reply_templates
from portal.services.case_officers import can_reassign
from portal.staff import bp
from portal.staff import message_wording as words
from portal.staff.case_pages import case_page, leave_notice, take_notice
from portal.staff.message_forms import (
    REPLY_PREFIX,
    TEMPLATE_PREFIX,
    ReplyForm,
    TemplateForm,
    seen_up_to,
)
from portal.staff.sign_in_views import page
from portal.staff.views import case_or_404, current_officer, long_date, waiting_counts

PAGE_SIZE = 25
WHOSE = ("mine", "region")
#: Everything the conversation page shows: the victim (their language and safe channels)
#: and each message with who wrote and who answered it; the same queries for 1 or 500.
CONVERSATION = (
    joinedload(Case.victim).selectinload(Victim.contact_preferences),
    joinedload(Case.officer),
    joinedload(Case.merged_into),
)


def actor() -> messages.Actor:
    return messages.Actor(
        type=ActorType.STAFF,
        id=current_officer().id,
        request_id=g.get("request_id"),
        address=(request.remote_addr or "")[:45] or None,
    )


def when(moment) -> str:
    """A moment in the console's language, London time."""
    return format_datetime(moment, "d MMMM y, HH:mm")


# --- the queues ----------------------------------------------------------------------------


@bp.get("/messages", endpoint="messages")
def messages_waiting():
    officer = current_officer()
    whose = request.args.get("whose") if request.args.get("whose") in WHOSE else "mine"
    mine, in_reach = waiting_counts()
    total = mine if whose == "mine" else in_reach
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    queue = messages.waiting_for_reply(
        db.session,
        officer,
        queues.today_in_england(),
        whose=whose,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    every_region = officer.role.sees_every_region
    tabs = [
        {
            "href": url_for("staff.messages"),
            "text": words.YOUR_CASES,
            "count": mine,
            "current": whose == "mine",
        },
        {
            "href": url_for("staff.messages", whose="region"),
            "text": words.EVERY_REGION if every_region else words.YOUR_REGION,
            "count": in_reach,
            "current": whose == "region",
        },
    ]
    return page(
        "_messages.html",
        words.QUEUE_TITLE,
        queue=queue,
        whose=whose,
        tabs=tabs,
        heading=next(tab for tab in tabs if tab["current"]),
        page_number=number,
        pages=pages,
        page_url=lambda n: url_for(
            "staff.messages", **({"whose": whose} if whose != "mine" else {}), page=n
        ),
        target=REPLY_WITHIN_WORKING_DAYS,
        long_date=long_date,
        push_url=True,
    )


# --- a case's conversation -------------------------------------------------------------------


def _sign_in_url() -> str:
    return notification_content.sign_in_link(current_app.config["PUBLIC_BASE_URL"])


def conversation_page(case: Case, status: int = 200, reply_form=None, template_form=None,
                      focus_reply: bool = False):  # fmt: skip
    """The case's messages and the forms (blank unless given, with what was typed)."""
    conversation = messages.conversation(db.session, case.id)
    language = case.victim.language
    reply_form = reply_form or ReplyForm.blank(language)
    template_form = template_form or TemplateForm.blank(language)
    failed = next((f for f in (reply_form, template_form) if f.errors), None)
    officer = current_officer()
    # What the page shows is what a reply, or "no reply needed", answers.
    seen = max((message.id for message in conversation), default=0)
    reply_form.seen.data = str(seen)
    return case_page(
        "case/_messages.html",
        words.CASE_TITLE,
        case,
        status=status,
        has_errors=failed is not None,
        push_url=request.method == "GET",
        conversation=conversation,
        waiting=messages.oldest_waiting(conversation, queues.today_in_england()),
        notice=take_notice(case.id) if request.method == "GET" and failed is None else None,
        refused=messages.officer_refused(case),
        seen=seen,
        reply_form=reply_form,
        template_form=template_form,
        failed_form=failed,
        focus_reply=focus_reply,
        template_items=[
            {"value": template.value, "text": words.TEMPLATE_NAMES[template]}
            for template in reply_templates.ReplyTemplate
        ],
        language_items=[
            {"value": choice.value, "text": words.LANGUAGE_NAMES[choice]}
            for choice in (language, *(other for other in Language if other != language))
        ],
        officer_speaks_welsh=officer.speaks_welsh,
        may_reassign=officer.role in (OfficerRole.MANAGER, OfficerRole.ADMIN)
        and can_reassign(case),
        message_length=MESSAGE_LENGTH,
        target=REPLY_WITHIN_WORKING_DAYS,
        wording=words,
        when=when,
        long_date=long_date,
    )


@bp.get("/cases/<int:case_id>/messages")
def case_messages(case_id: int):
    return conversation_page(case_or_404(case_id, *CONVERSATION))


def _refused(case: Case, reason: str):
    """A reply this case cannot take, explained (409); nothing was written."""
    return case_page(
        "case/_refused.html",
        words.REFUSED_TITLE,
        case,
        status=409,
        reason=reason,
        refusal=words.REFUSED[reason],
        back_to=url_for("staff.case_messages", case_id=case.id),
        back_text=words.BACK_TO_MESSAGES,
        other_case_endpoint="staff.case_messages",
    )


def _back(case: Case):
    return redirect(url_for("staff.case_messages", case_id=case.id), code=303)


def _form_on_the_page(case_id: int, anchor: str):
    """A form's address opened as a page (the language toggle after an error, say): the
    form is on the case's messages page."""
    case = case_or_404(case_id)
    return redirect(url_for("staff.case_messages", case_id=case.id) + f"#{anchor}", code=303)


@bp.route("/cases/<int:case_id>/messages/reply", methods=["GET", "POST"])
def case_message_reply(case_id: int):
    if request.method == "GET":
        return _form_on_the_page(case_id, "reply")
    case = case_or_404(case_id, *CONVERSATION)
    if refused := messages.officer_refused(case):
        return _refused(case, refused)
    if f"{TEMPLATE_PREFIX}-choice" in request.form:
        return _use_template(case)
    form = ReplyForm(prefix=REPLY_PREFIX)
    if not form.has_valid_key():
        abort(400)  # only a forged form has no one-time key
    if not form.validate():
        return conversation_page(case, reply_form=form)
    try:
        sent = messages.reply(
            db.session,
            case,
            current_officer(),
            form.body.data,
            Language(form.language.data),
            form.submission_key.data,
            _sign_in_url(),
            actor(),
            seen_up_to=form.seen_up_to(),
        )
    except messages.Refused as refusal:
        db.session.rollback()
        return _refused(case, refusal.reason)
    told = sent.told.channel.value if sent.told is not None else None
    db.session.commit()
    leave_notice(
        case.id,
        "staff.case_messages",
        done="replied",
        message=sent.message.id,
        told=told,
        told_later=sent.told_later,
        held_back=sent.held_back,
        still_waiting=sent.still_waiting,
        repeated=not sent.created,
    )
    return _back(case)


def _use_template(case: Case):
    """Fill the reply with a standard reply, in the language chosen, to edit and send."""
    template_form = TemplateForm(prefix=TEMPLATE_PREFIX)
    if not template_form.validate():
        return conversation_page(case, template_form=template_form)
    language = Language(template_form.language.data)
    chosen = reply_templates.ReplyTemplate(template_form.choice.data)
    reply_form = ReplyForm.blank(language, reply_templates.wording(chosen, language.value))
    return conversation_page(
        case, reply_form=reply_form, template_form=template_form, focus_reply=True
    )


@bp.route("/cases/<int:case_id>/messages/no-reply-needed", methods=["GET", "POST"])
def case_messages_no_reply(case_id: int):
    if request.method == "GET":
        return _form_on_the_page(case_id, "no-reply-needed")
    case = case_or_404(case_id, selectinload(Case.victim))
    seen = seen_up_to(request.form.get("seen"))
    if seen is None:
        abort(400)  # only a forged form says nothing of what it showed
    answered = messages.mark_no_reply_needed(
        db.session, case, current_officer(), actor(), seen_up_to=seen
    )
    still_waiting = messages.waiting_on(db.session, case)
    db.session.commit()
    leave_notice(
        case.id,
        "staff.case_messages",
        done="no-reply-needed",
        answered=answered,
        still_waiting=still_waiting,
    )
    return _back(case)
