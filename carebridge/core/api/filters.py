"""The API's ``?ordering=``, with empty values where PostgreSQL puts them on every database."""

from __future__ import annotations

from typing import Any

from django.db.models import F, OrderBy, QuerySet
from rest_framework.filters import OrderingFilter


class Ordering(OrderingFilter):
    """DRF's ordering filter (``?ordering=due_at,-id``), each term putting rows without a value where
    PostgreSQL, the production database, puts them by default: last ascending, first descending. SQLite
    puts them first ascending, so the embedded demo paged a list in another order than production.
    Being PostgreSQL's own order, it changes no plan there (an index still serves it)."""

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*(_placed(term) for term in ordering))


def _placed(term: Any) -> Any:
    """A term of ``ordering`` as an expression that places empty values (``"?"`` and expressions as
    they are)."""
    if not isinstance(term, str) or term == "?":
        return term
    if term.startswith("-"):
        return OrderBy(F(term[1:]), descending=True, nulls_first=True)
    return OrderBy(F(term), nulls_last=True)
