"""The 12 probation regions (portal/domain/regions.py)."""

from portal.domain.regions import PROBATION_REGIONS


def test_the_twelve_probation_regions():
    assert len(PROBATION_REGIONS) == 12
    assert len({region.code for region in PROBATION_REGIONS}) == 12
    names = {region.name_en: region.name_cy for region in PROBATION_REGIONS}
    assert names["Wales"] == "Cymru"
    assert names["London"] == "Llundain"
    assert "Kent, Surrey and Sussex" in names
