"""The API's ``?ordering=``, with empty values where PostgreSQL puts them on every database."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Model, OrderBy, QuerySet
from django.db.models.constants import LOOKUP_SEP
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
        return queryset.order_by(*(_placed(term, queryset.model) for term in ordering))


def _placed(term: Any, model: type[Model]) -> Any:
    """A term of ``ordering`` as an expression that places empty values. Kept as it is: ``"?"``, an
    expression, and a related record by name (``patient``), which Django orders by that model's own
    ordering where ``F`` would order by the key."""
    if not isinstance(term, str) or term == "?" or _names_a_relation(model, term.lstrip("-")):
        return term
    if term.startswith("-"):
        return OrderBy(F(term[1:]), descending=True, nulls_first=True)
    return OrderBy(F(term), nulls_last=True)


def _names_a_relation(model: type[Model], path: str) -> bool:
    """Whether ``path`` (``plan``, ``plan__patient``) ends on a related record rather than a column (a
    key by its column name, ``patient_id``, is a column; so is a name the model does not have, such as
    an annotation)."""
    opts: Any = model._meta
    field: Any = None
    for part in path.split(LOOKUP_SEP):
        if opts is None:
            return False
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        opts = field.related_model._meta if field.is_relation and field.related_model else None
    last = path.rsplit(LOOKUP_SEP, 1)[-1]
    return field is not None and field.is_relation and last != getattr(field, "attname", None)
