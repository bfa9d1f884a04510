"""The Welsh catalogue is complete, and the template is up to date with the code."""

import re
from gettext import c2py

from flask_babel import get_translations

from tests.i18n.catalogue import (
    POT,
    WELSH_PLURAL_FORMS,
    WELSH_PO,
    extract_fresh_template,
    read_catalogue,
)

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]")


def ids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


def test_template_is_up_to_date_with_the_code(tmp_path):
    fresh = extract_fresh_template(tmp_path / "messages.pot")
    committed = read_catalogue(POT)
    missing = sorted(map(str, ids(fresh) - ids(committed)))
    stale = sorted(map(str, ids(committed) - ids(fresh)))
    assert not missing, (
        f"strings in the code but not in messages.pot (run make translate): {missing}"
    )
    assert not stale, f"strings in messages.pot no longer in the code (run make translate): {stale}"


def test_welsh_catalogue_has_every_string_of_the_template():
    welsh = read_catalogue(WELSH_PO, locale="cy")
    assert ids(read_catalogue(POT)) == ids(welsh)


def test_welsh_catalogue_is_complete_and_not_fuzzy():
    welsh = read_catalogue(WELSH_PO, locale="cy")
    problems = []
    for message in welsh:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(("empty", message.id))
    assert not problems


def test_welsh_placeholders_match_the_english():
    welsh = read_catalogue(WELSH_PO, locale="cy")
    for message in welsh:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(english[-1]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= expected | set(
                PLACEHOLDER.findall(english[0])
            ), message.id
            if not message.pluralizable:
                assert set(PLACEHOLDER.findall(string)) == expected, message.id


def test_welsh_has_six_plural_forms():
    welsh = read_catalogue(WELSH_PO, locale="cy")
    assert welsh.plural_forms == WELSH_PLURAL_FORMS
    assert welsh.num_plurals == 6
    for message in welsh:
        if message.id and message.pluralizable:
            assert len(message.string) == 6, message.id


def test_welsh_plural_rule_picks_the_cldr_categories():
    welsh = read_catalogue(WELSH_PO, locale="cy")
    rule = welsh.plural_expr
    assert rule == "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5)"
    pick = {n: c2py(rule)(n) for n in range(8)}
    assert pick[0] == 0 and pick[1] == 1 and pick[2] == 2 and pick[3] == 3 and pick[6] == 4
    assert pick[4] == pick[5] == pick[7] == 5


def test_the_running_portal_uses_the_six_welsh_forms(app):
    """Babel's own data for cy has 5 forms; the compiled catalogue must carry 6."""
    with app.test_request_context("/?lang=cy"):
        app.preprocess_request()
        plural = get_translations().plural
        assert [plural(n) for n in (0, 1, 2, 3, 4, 6, 10)] == [0, 1, 2, 3, 5, 4, 5]
