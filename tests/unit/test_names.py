"""Names as the service compares them, and the name a letter may carry (domain/names)."""

import pytest

from portal.domain.names import addressee, same_person_name


def test_names_compare_without_case_accents_or_spaces():
    assert same_person_name("  Siân  ŴYN ") == same_person_name("sian wyn")


@pytest.mark.parametrize(
    ("full_name", "representative", "avoid", "on_the_envelope"),
    [
        ("Siân Ŵyn Jones", None, None, "Siân Ŵyn Jones"),
        ("Siân Ŵyn Jones", "Ifan Jones", None, "Ifan Jones"),  # we write to whoever acts
        ("Siân Ŵyn Jones", None, "siân jones", ""),  # every word of it is in the name
        ("Siân Ŵyn Jones", None, "JONES", ""),  # a surname alone
        ("Siân Ŵyn Jones", None, "Jones, Siân", ""),
        ("Siân Jones", None, "Siân Ŵyn Jones", ""),  # the name is part of it
        ("Siân Ŵyn Jones", "Ifan Jones", "Siân", "Ifan Jones"),
        ("Siân Ŵyn Jones", None, "Dafydd Rhys", "Siân Ŵyn Jones"),
        ("Siân Ŵyn Jones", None, "Jon", "Siân Ŵyn Jones"),  # whole words only
        ("Siân Ŵyn Jones", None, "   ", "Siân Ŵyn Jones"),
    ],
)
def test_a_letter_never_carries_the_name_not_to_put_on_envelopes(
    full_name, representative, avoid, on_the_envelope
):
    assert addressee(full_name, representative, avoid) == on_the_envelope
