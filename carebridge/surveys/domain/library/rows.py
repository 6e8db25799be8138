"""The Item rows a published definition derives: one pure function shared by the publish service and
the migration that installs the library, so both write exactly the same rows.

No database access here (a migration may import it); the caller turns each dict into an ``Item``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carebridge.surveys.domain.instruments import iter_items


def item_rows(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One dict of ``Item`` field values per item of ``definition``, in questionnaire order.

    The definition must be valid (see ``validate_definition``). Texts are the Chinese and English
    wordings; ``overall_weight`` is the item's effective weight in the overall index (0 when unscored).
    """
    rows = []
    for spec in iter_items(definition):
        text = spec.text if isinstance(spec.text, Mapping) else {"zh-hans": str(spec.text)}
        rows.append(
            {
                "code": spec.code,
                "position": spec.position,
                "dimension": spec.dimension,
                "indicator": spec.indicator,
                "item_type": spec.item_type,
                "text": str(text.get("zh-hans", "")),
                "text_en": str(text.get("en", "")),
                "scale_min": spec.scale_min,
                "scale_max": spec.scale_max,
                "reverse": spec.reverse,
                "required": spec.required,
                "allows_na": spec.allows_na,
                "weight": spec.weight,
                "overall_weight": round(spec.overall_weight, 10),
            }
        )
    return rows
