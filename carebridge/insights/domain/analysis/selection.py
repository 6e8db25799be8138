"""Which responses an analysis looks at: a :class:`Selection`.

A selection names an instrument (required: indexes of different questionnaires are not comparable)
and optionally one version, one wave, one department and a period of submission dates (in the
hospital's time zone). ``carebridge.insights.selectors.analysis.selection.responses_for`` reads it in
a user's data scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Selection:
    """The responses to analyse. Only ``instrument_id`` is required; ids are plain ints so a selection
    round-trips through JSON (run parameters, API query strings)."""

    instrument_id: int
    version_id: int | None = None
    wave_id: int | None = None
    department_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        def number(value: Any) -> int | None:
            return int(value) if value not in (None, "") else None

        return cls(
            instrument_id=int(data["instrument_id"]),
            version_id=number(data.get("version_id")),
            wave_id=number(data.get("wave_id")),
            department_id=number(data.get("department_id")),
            date_from=day(data.get("date_from")),
            date_to=day(data.get("date_to")),
        )
