"""The Welsh catalogue is complete, and the template is up to date with the code."""

import re
from gettext import c2py

from babel.messages.catalog import Catalog
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


#: Answers that Welsh cannot translate without knowing the question.
BARE_ANSWERS = {"Yes", "No"}


def bare_answers(catalogue) -> list[str]:
    return sorted(
        str(message.id)
        for message in catalogue
        if message.id in BARE_ANSWERS and not message.context
    )


def test_no_bare_yes_or_no(tmp_path):
    """Welsh answers follow the question's verb (Ydw / Nac ydw, Oes / Nac oes, Cewch /
    Na chewch ...): every yes and no needs its question as a context (pgettext), or
    a msgid of its own."""
    fresh = extract_fresh_template(tmp_path / "messages.pot")
    assert not bare_answers(fresh), "give each Yes and No its question with pgettext"
    assert not bare_answers(read_catalogue(WELSH_PO, locale="cy"))


def test_the_yes_no_checker_sees_a_bare_answer():
    catalogue = Catalog(locale="cy")
    catalogue.add("Yes", "Ydw", context="Are you the victim?")
    assert not bare_answers(catalogue)
    catalogue.add("No", "Na chewch")
    assert bare_answers(catalogue) == ["No"]


def test_each_yes_and_no_follows_its_question_in_welsh():
    welsh = read_catalogue(WELSH_PO, locale="cy")
    answers = {
        (message.context, message.id): message.string
        for message in welsh
        if message.id in BARE_ANSWERS
    }
    assert answers == {
        ("Do you want to ask for an exclusion zone?", "Yes"): "Ydw",
        ("Do you want to ask for an exclusion zone?", "No"): "Nac ydw",
        ("Can we leave a voicemail?", "Yes"): "Cewch",
        ("Can we leave a voicemail?", "No"): "Na chewch",
        ("Have you confirmed it with the victim?", "Yes"): "Ydw",
        ("Have you confirmed it with the victim?", "No"): "Nac ydw",
        ("Is a voicemail safe?", "Yes"): "Ydy",
        ("Is a voicemail safe?", "No"): "Nac ydy",
        ("Is it safe for us to use?", "Yes"): "Ydy",
        ("Is it safe for us to use?", "No"): "Nac ydy",
        ("Does this person speak Welsh?", "Yes"): "Ydy",
        ("Does this person speak Welsh?", "No"): "Nac ydy",
    }


#: Words that join the pieces of a sentence. A msgid that is only one of them, ends with
#: one, or carries on a sentence with one ("and %(end)s") is a piece of a sentence put
#: together in code ("Between" + time + "and" + time), which Welsh cannot mutate or
#: reorder. Whole sentences have named placeholders instead.
JOINERS = {"and", "or", "to", "from", "between", "until", "than", "with", "of", "by", "at"}
#: Words that stand alone on the page, not inside a sentence.
STANDALONE = {
    "or",  # the divider between radio buttons (GOV.UK pattern)
    "From",  # the label of the earliest time we can call
    "Until",  # the label of the latest time we can call
}


def fragments(catalogue) -> list[str]:
    found = []
    for message in catalogue:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            if not text or text in STANDALONE:
                continue
            words = [w.strip(".,:;").lower() for w in text.split()]
            words = [w for w in words if w]
            carries_on = text[0].islower() and words and words[0] in JOINERS
            # A lead-in to a bulleted list ("You can use this service to:") is allowed.
            hangs = words and words[-1] in JOINERS and not text.endswith(":")
            if hangs or carries_on:
                found.append(text)
    return sorted(set(found))


def test_no_sentence_is_built_from_pieces(tmp_path):
    fresh = extract_fresh_template(tmp_path / "messages.pot")
    assert not fragments(fresh), "write whole sentences with named placeholders"


def test_the_fragment_checker_sees_a_piece_of_a_sentence():
    catalogue = Catalog()
    catalogue.add("From %(start)s to %(end)s")
    catalogue.add("or")
    assert not fragments(catalogue)
    catalogue.add("At any time")
    catalogue.add("You can use this service to:")
    assert not fragments(catalogue)
    catalogue.add("Between")
    catalogue.add("and %(end)s")
    catalogue.add("Call us between")
    assert fragments(catalogue) == ["Between", "Call us between", "and %(end)s"]
