"""Content validity index (内容效度指数) of an expert-panel review: experts rate each item's relevance on
the 4-point scale (1 not relevant, 2 somewhat, 3 quite, 4 highly relevant).

Definitions (Polit DF, Beck CT. The content validity index: are you sure you know what's being reported?
Res Nurs Health 2006;29:489–497; Polit DF, Beck CT, Owen SV. Is the CVI an acceptable indicator of
content validity? Res Nurs Health 2007;30:459–467):

- I-CVI of an item = the number of experts rating it 3 or 4 / the number of experts who rated it;
- S-CVI/Ave = the mean of the items' I-CVIs; S-CVI/UA = the share of items every expert rated 3 or 4;
- modified kappa k* = (I-CVI − Pc) / (1 − Pc), Pc = [N! / (A! (N − A)!)] × 0.5^N, N experts, A agreeing
  (the I-CVI adjusted for chance agreement); Polit et al. read k* > 0.74 as excellent, 0.60–0.74 good,
  0.40–0.59 fair, and recommend I-CVI ≥ 0.78 with six or more experts (1.00 with three to five).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import comb

from carebridge.lib.stats.errors import StatsInputError

RELEVANT_MIN = 3
SCALE = (1, 2, 3, 4)


@dataclass(frozen=True)
class ItemValidity:
    item: str
    experts: int
    agreeing: int
    i_cvi: float
    pc: float
    kappa: float
    rating: str  # "excellent", "good", "fair" or "poor" (k*)


@dataclass(frozen=True)
class ContentValidity:
    items: tuple[ItemValidity, ...]
    s_cvi_ave: float
    s_cvi_ua: float


def chance_agreement(experts: int, agreeing: int) -> float:
    """Pc: the probability that ``agreeing`` of ``experts`` rate an item relevant by chance."""
    return comb(experts, agreeing) * 0.5**experts


def kappa_rating(kappa: float) -> str:
    if kappa > 0.74:
        return "excellent"
    if kappa >= 0.60:
        return "good"
    if kappa >= 0.40:
        return "fair"
    return "poor"


def item_validity(item: str, ratings: Sequence[int]) -> ItemValidity:
    """I-CVI, Pc and k* of one item from its experts' ratings (1–4)."""
    if not ratings:
        raise StatsInputError(f"Item {item} has no ratings.")
    if any(r not in SCALE for r in ratings):
        raise StatsInputError(f"Ratings of item {item} must be 1, 2, 3 or 4.")
    n = len(ratings)
    agreeing = sum(1 for r in ratings if r >= RELEVANT_MIN)
    i_cvi = agreeing / n
    pc = chance_agreement(n, agreeing)
    kappa = (i_cvi - pc) / (1 - pc) if pc < 1 else 0.0
    return ItemValidity(
        item=item, experts=n, agreeing=agreeing, i_cvi=i_cvi, pc=pc, kappa=kappa, rating=kappa_rating(kappa)
    )


def content_validity(ratings: Mapping[str, Sequence[int]]) -> ContentValidity:
    """Item and scale content validity of ``{item: [rating of each expert]}`` (at least one item)."""
    if not ratings:
        raise StatsInputError("No items were rated.")
    items = tuple(item_validity(item, values) for item, values in ratings.items())
    return ContentValidity(
        items=items,
        s_cvi_ave=sum(i.i_cvi for i in items) / len(items),
        s_cvi_ua=sum(1 for i in items if i.agreeing == i.experts) / len(items),
    )
