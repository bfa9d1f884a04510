"""The statements every signed-in page runs are built once for each shape, with bound
values (portal.services.sign_in, portal.services.timeline_pages): building a statement
and its cache key cost more than running it. A statement built afresh for each request
(a condition made inside a function, say) would still give the right page, so these
tests look at the caches themselves: more requests, other victims, other cases and other
pages add nothing to them."""

from __future__ import annotations

import pytest

from portal.models import OfficerRole
from portal.services import sign_in, timeline_pages
from tests.support.conversations import two_cases, welsh_conversation
from tests.support.staff_state import signed_in_officer
from tests.support.victim_state import signed_in

pytestmark = pytest.mark.database

BUILT_ONCE = (
    timeline_pages._newest_statement,
    sign_in._safe_details_statement,
    sign_in._representatives_statement,
    sign_in._cases_statement,
    sign_in._case_statement,
)


def sizes() -> list[int]:
    return [built.cache_info().currsize for built in BUILT_ONCE]


def hits() -> int:
    return sum(built.cache_info().hits for built in BUILT_ONCE)


def victim_pages(reference: str) -> list[str]:
    return [
        "/account",
        "/account?show=stages",
        "/account?show=contacts",
        "/account?show=messages",
        f"/account?case={reference}&page=2",
        f"/account/cases/{reference}/messages",
    ]


def test_a_victims_pages_build_their_statements_once(app, pages):
    first, _second = two_cases(app)
    signed_in(pages.client, first.email)
    for address in victim_pages(first.reference):
        pages.get(address)
    before, used = sizes(), hits()

    for address in victim_pages(first.reference):
        pages.get(address)
    other = welsh_conversation(app)
    signed_in(pages.client, other.email)
    for address in victim_pages(other.reference):
        pages.get(address)

    assert sizes() == before
    assert hits() > used


def test_an_officers_case_pages_build_their_statements_once(app, client):
    first, second = two_cases(app)
    signed_in_officer(client, role=OfficerRole.ADMIN)  # sees both regions
    addresses = [
        f"/staff/cases/{first.case_id}",
        f"/staff/cases/{first.case_id}?show=stages",
        f"/staff/cases/{first.case_id}?show=messages",
    ]
    for address in addresses:
        assert client.get(address).status_code == 200
    before = timeline_pages._newest_statement.cache_info()

    for address in addresses:
        client.get(address.replace(str(first.case_id), str(second.case_id)))
        client.get(address + "&page=2" if "?" in address else address + "?page=2")

    after = timeline_pages._newest_statement.cache_info()
    assert after.currsize == before.currsize
    assert after.hits > before.hits
