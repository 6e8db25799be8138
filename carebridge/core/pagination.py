"""Pagination that stays fast on registries of millions: counts stop at a cap.

Counting every match of "张" among a million patients costs more than fetching the page; nobody pages
through ten thousand rows, so lists say "10,000+" instead and refine by filters.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Without ORDER BY: with it, a rare match makes the database walk the whole ordering index.
            total = self.object_list.order_by()[: self.cap + 1].count()
        else:
            total = len(self.object_list[: self.cap + 1])
        self.capped = total > self.cap
        return min(total, self.cap)

    @property
    def is_capped(self) -> bool:
        _ = self.count
        return self.capped
