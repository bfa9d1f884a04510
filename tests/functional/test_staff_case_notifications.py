"""An officer sees what was sent to a case's victim and whether it got there
(staff.case_notifications): the kind and status in words, the recipient masked, never the
personalisation; newest first, a page at a time, in the same number of queries however
many there are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import (
    NotificationChannel,
    NotificationStatus,
    OutboxNotification,
    Victim,
    utcnow,
)
from portal.notifications.content import KINDS
from portal.services.notification_history import PER_PAGE
from portal.staff.notification_views import ERRORS, KIND_NAMES
from tests.support.case_details import EMAIL, MOBILE, signed_in_with_case
from tests.support.factories import OutboxNotificationFactory, VictimFactory
from tests.support.queries import queries, statements

pytestmark = pytest.mark.database


def page_url(case, page: int | None = None) -> str:
    return f"/staff/cases/{case.case_id}/notifications" + (f"?page={page}" if page else "")


def rows(page) -> list[list[str]]:
    table = page.find(id="notifications")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    ]


@pytest.fixture
def staff(client):
    _officer, case = signed_in_with_case(client)
    return case


def add_notifications(app, case, count: int, **kwargs) -> None:
    with app.app_context():
        victim = db.session.get(Victim, case.victim_id)
        start = utcnow() - timedelta(days=1)
        for n in range(count):
            OutboxNotificationFactory(
                victim=victim,
                recipient=EMAIL,
                template_key="new_message",
                created_at=start + timedelta(seconds=n),
                safe_contact=False,
                **kwargs,
            )
        db.session.commit()


def test_each_notification_in_words_with_its_recipient_masked(pages, staff):
    page = pages.get(page_url(staff))
    assert page.title.get_text(strip=True).startswith("Notifications sent")
    current = page.find("nav", class_="moj-sub-navigation").find(
        "a", attrs={"aria-current": "page"}
    )
    assert current.get_text(strip=True) == "Notifications sent"
    assert page.find(id="victim-language").get_text(" ", strip=True) == "Language they chose: Welsh"
    found = rows(page)
    assert [row[1].split(" ")[0] for row in found] == [
        "Waiting",  # newest first
        "Cancelled:",
        "Failed",
        "Sent",
        "Delivered",
    ]
    pending, cancelled, failed, sent, delivered = found
    assert pending[0] == "New stage of the sentence Text message to •••• 111 In Welsh"
    assert cancelled[0] == "New stage of the sentence Letter to ••• 1AA In Welsh"
    assert failed[0] == "New stage of the sentence Email to c•••@example.com In Welsh"
    assert "The address or number does not exist, or cannot receive messages" in failed[1]
    assert "The contact detail was marked not safe, or removed" in cancelled[1]
    assert "1 attempt" in delivered[1] and "0 attempts" in pending[1]
    assert delivered[2].startswith("Queued: ") and "Sent: " in delivered[2]
    assert "Sent: " in sent[2] and "Sent: " not in pending[2]
    badges = page.find(id="notifications").find_all(class_="moj-badge")
    assert [b.get_text(strip=True) for b in badges] == [
        "Waiting to send",
        "Cancelled: not sent",
        "Failed",
        "Sent",
        "Delivered",
    ]
    assert "moj-badge--red" in badges[2]["class"]


def test_never_the_addresses_codes_or_links(pages, staff):
    html = pages.get(page_url(staff)).decode()
    for secret in (EMAIL, MOBILE, "+447700900111", "07700 900111", "918273", "portal.example"):
        assert secret not in html


def test_only_this_victims_notifications(app, pages, staff):
    with app.app_context():
        OutboxNotificationFactory(victim=VictimFactory(), recipient="someone.else@example.com")
        db.session.commit()
    page = pages.get(page_url(staff))
    assert len(rows(page)) == 5
    assert "s•••@example.com" not in page.decode()


def test_in_welsh(pages, staff):
    page = pages.get(page_url(staff) + "?lang=cy")
    assert rows(page)[0][0] == "Cam newydd yn y ddedfryd Neges destun at •••• 111 Yn Gymraeg"
    assert (
        page.find(id="victim-language").get_text(" ", strip=True) == "Yr iaith a ddewiswyd: Cymraeg"
    )


def test_every_kind_of_notification_has_words():
    assert set(KINDS) <= set(KIND_NAMES)


def test_every_reason_the_worker_gives_has_words():
    from portal.notifications import worker

    for status in worker.FAILED_RECEIPTS:
        assert f"notify {status}" in ERRORS
    assert "nobody to send to" in ERRORS and "gave up: no outcome recorded" in ERRORS


def test_an_unknown_error_is_told_in_general_words(app, pages, staff):
    add_notifications(
        app, staff, 1, status=NotificationStatus.FAILED, last_error="smtp 550 mailbox full"
    )
    html = pages.get(page_url(staff, 1)).decode()
    assert "The provider could not send it" in html
    assert "smtp 550" not in html


def test_pages_of_notifications(app, pages, staff):
    add_notifications(app, staff, 2 * PER_PAGE)  # 45 in all, with the 5 of the case
    first = pages.get(page_url(staff))
    assert len(rows(first)) == PER_PAGE
    assert first.find("caption").get_text(strip=True) == "45 notifications"
    pagination = first.find("nav", class_="govuk-pagination")
    assert pagination["aria-label"] == "Pages"
    assert [a.get_text(strip=True) for a in pagination.find_all("a")] == ["1", "2", "3", "Next"]
    assert pagination.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "1"
    last = pages.get(page_url(staff, 3))
    assert len(rows(last)) == 5  # the oldest: the case's own
    assert [
        a.get_text(strip=True) for a in last.find("nav", class_="govuk-pagination").find_all("a")
    ] == [
        "Previous",
        "1",
        "2",
        "3",
    ]
    # Out of range, or not a number: the nearest page, never an error.
    assert len(rows(pages.get(page_url(staff, 99)))) == 5
    assert len(rows(pages.get(page_url(staff) + "?page=nonsense"))) == PER_PAGE
    assert len(rows(pages.get(page_url(staff) + "?page=-4"))) == PER_PAGE


def test_nothing_sent_yet(app, client, pages):
    _officer, case = signed_in_with_case(client)
    with app.app_context():
        db.session.query(OutboxNotification).filter_by(victim_id=case.victim_id).delete()
        db.session.commit()
    page = pages.get(page_url(case))
    assert "Nothing has been sent to the victim yet." in page.get_text()
    assert not page.find("nav", class_="govuk-pagination")


def test_queries_do_not_grow_with_the_notifications(app, client, staff):
    few = queries(app, lambda: client.get(page_url(staff)))
    add_notifications(app, staff, 30, channel=NotificationChannel.SMS)
    many = queries(app, lambda: client.get(page_url(staff)))
    assert few == many


def test_the_personalisation_is_never_read(app, client, staff):
    """Codes and links stay in the outbox: the page's SQL does not even select them."""
    with statements(app) as seen:
        assert client.get(page_url(staff)).status_code == 200
    outbox = [sql for sql in seen if "outbox_notifications" in sql]
    assert outbox, "the page reads the outbox"
    assert not [sql for sql in outbox if "personalisation" in sql]
