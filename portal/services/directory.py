"""The probation regions and their Victim Liaison Units, as the public sees them."""

from __future__ import annotations

from sqlalchemy import select

from portal.domain.courts import Court, court_by_code, search_courts
from portal.domain.regions import is_region_code
from portal.extensions import db
from portal.models import Region


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.id)))


def region_by_code(code: str) -> Region | None:
    """The region with this code; None, without asking the database, for a value
    that cannot be a region's code."""
    if not is_region_code(code):
        return None
    return db.session.scalar(select(Region).filter_by(code=code))


SHOWN = 20


def courts_with_regions(query: str, language: str) -> tuple[list[tuple[Court, Region | None]], int]:
    """The first SHOWN Crown Courts matching `query`, each with the region whose
    unit covers it, and how many matched in all."""
    courts = search_courts(query, language, limit=10_000)
    regions = {region.code: region for region in all_regions()}
    return [(court, regions.get(court.region)) for court in courts[:SHOWN]], len(courts)


def court_choices(query: str | None, language: str, chosen: str | None) -> tuple[list[dict], int]:
    """The courts a registration offers: the court already `chosen` first, then the
    first SHOWN matching `query` (none without a query); and how many matched."""
    found = search_courts(query, language, limit=SHOWN) if query else []
    court = court_by_code(chosen or "")
    courts = [court, *[c for c in found if c != court]] if court else found
    return [{"value": c.code, "text": c.name(language)} for c in courts], len(found)
