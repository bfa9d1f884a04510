"""A page of a longer list, and what it says of itself ("Showing 26 to 50 of 312")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def first_and_last(page: int, per_page: int, shown: int) -> tuple[int, int]:
    """The positions (1-based) in the whole list of the first and last of the `shown` rows
    on page `page` of `per_page`; (0, 0) when the page shows none."""
    if not shown:
        return 0, 0
    first = (page - 1) * per_page + 1
    return first, first + shown - 1


@dataclass(frozen=True)
class Page:
    """Page `page` of a list of `total`, `per_page` at a time, at most `most_pages` pages."""

    entries: list[Any]
    total: int
    page: int
    per_page: int
    most_pages: int | None = None

    @property
    def pages(self) -> int:
        pages = max(-(-self.total // self.per_page), 1)
        return min(pages, self.most_pages) if self.most_pages is not None else pages

    @property
    def first_number(self) -> int:
        return first_and_last(self.page, self.per_page, len(self.entries))[0]

    @property
    def last_number(self) -> int:
        return first_and_last(self.page, self.per_page, len(self.entries))[1]
