import pytest

from portal.domain.courts import (
    CROWN_COURTS,
    Court,
    court_by_code,
    region_for_court,
    search_courts,
)
from portal.domain.regions import PROBATION_REGIONS

REGION_CODES = {region.code for region in PROBATION_REGIONS}
COURTS_IN_WALES = {
    "caernarfon",
    "cardiff",
    "haverfordwest",
    "merthyr-tydfil",
    "mold",
    "newport-south-wales",
    "swansea",
}


def codes(courts: list[Court]) -> list[str]:
    return [court.code for court in courts]


def test_every_court_is_in_a_real_probation_region():
    assert {court.region for court in CROWN_COURTS} <= REGION_CODES


def test_every_probation_region_has_a_court():
    assert {court.region for court in CROWN_COURTS} == REGION_CODES


def test_court_codes_and_names_are_unique():
    assert len({court.code for court in CROWN_COURTS}) == len(CROWN_COURTS)
    assert len({court.name_en for court in CROWN_COURTS}) == len(CROWN_COURTS)
    assert len({court.name_cy for court in CROWN_COURTS}) == len(CROWN_COURTS)


def test_codes_are_slugs_and_names_follow_one_pattern():
    for court in CROWN_COURTS:
        assert court.code == court.code.strip().lower()
        assert all(part.isalnum() and part.isascii() for part in court.code.split("-"))
        if court.code == "central-criminal-court":
            continue
        assert court.name_en.endswith("Crown Court") or "Crown Court (" in court.name_en
        assert court.name_cy.startswith("Llys y Goron ")


def test_courts_in_wales_are_in_the_wales_region_with_welsh_names():
    in_wales = {court.code for court in CROWN_COURTS if court.region == "wales"}
    assert in_wales == COURTS_IN_WALES
    for court in CROWN_COURTS:
        if court.region == "wales":
            assert court.name_cy != court.name_en
            place_en = court.name_en.removesuffix(" Crown Court")
            assert place_en not in court.name_cy or place_en == "Caernarfon"


@pytest.mark.parametrize(
    ("code", "name_cy"),
    [
        ("cardiff", "Llys y Goron Caerdydd"),
        ("swansea", "Llys y Goron Abertawe"),
        ("newport-south-wales", "Llys y Goron Casnewydd"),
        ("merthyr-tydfil", "Llys y Goron Merthyr Tudful"),
        ("caernarfon", "Llys y Goron Caernarfon"),
        ("mold", "Llys y Goron yr Wyddgrug"),  # "yr" is lower case inside a name
        ("worcester", "Llys y Goron Caerwrangon"),
        ("haverfordwest", "Llys y Goron Hwlffordd"),
        ("central-criminal-court", "Llys Troseddol Canolog (Old Bailey)"),
        ("york", "Llys y Goron Efrog"),
        ("leicester", "Llys y Goron Caerlŷr"),
    ],
)
def test_welsh_names(code, name_cy):
    assert court_by_code(code).name_cy == name_cy


def test_the_old_bailey_keeps_its_own_english_name():
    assert court_by_code("central-criminal-court").name_en == "Central Criminal Court (Old Bailey)"


@pytest.mark.parametrize(
    ("query", "language", "code"),
    [
        ("cardiff", "en", "cardiff"),
        ("Cardiff", "cy", "cardiff"),
        ("caerdydd", "cy", "cardiff"),
        ("CAERDYDD", "cy", "cardiff"),
        ("abertawe", "cy", "swansea"),
        ("swansea", "cy", "swansea"),
        ("yr wyddgrug", "cy", "mold"),
        ("caerlyr", "cy", "leicester"),
        ("caerlŷr", "cy", "leicester"),
        ("old bailey", "en", "central-criminal-court"),
        ("kingston upon", "en", "kingston-upon-thames"),
        ("  stoke-on  ", "en", "stoke-on-trent"),
        ("minshull", "cy", "manchester-minshull-street"),
    ],
)
def test_search_finds_a_court(query, language, code):
    assert code in codes(search_courts(query, language))


def test_welsh_names_are_found_only_when_searching_in_welsh():
    assert search_courts("caerdydd", "en") == []
    assert codes(search_courts("caerdydd", "cy")) == ["cardiff"]


def test_prefix_matches_come_first():
    assert codes(search_courts("man"))[:2] == [
        "manchester-crown-square",
        "manchester-minshull-street",
    ]
    assert codes(search_courts("man", "cy"))[:2] == [
        "manchester-crown-square",
        "manchester-minshull-street",
    ]
    found = codes(search_courts("sto"))
    assert found[0] == "stoke-on-trent"
    assert "bristol" in found[1:]


def test_results_are_alphabetical_within_a_rank():
    found = search_courts("wo")
    prefixed = [court.name_en for court in found if court.name_en.lower().startswith("wo")]
    assert [court.name_en for court in found[: len(prefixed)]] == sorted(prefixed)
    assert "isleworth" in codes(found)[len(prefixed) :]


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "--"])
def test_an_empty_query_finds_nothing(query):
    assert search_courts(query) == []
    assert search_courts(query, "cy") == []


def test_search_respects_the_limit():
    assert len(search_courts("crown court")) == 20
    assert len(search_courts("crown court", limit=5)) == 5
    assert search_courts("crown court", limit=0) == []
    assert search_courts("no such court anywhere") == []


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("bristol", "south-west"),
        ("bournemouth", "south-west"),
        ("luton", "east-of-england"),
        ("mold", "wales"),
        ("lewes", "kent-surrey-and-sussex"),
        ("teesside", "north-east"),
        ("snaresbrook", "london"),
        ("central-criminal-court", "london"),
        ("bolton", "greater-manchester"),
        ("chester", "north-west"),
        ("great-grimsby", "yorkshire-and-the-humber"),
        ("hereford", "west-midlands"),
        ("lincoln", "east-midlands"),
        ("aylesbury", "south-central"),
    ],
)
def test_region_for_court(code, region):
    assert region_for_court(code) == region
    assert court_by_code(code).region == region


def test_unknown_court_codes():
    assert court_by_code("atlantis") is None
    assert region_for_court("atlantis") is None
    assert court_by_code("") is None
    assert region_for_court("Cardiff") is None
