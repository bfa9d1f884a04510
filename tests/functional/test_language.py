"""Language: ?lang= switches and is remembered, else Accept-Language, else English."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask_babel import format_date, format_decimal

START_H1 = {
    "en": "Get updates about the sentence of the person who harmed you",
    "cy": "Cael diweddariadau am ddedfryd y person a wnaeth niwed i chi",
}


def split(href):
    parts = urlsplit(href)
    return parts.path, parse_qs(parts.query)


def h1(page):
    return page.find("h1").get_text(strip=True)


def test_english_by_default(pages):
    page = pages.get("/")
    assert page.html["lang"] == "en"
    assert h1(page) == START_H1["en"]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("cy", "cy"),
        ("cy-GB,cy;q=0.9,en;q=0.5", "cy"),
        ("cy-GB,en;q=0.5", "cy"),
        ("cy-GB,en-GB;q=0.9,en;q=0.8", "cy"),
        ("en-GB,en;q=0.9", "en"),
        ("en;q=0.4,cy;q=0.8", "cy"),
        ("cy;q=0", "en"),
        ("fr", "en"),
    ],
)
def test_accept_language(pages, header, language):
    page = pages.get("/", headers={"Accept-Language": header})
    assert page.html["lang"] == language
    assert h1(page) == START_H1[language]


def test_query_switches_and_cookie_remembers(client, pages):
    page = pages.get("/?lang=cy")
    assert page.html["lang"] == "cy"
    assert h1(page) == START_H1["cy"]
    cookie = client.get_cookie("vcs_lang")
    assert cookie is not None and cookie.value == "cy" and cookie.http_only
    # Later pages stay Welsh, whatever the browser prefers.
    page = pages.get("/", headers={"Accept-Language": "en"})
    assert page.html["lang"] == "cy"
    page = pages.get("/?lang=en")
    assert page.html["lang"] == "en"
    assert client.get_cookie("vcs_lang").value == "en"


@pytest.mark.parametrize("bad", ["fr", "CY", "cy;drop", "", "en-GB"])
def test_unknown_languages_are_ignored(client, pages, bad):
    page = pages.get("/", query_string={"lang": bad})
    assert page.html["lang"] == "en"
    assert client.get_cookie("vcs_lang") is None


def test_toggle_links_to_the_same_page_and_query_in_the_other_language(pages):
    page = pages.get("/?lang=en&step=2&step=3")
    toggle = page.select_one(".app-language-toggle a")
    assert toggle.get_text(strip=True) == "Cymraeg"
    assert toggle["lang"] == "cy" and toggle["hreflang"] == "cy"
    assert split(toggle["href"]) == ("/", {"step": ["2", "3"], "lang": ["cy"]})

    page = pages.get(toggle["href"])
    toggle = page.select_one(".app-language-toggle a")
    assert toggle.get_text(strip=True) == "English"
    assert toggle["lang"] == "en"
    assert split(toggle["href"]) == ("/", {"step": ["2", "3"], "lang": ["en"]})


def test_toggle_is_on_error_pages_too(pages):
    page = pages.get("/no-such-page?lang=cy", status=404)
    toggle = page.select_one(".app-language-toggle a")
    assert toggle["href"] == "/no-such-page?lang=en"


def test_pages_vary_on_language_inputs(client):
    response = client.get("/")
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


@pytest.mark.parametrize(
    ("language", "expected_date", "expected_number"),
    [("en", "14 March 2027", "1,234.5"), ("cy", "14 Mawrth 2027", "1,234.5")],
)
def test_dates_and_numbers_follow_the_language(app, language, expected_date, expected_number):
    with app.test_request_context(f"/?lang={language}"):
        app.preprocess_request()
        assert format_date(date(2027, 3, 14), "d MMMM y") == expected_date
        assert format_date(date(2027, 3, 14), "long") == expected_date
        assert format_decimal(1234.5) == expected_number


@pytest.mark.parametrize(
    ("path", "expected_path"),
    [
        ("/%2F%2Fevil.example/login", "/evil.example/login"),
        ("/%5Cevil.example/login", "/evil.example/login"),
        ("/caf%C3%A9", "/caf%C3%A9"),
    ],
)
def test_toggle_always_stays_on_this_site(pages, path, expected_path):
    page = pages.get(path, status=404)
    href = page.select_one(".app-language-toggle a")["href"]
    assert urlsplit(href).netloc == ""
    assert urlsplit(href).path == expected_path
    assert not href.startswith("//") and "\\" not in href


@pytest.mark.parametrize("address", ["/", "/information/what-you-will-be-told", "/sign-in"])
def test_the_toggle_keeps_the_prefix_the_service_is_served_under(client, address):
    for prefix in ("", "/vcs", "", "/vcs"):  # each page's own, whatever was asked before
        response = client.get(f"{address}?x=1", environ_overrides={"SCRIPT_NAME": prefix})
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        href = page.select_one(".app-language-toggle a")["href"]
        assert split(href) == (prefix + address, {"x": ["1"], "lang": ["cy"]})


def test_the_language_cookie_ends_with_the_browser_session(client, db_session):
    response = client.get("/?lang=cy")
    header = response.headers["Set-Cookie"]
    assert header.startswith("vcs_lang=cy")
    assert "Expires" not in header and "Max-Age" not in header


def test_translations_kept_for_a_request_follow_force_locale(app):
    """The translations found once a request (language.RequestDomain) are those of the
    locale in force: a Welsh page that writes an English notification gets English inside
    force_locale, and Welsh again after it."""
    from flask_babel import force_locale, gettext

    english = "Get updates about the sentence of the person who harmed you"
    with app.test_request_context("/?lang=cy"):
        app.preprocess_request()
        assert gettext(english) == START_H1["cy"]
        with force_locale("en_GB"):
            assert gettext(english) == english
            with force_locale("cy"):
                assert gettext(english) == START_H1["cy"]
            assert gettext(english) == english
        assert gettext(english) == START_H1["cy"]


def test_a_lazy_string_is_in_the_language_in_force_each_time_it_is_shown(app):
    """A lazy string keeps its translation once a language (language.LazyText): shown again
    in the other language, or inside force_locale, or in another request, it is translated
    again; with variables, they are filled in each language."""
    from flask_babel import force_locale

    from portal.language import lazy_gettext

    english = "Get updates about the sentence of the person who harmed you"
    lazy = lazy_gettext(english)
    for language, expected in [("cy", START_H1["cy"]), ("en", english), ("cy", START_H1["cy"])]:
        with app.test_request_context(f"/?lang={language}"):
            app.preprocess_request()
            assert str(lazy) == expected
            assert lazy.__html__() == expected
            assert str(lazy) == expected  # kept: the same again
            other = "en_GB" if language == "cy" else "cy"
            with force_locale(other):
                assert str(lazy) == START_H1["cy" if other == "cy" else "en"]
            assert str(lazy) == expected

    with_name = lazy_gettext("By %(name)s", name="Ann")
    with app.test_request_context("/?lang=cy"):
        app.preprocess_request()
        assert str(with_name) == "Gan Ann"
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert str(with_name) == "By Ann"


def test_a_lazy_string_shown_once_can_still_be_pickled_and_copied(app):
    """A lazy string keeps the catalogue it was last translated with (language.LazyText);
    a copy or a pickle must not carry it: pickle cannot write a catalogue (its plural rule
    is a function made at run time), and a deep copy would copy all of it. The copy is
    translated afresh, in the language in force where it is shown."""
    import copy
    import pickle

    from portal.language import LazyText, lazy_gettext

    english = START_H1["en"]
    lazy = lazy_gettext(english)
    with_name = lazy_gettext("By %(name)s", name="Ann")
    with app.test_request_context("/?lang=cy"):
        app.preprocess_request()
        assert str(lazy) == START_H1["cy"]  # now it keeps the Welsh catalogue
        assert str(with_name) == "Gan Ann"
        for made in (
            pickle.loads(pickle.dumps(lazy)),  # noqa: S301 (our own bytes, just written)
            copy.deepcopy(lazy),
            copy.copy(lazy),
            copy.deepcopy({"label": lazy})["label"],
        ):
            assert isinstance(made, LazyText)
            assert "_kept" not in vars(made) or made._kept[0] is lazy._kept[0]
            assert str(made) == START_H1["cy"]
        assert str(pickle.loads(pickle.dumps(with_name))) == "Gan Ann"  # noqa: S301
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert str(pickle.loads(pickle.dumps(lazy))) == english  # noqa: S301
        assert str(copy.deepcopy(with_name)) == "By Ann"


TEMPLATE_WORDS = [
    '{{ _("By %(name)s", name="<b>Ann</b>") }}',
    '{{ gettext("By %(name)s", name=name) }}',
    '{{ _("Get updates about the sentence of the person who harmed you") }}',
    '{{ _("Not in the catalogue: 100%% sure") }}',
    '{{ ngettext("%(num)d case found", "%(num)d cases found", 1) }}',
    '{{ ngettext("%(num)d case found", "%(num)d cases found", 3) }}',
    # Variables named like the functions' own parameters are variables, as in Jinja's.
    '{{ _("For %(string)s", string=name) }}',
    '{{ gettext("For %(eval_ctx)s", eval_ctx=name) }}',
    '{{ ngettext("%(num)d case found", "%(num)d cases found", 1, num=4) }}',
    '{{ ngettext("%(plural)s", "%(singular)s", 2, singular=name, plural="x") }}',
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("source", TEMPLATE_WORDS)
def test_templates_words_are_what_jinjas_own_gettext_gives(app, language, source):
    """Templates call language.template_gettext and template_ngettext directly, not
    through Jinja's `_` alias: the words, escaping (autoescaped or not) and formatting are
    exactly what Jinja's newstyle gettext gives with the same translations."""
    from jinja2 import Environment

    from portal.language import DOMAIN

    with app.test_request_context(f"/?lang={language}"):
        app.preprocess_request()
        translations = DOMAIN.get_translations()
        for autoescape in (True, False):
            jinjas = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)  # noqa: S701
            jinjas.install_gettext_translations(translations, newstyle=True)
            ours = Environment(autoescape=autoescape)  # noqa: S701 (both ways, compared)
            ours.globals.update(
                {name: app.jinja_env.globals[name] for name in ("_", "gettext", "ngettext")}
            )
            values = {"name": "<b>Ann</b> & co"}
            expected = jinjas.from_string(source).render(values)
            assert ours.from_string(source).render(values) == expected
    if language == "cy" and "By" in source:
        assert expected.startswith("Gan ")
