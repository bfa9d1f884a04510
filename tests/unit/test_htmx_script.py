"""A page with no htmx attribute is sent without htmx's script (portal.rendering)."""

import pytest

from portal.rendering import uses_htmx, without_htmx_script

SCRIPT = '<script src="/static/vendor/htmx.min.0123abcd.js" nonce="n" defer></script>'


def page(body: str) -> str:
    return f"<html>\n  <body>\n    {body}\n    {SCRIPT}\n  </body>\n</html>"


@pytest.mark.parametrize(
    "attribute",
    [
        '<a hx-get="/x">',
        '<form data-hx-post="/x">',
        '<div\n  hx-target="#main">',
        '<div class="a"\thx-swap="outerHTML">',
    ],
)
def test_an_htmx_attribute_keeps_the_script(attribute):
    assert uses_htmx(attribute)
    assert without_htmx_script(page(attribute)) == page(attribute)


@pytest.mark.parametrize(
    "text",
    [
        "<p>No attributes here</p>",
        '<p class="thx-a">a class that ends in hx-</p>',
        '<a href="/a-hx-b">an address</a>',
        "<p>data-hx-x with no space before it: xdata-hx-get</p>",
        "",
    ],
)
def test_a_page_without_one_loses_the_script_and_its_line(text):
    assert not uses_htmx(text)
    assert without_htmx_script(page(text)) == f"<html>\n  <body>\n    {text}\n  </body>\n</html>"


def test_a_page_without_the_script_is_returned_as_it_is():
    html = "<html><body><p>Partial</p></body></html>"
    assert without_htmx_script(html) is html


def test_the_unfingerprinted_script_is_found_too():
    html = '<p>x</p>\n<script src="/static/vendor/htmx.min.js"></script>'
    assert without_htmx_script(html) == "<p>x</p>"
