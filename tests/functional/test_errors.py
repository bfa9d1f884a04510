"""Every error a person can meet has a GOV.UK page in their language, never a bare error."""

import pytest

ERROR_PAGES = {
    400: (
        "Sorry, there is a problem with your request",
        "Mae’n ddrwg gennym, mae problem gyda’ch cais",
    ),
    403: ("You cannot see this page", "Allwch chi ddim gweld y dudalen hon"),
    404: ("Page not found", "Heb ddod o hyd i’r dudalen"),
    405: ("Sorry, that did not work", "Mae’n ddrwg gennym, ni weithiodd hynny"),
    413: ("What you sent is too large", "Mae’r hyn a anfonwyd gennych yn rhy fawr"),
    429: ("Sorry, there have been too many attempts", "Mae’n ddrwg gennym, bu gormod o ymdrechion"),
    500: (
        "Sorry, there is a problem with the service",
        "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth",
    ),
    503: ("Sorry, the service is unavailable", "Mae’n ddrwg gennym, nid yw’r gwasanaeth ar gael"),
}


def check_error_page(page, heading: str, language: str) -> None:
    assert page.html["lang"] == language
    assert page.find("h1").get_text(strip=True) == heading
    assert page.title.get_text(strip=True).startswith(heading)
    assert page.select_one(".govuk-exit-this-page"), "victims may see error pages"
    assert page.select_one(".app-language-toggle a")
    assert page.select_one("main a[href='/']"), "a way back to the start"


@pytest.mark.parametrize("status", sorted(ERROR_PAGES))
@pytest.mark.parametrize("language", ["en", "cy"])
def test_each_error_page_in_both_languages(probe_client, status, language):
    from tests.support.pages import PageClient

    page = PageClient(probe_client).get(f"/probe/abort/{status}?lang={language}", status=status)
    english, welsh = ERROR_PAGES[status]
    check_error_page(page, welsh if language == "cy" else english, language)


def test_unknown_page_is_404(pages):
    page = pages.get("/no-such-page?lang=cy", status=404)
    check_error_page(page, ERROR_PAGES[404][1], "cy")


def test_wrong_method_is_405_with_allow(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Sorry, that did not work" in response.get_data(as_text=True)


def test_an_unexpected_failure_is_a_500_page_not_a_traceback(probe_client):
    response = probe_client.get("/probe/crash?lang=cy")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth" in body
    assert "RuntimeError" not in body and "Traceback" not in body


def test_database_down_is_a_503_page(probe_client):
    response = probe_client.get("/probe/database-down")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.get_data(as_text=True)


def test_rate_limit_gives_the_429_page(probe_client):
    statuses = [probe_client.get("/probe/limited").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = probe_client.get("/probe/limited?lang=cy")
    assert "Mae’n ddrwg gennym, bu gormod o ymdrechion" in response.get_data(as_text=True)


def test_signed_in_audiences_are_refused_without_sign_in(probe_client):
    response = probe_client.get("/probe-staff/case")
    assert response.status_code == 403
    assert "You cannot see this page" in response.get_data(as_text=True)


def test_a_status_without_its_own_page_keeps_its_code(probe_client):
    response = probe_client.get("/probe/abort/410")
    assert response.status_code == 410
    assert "Sorry, there is a problem with your request" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/probe/limited", "/probe/form"])
def test_pages_refused_before_the_view_still_get_their_nonce(probe_client, url):
    from tests.support.pages import PageClient

    if url == "/probe/limited":
        for _ in range(2):
            probe_client.get(url)
        PageClient.check(probe_client.get(url), 429)
    else:
        PageClient.check(probe_client.post(url, data={}), 400)
