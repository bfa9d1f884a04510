"""A signed-in victim writes to their Victim Liaison Officer and reads the replies, in
English and Welsh, with and without htmx: only their own cases, nothing sent twice,
nothing lost, the words encrypted at rest."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, text

from portal import encryption
from portal.domain.messages import MESSAGE_LENGTH, PER_HOUR
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Language,
    Message,
    MessageDraft,
    Sender,
    VictimSession,
    utcnow,
)
from tests.support.conversations import (
    declined_conversation,
    english_conversation,
    two_cases,
    welsh_conversation,
)
from tests.support.factories import CaseFactory, ContactPreferenceFactory, MessageFactory
from tests.support.queries import queries, statements
from tests.support.registration_steps import csrf
from tests.support.victim_state import signed_in

HTMX = {"HX-Request": "true"}


def url(reference: str, tail: str = "") -> str:
    return f"/account/cases/{reference}/messages{tail}"


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


def messages_on(page) -> list[dict]:
    """Each message of the conversation: who, when, the words, and its lang if any."""
    return [
        {
            "who": " ".join(item.find("h2").get_text().split()),
            "when": item.find("time").get_text(strip=True),
            "body": item.find(class_="app-message__body").get_text(),
            "lang": item.find(class_="app-message__body").get("lang"),
            "new": bool(item.find(class_="app-message__new")),
        }
        for item in page.select("#conversation-list > li")
    ]


def form_of(page) -> dict:
    """What the message form would send: its token and one-time key."""
    form = page.find("form", class_="app-message-form")
    return {
        "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
        "submission_key": form.find("input", attrs={"name": "submission_key"})["value"],
    }


def send(pages, reference: str, body: str, form: dict | None = None, **kwargs):
    """Post the message form as a browser does (without JavaScript): the raw response."""
    form = form or form_of(pages.get(url(reference)))
    return pages.client.post(url(reference), data={**form, "body": body}, **kwargs)


def navigation(page) -> list[tuple[str, str]]:
    nav = page.find(class_="govuk-service-navigation__list")
    return [(a.get_text(" ", strip=True), a["href"]) for a in nav.find_all("a")]


def add_message(app, case_id: int, sender: Sender = Sender.VICTIM, **fields) -> int:
    """A message on the case, written straight to the database (as the officer's side or
    an earlier visit would have); returns its id."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        if sender == Sender.OFFICER:
            fields.setdefault("officer_id", case.officer_id)
        message = MessageFactory(case=case, sender=sender, **fields)
        db.session.commit()
        return message.id


def sent_messages(app_db, case_id: int) -> list[Message]:
    return list(
        app_db.scalars(
            select(Message)
            .where(Message.case_id == case_id, Message.sender == Sender.VICTIM)
            .order_by(Message.id)
        )
    )


# --- reading ------------------------------------------------------------------------------


def test_a_conversation_shows_who_wrote_each_message_and_when_newest_at_the_bottom(
    app, pages, app_db
):
    me = english_conversation(app)
    # A summer afternoon in London (BST, an hour ahead of UTC), then a morning after.
    add_message(
        app,
        me.case_id,
        body="Is there any news?\nI would like to know.",
        created_at=datetime(2026, 7, 1, 12, 30, tzinfo=UTC),
    )
    add_message(
        app,
        me.case_id,
        Sender.OFFICER,
        body="Ydy, mae newyddion.",
        language=Language.WELSH,
        created_at=datetime(2026, 7, 2, 8, 5, tzinfo=UTC),
    )
    signed_in(pages.client, me.email)

    page = pages.get(url(me.reference))
    assert page.find("h1").get_text(strip=True) == f"Messages about case {me.reference}"
    assert page.title.get_text(strip=True).startswith(f"Messages about case {me.reference} –")
    found = messages_on(page)
    # "What happens next?" (tests/support/cases.py) was written today: at the bottom.
    assert [m["body"] for m in found] == [
        "Is there any news?\nI would like to know.",
        "Ydy, mae newyddion.",
        "What happens next?",
    ]
    assert found[0]["who"] == "You" and found[0]["when"] == "1 July 2026 at 13:30"
    assert found[1]["who"] == f"{me.officer_name}, Victim Liaison Officer"
    assert found[1]["when"] == "2 July 2026 at 09:05"
    assert found[1]["lang"] == "cy" and found[0]["lang"] is None  # the officer wrote in Welsh
    times = page.select("#conversation-list time")
    assert times[0]["datetime"] == "2026-07-01T13:30+01:00"
    assert "Your officer usually replies within 5 working days." in main_text(page)
    assert page.find("a", class_="govuk-back-link")["href"] == "/account"

    welsh = pages.get(url(me.reference) + "?lang=cy")
    found = messages_on(welsh)
    assert found[0]["who"] == "Chi" and found[0]["when"] == "1 Gorffennaf 2026 am 13:30"
    assert found[1]["who"] == f"{me.officer_name}, Swyddog Cyswllt Dioddefwyr"
    assert found[1]["lang"] is None  # Welsh on a Welsh page
    assert welsh.find("h1").get_text(strip=True) == f"Negeseuon am achos {me.reference}"
    assert "Bydd eich swyddog fel arfer yn ateb o fewn 5 diwrnod gwaith." in main_text(welsh)


def test_a_registration_waiting_for_an_officer_says_who_will_reply(app, pages):
    with app.app_context():
        case = CaseFactory(status=CaseStatus.TRIAGE)
        ContactPreferenceFactory(victim=case.victim, value="waiting@example.com")
        db.session.commit()
        reference = case.reference
    signed_in(pages.client, "waiting@example.com")
    page = pages.get(url(reference))
    assert "A Victim Liaison Officer usually replies within 5 working days." in main_text(page)
    assert "There are no messages about this case yet." in main_text(page)
    assert page.find("form", class_="app-message-form")


def test_only_the_sessions_own_cases_are_found(app, pages, app_db):
    me = english_conversation(app)
    other = welsh_conversation(app)
    with app.app_context():
        closed = CaseFactory(status=CaseStatus.CLOSED)
        ContactPreferenceFactory(victim=closed.victim, value=me.email)
        db.session.commit()
        closed_reference = closed.reference
    signed_in(pages.client, me.email)
    client = pages.client
    for reference in (other.reference, closed_reference, "VCS-NO-SUCH-CASE", "x" * 300):
        assert client.get(url(reference)).status_code == 404
        assert client.get(url(reference, "/new?after=0"), headers=HTMX).status_code == 404
        token = csrf(pages.get(url(me.reference)))
        posted = {"csrf_token": token, "body": "Hello", "submission_key": str(_key())}
        assert client.post(url(reference), data=posted).status_code == 404
        assert client.post(url(reference, "/draft"), data=posted).status_code == 404
    assert app_db.scalar(select(func.count()).select_from(MessageDraft)) == 0
    assert [m.body for m in sent_messages(app_db, other.case_id)] == [
        "Diolch. Pryd fydd y penderfyniad?"
    ]
    assert "Diolch" not in pages.client.get(url(other.reference)).get_data(as_text=True)


def _key():
    import uuid

    return uuid.uuid4()


def test_reading_marks_the_replies_read_once(app, pages, app_db):
    me = welsh_conversation(app)
    signed_in(pages.client, me.email)
    home = pages.get("/account")
    link = home.find("li", class_="app-case-messages").find("a")
    assert link["href"] == url(me.reference)
    assert link.get_text(" ", strip=True) == "Messages 1 (1 new reply)"
    assert link.find(class_="app-unread-count")["aria-hidden"] == "true"
    assert navigation(home) == [
        ("Your case", "/account"),
        ("Messages 1 (1 new reply)", "/account/messages"),
        ("Your data", "/account/your-data"),
    ]

    page = pages.get(url(me.reference))
    assert [m["new"] for m in messages_on(page)] == [False, True]  # the reply is new
    assert app_db.get(Message, me.reply_id).read_at is not None
    # The navigation counts after reading.
    assert navigation(page)[1] == ("Messages", "/account/messages")
    assert not any(m["new"] for m in messages_on(pages.get(url(me.reference))))
    assert (
        pages.get("/account").find("li", class_="app-case-messages").get_text(strip=True)
        == "Messages"
    )
    welsh = pages.get("/account?lang=cy")
    assert navigation(welsh)[1] == ("Negeseuon", "/account/messages")


def test_unread_replies_are_counted_in_words_in_welsh(app, pages):
    me = welsh_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get("/account?lang=cy")
    assert navigation(page)[1] == ("Negeseuon 1 (1 ateb newydd)", "/account/messages")


def test_a_page_that_shows_nothing_unread_writes_nothing(app, pages):
    """No write on a GET but the one that marks replies read, and only when some were."""
    me = welsh_conversation(app)
    signed_in(pages.client, me.email)
    with statements(app) as seen:
        pages.client.get(url(me.reference))
    assert [s for s in seen if s.startswith("UPDATE messages")]  # the reply, now read
    with statements(app) as seen:
        pages.client.get(url(me.reference))
        pages.client.get("/account")
    writes = [s for s in seen if s.split()[0].upper() in ("UPDATE", "INSERT", "DELETE")]
    assert writes == []


def test_the_navigations_messages_go_to_the_one_conversation_or_list_them(app, pages):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    response = pages.client.get("/account/messages")
    assert response.status_code == 303 and response.location == url(me.reference)

    first, second = two_cases(app)
    signed_in(pages.client, first.email)
    page = pages.get("/account/messages")
    links = [(a.get_text(" ", strip=True), a["href"]) for a in page.select("main li a")]
    assert links == [
        (f"Messages about case {first.reference}", url(first.reference)),
        (f"Messages about case {second.reference} 1 (1 new reply)", url(second.reference)),
    ]
    assert navigation(page)[1] == ("Messages 1 (1 new reply)", "/account/messages")
    welsh = pages.get("/account/messages?lang=cy")
    assert welsh.find("h1").get_text(strip=True) == "Negeseuon"


def test_pages_send_the_same_queries_whatever_the_number_of_messages(app, pages, app_db):
    few, many = english_conversation(app), english_conversation(app, email="many@example.com")
    for number in range(30):
        add_message(app, many.case_id, Sender.OFFICER if number % 2 else Sender.VICTIM)

    def count(who, address):
        signed_in(pages.client, who.email)
        pages.client.get(address)  # replies read: the next view writes nothing
        return queries(app, lambda: pages.client.get(address))

    for tail in ("", "/new?after=0"):
        assert count(few, url(few.reference, tail)) == count(many, url(many.reference, tail))
    assert count(few, "/account") == count(many, "/account")


# --- writing without JavaScript -------------------------------------------------------------


def test_sending_a_message_without_javascript(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get(url(me.reference))
    form = form_of(page)
    response = send(pages, me.reference, "  Thank you.\r\nSee you soon.  ", form)
    assert response.status_code == 303
    [_, sent] = sent_messages(app_db, me.case_id)
    assert response.location == url(me.reference, f"?sent={sent.id}")
    assert sent.body == "Thank you.\nSee you soon."  # one line break, as typed
    assert sent.submission_key == form["submission_key"]
    assert sent.language == Language.ENGLISH

    page = pages.get(response.location)
    banner = page.find(id="message-sent")
    assert banner["role"] == "alert"
    assert "Your message has been sent" in banner.get_text()
    assert banner.find("a")["href"] == f"#message-{sent.id}"
    assert messages_on(page)[-1] == {
        "who": "You",
        "when": messages_on(page)[-1]["when"],
        "body": "Thank you.\nSee you soon.",
        "lang": None,
        "new": False,
    }
    again = form_of(page)
    assert again["submission_key"] != form["submission_key"]  # a new form: a new key
    assert page.find("textarea").get_text() == ""
    audit = app_db.scalars(select(AuditEvent).filter_by(action="message.sent")).one()
    assert audit.case_id == me.case_id and audit.detail == {"message": sent.id}
    assert "Thank you" not in str(audit.detail)


def test_the_words_are_encrypted_at_rest(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    send(pages, me.reference, "My secret words")
    raw = app_db.execute(
        text("SELECT body FROM messages WHERE case_id = :case ORDER BY id DESC"),
        {"case": me.case_id},
    ).first()[0]
    # A Fernet token is base64: two letters may appear in it by chance, six will not.
    assert "My secret words" not in raw and "secret" not in raw
    assert encryption.decrypt(raw) == "My secret words"


def test_a_double_click_sends_once(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    first = send(pages, me.reference, "Only once, please.", form)
    second = send(pages, me.reference, "Only once, please.", form)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location  # both show the one message sent
    assert [m.body for m in sent_messages(app_db, me.case_id)][1:] == ["Only once, please."]
    assert (
        app_db.scalar(select(func.count()).select_from(AuditEvent).filter_by(action="message.sent"))
        == 1
    )


def test_back_and_send_again_sends_once(app, pages, app_db):
    """The page before sending, shown again by Back, still holds the old key."""
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    response = send(pages, me.reference, "Sent before Back.", form, follow_redirects=True)
    assert "Your message has been sent" in response.get_data(as_text=True)
    again = send(pages, me.reference, "Sent before Back, then changed.", form)
    # The form was sent before: its first words stand, and the changed ones are kept in
    # the box (with a new key) to send as a new message, not lost behind "sent".
    assert again.status_code == 200
    page = BeautifulSoup(again.get_data(as_text=True), "html.parser")
    assert "You had already sent this form" in page.find(id="already-sent").get_text()
    assert page.find("textarea").get_text() == "Sent before Back, then changed."
    assert form_of(page)["submission_key"] != form["submission_key"]
    assert [m.body for m in sent_messages(app_db, me.case_id)][1:] == ["Sent before Back."]


def test_back_to_a_page_fetched_again_and_send_again_sends_once(app, pages, app_db):
    """Without JavaScript, Back fetches the page again (no-store) with a new key, and the
    browser puts the typed words back in the box: the same words again soon are the same
    message."""
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    send(pages, me.reference, "Only once, please.", follow_redirects=True)
    again = send(pages, me.reference, "Only once, please.")  # a new page, a new key
    assert again.status_code == 303
    assert [m.body for m in sent_messages(app_db, me.case_id)][1:] == ["Only once, please."]


def test_line_breaks_pasted_from_other_programs_are_line_breaks(app, pages, app_db):
    """Word and PowerPoint put a vertical tab for a line break; some programs a form feed or
    NEL, or the Unicode separators: each is one line break, not a refused request."""
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    response = send(pages, me.reference, "One\x0bTwo\x0cThree\x85Four\u2028Five")
    assert response.status_code == 303
    assert sent_messages(app_db, me.case_id)[-1].body == "One\nTwo\nThree\nFour\nFive"
    # A NUL is still no line break: only a forged request carries one.
    assert send(pages, me.reference, "A\x00B").status_code == 400


def test_the_limit_counts_as_the_page_counts(app, pages, app_db):
    """The GOV.UK character count counts an emoji as 2 (JavaScript's length): so does the
    limit, so the page and the server agree."""
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    too_long = send(pages, me.reference, "🙂" * (MESSAGE_LENGTH // 2 + 1))
    assert too_long.status_code == 200
    assert "It has 2,002." in too_long.get_data(as_text=True)
    assert send(pages, me.reference, "🙂" * (MESSAGE_LENGTH // 2)).status_code == 303


@pytest.mark.parametrize(
    ("typed", "language", "error"),
    [
        ("   ", "en", "Enter your message"),
        (
            "x" * (MESSAGE_LENGTH + 5),
            "en",
            "Your message must be 2,000 characters or fewer. It has 2,005.",
        ),
        ("   ", "cy", "Rhowch eich neges"),
        (
            "x" * (MESSAGE_LENGTH + 5),
            "cy",
            "Rhaid i’ch neges fod yn 2,000 nod neu lai. Mae ynddi 2,005 nod.",
        ),
    ],
    ids=["empty", "too-long", "empty-cy", "too-long-cy"],
)
def test_a_message_that_cannot_be_sent_says_why_and_keeps_the_words(
    app, pages, app_db, typed, language, error
):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get(url(me.reference) + f"?lang={language}")
    response = send(pages, me.reference, typed, form_of(page))
    page = pages.check(response, 200)
    assert page.title.get_text(strip=True).startswith("Error:" if language == "en" else "Gwall:")
    summary = page.find(class_="govuk-error-summary")
    assert summary.find("a")["href"] == "#message-body"
    assert summary.find("a").get_text(strip=True) == error
    assert page.find(id="message-body-error")
    assert page.find("textarea").get_text() == typed.strip()
    assert form_of(page)["submission_key"]
    assert len(sent_messages(app_db, me.case_id)) == 1


def test_the_limit_is_stated_without_javascript_in_both_languages(app, pages):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    for language, words in (
        ("en", "You can enter up to 2,000 characters"),
        ("cy", "Gallwch roi hyd at 2,000 nod"),
    ):
        page = pages.get(url(me.reference) + f"?lang={language}")
        assert page.find(id="message-body-info").get_text(strip=True) == words
        group = page.find(class_="govuk-character-count")
        assert group["data-maxlength"] == str(MESSAGE_LENGTH)
    # Welsh has six plural forms: the count's script gets each.
    forms = {
        key.rpartition(".")[2]
        for key in group.attrs
        if key.startswith("data-i18n.characters-under-limit.")
    }
    assert forms == {"zero", "one", "two", "few", "many", "other"}


def test_a_forged_form_is_refused(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    for key in ("", "not-a-key", "x" * 40):
        response = send(pages, me.reference, "Hello", {**form, "submission_key": key})
        assert response.status_code == 400
    assert len(sent_messages(app_db, me.case_id)) == 1


def test_the_victims_limit_is_explained_kindly_and_the_words_are_kept(app, pages, app_db):
    me = english_conversation(app)
    for _ in range(PER_HOUR - 1):  # with "What happens next?", PER_HOUR this hour
        add_message(app, me.case_id)
    case = app_db.get(Case, me.case_id)
    signed_in(pages.client, me.email)
    response = send(pages, me.reference, "One more thing.")
    page = pages.check(response, 429)
    banner = page.find(id="message-limit")
    assert banner["role"] == "alert" and banner.has_attr("data-focus-after-swap")
    words = banner.get_text(" ", strip=True)
    assert "Your message has not been sent yet" in words
    assert "try sending it again later" in words
    region = case.region
    assert f"If it is urgent, call {region.unit_name_en} on {region.phone}" in words
    assert banner.find("a")["href"] == f"/regions/{region.code}"
    assert "If you are in danger now, call 999." in words
    assert page.find("textarea").get_text() == "One more thing."
    assert len(sent_messages(app_db, me.case_id)) == PER_HOUR
    refused = app_db.scalars(select(AuditEvent).filter_by(action="message.refused")).one()
    assert refused.detail == {"reason": "too-many"} and refused.case_id == me.case_id

    welsh = pages.check(
        send(
            pages,
            me.reference,
            "Un peth arall.",
            form_of(pages.get(url(me.reference) + "?lang=cy")),
        ),
        429,
    )
    assert "Dydy eich neges ddim wedi’i hanfon eto" in welsh.find(id="message-limit").get_text()


def test_a_declined_case_has_no_form_and_says_who_to_contact(app, pages, app_db):
    me = declined_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get(url(me.reference))
    assert not page.find("form", class_="app-message-form")
    assert not page.find("textarea")
    explanation = page.find(id="cannot-write")
    assert "You cannot send a message about this case" in explanation.get_text()
    assert "we could not accept your request to join" in explanation.get_text()
    assert explanation.find("a")["href"] == "/regions/wales"
    welsh = pages.get(url(me.reference) + "?lang=cy")
    assert "Allwch chi ddim anfon neges am yr achos hwn" in welsh.find(id="cannot-write").get_text()

    # A forged form is told the same, and nothing is written.
    token = csrf(page)
    data = {"csrf_token": token, "body": "Hello", "submission_key": str(_key())}
    refused = pages.check(pages.client.post(url(me.reference) + "?lang=en", data=data), 409)
    assert "You cannot send a message about this case" in refused.find(id="cannot-write").get_text()
    assert pages.client.post(url(me.reference, "/draft"), data=data).status_code == 409
    assert sent_messages(app_db, me.case_id) == []
    assert app_db.scalar(select(func.count()).select_from(MessageDraft)) == 0


def test_the_unit_is_named_when_the_case_has_no_region(app, pages):
    with app.app_context():
        case = CaseFactory(status=CaseStatus.DECLINED, triaged_at=utcnow())
        ContactPreferenceFactory(victim=case.victim, value="noregion@example.com")
        db.session.commit()
        reference = case.reference
    signed_in(pages.client, "noregion@example.com")
    page = pages.get(url(reference))
    assert page.find(id="cannot-write").find("a")["href"] == "/regions"


# --- with htmx ------------------------------------------------------------------------------


def test_htmx_sends_in_place_with_a_new_form_and_the_address_kept(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    response = send(pages, me.reference, "Sent with htmx.", form, headers=HTMX)
    assert response.status_code == 303  # htmx follows it, asking again with HX-Request
    shown = pages.client.get(response.location, headers=HTMX)
    html = shown.get_data(as_text=True)
    assert "<html" not in html  # the page's part, swapped into the main content
    assert shown.headers["HX-Push-Url"] == response.location  # Back and reload work
    assert "HX-Request" in shown.headers["Vary"]
    part = BeautifulSoup(html, "html.parser")
    banner = part.find(id="message-sent")
    assert banner.has_attr("data-focus-after-swap") and banner["role"] == "alert"
    assert (
        part.select("#conversation-list > li")[-1].find(class_="app-message__body").get_text()
        == "Sent with htmx."
    )
    new_form = part.find("form", class_="app-message-form")
    assert new_form.find("textarea").get_text() == ""
    new_key = new_form.find("input", attrs={"name": "submission_key"})["value"]
    assert new_key != form["submission_key"]
    assert part.find("title")  # the title follows


def test_htmx_shows_a_refusal_in_place(app, pages, app_db):
    me = english_conversation(app)
    for _ in range(PER_HOUR):
        add_message(app, me.case_id)
    signed_in(pages.client, me.email)
    response = send(pages, me.reference, "Too many.", headers=HTMX)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    # A part of a page (portal.mjs swaps it in, as data-swap-errors asks), not an error page.
    assert "<html" not in html and 'id="message-limit"' in html and "Too many." in html


# --- drafts -------------------------------------------------------------------------------


def draft_of(app_db, case_id: int) -> str | None:
    return app_db.scalar(select(MessageDraft.body).where(MessageDraft.case_id == case_id))


def test_a_draft_is_kept_as_the_victim_types_and_comes_back_after_signing_in_again(
    app, pages, app_db
):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    response = pages.client.post(
        url(me.reference, "/draft"),
        data={**form, "body": "Half a thought\r\nand"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert re.fullmatch(r"\s*Draft saved at \d\d:\d\d\s*", response.get_data(as_text=True))
    assert draft_of(app_db, me.case_id) == "Half a thought\nand"
    raw = app_db.execute(text("SELECT body FROM message_drafts")).scalar_one()
    assert "thought" not in raw

    # A new sign-in (the session ran out, say): the words are back in the box.
    signed_in(pages.client, me.email)
    page = pages.get(url(me.reference))
    assert page.find("textarea").get_text() == "Half a thought\nand"
    assert "We kept the message you had not sent." in page.find(id="draft-kept").get_text()
    welsh = pages.get(url(me.reference) + "?lang=cy")
    assert "Rydyn ni wedi cadw’r neges" in welsh.find(id="draft-kept").get_text()

    # Sent, the draft goes; a late save of that same form does not bring it back.
    new_form = form_of(page)
    send(pages, me.reference, "Half a thought and a whole one.", new_form)
    assert draft_of(app_db, me.case_id) is None
    late = pages.client.post(
        url(me.reference, "/draft"), data={**new_form, "body": "Half a thought"}, headers=HTMX
    )
    assert late.status_code == 200 and "Draft saved" not in late.get_data(as_text=True)
    assert draft_of(app_db, me.case_id) is None
    assert not pages.get(url(me.reference)).find(id="draft-kept")


def test_an_emptied_box_removes_the_draft_and_a_plain_post_goes_back(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    pages.client.post(url(me.reference, "/draft"), data={**form, "body": "Words"}, headers=HTMX)
    response = pages.client.post(url(me.reference, "/draft"), data={**form, "body": "  "})
    assert response.status_code == 303 and response.location == url(me.reference)
    assert draft_of(app_db, me.case_id) is None
    assert (
        pages.client.post(
            url(me.reference, "/draft"), data={**form, "submission_key": "forged", "body": "x"}
        ).status_code
        == 400
    )


def test_a_long_draft_is_kept_up_to_its_limit(app, pages, app_db):
    from portal.account.forms import DRAFT_LENGTH

    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    pages.client.post(
        url(me.reference, "/draft"), data={**form, "body": "y" * (DRAFT_LENGTH + 10)}, headers=HTMX
    )
    assert draft_of(app_db, me.case_id) == "y" * DRAFT_LENGTH


# --- new replies without reloading ----------------------------------------------------------


def test_polling_answers_204_when_nothing_is_new_and_the_new_messages_otherwise(app, pages, app_db):
    me = welsh_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get(url(me.reference))
    poller = page.find(id="conversation-poll")
    last = max(me.sent_id, me.reply_id)
    assert poller["hx-get"] == url(me.reference, f"/new?after={last}")
    assert poller["hx-trigger"] == "every 20s, portal:poll"
    assert poller.has_attr("data-poll") and poller.has_attr("data-keep-focus")
    assert "[" not in poller["hx-trigger"]  # no trigger filter: they need eval

    nothing = pages.client.get(poller["hx-get"], headers=HTMX)
    assert nothing.status_code == 204 and nothing.get_data() == b""
    assert "HX-Request" in nothing.headers["Vary"]

    reply_id = add_message(app, me.case_id, Sender.OFFICER, body="Newydd.")
    response = pages.client.get(poller["hx-get"] + "&lang=cy", headers=HTMX)
    assert response.status_code == 200
    part = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    item = part.find("li", id=f"message-{reply_id}")
    assert item.find(class_="app-message__body").get_text() == "Newydd."
    assert item.find(class_="app-message__new").get_text(strip=True) == "Newydd"
    assert part.find(id="conversation-poll")["hx-get"] == url(
        me.reference, f"/new?after={reply_id}"
    )
    assert part.find(id="conversation-poll")["hx-swap-oob"] == "true"
    status = part.find(id="conversation-status")
    assert status["hx-swap-oob"] == "innerHTML"
    assert status.get_text(strip=True) == "1 ateb newydd gan eich Swyddog Cyswllt Dioddefwyr"
    assert not part.find(id="conversation-empty")  # there was a message before
    assert app_db.get(Message, reply_id).read_at is not None  # shown at once: read
    assert pages.client.get(poller["hx-get"], headers=HTMX).status_code == 200  # still after
    again = part.find(id="conversation-poll")["hx-get"]
    assert pages.client.get(again, headers=HTMX).status_code == 204


def test_the_first_message_of_a_conversation_replaces_no_messages_yet(app, pages, app_db):
    with app.app_context():
        case = CaseFactory(assigned=True)
        ContactPreferenceFactory(victim=case.victim, value="first@example.com")
        db.session.commit()
        reference, case_id, officer_id = case.reference, case.id, case.officer_id
    signed_in(pages.client, "first@example.com")
    page = pages.get(url(reference))
    assert page.find(id="conversation-empty")
    add_message(app, case_id, Sender.OFFICER, officer_id=officer_id)
    response = pages.client.get(page.find(id="conversation-poll")["hx-get"], headers=HTMX)
    part = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert part.find(id="conversation-empty")["hx-swap-oob"] == "delete"


@pytest.mark.parametrize("after", ["", "abc", "-1", "1.5", "99999999999", "²"])
def test_polling_with_a_made_up_address_is_refused(app, pages, after):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    response = pages.client.get(url(me.reference, f"/new?after={after}"), headers=HTMX)
    assert response.status_code == 400


def test_polling_opened_as_a_page_is_the_conversation(app, pages):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    response = pages.client.get(url(me.reference, "/new?after=0"))
    assert response.status_code == 303 and response.location == url(me.reference)


def session_record(app_db) -> VictimSession:
    return app_db.scalars(select(VictimSession).order_by(VictimSession.id.desc())).first()


def idle_for(app_db, minutes: int) -> datetime:
    record = session_record(app_db)
    record.last_seen_at = utcnow() - timedelta(minutes=minutes)
    app_db.commit()
    return record.last_seen_at


def test_polling_does_not_keep_the_session_alive(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    pages.get(url(me.reference))
    seen = idle_for(app_db, 20)
    assert pages.client.get(url(me.reference, "/new?after=0"), headers=HTMX).status_code == 200
    app_db.expire_all()
    assert session_record(app_db).last_seen_at == seen  # checked, not touched
    # Polling after the idle limit finds the session over: the sign-in page, whole.
    idle_for(app_db, 31)
    response = pages.client.get(url(me.reference, "/new?after=0"), headers=HTMX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/sign-in"
    app_db.expire_all()
    assert session_record(app_db).ended_at is not None


def test_a_draft_saved_by_the_timeout_warning_does_not_keep_the_session_alive(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    form = form_of(pages.get(url(me.reference)))
    seen = idle_for(app_db, 28)
    quiet = {**HTMX, "X-Portal-Quiet": "1"}
    response = pages.client.post(
        url(me.reference, "/draft"), data={**form, "body": "a"}, headers=quiet
    )
    assert response.status_code == 200
    app_db.expire_all()
    assert session_record(app_db).last_seen_at == seen
    # Typing does: the person is there.
    pages.client.post(url(me.reference, "/draft"), data={**form, "body": "ab"}, headers=HTMX)
    app_db.expire_all()
    assert utcnow() - session_record(app_db).last_seen_at < timedelta(minutes=1)
    # The header means nothing elsewhere: a page is activity.
    seen = idle_for(app_db, 10)
    pages.client.get("/account", headers={"X-Portal-Quiet": "1"})
    app_db.expire_all()
    assert session_record(app_db).last_seen_at > seen


def test_an_htmx_request_after_signing_out_loads_the_sign_in_page_whole(app, pages):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    with pages.client.session_transaction() as cookie:
        cookie.clear()
    response = pages.client.get(url(me.reference, "/new?after=0"), headers=HTMX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/sign-in"
    plain = pages.client.get(url(me.reference))
    assert plain.status_code == 303 and plain.location == "/sign-in"


# --- the timeline on the case page -----------------------------------------------------------


def timeline_of(page, reference: str) -> list[str]:
    entries = page.find(id=f"timeline-entries-{reference}")
    return [item.find("h4").get_text(" ", strip=True) for item in entries.select("li")]


def test_the_case_page_timeline_shows_messages_among_the_other_entries(app, pages, app_db):
    me = welsh_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get("/account")
    officer = me.officer_name
    assert timeline_of(page, me.reference) == [
        f"Message from {officer}",
        "Message you sent",
        "Parole review",
        "Phone call",
        "Sentenced",
    ]
    message = page.find(id=f"timeline-entries-{me.reference}").find("li")
    assert message.find("a")["href"] == url(me.reference, f"#message-{me.reply_id}")
    assert message.find(class_="app-timeline__message")["lang"] == "cy"
    for show, expected in (
        ("messages", [f"Message from {officer}", "Message you sent"]),
        ("contacts", ["Phone call"]),
        ("stages", ["Parole review", "Sentenced"]),
        (
            "all",
            [
                f"Message from {officer}",
                "Message you sent",
                "Parole review",
                "Phone call",
                "Sentenced",
            ],
        ),
        (
            "nonsense",
            [
                f"Message from {officer}",
                "Message you sent",
                "Parole review",
                "Phone call",
                "Sentenced",
            ],
        ),
    ):
        filtered = pages.get(f"/account?show={show}")
        assert timeline_of(filtered, me.reference) == expected, show
        checked = filtered.find("input", attrs={"name": "show", "checked": True})
        assert checked["value"] == (show if show != "nonsense" else "all")
    welsh = pages.get("/account?show=messages&lang=cy")
    assert timeline_of(welsh, me.reference) == [f"Neges gan {officer}", "Neges a anfonoch"]


def test_the_filter_is_a_get_form_that_htmx_swaps_in_with_the_address(app, pages):
    me = welsh_conversation(app)
    signed_in(pages.client, me.email)
    page = pages.get("/account")
    form = page.find("form", class_="app-timeline-filter")
    assert form["method"] == "get" and form["action"].startswith("/account#")
    assert form["hx-get"] == "/account" and form["hx-push-url"] == "true"
    assert form["hx-target"] == f"#timeline-entries-{me.reference}"
    assert "[" not in form["hx-trigger"]
    response = pages.client.get("/account?show=stages", headers=HTMX)
    assert response.headers["HX-Push-Url"] == "/account?show=stages"
    part = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert part.find(id=f"timeline-status-{me.reference}").get_text(strip=True) == (
        "Showing sentence updates only"
    )
    assert [
        h.get_text(strip=True) for h in part.select(f"#timeline-entries-{me.reference} h4")
    ] == [
        "Parole review",
        "Sentenced",
    ]
    # A whole page says nothing in the live region: it is for changes.
    assert (
        not pages.get("/account?show=stages")
        .find(id=f"timeline-status-{me.reference}")
        .get_text(strip=True)
    )


def test_with_several_cases_the_filter_swaps_the_others_out_of_band(app, pages):
    first, second = two_cases(app)
    signed_in(pages.client, first.email)
    page = pages.get("/account")
    form = page.find(id=f"timeline-{first.reference}").find("form")
    assert form["hx-select-oob"] == (
        f"#timeline-status-{first.reference}:innerHTML,#timeline-{second.reference}"
    )
    links = page.select("li.app-case-messages a")
    assert [a.get_text(" ", strip=True) for a in links] == [
        "Messages",
        "Messages 1 (1 new reply)",
    ]


# --- the timeout warning ---------------------------------------------------------------------


def test_signed_in_pages_have_the_timeout_warning(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    for address in ("/account", url(me.reference), "/account?lang=cy"):
        dialog = pages.get(address).find("dialog", id="timeout-warning")
        assert dialog["data-idle-seconds"] == "1800"
        assert 1700 < int(dialog["data-seconds-left"]) <= 1800
        assert dialog["data-keep-alive-url"] == "/account/session/extend"
        assert dialog["data-sign-in-url"] == "/sign-in"
        assert dialog.find("form")["action"] == "/sign-out"
    welsh = pages.get("/account?lang=cy").find("dialog")
    assert "Byddwch yn cael eich allgofnodi" in welsh.find("h2").get_text()
    # Not on a page for anyone (not signed in there).
    assert not pages.get("/information/privacy-notice").find("dialog")


def test_not_signed_in_there_is_no_timeout_warning(pages):
    assert not pages.get("/sign-in").find("dialog")


def test_stay_signed_in_extends_the_session(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    token = csrf(pages.get("/account"))
    idle_for(app_db, 29)
    response = pages.client.post("/account/session/extend", headers={"X-CSRFToken": token})
    assert response.status_code == 204
    app_db.expire_all()
    assert utcnow() - session_record(app_db).last_seen_at < timedelta(seconds=5)
    assert pages.client.post("/account/session/extend").status_code == 400  # no token


def test_time_running_out_signs_out_and_says_why(app, pages, app_db):
    me = english_conversation(app)
    signed_in(pages.client, me.email)
    token = csrf(pages.get("/account"))
    response = pages.client.post("/sign-out", data={"csrf_token": token, "reason": "timeout"})
    assert response.status_code == 303 and response.location == "/sign-in"
    page = pages.get("/sign-in")
    assert "You were signed out to keep your information safe." in main_text(page)
    event = app_db.scalars(select(AuditEvent).filter_by(action="victim signed out")).one()
    assert event.detail["reason"] == "timeout"
    assert pages.client.get("/account").location == "/sign-in"
