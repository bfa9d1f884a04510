"""The pages `make bench` drives: ONE LINE a page. A new page joins the benchmark by
adding a line here.

`who` names the identity the request is made as (benchmarks.journeys mints them):

- "anonymous": a fresh visitor's cookie (a session holding only a CSRF token);
- "victim": a victim signed in, whose active case is busy (the 90th percentile of the
  officer's cases by timeline entries);
- "senders": many signed-in victims in turn, one per request (a victim may send 10
  messages an hour: many of them keep the limit from turning the page into 429s);
- "officer": that victim's officer, who has one of the biggest caseloads;
- "officer's cases": that officer, on each of their other active cases in turn (so that
  replies do not pile up on the case the other pages show);
- "manager": a manager of a region (the demo data's).

In `path` and `body`, {reference} and {case_id} are the identity's case, {seen} the
newest message on it and {csrf} its CSRF token; in `body`, {key} is a new one-time
submission key and {n} a number unique to the request (both made by wrk's Lua script
for every request).
"""

from __future__ import annotations

from dataclasses import dataclass

HTMX = (("HX-Request", "true"),)


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str
    who: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def writes(self) -> bool:
        return self.method != "GET"


# fmt: off
PAGES = [
    Page("start page", "GET", "/", "anonymous"),
    Page("information page", "GET", "/information/what-you-will-be-told", "anonymous"),
    Page("eligibility question", "GET", "/check-if-you-can-join/who", "anonymous"),
    Page("eligibility question (htmx)", "GET", "/check-if-you-can-join/who", "anonymous", headers=HTMX),  # noqa: E501
    Page("registration start", "POST", "/register/start", "anonymous", "csrf_token={csrf}"),
    Page("sign-in", "GET", "/sign-in", "anonymous"),
    Page("your case", "GET", "/account", "victim"),
    Page("timeline (stages only)", "GET", "/account?show=stages", "victim"),
    Page("message thread", "GET", "/account/cases/{reference}/messages", "victim"),
    Page("send a message", "POST", "/account/cases/{reference}/messages", "senders", "csrf_token={csrf}&submission_key={key}&body=Bench+message+{n}"),  # noqa: E501
    Page("officer home", "GET", "/staff", "officer"),
    Page("caseload (filtered)", "GET", "/staff/cases?whose=mine&status=active&stage=custody&sort=waited", "officer"),  # noqa: E501
    Page("staff case view", "GET", "/staff/cases/{case_id}", "officer"),
    Page("reply", "POST", "/staff/cases/{case_id}/messages/reply", "officer's cases", "csrf_token={csrf}&reply-submission_key={key}&reply-seen={seen}&reply-language=en&reply-body=Bench+reply+{n}"),  # noqa: E501
    Page("manager's region", "GET", "/staff/region", "manager"),
]
# fmt: on

#: The page the ceiling is sized after, and the htmx partial with a size budget.
START_PAGE = "start page"
HTMX_PARTIAL = "eligibility question (htmx)"
#: The page a repeat visit opens (after the start page): another page of the same kind,
#: so all it needs is cached. A page that first uses htmx (sign-in, say) fetches htmx once,
#: as the start page does not need it (tests/browser/test_page_weight.py checks that).
REPEAT_VISIT = "information page"
