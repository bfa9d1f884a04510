"""The eligibility checker over HTTP: every path, both languages, bad input, htmx."""

import re

import pytest

from portal.domain.eligibility import QUESTIONS
from tests.support.eligibility import PATHS, TITLES, expected

BASE = "/check-if-you-can-join"


def token(page) -> str:
    return page.find("input", attrs={"name": "csrf_token"})["value"]


def answer(pages, question, value, language="en"):
    page = pages.get(f"{BASE}/{question}?lang={language}")
    response = pages.client.post(
        f"{BASE}/{question}", data={"answer": value, "csrf_token": token(page)}
    )
    return response


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    ("answers", "asked"), PATHS, ids=lambda v: "-".join(v.values()) if isinstance(v, dict) else None
)
def test_every_path_over_http(pages, language, answers, asked):
    for question in asked:
        response = answer(pages, question, answers[question], language)
        assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/result"
    page = pages.get(f"{BASE}/result")
    assert page.html["lang"] == language
    assert page.find("h1").get_text(strip=True) == TITLES[language][expected(answers)]
    # Never a dead end: a way to a Victim Liaison Unit, and other help.
    assert page.select_one("main a[href='/regions']")
    assert page.select_one("main a[href='https://www.victimsupport.org.uk/']")
    # Every answer can be changed.
    changes = {a["href"] for a in page.select(".govuk-summary-list__actions a")}
    assert changes == {f"{BASE}/{question}" for question in asked}


def test_changing_an_answer_from_the_result_page(pages):
    for question, value in (("who", "victim"), ("offence", "violent"), ("sentence", "not-sure")):
        answer(pages, question, value)
    assert pages.get(f"{BASE}/result").find("h1").get_text(strip=True) == TITLES["en"]["not-sure"]
    page = pages.get(f"{BASE}/sentence")
    assert page.find("input", attrs={"value": "not-sure"}).has_attr("checked")
    response = answer(pages, "sentence", "hospital-order")
    assert response.headers["Location"] == f"{BASE}/restriction"
    response = answer(pages, "restriction", "yes")
    assert response.headers["Location"] == f"{BASE}/result"
    assert pages.get(f"{BASE}/result").find("h1").get_text(strip=True) == TITLES["en"]["likely"]


@pytest.mark.parametrize(
    ("language", "message", "title_prefix"),
    [
        ("en", "Select what kind of crime it was", "Error:"),
        ("cy", "Dewiswch pa fath o drosedd oedd hi", "Gwall:"),
    ],
)
@pytest.mark.parametrize("sent", [{}, {"answer": ""}, {"answer": "forged"}, {"answer": "x" * 5000}])
def test_no_or_forged_answer_is_a_govuk_error(pages, language, message, title_prefix, sent):
    answer(pages, "who", "victim", language)
    page = pages.get(f"{BASE}/offence")
    response = pages.client.post(f"{BASE}/offence", data={**sent, "csrf_token": token(page)})
    page = pages.check(response, 200)
    assert page.title.get_text(strip=True).startswith(title_prefix)
    summary = page.select_one(".govuk-error-summary")
    assert message in summary.get_text()
    assert summary.select_one("a")["href"] == "#answer"
    assert page.select_one("#answer")  # the link's target exists
    assert message in page.select_one(".govuk-error-message").get_text()


def test_a_step_out_of_order_goes_back_to_where_you_are(pages):
    response = pages.client.get(f"{BASE}/sentence")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/who"
    answer(pages, "who", "victim")
    response = pages.client.get(f"{BASE}/restriction")
    assert response.headers["Location"] == f"{BASE}/offence"
    page = pages.get(f"{BASE}/who")
    response = pages.client.post(
        f"{BASE}/domestic-abuse", data={"answer": "yes", "csrf_token": token(page)}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/offence", "nothing is saved out of order"


def test_a_helper_without_agreement_can_change_who_they_are(pages):
    answer(pages, "who", "helper")
    answer(pages, "consent", "no")
    result = pages.get(f"{BASE}/result")
    assert {a["href"] for a in result.select(".govuk-summary-list__actions a")} == {
        f"{BASE}/who",
        f"{BASE}/consent",
    }
    pages.get(f"{BASE}/who")  # 200, not a redirect back to the result
    assert answer(pages, "who", "victim").headers["Location"] == f"{BASE}/offence"


def test_result_before_the_questions_goes_to_the_first_question(client):
    response = client.get(f"{BASE}/result")
    assert response.status_code == 303 and response.headers["Location"] == f"{BASE}/who"


def test_unknown_question_is_404(pages):
    pages.get(f"{BASE}/favourite-colour", status=404)


def test_post_without_a_token_is_the_expired_form_page(pages):
    page = pages.check(pages.client.post(f"{BASE}/who", data={"answer": "victim"}), 400)
    assert "Sorry, your form has expired" in page.find("h1").get_text()


def test_start_again_clears_the_answers(pages):
    answer(pages, "who", "victim")
    answer(pages, "offence", "violent")
    page = pages.get(f"{BASE}/who")
    response = pages.client.post(f"{BASE}/start-again", data={"csrf_token": token(page)})
    assert response.headers["Location"] == f"{BASE}/who"
    assert pages.client.get(f"{BASE}/offence").headers["Location"] == f"{BASE}/who"


def test_htmx_gets_the_next_question_alone_with_its_url_title_and_toggle(pages):
    answer(pages, "who", "victim")
    response = pages.client.get(f"{BASE}/offence", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == f"{BASE}/offence"
    assert "HX-Request" in response.vary
    assert "<html" not in body
    assert re.search(
        r"<title>What kind of crime was it\? – Victim Contact Scheme – GOV.UK</title>", body
    )
    assert 'id="language-toggle"' in body and 'hx-swap-oob="true"' in body
    assert f'href="{BASE}/offence?lang=cy"' in body
    assert 'hx-post="/check-if-you-can-join/offence"' in body


def test_htmx_error_keeps_the_url_and_says_error_in_the_title(pages):
    answer(pages, "who", "victim")
    page = pages.get(f"{BASE}/offence")
    response = pages.client.post(
        f"{BASE}/offence", data={"csrf_token": token(page)}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "HX-Push-Url" not in response.headers
    body = response.get_data(as_text=True)
    assert "<title>Error: What kind of crime was it?" in body
    assert "govuk-error-summary" in body


def test_every_question_has_a_back_link(pages):
    answers = {
        "who": "helper",
        "consent": "yes",
        "offence": "violent",
        "sentence": "hospital-order",
    }
    previous = f"{BASE}"
    for question in ("who", "consent", "offence", "sentence", "restriction"):
        page = pages.get(f"{BASE}/{question}")
        assert page.select_one(".govuk-back-link")["href"] == previous
        if question in answers:
            answer(pages, question, answers[question])
        previous = f"{BASE}/{question}"
    assert set(QUESTIONS) >= set(answers)
