"""Who of the eligible population is invited: census, simple random, stratified random. Pure, no Django.

Seed 003 §4.4 asks for control over how the sample is chosen. A draw must be reproducible, so anyone can
check that nobody picked the "nice" patients by hand: candidates are identified by stable string keys,
sorted, and drawn with numpy's ``Generator(PCG64)`` seeded from the wave's seed. The same seed and the
same candidates always give the same invitees; another seed gives another sample.

In a stratified draw each stratum has its own random stream (derived from the seed and the stratum's
key), so adding or resizing one stratum does not change who is drawn in the others.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping, Sequence

import numpy as np


def _generator(seed: int, *stream: int) -> np.random.Generator:
    if seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def _stream_of(key: str) -> int:
    """A stable number for a stratum key (Python's ``hash`` changes between processes)."""
    return zlib.crc32(key.encode("utf-8"))


def census(keys: Sequence[str]) -> list[str]:
    """Everyone, in key order."""
    return sorted(set(keys))


def simple_random(keys: Sequence[str], *, size: int, seed: int) -> list[str]:
    """``size`` distinct keys drawn without replacement (all of them when there are fewer), in key order."""
    if size < 0:
        raise ValueError("the sample size must not be negative")
    ordered = sorted(set(keys))
    if size >= len(ordered):
        return ordered
    picks = _generator(seed).choice(len(ordered), size=size, replace=False)
    return sorted(ordered[int(i)] for i in picks)


def stratified(
    strata: Mapping[str, Sequence[str]], *, targets: Mapping[str, int], seed: int
) -> dict[str, list[str]]:
    """A simple random sample of ``targets[stratum]`` keys within each stratum (all when it is smaller).

    A stratum without a target gets none; a key listed in two strata is a caller's error.
    """
    seen: set[str] = set()
    for members in strata.values():
        overlap = seen.intersection(members)
        if overlap:
            raise ValueError(f"keys in more than one stratum: {sorted(overlap)[:3]}")
        seen.update(members)
    drawn: dict[str, list[str]] = {}
    for key in sorted(strata):
        target = targets.get(key, 0)
        if target < 0:
            raise ValueError(f"the target of stratum {key!r} must not be negative")
        ordered = sorted(set(strata[key]))
        if target >= len(ordered):
            drawn[key] = ordered
            continue
        picks = _generator(seed, _stream_of(key)).choice(len(ordered), size=target, replace=False)
        drawn[key] = sorted(ordered[int(i)] for i in picks)
    return drawn


def proportional_allocation(sizes: Mapping[str, int], *, total: int) -> dict[str, int]:
    """Split ``total`` over strata in proportion to their sizes (largest remainder, ties by key).

    No stratum gets more than it holds; when the population is smaller than ``total`` everyone is taken.
    """
    if total < 0:
        raise ValueError("the total must not be negative")
    population = sum(sizes.values())
    if population <= total:
        return dict(sizes)
    quotas = {key: total * size / population for key, size in sizes.items()}
    allocation = {key: math.floor(share) for key, share in quotas.items()}
    left = total - sum(allocation.values())
    by_remainder = sorted(quotas, key=lambda key: (-(quotas[key] - allocation[key]), key))
    for key in by_remainder[:left]:
        allocation[key] += 1
    return allocation
