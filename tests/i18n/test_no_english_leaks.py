"""Every page, rendered in a pseudo-locale, shows only text from the catalogue.

The pseudo catalogue turns "Start now" into "⟦Šţàŕţ ñöŵ⟧". Any visible text,
<title>, alt, aria-label, placeholder, button value or GOV.UK i18n attribute
left outside the ⟦ ⟧ marks did not come from the catalogue, and fails the
test.

Only what a person typed or a record of their case (`data-i18n-data`) is
exempt. Content the service itself provides in both languages (region and
unit names, the units' addresses, court names: `data-i18n-service`) is not:
for this test its Welsh versions are pseudo-translated too, so a page that
shows the English version fails. Text inside an element with its own `lang`
(the language toggle) is in another language on purpose. Dates are formatted
by Babel in Welsh, so Welsh month and day names are allowed; English ones are
not.
"""

from __future__ import annotations

import re

import pytest
from babel import Locale
from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.domain import courts
from portal.domain.eligibility import QUESTIONS
from portal.domain.requests import QUESTIONS as REQUEST_QUESTIONS
from portal.extensions import babel, db
from portal.models import (
    Case,
    OfficerRole,
    Region,
    RequestKind,
    StaffLinkPurpose,
    VictimLiaisonOfficer,
)
from portal.public.views import INFORMATION_PAGES
from portal.questions import QUESTIONS as REGISTRATION_QUESTIONS
from portal.staff.account_views import BANNERS as ACCOUNT_BANNERS
from portal.staff.account_views import DONE as ACCOUNT_DONE
from portal.staff.account_views import OWN_DONE as OWN_ACCOUNT_DONE
from portal.staff.case_pages import NOTICE as CASE_NOTICE
from tests.i18n.catalogue import CLOSE, OPEN, build_pseudo_translations, pseudo
from tests.support import probe
from tests.support.bulk import bulk_asks, bulk_cases
from tests.support.case_details import PAGE, signed_in_with_case
from tests.support.case_pages import (
    CLOSED_CASE_ID,
    FULL_CASE_ID,
    HANDOVER_ID,
    HIDDEN_LETTER_ID,
    MERGED_CASE_ID,
    NOTIFIED_STAGE_ID,
    closed_case,
    full_case,
    merged_case,
)
from tests.support.cases import waiting_victim, welsh_victim
from tests.support.conversations import declined_conversation, two_cases, welsh_conversation
from tests.support.factories import OfficerFactory, StaffLinkFactory
from tests.support.messages import conversation, waiting_message, working_days_ago
from tests.support.preferences import (
    ACCOUNT_PAGES,
    prime_account_page,
    prime_staff_participation,
)
from tests.support.region_state import region_with_history
from tests.support.registration_state import registration_in_progress
from tests.support.representatives import (
    ACTING_PAGES,
    REFUSED_PAGES,
    REPRESENTATIVE_PAGES,
    prime_representative_page,
)
from tests.support.request_state import REQUESTS as REQUEST_STATES
from tests.support.request_state import requests_in_every_state
from tests.support.staff_state import part_way_signed_in, signed_in_officer
from tests.support.triage import (
    TRIAGE_CASE_ID,
    TRIAGED_CASE_ID,
    declined_victim,
    triage_pages_for,
)
from tests.support.victim_state import signed_in, signing_in
from tests.support.your_data_state import everything_held

#: A victim's requests (tests/support/request_state.py): the pages of each kind.
REQUESTS = "/account/cases/{reference}/requests"
LICENCE_PAGES = [q.slug for q in REQUEST_QUESTIONS[RequestKind.LICENCE_CONDITIONS]]
STATEMENT_PAGES = [q.slug for q in REQUEST_QUESTIONS[RequestKind.PERSONAL_STATEMENT]]
#: The pages about one case: a manager signed in, and a case of their region with every
#: kind of contact detail and notification, made with fixed ids (tests/support/case_details.py).
CASE_PAGES = f"/staff/cases/{PAGE.case_id}"
#: The links emailed to staff, one of each purpose (made for each test by `prime`).
STAFF_LINKS = {purpose.value: purpose for purpose in StaffLinkPurpose}

#: GET routes that return a page, and the URLs that reach them. A new route
#: that is in neither this map nor NOT_PAGES fails the test.
PAGE_URLS: dict[str, list[str]] = {
    "public.start": ["/"],
    "public.info": [f"/information/{slug}" for slug in INFORMATION_PAGES],
    "public.regions": ["/regions"],
    "public.find_region": [
        "/regions/find",
        "/regions/find?q=caerdydd",
        "/regions/find?q=",
        "/regions/find?q=zzzz",
    ],
    "public.region": ["/regions/wales", "/regions/london"],
    "public.eligibility_start": ["/check-if-you-can-join"],
    "public.eligibility_question": [f"/check-if-you-can-join/{q}" for q in QUESTIONS],
    "public.eligibility_result": ["/check-if-you-can-join/result"],
    "register.start": ["/register", "/register?expired=1"],
    "register.question": [f"/register/{q.slug}" for q in REGISTRATION_QUESTIONS]
    + ["/register/court?q=cardiff", "/register/court?q=", "/register/who?change=1"],
    "register.check_answers": ["/register/check-answers"],
    "register.verify": ["/register/verify"],
    "register.security_code": ["/register/security-code", "/register/security-code?sent=1"],
    "register.declaration": ["/register/declaration"],
    "register.confirmation": ["/register/confirmation"],
    "register.save": ["/register/save", "/register/save?sent=1"],
    "register.resume": ["/register/resume"],
    "register.resume_code": ["/register/resume/security-code"],
    "register.resume_link": [
        "/register/resume/a-valid-carry-on-link",
        "/register/resume/not-a-link",
    ],
    "sign_in.start": ["/sign-in"],
    "sign_in.security_code": ["/sign-in/security-code", "/sign-in/security-code?sent=1"],
    "sign_in.sign_out": ["/sign-out"],
    "sign_in.signed_out": ["/signed-out"],
    "account.home": [
        "/account",
        "/account?as=triage",
        "/account?as=declined",
        "/account?show=messages",
        "/account?show=contacts&as=two-cases",
        "/account?as=left",
        *ACTING_PAGES["account.home"],
    ],
    # A victim's messages (tests/support/conversations.py): `prime` fills in the ids.
    "account.messages_index": ["/account/messages"],
    "account.conversation": [
        "/account/cases/{reference}/messages",
        "/account/cases/{reference}/messages?sent={sent}",
        "/account/cases/{reference}/messages?as=draft",
        "/account/cases/{reference}/messages?as=declined",
        "/account/cases/{reference}/messages?as=triage",
        *ACTING_PAGES["account.conversation"],
    ],
    # A Welsh victim with a request in every state (tests/support/request_state.py): `prime`
    # builds them and fills in their ids.
    "account.requests": [f"{REQUESTS}"],
    "account.request_start": [
        f"{REQUESTS}/new/{slug}"
        for slug in ("licence-conditions", "personal-statement", "decision-summary")
    ],
    "account.request_page": [
        *(f"{REQUESTS}/{{licence_draft}}/{page}" for page in LICENCE_PAGES),
        *(f"{REQUESTS}/{{statement_returned}}/{page}" for page in STATEMENT_PAGES),
    ],
    "account.request_check": [
        f"{REQUESTS}/{{licence_draft}}/check",
        f"{REQUESTS}/{{statement_returned}}/check",
    ],
    "account.request": [f"{REQUESTS}/{{{name}}}" for name in REQUEST_STATES]
    + [f"{REQUESTS}/{{summary_asked}}?done=sent"],
    # Your data, as a page and as the web page to keep (the JSON is not a page).
    "account.your_data": [
        "/account/your-data",
        "/account/your-data?as=declined",
        *ACTING_PAGES["account.your_data"],
    ],
    "account.your_data_html": ["/account/your-data/download.html"],
    # A victim's contact preferences, pausing and leaving (tests/support/preferences.py).
    **{
        endpoint: [url for url in ACCOUNT_PAGES if re.search(pattern, url.split("?")[0])]
        for endpoint, pattern in (
            ("account.contact_preferences", r"/contact$"),
            ("account.contact_add", r"/contact/add/"),
            ("account.contact_change", r"/change$"),
            ("account.contact_check", r"/contact/check$"),
            ("account.contact_code", r"/security-code$"),
            ("account.contact_safety", r"/safety$"),
            ("account.contact_remove", r"/remove$"),
            ("account.contact_times", r"/times$"),
            ("account.contact_envelope", r"/envelope$"),
            ("account.contact_language", r"/language$"),
            ("account.contact_access_needs", r"/access-needs$"),
            ("account.updates_wanted", r"/updates$"),
            ("account.pause", r"/pause$"),
            ("account.pause_date", r"/pause/date$"),
            ("account.pause_check", r"/pause/check$"),
            ("account.pause_end", r"/pause/end$"),
            ("account.leave", r"/leave$"),
            ("account.come_back", r"/come-back$"),
        )
    },
    # Someone to act for you, and what someone acting for a victim sees
    # (tests/support/representatives.py).
    **REPRESENTATIVE_PAGES,
    "staff.case_representative_end": ACTING_PAGES["staff.case_representative_end"],
    "staff_sign_in.start": ["/staff/sign-in"],
    "staff_sign_in.security_code": ["/staff/sign-in/security-code"],
    "staff_sign_in.recovery_code": ["/staff/sign-in/recovery-code"],
    "staff_sign_in.set_up_app": ["/staff/sign-in/set-up-app", "/staff/sign-in/set-up-app?link=1"],
    "staff_sign_in.link": [f"/staff/link/i18n-{purpose}" for purpose in STAFF_LINKS]
    + ["/staff/link/not-a-link"],
    "staff_sign_in.sign_out": ["/staff/sign-out"],
    "staff_sign_in.signed_out": ["/staff/signed-out"],
    "staff.cases": [
        "/staff/cases",
        "/staff/cases?whose=region",
        "/staff/cases?whose=region&status=active&stage=custody&only=access&q=a&sort=name",
        "/staff/cases?whose=region&q=" + "x" * 101,
        "/staff/cases?region=national&size=10&page=2",
        "/staff/cases?sort=newest",
    ],
    "staff.case": [
        f"/staff/cases/{FULL_CASE_ID}",
        f"/staff/cases/{FULL_CASE_ID}?added={NOTIFIED_STAGE_ID}",
        f"/staff/cases/{FULL_CASE_ID}?hidden={HIDDEN_LETTER_ID}",
        f"/staff/cases/{CLOSED_CASE_ID}",
        f"/staff/cases/{MERGED_CASE_ID}",
        f"/staff/cases/{FULL_CASE_ID}?show=messages",
        "/staff/cases/{case_id}?as=left",
        "/staff/cases/{case_id}?as=paused",
    ],
    # A case's messages: a conversation of every kind, after a reply, closed, joined.
    "staff.case_messages": [
        f"/staff/cases/{FULL_CASE_ID}/messages",
        f"/staff/cases/{FULL_CASE_ID}/messages?notice=replied",
        f"/staff/cases/{FULL_CASE_ID}/messages?notice=no-reply-needed",
        f"/staff/cases/{CLOSED_CASE_ID}/messages",
        f"/staff/cases/{MERGED_CASE_ID}/messages",
    ],
    "staff.messages": ["/staff/messages", "/staff/messages?whose=region"],
    "staff.my_account": ["/staff/account", "/staff/account?done=on"],
    "staff.case_entry_visibility": [
        f"/staff/cases/{FULL_CASE_ID}/timeline/{event_id}/visibility"
        for event_id in (NOTIFIED_STAGE_ID, HIDDEN_LETTER_ID, HANDOVER_ID)
    ],
    "staff.case_contact": [f"{CASE_PAGES}/contact", *ACTING_PAGES["staff.case_contact"]],
    "staff.case_contact_add": [f"{CASE_PAGES}/contact/add"],
    "staff.case_contact_safety": [
        f"{CASE_PAGES}/contact/{PAGE.email_id}/safety",
        f"{CASE_PAGES}/contact/{PAGE.letter_id}/safety",
    ],
    "staff.case_contact_change": [
        f"{CASE_PAGES}/contact/{PAGE.phone_id}/change",
        f"{CASE_PAGES}/contact/{PAGE.mobile_id}/change",
    ],
    "staff.case_contact_remove": [f"{CASE_PAGES}/contact/{PAGE.email_id}/remove"],
    "staff.case_notifications": [f"{CASE_PAGES}/notifications"],
    "staff.case_reassign": [f"{CASE_PAGES}/reassign"],
    "staff.case_requests": ["/staff/cases/{case_id}/requests"],
    "staff.case_request": [
        f"/staff/cases/{{case_id}}/requests/{{{name}}}"
        for name in REQUEST_STATES
        if name != "licence_draft"
    ],
    "staff.case_bring_back": ["/staff/cases/{case_id}/bring-back"],
    # Pages about a record: `prime` builds it (tests/support/region_state.py) and fills in
    # its ids.
    "staff.case_audit": [
        "/staff/cases/{case_id}/audit",
        "/staff/cases/{case_id}/audit?kind=refused",
    ],
    "staff.officer_audit": ["/staff/officers/{officer_id}/audit"],
    "staff.region": ["/staff/region", "/staff/region?region={region_code}"],
    "staff.home": ["/staff", "/staff?as=busy", "/staff?as=replies", "/staff?as=asked"],
    "staff.triage": [
        f"/staff/cases/{TRIAGE_CASE_ID}/triage",
        f"/staff/cases/{TRIAGED_CASE_ID}/triage",
    ],
    "staff.triage_accept": [f"/staff/cases/{TRIAGE_CASE_ID}/triage/accept"],
    "staff.triage_decline": [f"/staff/cases/{TRIAGE_CASE_ID}/triage/decline"],
    "staff.triage_transfer": [f"/staff/cases/{TRIAGE_CASE_ID}/triage/transfer"],
    "staff.triage_link": [f"/staff/cases/{TRIAGE_CASE_ID}/triage/link"],
    "staff.new_referral": [
        "/staff/referrals/new",
        "/staff/referrals/new?court_q=caerdydd",
        "/staff/referrals/new?court_q=",
        "/staff/referrals/new?as=admin",
    ],
    # Staff accounts, as an administrator: account 1 is the first demo officer (portal/demo.py).
    "staff.accounts": ["/staff/accounts", "/staff/accounts?region=wales"],
    "staff.accounts_invite": ["/staff/accounts/invite"],
    "staff.accounts_officer": [
        "/staff/accounts/1",
        *(f"/staff/accounts/1?done={done}" for done in sorted(ACCOUNT_BANNERS)),
    ],
    "staff.accounts_change": ["/staff/accounts/1/change"],
    "staff.accounts_invite_again": ["/staff/accounts/1/invite-again"],
    "staff.accounts_reset_app": ["/staff/accounts/1/reset-app"],
    "staff.accounts_reset_password": ["/staff/accounts/1/reset-password"],
    "staff.accounts_deactivate": ["/staff/accounts/1/deactivate"],
    "staff.accounts_reactivate": ["/staff/accounts/1/reactivate"],
}
#: Fixture URLs that show a refusal page on purpose.
EXPECTED_STATUS = {
    "/register/resume/not-a-link": 404,
    "/staff/link/not-a-link": 404,
    **dict.fromkeys(REFUSED_PAGES, 403),
}
#: Pages that need the registration's contact detail proved first.
NEEDS_VERIFIED = {"/register/declaration"}
#: GET routes that are not pages: committed files, machine endpoints, and the
#: redirect of "Exit this page"; a case's forms opened as pages redirect to the case page.
NOT_PAGES = {
    "static",
    "assets.static",
    "health.healthz",
    "sign_in.exit_this_page",
    "account.your_data_json",
    "staff.case_add_stage",
    "staff.case_record_contact",
    "staff.case_message_reply",
    "staff.case_messages_no_reply",
    # What a conversation page polls for: a piece of a page (or a redirect to the page);
    # test_no_english_in_a_victims_messages checks its words.
    "account.new_messages",
    "staff.case_request_status",
}

ERROR_URLS = [f"/probe/abort/{status}" for status in (400, 403, 404, 405, 413, 429, 500, 503)]
ERROR_URLS += ["/no-such-page", "/probe/crash", "/probe/database-down"]

#: Words that are the same in every language.
ALLOWED_WORDS = {"GOV.UK"}
TEXT_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def welsh_calendar_words() -> set[str]:
    locale = Locale("cy")
    words = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            words.update(locale.months[context][width].values())
            words.update(locale.days[context][width].values())
    return {part for word in words for part in word.split()}


ALLOWED_WORDS |= welsh_calendar_words()


def unmarked(text: str) -> str:
    """What is left of `text` once every marked (translated) span is removed."""
    previous = None
    while previous != text:
        previous, text = text, MARKED.sub(" ", text)
    return text


#: An email address is the same in every language.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")


def leaks_in(text: str) -> list[str]:
    rest = unmarked(text)
    words = [word.strip(".,:;()–-") for word in rest.split()]
    return [w for w in words if LETTERS.search(w) and w not in ALLOWED_WORDS and not EMAIL.match(w)]


#: The only text allowed in another language: a language's name in itself.
LANGUAGE_NAMES = {"English", "Cymraeg"}


def in_other_language(node) -> bool:
    """A language name inside an element that declares that language."""
    parent = node.parent
    return (
        parent is not None
        and parent.name != "html"
        and parent.has_attr("lang")
        and str(node).strip() in LANGUAGE_NAMES
    )


def find_leaks(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    problems = []
    texts = []
    for node in page.find_all(string=True):
        if isinstance(node, PreformattedString) or not isinstance(node, NavigableString):
            continue
        if node.parent.name in ("script", "style", "template") or in_other_language(node):
            continue
        if any(parent.has_attr("data-i18n-data") for parent in node.parents):
            continue  # what a person typed, or a record of their case: not interface text
        if any(parent.has_attr("data-content-language") for parent in node.parents):
            continue  # a page written in Welsh: tests/i18n/test_content_pages.py checks it
        texts.append(str(node))
    problems += [f"text: {leak}" for leak in leaks_in(" ".join(texts))]
    for element in page.find_all(attrs={"data-i18n-service": True}):
        exempt = element.has_attr("data-i18n-data")
        if exempt or element.find_parent(attrs={"data-i18n-data": True}):
            problems.append(f"{element.name}: the service's own content marked as user data")
    for element in page.find_all(True):
        if element.find_parent(attrs={"data-content-language": True}):
            continue  # a page written in Welsh: tests/i18n/test_content_pages.py checks it
        attributes = [a for a in TEXT_ATTRIBUTES if element.has_attr(a)]
        attributes += [a for a in element.attrs if a.startswith("data-i18n")]
        if element.name == "button" or (
            element.name == "input" and element.get("type") in ("submit", "button")
        ):
            attributes += ["value"] if element.has_attr("value") else []
        for attribute in attributes:
            problems += [
                f"{element.name}[{attribute}]: {leak}" for leak in leaks_in(str(element[attribute]))
            ]
    return problems


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory, database_url, app):
    """The portal with every Welsh string replaced by its pseudo-translation."""
    directory = tmp_path_factory.mktemp("pseudo-translations")
    build_pseudo_translations(directory)
    pseudo_app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "BABEL_TRANSLATION_DIRECTORIES": str(directory)},
    )
    pseudo_app.register_blueprint(probe.bp)
    pseudo_app.jinja_loader = ChoiceLoader([pseudo_app.jinja_loader, DictLoader(probe.TEMPLATES)])
    babel.domain_instance.cache.clear()
    yield pseudo_app
    babel.domain_instance.cache.clear()


def test_the_checker_finds_a_leak():
    assert find_leaks(f"<html lang='cy'><title>{OPEN}Ţéšţ{CLOSE}</title><p>Hello</p></html>")
    assert find_leaks(f"<html lang='cy'><p>{OPEN}Ţéšţ{CLOSE}</p><a aria-label='Menu'>x</a></html>")
    assert find_leaks(f"<html lang='cy'><p>{OPEN}{OPEN}Ţ{CLOSE} Leak {CLOSE} Leak</p></html>")
    assert find_leaks(f"<html lang='cy'><p>{OPEN}Ţéšţ{CLOSE} 14 March 2027</p></html>")
    assert not find_leaks(f"<html lang='cy'><p>{OPEN}Ţéšţ{CLOSE} 14 Mawrth 2027</p></html>")
    assert not find_leaks("<html lang='cy'><a lang='en' href='/'>English</a></html>")
    assert find_leaks("<html lang='cy'><div lang='en'>Hidden English</div></html>")
    assert not find_leaks("<html lang='cy'><p data-i18n-data>Siân typed this</p></html>")
    assert not find_leaks(f"<html lang='cy'><p>{OPEN}Ţ{CLOSE} unit@example.gov.uk</p></html>")
    assert find_leaks("<html lang='cy'><p data-i18n-service>Victim Liaison Unit</p></html>")
    assert find_leaks(
        "<html lang='cy'><div data-i18n-data><p data-i18n-service>Uned</p></div></html>"
    )


def test_every_get_route_is_reached(app):
    unreached = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in PAGE_URLS | dict.fromkeys(NOT_PAGES):
            unreached.append(f"{rule.rule} ({rule.endpoint})")
    assert not unreached, "add these routes to PAGE_URLS with the URLs that reach them"


@pytest.mark.parametrize(("endpoint", "url"), [(e, u) for e, us in PAGE_URLS.items() for u in us])
def test_each_fixture_url_reaches_its_endpoint(app, db_session, endpoint, url):
    client = app.test_client()
    address = prime(client, db_session, url)
    adapter = app.url_map.bind("localhost")
    assert adapter.match(address.split("?")[0], method="GET")[0] == endpoint
    assert client.get(address).status_code == EXPECTED_STATUS.get(url, 200)


def page_urls() -> list[str]:
    return [url for urls in PAGE_URLS.values() for url in urls]


#: Answers that make every question of the checker, and its result, reachable.
EVERY_QUESTION = {
    "who": "helper",
    "consent": "yes",
    "offence": "other",
    "sentence": "hospital-order",
    "restriction": "not-sure",
    "domestic-abuse": "no",
}


#: Who is signed in for each account page: a Welsh victim with a parole review, and a
#: registration still waiting for a Victim Liaison Officer (no officer, no region).
#: Built for each test (tests/support/cases.py).
SIGNED_IN_AS = {
    "/account": welsh_victim,
    "/account?as=triage": waiting_victim,
    "/account?as=declined": declined_victim,
    "/account?show=messages": welsh_conversation,
    "/account?show=contacts&as=two-cases": lambda app: two_cases(app)[0],
    "/account/messages": lambda app: two_cases(app)[0],
    "/account/cases/{reference}/messages": welsh_conversation,
    "/account/cases/{reference}/messages?sent={sent}": welsh_conversation,
    "/account/cases/{reference}/messages?as=draft": lambda app: welsh_conversation(
        app, draft="Drafft heb ei anfon"
    ),
    "/account/cases/{reference}/messages?as=declined": declined_conversation,
    "/account/cases/{reference}/messages?as=triage": waiting_victim,
    "/account/your-data": everything_held,
    "/account/your-data?as=declined": declined_victim,
    "/account/your-data/download.html": everything_held,
    "/sign-out": welsh_victim,
}


#: Staff pages: an officer signed in, or part-way through signing in (with their
#: authenticator app set up, or not yet).
STAFF_STATE = {
    "/staff": "signed-in",
    "/staff/cases": "with cases",
    "/staff/cases?whose=region": "with cases",
    "/staff/cases?whose=region&status=active&stage=custody&only=access&q=a&sort=name": (
        "with cases"
    ),
    "/staff/cases?whose=region&q=" + "x" * 101: "with cases",
    "/staff/cases?region=national&size=10&page=2": "admin with cases",
    "/staff/cases?sort=newest": "admin with cases",
    "/staff?as=busy": "signed-in",
    "/staff/sign-out": "signed-in",
    "/staff/sign-in/security-code": "second-factor",
    "/staff/sign-in/recovery-code": "second-factor",
    "/staff/sign-in/set-up-app": "set-up",
    "/staff/cases/{case_id}/audit": "manager",
    "/staff/cases/{case_id}/audit?kind=refused": "manager",
    "/staff/officers/{officer_id}/audit": "manager",
    "/staff/region": "manager",
    "/staff/region?region={region_code}": "admin",
    "/staff/referrals/new": "signed-in",
    "/staff/referrals/new?court_q=caerdydd": "signed-in",
    "/staff/referrals/new?court_q=": "signed-in",
    "/staff/referrals/new?as=admin": "admin",
    "/staff/sign-in/set-up-app?link=1": "set-up with a link",
    "/staff?as=replies": "with messages",
    "/staff?as=asked": "asked",
    "/staff/messages": "with messages",
    "/staff/messages?whose=region": "with messages",
    "/staff/account": "signed-in",
    "/staff/account?done=on": "signed-in",
    "/staff/cases/{case_id}/bring-back": "participation",
    "/staff/cases/{case_id}?as=left": "participation",
    "/staff/cases/{case_id}?as=paused": "participation",
}


def prime(client, db_session, url: str) -> str:
    """A session that can see every page: checker answers, a registration in progress,
    a code asked for, and on account pages a signed-in victim. Returns the address to
    open: `url` with the ids of the records it names filled in."""
    registration_in_progress(client, verified=url.split("?")[0] in NEEDS_VERIFIED)
    signing_in(client)
    with client.session_transaction() as session:
        session["eligibility_answers"] = EVERY_QUESTION
    if "/representatives" in url or "as=representative" in url or "as=messages-only" in url:
        return prime_representative_page(client, url, signed_in_officer)
    if "/requests" in url:
        records = requests_in_every_state(client.application)
        if url.startswith("/account/"):
            signed_in(client, records["email"])
        else:
            signed_in_officer(client, region_id=records["region_id"])
        return url.format(**records)
    if url in SIGNED_IN_AS:
        victim = SIGNED_IN_AS[url](client.application)
        signed_in(client, victim.email or victim.mobile)
        if "{reference}" in url:
            return url.format(reference=victim.reference, sent=getattr(victim, "sent_id", 0))
    if url in ACCOUNT_PAGES:
        return prime_account_page(client, url)
    if STAFF_STATE.get(url) == "participation":
        return prime_staff_participation(client, url, signed_in_officer)
    if url.startswith(CASE_PAGES + "/"):
        signed_in_with_case(client, fixed_ids=True)
    elif url == "/staff?as=busy" or url.startswith(
        (f"/staff/cases/{TRIAGE_CASE_ID}/", f"/staff/cases/{TRIAGED_CASE_ID}/")
    ):
        # An officer with registrations to triage (tests/support/triage.py).
        officer_id = signed_in_officer(client)
        triage_pages_for(client.application, officer_id)
    elif url.startswith("/staff/cases/") and STAFF_STATE.get(url) is None:
        # An officer of the region of a case with one of everything (tests/support/case_pages.py).
        built = full_case(client.application)
        closed_case(client.application, built.region_id)
        merged_case(client.application, built.region_id, into=built.case_id)
        signed_in_officer(client, region_id=built.region_id)
        if "messages" in url:
            # A conversation of every kind (tests/support/messages.py), and what a reply or
            # "no reply needed" left to say.
            talk = conversation(client.application, built.case_id)
            waiting_message(client.application, CLOSED_CASE_ID, working_days_ago(1))
            if "?notice=" in url:
                with client.session_transaction() as session:
                    session[CASE_NOTICE] = {
                        "case": built.case_id,
                        "endpoint": "staff.case_messages",
                        "done": url.partition("?notice=")[2],
                        "message": talk.reply_id,
                        "told": "sms",
                        "answered": 1,
                    }
                return url.partition("?")[0]
    elif STAFF_STATE.get(url) == "with messages":
        # An officer whose cases (a Welsh reader's among them) have messages waiting, one
        # overdue, and a colleague's in the region (tests/support/messages.py).
        built = full_case(client.application)
        officer_id = signed_in_officer(client, region_id=built.region_id)
        with client.application.app_context():
            db.session.get(Case, built.case_id).officer_id = officer_id
            db.session.commit()
        conversation(client.application, built.case_id, waiting_days=8)
        colleagues = full_case(client.application, case_id=900004, region_id=built.region_id)
        waiting_message(client.application, colleagues.case_id, working_days_ago(1))
    elif STAFF_STATE.get(url) == "asked":
        # An officer whose victims sent requests (every kind, some overdue) and asked to
        # come back (tests/support/bulk.py).
        officer_id = signed_in_officer(client)
        with client.application.app_context():
            region = db_session.get(VictimLiaisonOfficer, officer_id).region_id
            made = bulk_cases(
                db_session, 60, region_ids=[region], officers={region: [officer_id]},
                officers_per_region=0, wales_region_id=region,
            )  # fmt: skip
            bulk_asks(db_session, made)
            db_session.commit()
    elif STAFF_STATE.get(url) == "signed-in":
        signed_in_officer(client)
        if url == "/staff/account?done=on":
            with client.session_transaction() as session:
                session[OWN_ACCOUNT_DONE] = "on"
    elif STAFF_STATE.get(url, "").endswith("with cases"):
        admin = STAFF_STATE[url].startswith("admin")
        officer_id = signed_in_officer(client, role=OfficerRole.ADMIN if admin else OfficerRole.VLO)
        with client.application.app_context():
            officer = db_session.get(VictimLiaisonOfficer, officer_id)
            region = officer.region_id
            # Every status, stage and wait on the page; Welsh victims in the national
            # queue for the admin.
            bulk_cases(
                db_session,
                150,
                region_ids=[region],
                officers={region: [officer_id]},
                wales_region_id=region,
                national_share=1.0 if admin else 0.02,
            )
            db_session.commit()
    elif STAFF_STATE.get(url) in ("manager", "admin"):
        records = region_with_history(client.application)
        role = OfficerRole.MANAGER if STAFF_STATE[url] == "manager" else OfficerRole.ADMIN
        signed_in_officer(client, role=role, region_id=records["region_id"])
        return url.format(**records)
    elif url in STAFF_STATE:
        part_way_signed_in(
            client,
            with_app=STAFF_STATE[url] == "second-factor",
            with_link=STAFF_STATE[url] == "set-up with a link",
        )
    elif url.startswith("/staff/accounts"):
        signed_in_officer(client, role=OfficerRole.ADMIN)
        if "?done=" in url:
            with client.session_transaction() as session:
                session[ACCOUNT_DONE] = {"done": url.partition("?done=")[2], "officer": 1}
    elif url.startswith("/staff/link/i18n-"):
        with client.application.app_context():
            StaffLinkFactory(
                token=url.rpartition("/")[2],
                purpose=STAFF_LINKS[url.partition("i18n-")[2]],
                officer=OfficerFactory(),
            )
            db.session.commit()
    return url


def pseudo_service_content(app, db_session, monkeypatch) -> None:
    """The Welsh versions of what the service provides (region and unit names, addresses,
    court names) pseudo-translated, as the catalogue is: an English version on a Welsh
    page then shows up as a leak."""
    with app.app_context():
        for region in db_session.scalars(select(Region)):
            region.name_cy = pseudo(region.name_cy)
            region.unit_name_cy = pseudo(region.unit_name_cy)
            lines = region.address_cy.splitlines()
            region.address_cy = "\n".join(pseudo(line) for line in lines)
        db_session.commit()
    marked = {c.code: c._replace(name_cy=pseudo(c.name_cy)) for c in courts.CROWN_COURTS}
    monkeypatch.setattr(courts, "_BY_CODE", marked)
    monkeypatch.setattr(
        courts,
        "_INDEX",
        {
            language: tuple(entry._replace(court=marked[entry.court.code]) for entry in entries)
            for language, entries in courts._INDEX.items()
        },
    )


def with_welsh(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang=cy"


@pytest.mark.parametrize("url", page_urls() + ERROR_URLS)
def test_no_english_in_the_pseudo_locale(pseudo_app, db_session, monkeypatch, url):
    client = pseudo_app.test_client()
    address = prime(client, db_session, url)
    pseudo_service_content(pseudo_app, db_session, monkeypatch)
    response = client.get(with_welsh(address))
    assert response.status_code in (200, 400, 403, 404, 405, 413, 429, 500, 503), url
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert OPEN in html, "the pseudo-locale is not active"
    assert not find_leaks(html), f"{url}: {find_leaks(html)}"


def test_no_english_in_a_victims_messages(pseudo_app, db_session, monkeypatch):
    """What a conversation shows after a POST (an error, the victim's limit) and what it
    polls for (new replies) and saves (a draft), in the pseudo-locale."""
    from portal.domain.messages import PER_HOUR
    from portal.models import Case, Sender
    from tests.support.factories import MessageFactory

    client = pseudo_app.test_client()
    me = welsh_conversation(pseudo_app)
    signed_in(client, me.email)
    pseudo_service_content(pseudo_app, db_session, monkeypatch)
    address = f"/account/cases/{me.reference}/messages"
    page = client.get(f"{address}?lang=cy").get_data(as_text=True)
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
        "submission_key": re.search(r'name="submission_key" value="([^"]+)"', page).group(1),
    }
    wrong = client.post(address, data={**form, "body": ""})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.get_data(as_text=True)
    assert not find_leaks(wrong.get_data(as_text=True))

    with pseudo_app.app_context():
        case = db.session.get(Case, me.case_id)
        for _ in range(PER_HOUR):
            MessageFactory(case=case, sender=Sender.VICTIM)
        MessageFactory(case=case, sender=Sender.OFFICER, officer_id=case.officer_id)
        db.session.commit()
    limited = client.post(address, data={**form, "body": "Neges arall"})
    assert limited.status_code == 429
    assert not find_leaks(limited.get_data(as_text=True))

    polled = client.get(f"{address}/new?after=0", headers={"HX-Request": "true"})
    assert polled.status_code == 200 and OPEN in polled.get_data(as_text=True)
    assert not find_leaks(polled.get_data(as_text=True))
    draft = client.post(
        f"{address}/draft", data={**form, "body": "Drafft"}, headers={"HX-Request": "true"}
    )
    assert OPEN in draft.get_data(as_text=True)
    assert not find_leaks(draft.get_data(as_text=True))


@pytest.mark.parametrize(
    "answers",
    [
        {"who": "victim", "offence": "violent", "sentence": "12-months-or-more"},
        {"who": "victim", "offence": "not-sure", "sentence": "not-sure"},
        {"who": "victim", "offence": "violent", "sentence": "not-sentenced"},
        {
            "who": "victim",
            "offence": "violent",
            "sentence": "under-12-months",
            "domestic-abuse": "yes",
        },
        {"who": "helper", "consent": "no"},
    ],
)
def test_no_english_in_any_result(pseudo_app, db_session, answers):
    client = pseudo_app.test_client()
    with client.session_transaction() as session:
        session["eligibility_answers"] = answers
    response = client.get("/check-if-you-can-join/result?lang=cy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert not find_leaks(html), find_leaks(html)


def test_no_english_in_a_question_with_an_error(pseudo_app, db_session):
    client = pseudo_app.test_client()
    page = client.get("/check-if-you-can-join/who?lang=cy").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/check-if-you-can-join/who", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert not find_leaks(html), find_leaks(html)


def test_no_english_in_the_expired_form_page(pseudo_app, db_session):
    response = pseudo_app.test_client().post("/probe/form?lang=cy", data={})
    assert response.status_code == 400
    assert not find_leaks(response.get_data(as_text=True))


#: What the service provides in both languages, as templates name it.
SERVICE_CONTENT = re.compile(r"\b(region|court)\b[.\w]*\.(name|unit_name|postal_address|text)")
USER_DATA_ELEMENT = re.compile(r"data-i18n-data[^>]*>(.*?)</", re.S)


def service_content_marked_as_user_data(source: str) -> list[str]:
    return [
        match.group(1).strip()
        for match in USER_DATA_ELEMENT.finditer(source)
        if SERVICE_CONTENT.search(match.group(1))
    ]


def test_the_user_data_exemption_does_not_cover_the_services_own_content():
    """Region, unit and court names and the units' addresses have Welsh versions that the
    service provides: they are checked like any other text, not exempt as user data."""
    templates = PROJECT_ROOT / "templates"
    misused = {
        str(path.relative_to(templates)): found
        for path in templates.rglob("*.html")
        if (found := service_content_marked_as_user_data(path.read_text(encoding="utf-8")))
    }
    assert not misused


def test_the_exemption_checker_sees_service_content():
    assert service_content_marked_as_user_data(
        '<a data-i18n-data href="x">{{ region.name(html_lang) }}</a>'
    )
    assert service_content_marked_as_user_data("<span data-i18n-data>{{ court.text }}</span>")
    assert not service_content_marked_as_user_data(
        "<span data-i18n-data>{{ case.reference }}</span>"
    )
    assert not service_content_marked_as_user_data(
        "<span data-i18n-service>{{ region.name(html_lang) }}</span>"
    )
