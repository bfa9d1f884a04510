"""Your data: a signed-in victim sees, downloads (HTML and JSON) and can print what the service
holds about them, and nothing more: never another person's record, never what only staff
see (a note for staff, an entry hidden from them, a handover note), never a date more
precise than they may be told. Downloads are attachments, audited, never stored by a
cache, never in a log; the statements sent do not grow with the data."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    ActorType,
    AuditEvent,
    CaseStatus,
    Channel,
    DatePrecision,
    DeclineReason,
    Language,
    MessageDraft,
    RequestKind,
    RequestStatus,
    Sender,
    SentenceStage,
    TimelineEventKind,
    Victim,
)
from portal.services import your_data
from tests.support.factories import (
    CaseFactory,
    ContactPreferenceFactory,
    MessageFactory,
    OfficerFactory,
    TimelineEventFactory,
    VictimFactory,
    VictimRequestStepFactory,
)
from tests.support.queries import queries
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

EMAIL = "data.victim@example.com"
OTHER_EMAIL = "someone.else@example.com"

#: What only staff see, planted on the victim's own case: none of it may reach them.
STAFF_ONLY = {
    "internal note": "STAFF ONLY: checked the prison's records by phone.",
    "hidden entry": "HIDDEN: the release plan is still being argued about.",
    "handover note": "HANDOVER: the victim gets anxious before hearings.",
    # Which officer took a step on a request: the victim's request page does not say.
    "step officer": "Colleague Covering",
}
#: Another victim's record: none of it may reach this one.
SOMEONE_ELSE = {
    "name": "Rhiannon Elsewhere",
    "offender": "Offender Of Someone Else",
    "summary": "Someone else's timeline entry.",
    "message": "Someone else's message.",
    "email": OTHER_EMAIL,
}

MINE = {
    "name": "Dilys Prydderch",
    "offender": "Offender Of My Case",
    "sentence": "Six years in custody",
    "release": "The offender was released on licence.",
    "letter": "We wrote to explain the scheme.",
    "my message": "When is the parole hearing?\nI would like to go.",
    "reply": "Helo, byddaf yn ffonio yfory.",
    "draft": "I have not sent this yet.",
    "decline note": "We could not find the sentence from what you told us.",
    "places": "The school gates on Test Street.",
    "decision": "The Parole Board set a condition: no contact with you.",
    "statement": "I have not slept well since it happened.",
    "comments": "Please tell the panel how it affects your work.",
}


@dataclass(frozen=True)
class Built:
    victim_id: int
    case_id: int
    declined_id: int
    reference: str
    declined_reference: str
    other_reference: str


def build(app) -> Built:
    """A victim with an active case (every kind of entry, staff-only ones included, messages
    both ways, a draft) and a declined registration; and someone else with a case."""
    with app.app_context():
        officer = OfficerFactory(full_name="Alys Officer")
        me = VictimFactory(
            full_name=MINE["name"],
            date_of_birth=date(1980, 5, 2),
            language=Language.ENGLISH,
            relationship_to_victim="self",
            accessibility_needs="large-print, bsl",
            envelope_name_to_avoid="Gareth",
        )
        ContactPreferenceFactory(victim=me, channel=Channel.EMAIL, value=EMAIL)
        ContactPreferenceFactory(
            victim=me,
            channel=Channel.PHONE,
            value="+442920180000",
            safe_from=time(9, 0),
            safe_until=time(17, 30),
            voicemail_safe=True,
            verified_at=None,
        )
        ContactPreferenceFactory(
            victim=me, channel=Channel.LETTER, value="1 Test Road\nTest Town", is_safe=False
        )
        case = CaseFactory(
            victim=me,
            status=CaseStatus.ACTIVE,
            officer=officer,
            region=officer.region,
            offender_name=MINE["offender"],
            sentence_description=MINE["sentence"],
            court_code="cardiff",
            sentenced_in="2022-03",
            stage=SentenceStage.RELEASE,
        )
        entries = [
            # kind, stage, day, precision, summary, visible, internal note
            (
                TimelineEventKind.STAGE,
                SentenceStage.RELEASE,
                date(2027, 3, 14),
                DatePrecision.MONTH,
                MINE["release"],
                True,
                STAFF_ONLY["internal note"],
            ),
            (
                TimelineEventKind.LETTER,
                None,
                date(2024, 7, 8),
                DatePrecision.DAY,
                MINE["letter"],
                True,
                None,
            ),
            (
                TimelineEventKind.NOTE,
                None,
                date(2025, 1, 1),
                DatePrecision.DAY,
                STAFF_ONLY["hidden entry"],
                False,
                None,
            ),
            (
                TimelineEventKind.HANDOVER,
                None,
                date(2025, 2, 1),
                DatePrecision.DAY,
                STAFF_ONLY["handover note"],
                True,
                None,
            ),
        ]
        for kind, stage, day, precision, summary, visible, note in entries:
            TimelineEventFactory(
                case=case,
                kind=kind,
                stage=stage,
                occurred_on=day,
                precision=precision,
                summary=summary,
                visible_to_victim=visible,
                internal_note=note,
                recorded_by_id=officer.id,
            )
        MessageFactory(
            case=case,
            sender=Sender.VICTIM,
            body=MINE["my message"],
            created_at=datetime(2026, 11, 2, 10, 15, tzinfo=UTC),
        )
        MessageFactory(
            case=case,
            sender=Sender.OFFICER,
            officer_id=officer.id,
            body=MINE["reply"],
            language=Language.WELSH,
            created_at=datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        )
        db.session.add(MessageDraft(case_id=case.id, victim_id=me.id, body=MINE["draft"]))
        # Requests: licence conditions decided, a statement returned with comments.
        colleague = OfficerFactory(full_name=STAFF_ONLY["step officer"], region=officer.region)
        licence = VictimRequestStepFactory(
            request__case=case,
            request__kind=RequestKind.LICENCE_CONDITIONS,
            request__status=RequestStatus.DECIDED,
            request__answers={
                "no_contact": ["me"],
                "exclusion_zone": "yes",
                "places": MINE["places"],
                "other_concerns": "",
            },
            request__created_at=datetime(2026, 9, 1, 9, 0, tzinfo=UTC),
            request__sent_at=datetime(2026, 9, 1, 9, 30, tzinfo=UTC),
            created_at=datetime(2026, 9, 1, 9, 30, tzinfo=UTC),
        ).request
        VictimRequestStepFactory(
            request=licence,
            status=RequestStatus.DECIDED,
            actor_type=ActorType.STAFF,
            officer_id=colleague.id,
            message=MINE["decision"],
            created_at=datetime(2026, 10, 5, 14, 0, tzinfo=UTC),
        )
        statement = VictimRequestStepFactory(
            request__case=case,
            request__kind=RequestKind.PERSONAL_STATEMENT,
            request__status=RequestStatus.RETURNED,
            request__answers={"emotional": MINE["statement"], "how_given": "panel_reads"},
            request__created_at=datetime(2026, 10, 1, 9, 0, tzinfo=UTC),
            created_at=datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
        ).request
        VictimRequestStepFactory(
            request=statement,
            status=RequestStatus.RETURNED,
            actor_type=ActorType.STAFF,
            officer_id=officer.id,
            message=MINE["comments"],
            created_at=datetime(2026, 10, 3, 9, 0, tzinfo=UTC),
        )
        declined = CaseFactory(
            victim=me,
            status=CaseStatus.DECLINED,
            decline_reason=DeclineReason.CASE_NOT_FOUND,
            decline_note=MINE["decline note"],
            triaged_at=datetime.now(UTC),
            offender_name=MINE["offender"],
        )
        someone = VictimFactory(full_name=SOMEONE_ELSE["name"])
        ContactPreferenceFactory(victim=someone, value=OTHER_EMAIL)
        other = CaseFactory(
            victim=someone,
            status=CaseStatus.ACTIVE,
            officer=officer,
            region=officer.region,
            offender_name=SOMEONE_ELSE["offender"],
        )
        TimelineEventFactory(case=other, summary=SOMEONE_ELSE["summary"])
        MessageFactory(case=other, body=SOMEONE_ELSE["message"])
        db.session.commit()
        return Built(
            me.id, case.id, declined.id, case.reference, declined.reference, other.reference
        )


@pytest.fixture
def mine(app, client) -> Built:
    built = build(app)
    signed_in(client, EMAIL)
    return built


def never_shown(text: str) -> None:
    """Nothing staff-only, nothing of someone else's, no release day."""
    for planted in (*STAFF_ONLY.values(), *SOMEONE_ELSE.values()):
        assert planted not in text
    assert "14 March 2027" not in text and "2027-03-14" not in text


def main_text(page) -> str:
    return page.find("main").get_text(" ", strip=True)


def words_of(element) -> str:
    """An element's text as read, spaces as they are (a name in its own span, say)."""
    return " ".join(element.get_text().split())


def message_headings(page) -> list[str]:
    return [words_of(h4) for h4 in page.select(".app-your-data-messages h4")]


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_what_is_held_about_the_victim_and_nothing_else(pages, mine):
    page = pages.get("/account/your-data")
    assert page.find("h1").get_text(strip=True) == "Your data"
    assert page.title.get_text(strip=True) == "Your data – Victim Contact Scheme – GOV.UK"
    headings = [h.get_text(strip=True) for h in page.find("main").find_all("h2")]
    assert headings == [
        "Download or print it",
        "Your details",
        "People you asked to act for you",
        "Your cases",
        "What has happened",
        "Messages",
        "Messages you have not sent",
        "Requests to your officer",
        "How long we keep it",
    ]
    text = main_text(page)
    for value in (*MINE.values(), mine.reference, mine.declined_reference):
        for line in value.split("\n"):
            assert line in text, line
    for words in (
        "2 May 1980",
        "Large print, British Sign Language (BSL)",
        "029 2018 0000",
        "Safe times: From 09:00 to 17:30",
        "We may leave a voicemail",
        "Not safe: we will not use it",
        "Cardiff Crown Court",
        "March 2022",
        "2 November 2026 at 10:15",
        "we keep it for 6 more years",
    ):
        assert words in text, words
    never_shown(text)
    assert message_headings(page) == ["From you", "From Alys Officer, your Victim Liaison Officer"]
    # The release is told as a month, in words and in the machine-readable date.
    release = page.find("time", string="March 2027")
    assert release["datetime"] == "2027-03"
    # The reply was written in Welsh: marked so on the English page.
    assert page.find("span", string=MINE["reply"])["lang"] == "cy"


def test_the_downloads_are_plain_links_and_printing_is_explained(pages, mine):
    page = pages.get("/account/your-data")
    links = page.select(".app-your-data-downloads a")
    assert [(a["href"], a.has_attr("download")) for a in links] == [
        ("/account/your-data/download.html", True),
        ("/account/your-data/download.json", True),
    ]
    assert not page.select("[hx-get], [hx-post], [hx-boost]")
    assert "Save as PDF" in main_text(page)
    # The downloads, the warning and the instructions are not printed.
    assert page.select_one(".app-no-print .govuk-warning-text")


def test_the_case_page_links_to_your_data(pages, mine):
    page = pages.get("/account")
    link = page.find("a", href="/account/your-data")
    assert link.get_text(strip=True).startswith("Your data")


def test_the_page_in_welsh(pages, mine):
    page = pages.get("/account/your-data?lang=cy")
    assert page.find("html")["lang"] == "cy"
    assert page.find("h1").get_text(strip=True) == "Eich data"
    text = main_text(page)
    assert "Mawrth 2027" in text and "2 Mai 1980" in text
    assert message_headings(page) == [
        "Gennych chi",
        "Gan Alys Officer, eich Swyddog Cyswllt Dioddefwyr",
    ]
    assert "am 6 blynedd ar ôl hynny" in text
    # Written in English, marked so on the Welsh page; the Welsh reply is not marked.
    assert page.find("span", string=MINE["letter"])["lang"] == "en"
    assert not page.find("span", string=MINE["reply"]).has_attr("lang")
    never_shown(text)


def test_a_page_view_writes_nothing(app, client, mine, app_db):
    before = app_db.scalar(select(func.count()).select_from(AuditEvent))
    assert client.get("/account/your-data").status_code == 200
    assert app_db.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_records_that_share_the_address_are_both_shown(app, pages):
    # A parent who registered two children with one email address.
    with app.app_context():
        for name in ("Child One", "Child Two"):
            case = CaseFactory(status=CaseStatus.ACTIVE, victim=VictimFactory(full_name=name))
            ContactPreferenceFactory(victim=case.victim, value="parent@example.com")
        db.session.commit()
    signed_in(pages.client, "parent@example.com")
    page = pages.get("/account/your-data")
    names = [h.get_text(strip=True) for h in page.select("#your-details ~ h3:has(span)")]
    assert names == ["Child One", "Child Two"]


@pytest.mark.parametrize(
    "path",
    ["/account/your-data", "/account/your-data/download.html", "/account/your-data/download.json"],
)
def test_someone_not_signed_in_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert (response.status_code, response.headers["Location"]) == (303, "/sign-in")


# --- the downloads ------------------------------------------------------------------------


def download(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response


def test_the_json_download_has_the_documented_shape(client, mine):
    response = download(client, "/account/your-data/download.json")
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="your-data-\d{4}-\d{2}-\d{2}\.json"', disposition)
    text = response.get_data(as_text=True)
    never_shown(text)
    assert "internal_note" not in text
    document = json.loads(text)
    assert list(document) == [
        "format",
        "version",
        "created_at",
        "people",
        "representatives",
        "cases",
        "timeline",
        "messages",
        "unsent_messages",
        "requests",
    ]
    assert (document["format"], document["version"]) == ("victim-contact-scheme/your-data", 1)
    assert datetime.fromisoformat(document["created_at"]).utcoffset().total_seconds() == 0

    [person] = document["people"]
    assert person["full_name"] == MINE["name"]
    assert person["date_of_birth"] == "1980-05-02"
    assert person["language"] == "en"
    assert person["access_needs"] == ["large-print", "bsl"]
    assert person["contact_details"] == [
        {
            "channel": "email",
            "value": EMAIL,
            "safe": True,
            "voicemail_safe": False,
            "safe_from": None,
            "safe_until": None,
            "confirmed": True,
        },
        {
            "channel": "phone",
            "value": "+442920180000",
            "safe": True,
            "voicemail_safe": True,
            "safe_from": "09:00",
            "safe_until": "17:30",
            "confirmed": False,
        },
        {
            "channel": "letter",
            "value": "1 Test Road\nTest Town",
            "safe": False,
            "voicemail_safe": False,
            "safe_from": None,
            "safe_until": None,
            "confirmed": True,
        },
    ]

    cases = {case["reference"]: case for case in document["cases"]}
    assert set(cases) == {mine.reference, mine.declined_reference}
    active = cases[mine.reference]
    assert (active["status"], active["stage"], active["court"], active["sentenced_in"]) == (
        "active",
        "release",
        "cardiff",
        "2022-03",
    )
    assert (active["offender_name"], active["officer"]) == (MINE["offender"], "Alys Officer")
    declined = cases[mine.declined_reference]
    assert (declined["decline_reason"], declined["decline_note"]) == (
        "case_not_found",
        MINE["decline note"],
    )

    timeline = [entry for entry in document["timeline"] if entry["case"] == mine.reference]
    assert [(e["kind"], e["date"], e["date_precision"]) for e in timeline] == [
        ("stage", "2027-03", "month"),
        ("letter", "2024-07-08", "day"),
    ]
    assert set(timeline[0]) == {
        "case",
        "kind",
        "stage",
        "date",
        "date_precision",
        "summary",
        "language",
    }

    assert [
        (m["from"], m["officer"], m["sent_at"], m["language"], m["text"])
        for m in document["messages"]
    ] == [
        ("you", None, "2026-11-02T10:15:00+00:00", "en", MINE["my message"]),
        ("officer", "Alys Officer", "2026-11-03T09:00:00+00:00", "cy", MINE["reply"]),
    ]
    [draft] = document["unsent_messages"]
    assert (draft["case"], draft["text"]) == (mine.reference, MINE["draft"])

    licence, statement = document["requests"]
    assert licence == {
        "case": mine.reference,
        "kind": "licence_conditions",
        "status": "decided",
        "language": "en",
        "started_at": "2026-09-01T09:00:00+00:00",
        "sent_at": "2026-09-01T09:30:00+00:00",
        "summary_sent_on": None,
        "answers": {
            "no_contact": ["me"],
            "exclusion_zone": "yes",
            "places": MINE["places"],
            "other_concerns": "",
        },
        "steps": [
            {
                "status": "sent",
                "by": "you",
                "at": "2026-09-01T09:30:00+00:00",
                "words": None,
                "language": "en",
                "written_by_representative": None,
            },
            {
                "status": "decided",
                "by": "officer",
                "at": "2026-10-05T14:00:00+00:00",
                "words": MINE["decision"],
                "language": "en",
                "written_by_representative": None,
            },
        ],
    }
    assert (statement["kind"], statement["status"]) == ("personal_statement", "returned")
    assert statement["answers"]["emotional"] == MINE["statement"]
    assert [step["words"] for step in statement["steps"]] == [None, MINE["comments"]]
    # Nothing of which officer took a step, or of the notification it caused.
    assert "notification" not in text and "officer_id" not in text


def test_the_web_page_download_stands_alone_and_prints(client, mine):
    response = download(client, "/account/your-data/download.html")
    assert response.mimetype == "text/html"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="your-data-\d{4}-\d{2}-\d{2}\.html"', disposition)
    html = response.get_data(as_text=True)
    page = BeautifulSoup(html, "html.parser")
    assert page.find("html")["lang"] == "en"
    assert page.title.get_text(strip=True) == "Your data – Victim Contact Scheme"
    assert len(page.find_all("h1")) == 1
    # One file: its style inside it, no script, nothing fetched from the portal.
    assert not page.find("script")
    assert not page.find("link", rel="stylesheet")
    assert not page.find(src=True)
    style = page.find("style").get_text()
    assert "@media print" in style and ".govuk-summary-list" in style
    text = page.find("main").get_text(" ", strip=True)
    for value in (MINE["name"], MINE["release"], MINE["draft"], mine.reference):
        assert value in text
    never_shown(text)
    assert page.find("time", string="March 2027")["datetime"] == "2027-03"


def test_the_web_page_download_in_welsh(client, mine):
    response = download(client, "/account/your-data/download.html?lang=cy")
    assert re.fullmatch(
        r'attachment; filename="eich-data-\d{4}-\d{2}-\d{2}\.html"',
        response.headers["Content-Disposition"],
    )
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("html")["lang"] == "cy"
    assert page.find("h1").get_text(strip=True) == "Eich data"
    assert "Mawrth 2027" in page.find("main").get_text(" ", strip=True)


def test_the_json_keys_stay_english_on_a_welsh_page(client, mine):
    response = download(client, "/account/your-data/download.json?lang=cy")
    document = json.loads(response.get_data(as_text=True))
    assert "people" in document and document["cases"][0]["status"] == "active"


def test_each_download_is_audited_without_content(client, mine, app_db):
    download(client, "/account/your-data/download.json")
    download(client, "/account/your-data/download.html")
    events = app_db.scalars(
        select(AuditEvent).where(AuditEvent.action == your_data.DOWNLOADED).order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_type, e.actor_id, e.case_id, e.detail["format"]) for e in events] == [
        (ActorType.VICTIM, mine.victim_id, mine.case_id, "json"),
        (ActorType.VICTIM, mine.victim_id, mine.declined_id, "json"),
        (ActorType.VICTIM, mine.victim_id, mine.case_id, "html"),
        (ActorType.VICTIM, mine.victim_id, mine.declined_id, "html"),
    ]
    assert all(set(e.detail) == {"format", "session"} for e in events)


def test_nothing_of_the_data_is_logged(app, client, mine, caplog, monkeypatch):
    portal_logger = logging.getLogger("portal")
    monkeypatch.setattr(portal_logger, "handlers", [*portal_logger.handlers, caplog.handler])
    with caplog.at_level(logging.DEBUG):
        download(client, "/account/your-data/download.json")
        download(client, "/account/your-data/download.html")
        client.get("/account/your-data")
    logged = " ".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert caplog.records
    for value in (*MINE.values(), EMAIL, mine.reference):
        for line in value.split("\n"):
            assert line not in logged


def test_an_emptied_case_is_not_shown(app, client, mine, app_db):
    from portal.models import Case

    app_db.get(Case, mine.declined_id).anonymised_at = datetime.now(UTC)
    app_db.commit()
    document = json.loads(download(client, "/account/your-data/download.json").get_data())
    assert [case["reference"] for case in document["cases"]] == [mine.reference]


# --- the statements sent --------------------------------------------------------------------


def grow(app, victim_id: int, cases: int) -> None:
    """Give the victim `cases` more cases (paused, left and active), each with entries,
    messages, a draft, and requests with their steps."""
    with app.app_context():
        officer = OfficerFactory()
        victim = db.session.get(Victim, victim_id)
        for n in range(cases):
            case = CaseFactory(
                victim=victim,
                status=(CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.CLOSED)[n % 3],
                paused_until_stage=SentenceStage.PAROLE if n % 3 == 1 else None,
                left_at=datetime.now(UTC) if n % 3 == 2 else None,
                come_back_asked_at=datetime.now(UTC) if n % 3 == 2 else None,
                officer=officer,
                region=officer.region,
            )
            for _ in range(3):
                TimelineEventFactory(case=case)
                MessageFactory(case=case)
                MessageFactory(case=case, sender=Sender.OFFICER, officer_id=officer.id)
            db.session.add(MessageDraft(case_id=case.id, victim_id=victim_id, body="Draft."))
            for kind in RequestKind:
                step = VictimRequestStepFactory(
                    request__case=case, request__kind=kind, request__answers={"places": "Home"}
                )
                VictimRequestStepFactory(
                    request=step.request,
                    status=RequestStatus.CONSIDERING,
                    actor_type=ActorType.STAFF,
                    officer_id=officer.id,
                    message="We are looking at it.",
                )
        ContactPreferenceFactory(victim_id=victim_id, channel=Channel.SMS, value="+447700900111")
        db.session.commit()


def test_growing_gives_the_victim_more_to_download(app, client, mine):
    """The statements test below grows this victim's own data (not someone else's)."""
    before = json.loads(download(client, "/account/your-data/download.json").get_data())
    grow(app, mine.victim_id, 3)
    after = json.loads(download(client, "/account/your-data/download.json").get_data())
    assert len(after["cases"]) == len(before["cases"]) + 3
    assert len(after["requests"]) == len(before["requests"]) + 3 * len(RequestKind)
    assert len(after["messages"]) > len(before["messages"])


@pytest.mark.parametrize(
    "path",
    ["/account/your-data", "/account/your-data/download.json", "/account/your-data/download.html"],
)
def test_the_statements_do_not_grow_with_the_data(app, client, mine, path):
    client.get(path)  # the session's first request touches it
    few = queries(app, lambda: client.get(path))
    grow(app, mine.victim_id, 6)
    many = queries(app, lambda: client.get(path))
    assert few == many
