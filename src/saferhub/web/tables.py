"""Paging and sorting for every list: GOV.UK pagination over Django's Paginator.

A view names the columns a user may sort by and what each sorts on; anything else in
the query string is ignored, so `?sort=` can never reach the database unchecked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

PER_PAGE = 50


@dataclass(frozen=True)
class Sorting:
    """The chosen column and direction, from a whitelist of column → order_by fields."""

    columns: Mapping[str, Sequence[str]]
    key: str
    descending: bool
    query: QueryDict

    @classmethod
    def from_request(
        cls,
        request: HttpRequest,
        columns: Mapping[str, Sequence[str]],
        default: str,
        *,
        descending: bool = False,
    ) -> Sorting:
        key = request.GET.get("sort", default)
        if key not in columns:
            key, chosen_direction = default, descending
        else:
            chosen_direction = request.GET.get("dir", "desc" if descending else "asc") == "desc"
        return cls(columns, key, chosen_direction, request.GET.copy())

    def order_by(self) -> list[str]:
        # A column may list a field with "-" to sort it the other way (newest first).
        fields = []
        for name in self.columns[self.key]:
            inverted = name.startswith("-")
            fields.append(("-" if self.descending != inverted else "") + name.lstrip("-"))
        return fields

    def apply(self, queryset):
        return queryset.order_by(*self.order_by(), "pk")

    def sort_list(self, rows: list) -> list:
        """Sort rows already built in Python (dotted attribute paths; empty values last)."""

        def value(row, path: str):
            for part in path.lstrip("-").split("."):
                row = getattr(row, part, None)
            return row

        ordered = list(rows)
        # Stable sorts, least significant column first, give a multi-column order.
        for path in reversed(self.order_by()):
            descending = path.startswith("-")
            present = [r for r in ordered if value(r, path) is not None]
            missing = [r for r in ordered if value(r, path) is None]
            present.sort(key=lambda r, p=path: _comparable(value(r, p)), reverse=descending)
            ordered = present + missing
        return ordered

    def header(self, key: str) -> dict:
        """The link and aria-sort value for one column's heading."""
        query = self.query.copy()
        query.pop("page", None)
        current = key == self.key
        query["sort"] = key
        query["dir"] = "asc" if current and self.descending else ("desc" if current else "asc")
        return {
            "url": f"?{query.urlencode()}",
            "aria_sort": ("descending" if self.descending else "ascending") if current else "none",
        }


def _comparable(value):
    return value.casefold() if isinstance(value, str) else value


def paginate(request: HttpRequest, items, per_page: int = PER_PAGE) -> Page:
    """The requested page; a page number out of range gives the nearest page, never a 404."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def page_links(request: HttpRequest, page: Page) -> dict:
    """What core/pagination.html needs: previous, next and numbered links with gaps."""

    def url(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "items": [
            {"ellipsis": True}
            if n == page.paginator.ELLIPSIS
            else {"number": n, "url": url(n), "current": n == page.number}
            for n in numbers
        ],
        "start": page.start_index(),
        "end": page.end_index(),
        "count": page.paginator.count,
        "several": page.paginator.num_pages > 1,
    }
