"""The 12 probation regions of England and Wales, with their Welsh names."""

from __future__ import annotations

import re
from typing import NamedTuple

#: What a region's code looks like ("wales", "kent-surrey-and-sussex"): checked
#: before an address's code is looked up.
REGION_CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")
REGION_CODE_LENGTH = 64


def is_region_code(value: str) -> bool:
    return len(value) <= REGION_CODE_LENGTH and REGION_CODE.fullmatch(value) is not None


class RegionName(NamedTuple):
    code: str
    name_en: str
    name_cy: str

    @property
    def unit_name_en(self) -> str:
        return f"{self.name_en} Victim Liaison Unit"

    @property
    def unit_name_cy(self) -> str:
        return f"Uned Cyswllt Dioddefwyr {self.name_cy}"


#: The region whose unit's details are shown in Welsh first, even on English pages.
WALES = "wales"


PROBATION_REGIONS: tuple[RegionName, ...] = (
    RegionName("wales", "Wales", "Cymru"),
    RegionName("north-west", "North West", "Gogledd-orllewin Lloegr"),
    RegionName("greater-manchester", "Greater Manchester", "Manceinion Fwyaf"),
    RegionName("north-east", "North East", "Gogledd-ddwyrain Lloegr"),
    RegionName("yorkshire-and-the-humber", "Yorkshire and the Humber", "Swydd Efrog a’r Humber"),
    RegionName("west-midlands", "West Midlands", "Gorllewin Canolbarth Lloegr"),
    RegionName("east-midlands", "East Midlands", "Dwyrain Canolbarth Lloegr"),
    RegionName("east-of-england", "East of England", "Dwyrain Lloegr"),
    RegionName("london", "London", "Llundain"),
    RegionName("south-west", "South West", "De-orllewin Lloegr"),
    RegionName("south-central", "South Central", "De Canol Lloegr"),
    RegionName("kent-surrey-and-sussex", "Kent, Surrey and Sussex", "Caint, Surrey a Sussex"),
)
