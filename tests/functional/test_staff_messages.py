"""Messages in the console, the officer's side: the queues of messages waiting for a reply
(overdue first, in working days against the 5-day target; mine, my region's, an admin's
every region's), a case's conversation with the inline reply (without JavaScript and with
htmx; sent once; the victim told content-free in their language on a safe channel),
"no reply needed", the standard replies in Welsh and English, closed and joined cases,
and the timeline that shows messages among the other entries, with its filter."""

from __future__ import annotations

import uuid

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.domain.messages import MESSAGE_LENGTH
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    ContactPreference,
    Language,
    Message,
    OfficerRole,
    OutboxNotification,
    Region,
    Sender,
    VictimLiaisonOfficer,
)
from portal.services import reply_templates
from portal.services.reply_templates import ReplyTemplate
from tests.support.bulk import bulk_cases
from tests.support.case_pages import (
    CLOSED_CASE_ID,
    SAFE_EMAIL,
    SAFE_MOBILE,
    UNSAFE_EMAIL,
    closed_case,
    full_case,
    merged_case,
)
from tests.support.factories import CaseFactory, OfficerFactory, RegionFactory, VictimFactory
from tests.support.messages import (
    VICTIM_WORDS,
    WAITING_WORDS,
    bulk_messages,
    conversation,
    waiting_message,
    working_days_ago,
)
from tests.support.queries import queries, statements
from tests.support.registration_steps import csrf
from tests.support.staff_state import signed_in_officer

pytestmark = pytest.mark.database


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(page) -> str:
    return " ".join(page.get_text(" ").split())


def rows(page, table_id: str) -> list[list[str]]:
    table = page.find(id=table_id)
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.find("tbody").find_all("tr")
    ]


def reference(row: list[str]) -> str:
    """A row's reference (its link also says, to a screen reader, that it leads to messages)."""
    return row[0].split(":")[0].strip()


def errors_of(response) -> list[str]:
    summary = page_of(response).select_one(".govuk-error-summary")
    return [" ".join(item.get_text().split()) for item in summary.select("li")] if summary else []


def messages_of(app_db, case_id: int) -> list[Message]:
    app_db.expire_all()
    return list(
        app_db.scalars(
            select(Message).where(Message.case_id == case_id).order_by(Message.created_at)
        )
    )


def outbox(app_db, kind: str = "new_message") -> list[OutboxNotification]:
    app_db.expire_all()
    return list(
        app_db.scalars(select(OutboxNotification).where(OutboxNotification.template_key == kind))
    )


def sign_in_url(app) -> str:
    """Where the victim signs in, as every "sign in to read it" notification links."""
    return app.config["PUBLIC_BASE_URL"] + "/sign-in"


def audits(app_db, action: str) -> list[AuditEvent]:
    return list(app_db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the queues ----------------------------------------------------------------------------


@pytest.fixture
def region(app, db_session) -> int:
    with app.app_context():
        region = RegionFactory()
        db.session.commit()
        return region.id


def case_of(app, region_id: int, officer_id: int | None, name: str, **kwargs) -> tuple[int, str]:
    """An active case in the region, the officer's; returns (id, reference)."""
    with app.app_context():
        region = db.session.get(Region, region_id)
        officer = db.session.get(VictimLiaisonOfficer, officer_id) if officer_id else None
        case = CaseFactory(
            status=CaseStatus.ACTIVE,
            region=region,
            officer=officer,
            victim=VictimFactory(full_name=name, **kwargs),
        )
        db.session.commit()
        return case.id, case.reference


@pytest.fixture
def waiting(app, client, region):
    """A VLO signed in, with three of their cases waiting 8, 2 and 0 working days (one a
    Welsh reader's), a colleague's case waiting, and another region's."""
    me = signed_in_officer(client, region_id=region)
    with app.app_context():
        colleague = OfficerFactory(region=db.session.get(Region, region)).id
        elsewhere_region = RegionFactory().id
        elsewhere_officer = OfficerFactory(region=db.session.get(Region, elsewhere_region)).id
        db.session.commit()
    recent = case_of(app, region, me, "Recent Victim")
    overdue = case_of(app, region, me, "Overdue Victim", language=Language.WELSH)
    middle = case_of(app, region, me, "Middle Victim")
    colleagues = case_of(app, region, colleague, "Colleague Victim")
    other = case_of(app, elsewhere_region, elsewhere_officer, "Elsewhere Victim")
    waiting_message(app, recent[0], working_days_ago(0))
    waiting_message(app, overdue[0], working_days_ago(8))
    waiting_message(app, overdue[0], working_days_ago(1))  # two waiting: counted once
    waiting_message(app, middle[0], working_days_ago(2))
    waiting_message(app, colleagues[0], working_days_ago(4))
    waiting_message(app, other[0], working_days_ago(20))
    return {
        "me": me,
        "recent": recent,
        "overdue": overdue,
        "middle": middle,
        "colleagues": colleagues,
        "other": other,
        "elsewhere_region": elsewhere_region,
    }


def test_my_queue_is_longest_wait_first_with_overdue_marked_in_words(pages, waiting):
    page = pages.get("/staff/messages")
    assert page.find("h1").get_text(strip=True) == "Messages waiting for a reply"
    assert page.find(id="waiting-heading").get_text(strip=True) == "Your cases (3)"
    found = rows(page, "waiting")
    references = [reference(row) for row in found]
    assert references == [waiting[k][1] for k in ("overdue", "middle", "recent")]
    assert "Overdue Victim" in found[0][1] and "Reads Welsh" in found[0][1]
    assert found[0][2] == "2"  # two messages wait on that case
    assert found[0][3].startswith("8 working days") and "Overdue" in found[0][3]
    assert found[1][3] == "2 working days" and found[2][3] == "0 working days"
    assert found[0][4].startswith("Was due") and found[2][4].startswith("Due")
    badge = page.find(id="waiting").find(class_="moj-badge--red")
    assert badge.get_text(strip=True) == "Overdue"  # in words, never colour alone
    links = [a["href"] for a in page.find(id="waiting").find_all("a")]
    assert links == [
        f"/staff/cases/{waiting[k][0]}/messages" for k in ("overdue", "middle", "recent")
    ]
    body = text(page)
    assert waiting["colleagues"][1] not in body and waiting["other"][1] not in body
    tabs = page.select(".moj-sub-navigation__link")
    assert [tab.get_text(strip=True) for tab in tabs] == ["Your cases (3)", "Your region (4)"]
    assert tabs[0]["aria-current"] == "page"


def test_the_regions_queue_has_colleagues_cases_and_never_another_regions(pages, waiting):
    page = pages.get("/staff/messages?whose=region")
    assert page.find(id="waiting-heading").get_text(strip=True) == "Your region (4)"
    found = rows(page, "waiting")
    references = [reference(row) for row in found]
    assert references == [waiting[k][1] for k in ("overdue", "colleagues", "middle", "recent")]
    assert waiting["other"][1] not in text(page)
    assert len(found[0]) == 6  # an Officer column
    tabs = page.select(".moj-sub-navigation__link")
    assert tabs[1]["aria-current"] == "page"


def test_an_admins_region_is_every_region(app, client, pages, waiting):
    signed_in_officer(client, role=OfficerRole.ADMIN, region_id=waiting["elsewhere_region"])
    page = pages.get("/staff/messages?whose=region")
    assert (
        page.select(".moj-sub-navigation__link")[1]
        .get_text(strip=True)
        .startswith("Every region (")
    )
    references = {reference(row) for row in rows(page, "waiting")}
    assert {waiting["other"][1], waiting["overdue"][1]} <= references
    mine = pages.get("/staff/messages")
    assert mine.find(id="waiting-heading").get_text(strip=True) == "Your cases (0)"
    assert mine.find(id="waiting-empty").get_text(strip=True) == (
        "No messages are waiting for your reply."
    )


def test_a_made_up_choice_shows_my_cases(pages, waiting):
    page = pages.get("/staff/messages?whose=everyone&page=x")
    assert page.find(id="waiting-heading").get_text(strip=True) == "Your cases (3)"


def test_the_home_page_lists_messages_waiting_for_my_reply(pages, waiting):
    page = pages.get("/staff")
    heading = page.find(id="replies-heading").get_text(strip=True)
    assert heading == "Messages waiting for your reply (3)"
    found = rows(page, "replies")
    assert [reference(row) for row in found] == [
        waiting[k][1] for k in ("overdue", "middle", "recent")
    ]
    assert "Overdue" in found[0][3]
    assert page.find(id="replies-see-all")["href"] == "/staff/messages"


def test_the_navigation_says_how_many_wait_for_me(pages, waiting):
    page = pages.get("/staff/cases")
    link = page.find("a", href="/staff/messages", class_="govuk-service-navigation__link")
    assert link.find(class_="moj-notification-badge").get_text(strip=True) == "3"
    assert "3 conversations waiting for your reply" in link.get_text(" ", strip=True)


def test_nothing_waiting_says_so_and_the_navigation_has_no_number(client, pages, region):
    signed_in_officer(client, region_id=region)
    page = pages.get("/staff")
    assert page.find(id="replies-empty").get_text(strip=True) == (
        "No messages are waiting for your reply."
    )
    link = page.find("a", href="/staff/messages", class_="govuk-service-navigation__link")
    assert link.get_text(strip=True) == "Messages" and not link.find(
        class_="moj-notification-badge"
    )


def test_a_long_queue_comes_a_page_at_a_time(app, client, pages, region):
    me = signed_in_officer(client, region_id=region)
    with app.app_context():
        made = bulk_cases(db.session, 30, region_ids=[region], officers={region: [me]})
        db.session.commit()
        mine = [c.id for c in made.cases if c.officer_id == me]
        bulk_messages(db.session, mine)
        db.session.commit()
    first = pages.get("/staff/messages")
    assert len(rows(first, "waiting")) == min(len(mine), 25)
    if len(mine) > 25:
        last = pages.get("/staff/messages?page=99")  # past the end: the last page
        assert len(rows(last, "waiting")) == len(mine) - 25
        assert last.select_one(".govuk-pagination")


def test_the_queue_pages_send_the_same_statements_for_few_and_many(app, client, region):
    me = signed_in_officer(client, region_id=region)

    def add(count: int) -> None:
        with app.app_context():
            made = bulk_cases(db.session, count, region_ids=[region], officers={region: [me]})
            bulk_messages(db.session, [c.id for c in made.cases], per_case=2)
            db.session.commit()

    add(10)
    client.get("/staff")  # warm up: the session's first touch
    few = [queries(app, lambda u=u: client.get(u)) for u in URLS_OF_QUEUES]
    add(300)
    many = [queries(app, lambda u=u: client.get(u)) for u in URLS_OF_QUEUES]
    assert few == many


URLS_OF_QUEUES = ("/staff", "/staff/messages", "/staff/messages?whose=region", "/staff/cases")


# --- a case's conversation and the reply -------------------------------------------------


@pytest.fixture
def full(app, db_session):
    return full_case(app)


@pytest.fixture
def officer_id(app, client, full):
    """A VLO of the case's region, signed in, and the case's officer."""
    me = signed_in_officer(client, region_id=full.region_id)
    with app.app_context():
        db.session.get(Case, full.case_id).officer_id = me
        db.session.commit()
    return me


@pytest.fixture
def talk(app, full, officer_id):
    return conversation(app, full.case_id)


def messages_url(case_id: int) -> str:
    return f"/staff/cases/{case_id}/messages"


def reply_form(page, **fields) -> dict:
    """The reply form as the page offers it, with `fields` changed (add nothing else)."""
    form = page.find(id="reply-form")
    data = {
        field["name"]: field.get("value", "")
        for field in form.find_all("input")
        if field.get("type") != "radio"
    }
    checked = form.find("input", attrs={"name": "reply-language", "checked": True})
    data["reply-language"] = checked["value"]
    data["reply-body"] = form.find("textarea").get_text()
    return {**data, **fields}


def send_reply(client, case_id: int, body: str = "Diolch. Byddaf yn ffonio yfory.", **kwargs):
    page = page_of(client.get(messages_url(case_id)))
    return client.post(
        f"{messages_url(case_id)}/reply", data=reply_form(page, **{"reply-body": body}), **kwargs
    )


def test_the_conversation_is_oldest_first_with_who_when_and_what_became_of_each(pages, full, talk):
    page = pages.get(messages_url(full.case_id))
    assert page.find("h1").get_text(strip=True) == "Messages"
    assert (
        page.select_one('.moj-sub-navigation__link[aria-current="page"]').get_text(strip=True)
        == "Messages"
    )
    items = page.select("#conversation > li")
    assert [item["id"] for item in items] == [
        f"message-{i}" for i in (talk.answered_id, talk.reply_id, talk.thanks_id, talk.waiting_id)
    ]
    first, reply, thanks, last = (" ".join(item.get_text().split()) for item in items)
    assert "From Mererid Prydderch, for the victim" in first and "Answered" in first
    # The victim may write in either language: only a reply says which it is written in.
    assert VICTIM_WORDS[Language.WELSH] in first and "Written in" not in first
    assert "Written in Welsh." in reply
    assert "Victim Liaison Officer" in reply and "Read by the victim" in reply
    assert "Read on" in reply
    assert "No reply needed" in thanks and "Marked by" in thanks
    assert "Waiting for a reply" in last and WAITING_WORDS[Language.WELSH] in last
    body = items[0].find(class_="app-message__body")
    assert not body.has_attr("lang") and body.has_attr("data-i18n-data")
    assert items[1].find(class_="app-message__body")["lang"] == "cy"
    waiting = text(page.find(id="waiting"))
    assert "has waited 3 working days" in waiting and "Reply by" in waiting
    assert page.find("button", string="Mark as needing no reply")


def test_a_welsh_victims_page_says_to_write_in_welsh_and_offers_the_welsh_template(
    pages, full, talk
):
    page = pages.get(messages_url(full.case_id))
    assert "Write this in Welsh: the victim chose Welsh." in text(page.find(id="write-in"))
    assert page.find("input", attrs={"name": "template-language", "checked": True})["value"] == "cy"
    assert page.find("input", attrs={"name": "reply-language", "checked": True})["value"] == "cy"
    options = [o["value"] for o in page.select("#template-choice option")]
    assert options == ["", *(t.value for t in ReplyTemplate)]
    assert page.find("textarea", attrs={"name": "reply-body"})["lang"] == "cy"
    count = page.select_one(".govuk-character-count")
    assert count["data-maxlength"] == str(MESSAGE_LENGTH)
    assert "You can enter up to 2,000 characters" in text(count)


def test_a_reply_without_javascript_is_sent_once_told_in_welsh_with_no_content(
    app, client, app_db, full, talk
):
    response = send_reply(client, full.case_id)
    assert response.status_code == 303
    assert response.headers["Location"] == messages_url(full.case_id)
    sent = messages_of(app_db, full.case_id)[-1]
    assert sent.sender == Sender.OFFICER and sent.body == "Diolch. Byddaf yn ffonio yfory."
    assert sent.language == Language.WELSH
    assert all(m.answered_at for m in messages_of(app_db, full.case_id) if m.sender == "victim")
    (told,) = outbox(app_db)
    assert told.template_key == "new_message" and told.language == Language.WELSH
    assert told.recipient == SAFE_EMAIL and told.channel == "email"
    assert told.personalisation == {"url": sign_in_url(app)}
    (audit,) = audits(app_db, "message.replied")
    assert audit.detail == {"message": sent.id, "answered": 1}
    assert "Diolch" not in str(audit.detail)

    page = page_of(client.get(response.headers["Location"]))
    banner = page.find(id="messages-outcome")
    assert "Your reply was sent" in text(banner)
    assert "The victim was told they have a new message, by email." in text(banner)
    assert banner.has_attr("data-focus-after-swap")
    assert page.find(id=f"message-{sent.id}")
    assert page.find(id="waiting").get_text(strip=True) == (
        "Nothing the victim wrote is waiting for a reply."
    )
    assert page.find("textarea", attrs={"name": "reply-body"}).get_text() == ""
    # The banner is shown once.
    assert not page_of(client.get(messages_url(full.case_id))).find(id="messages-outcome")


def test_with_htmx_the_reply_appears_in_place_and_the_form_is_cleared_with_a_new_key(
    client, app_db, full, talk
):
    page = page_of(client.get(messages_url(full.case_id)))
    data = reply_form(page, **{"reply-body": "Byddaf yn ffonio yfory."})
    response = client.post(
        f"{messages_url(full.case_id)}/reply",
        data=data,
        headers={"HX-Request": "true"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert response.headers["HX-Push-Url"] == messages_url(full.case_id)
    swapped = page_of(response)
    sent = messages_of(app_db, full.case_id)[-1]
    assert swapped.find(id=f"message-{sent.id}")
    assert swapped.find(id="messages-outcome").has_attr("data-focus-after-swap")
    assert swapped.find(id="messages-outcome")["role"] == "alert"  # read out
    new_key = swapped.find("input", attrs={"name": "reply-submission_key"})["value"]
    assert new_key and new_key != data["reply-submission_key"]
    assert swapped.find("textarea", attrs={"name": "reply-body"}).get_text() == ""


def test_the_same_reply_sent_twice_is_sent_once(client, app_db, full, talk):
    page = page_of(client.get(messages_url(full.case_id)))
    data = reply_form(page, **{"reply-body": "Unwaith yn unig."})
    url = f"{messages_url(full.case_id)}/reply"
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    replies = [m for m in messages_of(app_db, full.case_id) if m.body == "Unwaith yn unig."]
    assert len(replies) == 1
    assert len(outbox(app_db)) == 1 and len(audits(app_db, "message.replied")) == 1
    banner = page_of(client.get(messages_url(full.case_id))).find(id="messages-outcome")
    assert "Your reply was sent" in text(banner)


def test_a_detail_marked_not_safe_is_never_used_to_tell_the_victim(app, client, app_db, full, talk):
    with app.app_context():
        email = db.session.scalar(select(ContactPreference).filter_by(value=SAFE_EMAIL))
        email.is_safe = False
        db.session.commit()
    assert send_reply(client, full.case_id).status_code == 303
    (told,) = outbox(app_db)
    assert told.recipient == SAFE_MOBILE and told.channel == "sms"
    assert told.personalisation == {"url": sign_in_url(app)}
    assert told.recipient not in (SAFE_EMAIL, UNSAFE_EMAIL)


def test_a_text_held_for_the_victims_safe_time_is_said_to_be_sent_then(
    app, client, app_db, full, talk
):
    """Their email not safe, their mobile safe only in an hour that has not come yet: the
    officer is not told the victim "was told"."""
    from datetime import datetime, time

    from portal.domain.contact_times import LONDON

    # An hour of the day that is not now (and does not run past midnight).
    start = time(14, 0) if datetime.now(LONDON).hour < 12 else time(6, 0)
    with app.app_context():
        email = db.session.scalar(select(ContactPreference).filter_by(value=SAFE_EMAIL))
        email.is_safe = False
        mobile = db.session.scalar(select(ContactPreference).filter_by(value=SAFE_MOBILE))
        mobile.safe_from, mobile.safe_until = start, start.replace(hour=start.hour + 1)
        db.session.commit()
    response = send_reply(client, full.case_id)
    (told,) = outbox(app_db)
    assert told.channel == "sms" and told.next_attempt_at > told.created_at
    banner = page_of(client.get(response.headers["Location"])).find(id="messages-outcome")
    assert (
        "The victim will be told they have a new message, by text message, when their safe "
        "time to be contacted starts."
    ) in text(banner)
    assert "was told" not in text(banner)


def test_a_victim_with_no_safe_channel_is_not_told_and_the_officer_is(
    app, client, app_db, full, talk
):
    with app.app_context():
        for detail in db.session.scalars(
            select(ContactPreference).where(
                ContactPreference.channel.in_([Channel.EMAIL, Channel.SMS, Channel.LETTER])
            )
        ):
            detail.is_safe = False
        db.session.commit()
    response = send_reply(client, full.case_id)
    assert not outbox(app_db)
    banner = page_of(client.get(response.headers["Location"])).find(id="messages-outcome")
    assert "The victim could not be told" in text(banner)


def test_a_reply_with_a_mistake_says_what_to_fix_and_sends_nothing(client, app_db, full, talk):
    before = len(messages_of(app_db, full.case_id))
    response = send_reply(client, full.case_id, body="   ")
    assert response.status_code == 200
    assert errors_of(response) == ["Write your reply"]
    assert page_of(response).title.get_text(strip=True).startswith("Error: Messages")
    response = send_reply(client, full.case_id, body="a" * (MESSAGE_LENGTH + 1))
    assert errors_of(response) == ["Your reply must be 2,000 characters or fewer"]
    assert page_of(response).find("textarea", attrs={"name": "reply-body"}).get_text() == (
        "a" * (MESSAGE_LENGTH + 1)
    )  # what was typed is kept
    # Line breaks as browsers send them (CR LF) count once, as the character count does.
    lines = "\r\n".join(["a" * 99] * 20)  # 1980 + 19 line breaks = 1999
    assert send_reply(client, full.case_id, body=lines).status_code == 303
    assert len(messages_of(app_db, full.case_id)) == before + 1
    assert not outbox(app_db)[1:]


def test_a_forged_reply_is_refused(client, app_db, full, talk):
    page = page_of(client.get(messages_url(full.case_id)))
    url = f"{messages_url(full.case_id)}/reply"
    for key in ("", "not-a-key"):
        data = reply_form(page, **{"reply-body": "x", "reply-submission_key": key})
        assert client.post(url, data=data).status_code == 400
    data = reply_form(page, **{"reply-body": "x", "reply-language": "fr"})
    response = client.post(url, data=data)
    assert errors_of(response) == ["Select the language your reply is written in"]
    assert client.post(url, data={**data, "reply-body": "x\x00"}).status_code == 400
    assert not [m for m in messages_of(app_db, full.case_id) if m.sender == Sender.OFFICER][1:]


def test_opening_a_forms_address_goes_to_the_form_on_the_page(client, full, officer_id):
    for path, anchor in (("reply", "reply"), ("no-reply-needed", "no-reply-needed")):
        response = client.get(f"{messages_url(full.case_id)}/{path}?lang=cy")
        assert response.status_code == 303
        assert response.headers["Location"] == f"{messages_url(full.case_id)}#{anchor}"


# --- standard replies --------------------------------------------------------------------


def use_template(client, case_id: int, choice: str, language: str, **kwargs):
    page = page_of(client.get(messages_url(case_id)))
    return client.post(
        f"{messages_url(case_id)}/reply",
        data={
            "csrf_token": csrf(page),
            "template-choice": choice,
            "template-language": language,
        },
        **kwargs,
    )


def test_a_template_fills_the_reply_in_welsh_for_a_welsh_victim(client, app_db, full, talk):
    response = use_template(client, full.case_id, "parole", "cy")
    assert response.status_code == 200
    page = page_of(response)
    textarea = page.find("textarea", attrs={"name": "reply-body"})
    welsh = reply_templates.wording(ReplyTemplate.PAROLE, "cy")
    assert textarea.get_text() == welsh
    assert welsh.startswith("Mewn adolygiad parôl")
    assert textarea["lang"] == "cy" and textarea.has_attr("data-focus-after-swap")
    assert page.find("input", attrs={"name": "reply-language", "checked": True})["value"] == "cy"
    assert not [m for m in messages_of(app_db, full.case_id) if m.sender == "officer"][1:]
    # Sent as it is (the officer may edit it first): recorded as Welsh.
    response = client.post(f"{messages_url(full.case_id)}/reply", data=reply_form(page))
    assert response.status_code == 303
    sent = messages_of(app_db, full.case_id)[-1]
    assert sent.body == welsh and sent.language == Language.WELSH


def test_the_english_template_is_there_too_and_the_reply_is_recorded_as_english(
    client, app_db, full, talk
):
    page = page_of(use_template(client, full.case_id, "find-out", "en"))
    text_ = page.find("textarea", attrs={"name": "reply-body"}).get_text()
    assert text_ == reply_templates.wording(ReplyTemplate.FIND_OUT, "en")
    assert "within 5 working days" in text_
    assert page.find("input", attrs={"name": "reply-language", "checked": True})["value"] == "en"
    client.post(f"{messages_url(full.case_id)}/reply", data=reply_form(page))
    assert messages_of(app_db, full.case_id)[-1].language == Language.ENGLISH


def test_every_template_has_its_words_in_both_languages():
    for template in ReplyTemplate:
        english = reply_templates.wording(template, "en")
        welsh = reply_templates.wording(template, "cy")
        assert english and welsh and english != welsh, template
        assert "%(" not in english + welsh


def test_a_template_not_chosen_is_an_error(client, full, talk):
    response = use_template(client, full.case_id, "", "cy")
    assert errors_of(response) == ["Select a standard reply"]
    response = use_template(client, full.case_id, "made-up", "xx")
    assert errors_of(response) == [
        "Select a standard reply",
        "Select the language of the standard reply",
    ]


def test_with_htmx_a_template_comes_back_in_place(client, full, talk):
    response = use_template(
        client, full.case_id, "please-call", "cy", headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert "<html" not in html and "data-focus-after-swap" in html
    assert "HX-Push-Url" not in response.headers


# --- no reply needed --------------------------------------------------------------------


def test_no_reply_needed_takes_the_case_out_of_the_queues(app, client, app_db, full, talk):
    page = page_of(client.get(messages_url(full.case_id)))
    url = f"{messages_url(full.case_id)}/no-reply-needed"
    seen = page.find(id="no-reply-needed").find("input", attrs={"name": "seen"})["value"]
    response = client.post(url, data={"csrf_token": csrf(page), "seen": seen})
    assert response.status_code == 303
    waiting = app_db.get(Message, talk.waiting_id)
    app_db.refresh(waiting)
    assert waiting.answered_at and waiting.no_reply_needed
    assert not outbox(app_db)  # the victim is not told of anything
    (audit,) = audits(app_db, "message.no_reply_needed")
    assert audit.detail == {"answered": 1}
    after = page_of(client.get(response.headers["Location"]))
    assert "marked as needing no reply" in text(after.find(id="messages-outcome"))
    assert not after.find("button", string="Mark as needing no reply")
    assert full.reference not in text(page_of(client.get("/staff/messages")))
    # Sent again (a double click): nothing more to do, and it says so.
    client.post(url, data={"csrf_token": csrf(page), "seen": seen})
    again = page_of(client.get(messages_url(full.case_id)))
    assert "No messages were waiting for a reply" in text(again.find(id="messages-outcome"))
    assert len(audits(app_db, "message.no_reply_needed")) == 1


# --- closed, joined, another region's -------------------------------------------------------


def test_a_closed_case_offers_no_reply_and_refuses_a_forged_one(app, client, app_db, full, talk):
    closed = closed_case(app, full.region_id)
    waiting_message(app, closed.case_id, working_days_ago(1))
    page = page_of(client.get(messages_url(closed.case_id)))
    assert not page.find(id="reply-form") and not page.find(id="use-template")
    assert "This case is closed, so no reply can be sent here." in text(page.find(id="reply"))
    token = csrf(page_of(client.get(messages_url(full.case_id))))
    data = {
        "csrf_token": token,
        "reply-submission_key": str(uuid.uuid4()),
        "reply-body": "A reply.",
        "reply-language": "cy",
    }
    response = client.post(f"{messages_url(CLOSED_CASE_ID)}/reply", data=data)
    assert response.status_code == 409
    refused = page_of(response)
    assert "This case is closed, so no reply can be sent here." in text(refused.find(id="refusal"))
    assert "Nothing was changed." in text(refused.find(id="refusal"))
    assert refused.select_one("#victim-language")
    assert all(m.sender == Sender.VICTIM for m in messages_of(app_db, CLOSED_CASE_ID))
    assert not outbox(app_db)
    templated = client.post(
        f"{messages_url(CLOSED_CASE_ID)}/reply",
        data={"csrf_token": token, "template-choice": "parole", "template-language": "cy"},
    )
    assert templated.status_code == 409


def test_a_joined_case_points_to_the_victims_other_case(app, client, app_db, full, talk):
    merged = merged_case(app, full.region_id, into=full.case_id)
    page = page_of(client.get(messages_url(merged.case_id)))
    link = page.find("a", string="Go to the victim’s other case")
    assert link["href"] == messages_url(full.case_id)
    token = csrf(page)
    response = client.post(
        f"{messages_url(merged.case_id)}/reply",
        data={"csrf_token": token, "reply-submission_key": str(uuid.uuid4()),
              "reply-body": "A reply.", "reply-language": "cy"},
    )  # fmt: skip
    assert response.status_code == 409
    assert page_of(response).find("a", string="Go to the victim’s other case")["href"] == (
        messages_url(full.case_id)
    )


def test_another_regions_officer_finds_nothing(app, client, app_db, full, talk):
    with app.app_context():
        elsewhere = RegionFactory()
        db.session.commit()
        elsewhere_id = elsewhere.id
    signed_in_officer(client, region_id=elsewhere_id)
    token = csrf(page_of(client.get("/staff")))
    assert client.get(messages_url(full.case_id)).status_code == 404
    for path, data in (
        ("reply", {"reply-submission_key": str(uuid.uuid4()), "reply-body": "x",
                   "reply-language": "cy"}),
        ("no-reply-needed", {}),
    ):  # fmt: skip
        response = client.post(
            f"{messages_url(full.case_id)}/{path}", data={"csrf_token": token, **data}
        )
        assert response.status_code == 404
    assert not outbox(app_db)
    assert app_db.get(Message, talk.waiting_id).answered_at is None


def test_a_manager_is_offered_to_reassign_and_a_vlo_to_ask_their_manager(
    app, client, pages, full, talk
):
    page = pages.get(messages_url(full.case_id))
    assert not page.find(id="reassign-link")
    assert "ask your manager to reassign the case" in text(page)
    signed_in_officer(client, role=OfficerRole.MANAGER, region_id=full.region_id)
    page = pages.get(messages_url(full.case_id))
    assert page.find(id="reassign-link")["href"] == f"/staff/cases/{full.case_id}/reassign"


def test_the_conversation_sends_the_same_statements_for_few_and_many(
    app, client, db_session, officer_id
):
    small = full_case(app, case_id=900021)
    large = full_case(app, case_id=900022, region_id=small.region_id)
    signed_in_officer(client, region_id=small.region_id)
    with app.app_context():
        for case, count in ((small, 3), (large, 300)):
            bulk_messages(db.session, [case.case_id], per_case=count)
            bulk_messages(
                db.session,
                [case.case_id],
                per_case=count,
                waiting=False,
                answered_by=case.officer_id,
            )
        db.session.commit()
    for path in ("/messages", ""):
        client.get(f"/staff/cases/{small.case_id}{path}")  # warm up
        few = queries(app, lambda p=path: client.get(f"/staff/cases/{small.case_id}{p}"))
        many = queries(app, lambda p=path: client.get(f"/staff/cases/{large.case_id}{p}"))
        assert few == many, path


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_reading_the_conversation_writes_only_the_audit_and_the_session(app, client, full, talk):
    with statements(app) as seen:
        client.get(messages_url(full.case_id))
        client.get("/staff/messages")
    writes = [s for s in seen if s.split()[0].upper() in WRITES]
    assert writes and all(("audit_events" in s) or ("staff_sessions" in s) for s in writes)


# --- the timeline ----------------------------------------------------------------------------


def titles(page) -> list[str]:
    return [
        " ".join(item.select_one(".moj-timeline__title").get_text().split())
        for item in page.select(".moj-timeline__item")
    ]


def test_the_timeline_shows_messages_among_the_other_entries(pages, full, talk):
    page = pages.get(f"/staff/cases/{full.case_id}")
    found = titles(page)
    assert found.count("Message from the victim") == 3
    assert found.count("Message to the victim") == 1
    assert "Sentence event: Parole review" in found and "Phone call to the victim" in found
    waiting = page.find(id=f"message-entry-{talk.waiting_id}")
    assert "Waiting for a reply" in text(waiting) and WAITING_WORDS[Language.WELSH] in text(waiting)
    link = waiting.find("a")
    assert link.get_text(strip=True).startswith("Go to the conversation")
    assert link["href"] == f"{messages_url(full.case_id)}#message-{talk.waiting_id}"
    dates = [t["datetime"] for t in page.select(".moj-timeline__item time")]
    assert dates[0].startswith(str(working_days_ago(3).year))  # the newest: a message
    assert page.find("input", attrs={"name": "show", "value": "all", "checked": True})


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("messages", {"Message from the victim", "Message to the victim"}),
        ("contacts", {"Phone call to the victim", "Letter from the victim",
                      "Meeting the victim asked for"}),
        ("stages", {"Sentence event: Parole review", "Sentence event: Sentenced"}),
    ],
)  # fmt: skip
def test_the_timeline_filter_works_without_javascript(pages, full, talk, show, expected):
    page = pages.get(f"/staff/cases/{full.case_id}?show={show}")
    assert set(titles(page)) == expected
    assert page.find("input", attrs={"name": "show", "value": show, "checked": True})
    form = page.find(id="timeline-filter")
    assert form["method"] == "get" and form.find("button")


def test_a_made_up_filter_shows_everything(pages, full, talk):
    everything = titles(pages.get(f"/staff/cases/{full.case_id}"))
    assert titles(pages.get(f"/staff/cases/{full.case_id}?show=nonsense")) == everything


def test_with_htmx_the_filter_swaps_only_the_list_and_the_address_follows(client, full, talk):
    url = f"/staff/cases/{full.case_id}?show=messages"
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "timeline-list"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert response.headers["HX-Push-Url"] == url and "HX-Request" in response.vary
    page = page_of(response)
    assert not page.select_one("#victim-language") and not page.find(id="add-stage")
    assert set(titles(page)) == {"Message from the victim", "Message to the victim"}
    status = page.find(id="timeline-status")
    assert status["hx-swap-oob"] == "innerHTML" and status.get_text(strip=True) == "4 entries shown"
    assert page.find("title")  # the title and the language toggle come too


def test_the_staff_home_lists_are_unchanged_by_messages_on_other_regions_cases(
    app, client, pages, region
):
    """An admin's own list is their own cases only, even though they see every region."""
    me = signed_in_officer(client, role=OfficerRole.ADMIN, region_id=region)
    case_id, admins = case_of(app, region, me, "Admins Victim")
    waiting_message(app, case_id, working_days_ago(6))
    found = rows(pages.get("/staff"), "replies")
    assert [reference(row) for row in found] == [admins]
    assert "Overdue" in found[0][3]
