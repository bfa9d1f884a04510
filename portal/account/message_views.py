"""A victim's conversations with their Victim Liaison Officer: read, write, and see replies
arrive without reloading.

- A case is found only among the session's own cases (sign_in.case_of): another
  victim's, a closed one and one that does not exist are all 404.
- Sending works without JavaScript (POST, 303 to the conversation with `?sent=<id>`,
  GET); with htmx the POST swaps the conversation in, with the message at the bottom,
  an empty form with a new key, and the success banner focused. The form's one-time
  key makes a double click or a replay send once (portal.services.messages).
- A refusal is explained where the form was: the victim's limit (429, the typed words
  kept), a case that takes no messages (409, no form, who to contact instead).
- The page polls `messages/new?after=<last id>` (htmx, every 20 seconds, paused while
  the tab is hidden: static/js/portal.mjs): 204 when nothing is new, else the new
  messages to append. Polling is not activity: it never keeps the session alive.
- While the victim types, the text is kept on the server as a draft (`messages/draft`);
  the next visit puts it back in the box.
"""

from __future__ import annotations

import re

from flask import Response, abort, g, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext

from portal.account import bp, permissions, wording
from portal.account.forms import DraftForm, MessageForm
from portal.account.sign_in_views import page
from portal.domain.messages import MESSAGE_LENGTH, REPLY_WITHIN_WORKING_DAYS
from portal.extensions import db, htmx
from portal.models import LARGEST_ID, ActorType, Case, Permission, Sender
from portal.services import messages, sign_in, victim_messages
from portal.services.victim_messages import Conversation

#: How often a conversation page asks for new messages, in seconds.
POLL_SECONDS = 20
#: A message id in an address: digits only, no larger than a record's id can be.
MESSAGE_ID = re.compile(r"[0-9]{1,10}")


def case_or_404(reference: str) -> Case:
    """One of the session's cases whose messages it may read (portal/account/permissions.py
    has already answered 403 to someone acting for the victim who may not, and found the
    case when they may: every route here needs MESSAGES)."""
    case = g.get("permitted_case")
    if case is not None and case.reference == reference:
        return case
    case = sign_in.case_of(db.session, g.victim_session, reference, Permission.MESSAGES)
    if case is None:
        abort(404)
    return case


def message_id(value: str | None) -> int | None:
    """A message id from the query, or None when it is not one."""
    if value is None or not MESSAGE_ID.fullmatch(value) or int(value) > LARGEST_ID:
        return None
    return int(value)


def actor(case: Case) -> messages.Actor:
    return messages.Actor(
        type=ActorType.VICTIM,
        id=case.victim_id,
        request_id=g.get("request_id"),
        representative_id=permissions.representative_id(),
    )


def conversation_url(case: Case, **args) -> str:
    return url_for("account.conversation", reference=case.reference, **args)


@bp.get("/messages")
def messages_index():
    """The navigation's "Messages": the one conversation, or a list of them."""
    found = victim_messages.inbox(db.session, g.victim_session)
    if len(found.cases) == 1:
        return redirect(conversation_url(found.cases[0].case), code=303)
    g.unread_replies = found.unread
    return page(
        "_messages_index.html",
        wording.MESSAGES,
        push_url=True,
        back_url=url_for("account.home"),
        cases=found.cases,
    )


def conversation_page(
    shown: Conversation,
    form: MessageForm | None,
    *,
    status: int = 200,
    sent: int | None = None,
    draft_kept: bool = False,
    limit_reached: bool = False,
    already_sent: int | None = None,
):
    case = shown.case
    sent_message = next(
        (m for m in shown.messages if m.id == sent and m.sender == Sender.VICTIM), None
    )
    return page(
        "_conversation.html",
        gettext("Messages about case %(reference)s", reference=case.reference),
        status=status,
        push_url=request.method == "GET",
        back_url=url_for("account.home"),
        has_errors=bool(form and form.errors),
        conversation=shown,
        case=case,
        form=None if shown.refused else form,
        sent=sent_message,
        draft_kept=draft_kept,
        limit_reached=limit_reached,
        already_sent=already_sent,
        reply_days=REPLY_WITHIN_WORKING_DAYS,
        message_length=MESSAGE_LENGTH,
        character_count=wording.character_count(MESSAGE_LENGTH),
        poll_seconds=POLL_SECONDS,
    )


@bp.route("/cases/<reference>/messages", methods=["GET", "POST"])
def conversation(reference: str):
    case = case_or_404(reference)
    if request.method == "POST":
        return send(case)
    # A HEAD request reads nothing: it does not mark replies read.
    shown = victim_messages.open_conversation(
        db.session,
        case,
        mark_read=request.method == "GET",
        representative_id=permissions.representative_id(),
    )
    response = conversation_page(
        shown,
        MessageForm.blank(shown.draft),
        sent=message_id(request.args.get("sent")),
        draft_kept=bool(shown.draft),
    )
    # The replies shown are now read (written only if some were not). After rendering: a
    # commit expires what was loaded, and the page would load each message again.
    db.session.commit()
    return response


def send(case: Case):
    if messages.victim_refused(case):
        # No form is shown on such a case: only a forged one gets here. It is told what
        # the page says, and nothing is written.
        shown = victim_messages.open_conversation(
            db.session, case, mark_read=False, representative_id=permissions.representative_id()
        )
        return conversation_page(shown, None, status=409)
    form = MessageForm()
    if not form.has_valid_key():
        abort(400)  # every form we send has a one-time key: only a forged one has not
    if not form.validate():
        shown = victim_messages.open_conversation(
            db.session, case, mark_read=False, representative_id=permissions.representative_id()
        )
        return conversation_page(shown, form)
    try:
        sent = messages.send_from_victim(
            db.session, case, form.body.data, form.submission_key.data, actor(case)
        )
    except messages.Refused as refusal:
        db.session.commit()  # the audit row of a limit reached
        shown = victim_messages.open_conversation(
            db.session, case, mark_read=False, representative_id=permissions.representative_id()
        )
        too_many = refusal.reason == "too-many"
        return conversation_page(
            shown, form, status=429 if too_many else 409, limit_reached=too_many
        )
    db.session.commit()
    if not sent.created and sent.message.body != form.body.data:
        # This form was sent before (a retry after a timeout, say) and its words have
        # changed since: the first words were sent; these are kept, to send as a new one.
        shown = victim_messages.open_conversation(db.session, case, mark_read=False)
        return conversation_page(
            shown, MessageForm.blank(form.body.data), already_sent=sent.message.id
        )
    return redirect(conversation_url(case, sent=sent.message.id), code=303)


@bp.get("/cases/<reference>/messages/new")
def new_messages(reference: str):
    """What the conversation page polls for: 204 when nothing is new (htmx swaps
    nothing), else the new messages, announced. Never keeps the session alive
    (views.NOT_ACTIVITY). Opened as a page, it is the conversation."""
    case = case_or_404(reference)
    if not htmx:
        return redirect(conversation_url(case), code=303)
    after = message_id(request.args.get("after"))
    if after is None:
        abort(400)
    found = victim_messages.newer(
        db.session, case, after, mark_read=permissions.representative_id() is None
    )
    if not found:
        response = Response(status=204)
    else:
        response = Response(
            render_template(
                "account/_new_messages.html",
                case=case,
                found=found,
                after=max(message.id for message in found),
                was_empty=after == 0,
                new_ids={
                    message.id
                    for message in found
                    if message.sender == Sender.OFFICER and message.read_at is None
                },
                replies=sum(1 for message in found if message.sender == Sender.OFFICER),
                poll_seconds=POLL_SECONDS,
            )
        )
    db.session.commit()  # replies shown are read (after rendering: see conversation)
    response.vary.add("HX-Request")
    return response


@bp.post("/cases/<reference>/messages/draft")
def save_draft(reference: str):
    """Keep what the victim is typing (htmx, in the background). Answers with when it was
    kept, for the words under the box; a plain POST goes back to the conversation."""
    case = case_or_404(reference)
    if messages.victim_refused(case):
        abort(409)  # no form on such a case: only a forged request gets here
    form = DraftForm()
    if not form.has_valid_key():
        abort(400)
    kept = victim_messages.keep_draft(
        db.session,
        case,
        form.body.data,
        form.submission_key.data,
        permissions.representative_id(),
    )
    db.session.commit()
    if not htmx:
        return redirect(conversation_url(case), code=303)
    response = Response(
        render_template(
            "account/_draft_status.html",
            saved_at=format_datetime(format="HH:mm") if kept and form.body.data.strip() else None,
        )
    )
    response.vary.add("HX-Request")
    return response
