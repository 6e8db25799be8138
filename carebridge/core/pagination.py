"""Pagination that stays fast on registries of millions: counts stop at a cap.

Counting every match of "张" among a million patients costs more than fetching the page; nobody pages
through ten thousand rows, so lists say "10,000+" instead and refine by filters.

A list that is mostly searched for one person (the registry) uses :class:`LookupPaginator`: the page is
read first, and a page shorter than a full one already tells the count (an MRN, an ID number or a phone
finds one or two rows: no count query at all). A full page counts as before.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP
    count_from_short_page = False

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Without ORDER BY: with it, a rare match makes the database walk the whole ordering index.
            total = self.object_list.order_by()[: self.cap + 1].count()
        elif hasattr(self.object_list, "count_up_to"):  # a list read by prepared statements
            total = self.object_list.count_up_to(self.cap + 1)
        else:
            total = len(self.object_list[: self.cap + 1])
        self.capped = total > self.cap
        return min(total, self.cap)

    @property
    def is_capped(self) -> bool:
        _ = self.count
        return self.capped

    def page(self, number: Any) -> Page:
        if not self.count_from_short_page or "count" in self.__dict__ or self.orphans:
            return super().page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > self.cap:
            return super().page(number)  # beyond the cap: pages as without the short cut
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if len(rows) == self.per_page:
            return Page(rows, number, self)  # a full page: the count is read when asked for
        if not rows and number > 1:
            return super().page(number)  # past the end: EmptyPage, as without the short cut
        # A short (or empty first) page is the last one: it tells the count.
        total = bottom + len(rows)
        self.capped = total > self.cap
        self.__dict__["count"] = min(total, self.cap)
        return Page(rows, number, self)

    def get_page(self, number: Any) -> Page:
        if not self.count_from_short_page or self.orphans:
            return super().get_page(number)
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


class LookupPaginator(CappedPaginator):
    """A capped paginator that reads the page before counting: a short page is its own count."""

    count_from_short_page = True
