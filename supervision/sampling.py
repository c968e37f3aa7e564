"""Sampling (抽验): proportional allocation over strata and a draw that a recorded seed reproduces.

Pure functions: the population comes in as a list of (key, stratum) pairs sorted by a stable key; the same seed
and the same population always give the same members in the same order.
"""

import random
import secrets
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def size_from_rate(population: int, rate: Decimal) -> int:
    """round(rate × N) half up, at least 1 when there is anyone to draw."""
    if population <= 0:
        return 0
    n = int((Decimal(population) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(population, max(1, n))


def allocate(strata: dict[str, int], size: int) -> dict[str, int]:
    """Proportional allocation with largest-remainder rounding (Hamilton's method).

    Each stratum gets floor(size × N_h / N); the seats left go to the largest fractional parts, ties broken by
    the stratum key order. No stratum gets more than it holds.
    """
    total = sum(strata.values())
    if total == 0 or size <= 0:
        return {key: 0 for key in strata}
    size = min(size, total)
    quotas = {key: Fraction(size * n, total) for key, n in strata.items()}
    seats = {key: int(q) for key, q in quotas.items()}
    left = size - sum(seats.values())
    order = sorted(strata, key=lambda key: (-(quotas[key] - seats[key]), key))
    for key in order[:left]:
        seats[key] += 1
    return seats


def new_seed() -> int:
    return secrets.randbelow(10**9)


def draw(population: list[tuple[str, str]], *, size: int, seed: int, stratified: bool = False):
    """Draw `size` keys from `population` [(key, stratum)].

    Returns (members [(key, stratum)], allocation {stratum: (N_h, n_h)}). Without stratification the whole
    population is one stratum "".
    """
    rng = random.Random(seed)
    ordered = sorted(population)
    if not stratified:
        n = min(size, len(ordered))
        return rng.sample(ordered, n), {"": (len(ordered), n)}
    strata: dict[str, list] = {}
    for key, stratum in ordered:
        strata.setdefault(stratum, []).append((key, stratum))
    seats = allocate({s: len(members) for s, members in strata.items()}, size)
    chosen = []
    for stratum in sorted(strata):
        chosen.extend(rng.sample(strata[stratum], seats[stratum]))
    return chosen, {s: (len(strata[s]), seats[s]) for s in sorted(strata)}
