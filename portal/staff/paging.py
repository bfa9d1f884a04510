"""Page links for a long list, shaped for the GOV.UK pagination component
(templates/components/pagination.html adds the words)."""

from __future__ import annotations

from collections.abc import Callable


def page_numbers(page: int, pages: int) -> list[int | None]:
    """The page numbers to link: the first, the last, and those either side of `page`;
    None where numbers are left out (an ellipsis)."""
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:  # type: ignore[operator]
            numbers.append(None)
        numbers.append(number)
    return numbers


def page_links(page: int, pages: int, url: Callable[[int], str]) -> dict | None:
    """Previous, next and numbered links, or None when everything fits on one page."""
    if pages <= 1:
        return None
    return {
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
        "items": [
            {"ellipsis": True}
            if number is None
            else {"number": number, "href": url(number), "current": number == page}
            for number in page_numbers(page, pages)
        ],
    }
