"""The Crown Court centres of England and Wales, with the probation region that covers each.

A victim who does not know the offender's case number can still tell us which court
sentenced the offender; the court points to the probation region whose Victim Liaison
Unit holds the case. Region codes are those of `portal.domain.regions.PROBATION_REGIONS`.

Names are given in English and in Welsh. Courts in Wales use their Welsh place names;
courts in England keep the English place name except where a Welsh name for the place is
in everyday use (Llundain, Caer, Lerpwl, Manceinion, Bryste and so on).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


class Court(NamedTuple):
    code: str
    name_en: str
    name_cy: str
    region: str

    def name(self, language: str) -> str:
        """The court's name in `language` ("en" or "cy")."""
        return self.name_cy if language == "cy" else self.name_en


def _crown(code: str, place_en: str, place_cy: str, region: str) -> Court:
    return Court(code, f"{place_en} Crown Court", f"Llys y Goron {place_cy}", region)


CROWN_COURTS: tuple[Court, ...] = (
    # Wales
    _crown("caernarfon", "Caernarfon", "Caernarfon", "wales"),
    _crown("cardiff", "Cardiff", "Caerdydd", "wales"),
    _crown("haverfordwest", "Haverfordwest", "Hwlffordd", "wales"),
    _crown("merthyr-tydfil", "Merthyr Tydfil", "Merthyr Tudful", "wales"),
    _crown("mold", "Mold", "yr Wyddgrug", "wales"),
    _crown("newport-south-wales", "Newport (South Wales)", "Casnewydd", "wales"),
    _crown("swansea", "Swansea", "Abertawe", "wales"),
    # North West: Cheshire, Merseyside, Lancashire, Cumbria
    _crown("burnley", "Burnley", "Burnley", "north-west"),
    _crown("carlisle", "Carlisle", "Carlisle", "north-west"),
    _crown("chester", "Chester", "Caer", "north-west"),
    _crown("lancaster", "Lancaster", "Caerhirfryn", "north-west"),
    _crown("liverpool", "Liverpool", "Lerpwl", "north-west"),
    _crown("preston", "Preston", "Preston", "north-west"),
    # Greater Manchester
    _crown("bolton", "Bolton", "Bolton", "greater-manchester"),
    Court(
        "manchester-crown-square",
        "Manchester Crown Court (Crown Square)",
        "Llys y Goron Manceinion (Crown Square)",
        "greater-manchester",
    ),
    Court(
        "manchester-minshull-street",
        "Manchester Crown Court (Minshull Street)",
        "Llys y Goron Manceinion (Minshull Street)",
        "greater-manchester",
    ),
    # North East: Northumbria, Durham, Teesside
    _crown("durham", "Durham", "Durham", "north-east"),
    _crown("newcastle-upon-tyne", "Newcastle upon Tyne", "Newcastle upon Tyne", "north-east"),
    _crown("teesside", "Teesside", "Teesside", "north-east"),
    # Yorkshire and the Humber
    _crown("bradford", "Bradford", "Bradford", "yorkshire-and-the-humber"),
    _crown("doncaster", "Doncaster", "Doncaster", "yorkshire-and-the-humber"),
    _crown("great-grimsby", "Great Grimsby", "Great Grimsby", "yorkshire-and-the-humber"),
    _crown("hull", "Hull", "Hull", "yorkshire-and-the-humber"),
    _crown("leeds", "Leeds", "Leeds", "yorkshire-and-the-humber"),
    _crown("sheffield", "Sheffield", "Sheffield", "yorkshire-and-the-humber"),
    _crown("york", "York", "Efrog", "yorkshire-and-the-humber"),
    # West Midlands, with Staffordshire, Warwickshire and West Mercia
    _crown("birmingham", "Birmingham", "Birmingham", "west-midlands"),
    _crown("coventry", "Coventry", "Coventry", "west-midlands"),
    _crown("hereford", "Hereford", "Henffordd", "west-midlands"),
    _crown("shrewsbury", "Shrewsbury", "Amwythig", "west-midlands"),
    _crown("stafford", "Stafford", "Stafford", "west-midlands"),
    _crown("stoke-on-trent", "Stoke-on-Trent", "Stoke-on-Trent", "west-midlands"),
    _crown("warwick", "Warwick", "Warwick", "west-midlands"),
    _crown("wolverhampton", "Wolverhampton", "Wolverhampton", "west-midlands"),
    _crown("worcester", "Worcester", "Caerwrangon", "west-midlands"),
    # East Midlands
    _crown("derby", "Derby", "Derby", "east-midlands"),
    _crown("leicester", "Leicester", "Caerlŷr", "east-midlands"),
    _crown("lincoln", "Lincoln", "Lincoln", "east-midlands"),
    _crown("northampton", "Northampton", "Northampton", "east-midlands"),
    _crown("nottingham", "Nottingham", "Nottingham", "east-midlands"),
    # East of England
    _crown("basildon", "Basildon", "Basildon", "east-of-england"),
    _crown("bury-st-edmunds", "Bury St Edmunds", "Bury St Edmunds", "east-of-england"),
    _crown("cambridge", "Cambridge", "Caergrawnt", "east-of-england"),
    _crown("chelmsford", "Chelmsford", "Chelmsford", "east-of-england"),
    _crown("ipswich", "Ipswich", "Ipswich", "east-of-england"),
    _crown("luton", "Luton", "Luton", "east-of-england"),
    _crown("norwich", "Norwich", "Norwich", "east-of-england"),
    _crown("peterborough", "Peterborough", "Peterborough", "east-of-england"),
    _crown("st-albans", "St Albans", "St Albans", "east-of-england"),
    # London
    Court(
        "central-criminal-court",
        "Central Criminal Court (Old Bailey)",
        "Llys Troseddol Canolog (Old Bailey)",
        "london",
    ),
    _crown("croydon", "Croydon", "Croydon", "london"),
    _crown("harrow", "Harrow", "Harrow", "london"),
    _crown("inner-london", "Inner London", "Llundain Fewnol", "london"),
    _crown("isleworth", "Isleworth", "Isleworth", "london"),
    _crown("kingston-upon-thames", "Kingston-upon-Thames", "Kingston-upon-Thames", "london"),
    _crown("snaresbrook", "Snaresbrook", "Snaresbrook", "london"),
    _crown("southwark", "Southwark", "Southwark", "london"),
    _crown("wood-green", "Wood Green", "Wood Green", "london"),
    _crown("woolwich", "Woolwich", "Woolwich", "london"),
    # South West: Devon and Cornwall, Dorset, Somerset, Avon, Gloucestershire, Wiltshire
    _crown("bournemouth", "Bournemouth", "Bournemouth", "south-west"),
    _crown("bristol", "Bristol", "Bryste", "south-west"),
    _crown("exeter", "Exeter", "Caerwysg", "south-west"),
    _crown("gloucester", "Gloucester", "Caerloyw", "south-west"),
    _crown("plymouth", "Plymouth", "Plymouth", "south-west"),
    _crown("salisbury", "Salisbury", "Salisbury", "south-west"),
    _crown("swindon", "Swindon", "Swindon", "south-west"),
    _crown("taunton", "Taunton", "Taunton", "south-west"),
    _crown("truro", "Truro", "Truro", "south-west"),
    # South Central: Hampshire and the Isle of Wight, Thames Valley
    _crown("aylesbury", "Aylesbury", "Aylesbury", "south-central"),
    _crown("isle-of-wight", "Isle of Wight", "Ynys Wyth", "south-central"),
    _crown("oxford", "Oxford", "Rhydychen", "south-central"),
    _crown("portsmouth", "Portsmouth", "Portsmouth", "south-central"),
    _crown("reading", "Reading", "Reading", "south-central"),
    _crown("southampton", "Southampton", "Southampton", "south-central"),
    _crown("winchester", "Winchester", "Winchester", "south-central"),
    # Kent, Surrey and Sussex
    _crown("canterbury", "Canterbury", "Caergaint", "kent-surrey-and-sussex"),
    _crown("chichester", "Chichester", "Chichester", "kent-surrey-and-sussex"),
    _crown("guildford", "Guildford", "Guildford", "kent-surrey-and-sussex"),
    _crown("hove", "Hove", "Hove", "kent-surrey-and-sussex"),
    _crown("lewes", "Lewes", "Lewes", "kent-surrey-and-sussex"),
    _crown("maidstone", "Maidstone", "Maidstone", "kent-surrey-and-sussex"),
)

_BY_CODE: dict[str, Court] = {court.code: court for court in CROWN_COURTS}

_GENERIC_EN = re.compile(r"\s*\bcrown court\b\s*")
_GENERIC_CY = re.compile(r"^llys y goron\s+")


def _fold(text: str) -> str:
    """Lower case, accents removed, every run of punctuation or spaces made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", " ", bare).strip()


def _place(folded_name: str) -> str:
    """The name without "Crown Court" / "Llys y Goron", so "man" is a prefix of Manchester."""
    return _GENERIC_CY.sub("", _GENERIC_EN.sub(" ", folded_name).strip())


class _Entry(NamedTuple):
    court: Court
    names: tuple[str, ...]
    places: tuple[str, ...]
    sort_key: str


def _entries(language: str) -> tuple[_Entry, ...]:
    entries = []
    for court in CROWN_COURTS:
        own = _fold(court.name(language))
        names = tuple(dict.fromkeys((own, _fold(court.name_en))))
        places = tuple(_place(name) for name in names)
        entries.append(_Entry(court, names, places, f"{_place(own)} {own}"))
    return tuple(entries)


_INDEX: dict[str, tuple[_Entry, ...]] = {language: _entries(language) for language in ("en", "cy")}


def _rank(entry: _Entry, query: str) -> int | None:
    """0: a name or place starts with the query; 1: a word does; 2: it appears inside; else None."""
    if any(text.startswith(query) for text in entry.names + entry.places):
        return 0
    if any(f" {query}" in f" {name}" for name in entry.names):
        return 1
    if any(query in name for name in entry.names):
        return 2
    return None


def search_courts(query: str, language: str = "en", limit: int = 20) -> list[Court]:
    """Courts whose name (in `language`, or in English) contains `query`, best matches first.

    Case, accents and punctuation are ignored ("caerlyr" finds Caerlŷr, "kingston upon"
    finds Kingston-upon-Thames). Names starting with the query come first, then names with
    a word starting with it, then the rest; each group in alphabetical order.
    """
    folded = _fold(query or "")
    if not folded or limit <= 0:
        return []
    entries = _INDEX["cy" if language == "cy" else "en"]
    ranked = []
    for entry in entries:
        rank = _rank(entry, folded)
        if rank is not None:
            ranked.append((rank, entry.sort_key, entry.court))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [court for _, _, court in ranked[:limit]]


def court_by_code(code: str) -> Court | None:
    return _BY_CODE.get(code)


def region_for_court(code: str) -> str | None:
    """The code of the probation region that covers the court, or None for an unknown court."""
    court = _BY_CODE.get(code)
    return court.region if court else None
