from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from carebridge.core.pagination import CappedPaginator, LookupPaginator


class StandardPagination(PageNumberPagination):
    """Page numbers with a capped count: ``count`` stops at 10,000 and ``count_capped`` says so."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.is_capped  # type: ignore[union-attr]
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return result


class LookupPagination(StandardPagination):
    """For lists mostly searched for one record (the registry): the page is read first and a short page
    is its own count (:class:`~carebridge.core.pagination.LookupPaginator`), so an exact look-up costs
    no count query; only the browsable API's page links ask for the count of a full page."""

    django_paginator_class = LookupPaginator

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            message = self.invalid_page_message.format(page_number=page_number, message=str(exc))
            raise NotFound(message) from exc
        renderer = getattr(request, "accepted_renderer", None)
        if self.template is not None and getattr(renderer, "format", "") == "api" and paginator.num_pages > 1:
            self.display_page_controls = True  # the browsable API shows page links
        return list(self.page)
