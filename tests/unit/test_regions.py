from portal.domain.passwords import hash_password, verify_password
from portal.domain.regions import PROBATION_REGIONS


def test_the_twelve_probation_regions():
    assert len(PROBATION_REGIONS) == 12
    assert len({region.code for region in PROBATION_REGIONS}) == 12
    names = {region.name_en: region.name_cy for region in PROBATION_REGIONS}
    assert names["Wales"] == "Cymru"
    assert names["London"] == "Llundain"
    assert "Kent, Surrey and Sussex" in names


def test_staff_passwords_are_hashed_with_argon2():
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "wrong")
    assert not verify_password("not a hash", "wrong")
