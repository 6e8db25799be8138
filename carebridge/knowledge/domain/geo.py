"""Distance for referrals: great-circle distance when both places have coordinates, else region codes.

The seed's kidney-stone patient was told of two hospitals: the nearest and the best-known. "Nearest"
is measured from an origin (the patient's home when the desk knows it, else this hospital): by the
haversine distance, or, when coordinates are missing, by GB/T 2260 region codes (same county > same
city > same province > elsewhere).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from carebridge.knowledge.choices import Proximity

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Origin:
    """Where "nearest" is measured from; any part may be unknown."""

    latitude: float | None = None
    longitude: float | None = None
    region_code: str | None = None
    label: str = ""

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_km(
    origin: Origin, latitude: Decimal | float | None, longitude: Decimal | float | None
) -> float | None:
    if origin.latitude is None or origin.longitude is None or latitude is None or longitude is None:
        return None
    return haversine_km(origin.latitude, origin.longitude, float(latitude), float(longitude))


def proximity(origin_code: str | None, code: str | None) -> Proximity:
    """Region-code proximity: codes share 6, 4 or 2 leading digits for the same county, city or province."""
    if not origin_code or not code:
        return Proximity.ELSEWHERE
    if origin_code == code:
        return Proximity.SAME_COUNTY
    if origin_code[:4] == code[:4]:
        return Proximity.SAME_CITY
    if origin_code[:2] == code[:2]:
        return Proximity.SAME_PROVINCE
    return Proximity.ELSEWHERE
