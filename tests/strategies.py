"""Hypothesis strategies shared by the op tests: shapes, broadcasting pairs,
axes, and arrays kept inside an op's domain and away from its kinks."""

import numpy as np
from hypothesis import strategies as st

small_dims = st.integers(min_value=1, max_value=4)


@st.composite
def shapes(draw, min_rank=0, max_rank=3):
    return tuple(draw(st.lists(small_dims, min_size=min_rank, max_size=max_rank)))


@st.composite
def shapes_with_axis(draw):
    """A shape of rank >= 1 and one of its axes (maybe negative): ``(shape, axis)``."""
    shape = draw(shapes(min_rank=1))
    return shape, draw(st.integers(-len(shape), len(shape) - 1))


@st.composite
def broadcastable_pairs(draw, min_rank=0, max_rank=3):
    """Two shapes that broadcast together: the second drops some leading
    axes of the first and squashes some of the rest to 1 (or the reverse)."""
    full = draw(shapes(min_rank, max_rank))
    dropped = draw(st.integers(min_value=0, max_value=len(full)))
    other = tuple(1 if draw(st.booleans()) else dim for dim in full[dropped:])
    return (full, other) if draw(st.booleans()) else (other, full)


@st.composite
def axes_for(draw, rank):
    """An ``axis`` argument for a tensor of ``rank``: None, an int (maybe
    negative) or a list of distinct axes."""
    if rank == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "list"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(min_value=-rank, max_value=rank - 1))
    chosen = draw(st.lists(st.integers(min_value=0, max_value=rank - 1),
                           min_size=1, max_size=rank, unique=True))
    return [axis - rank if draw(st.booleans()) else axis for axis in chosen]


# Domains: where an op's gradient exists and finite differences are reliable.
DOMAINS = {
    "real": (-2.0, 2.0),
    "positive": (0.3, 2.0),
    "unit": (0.05, 0.95),
}


@st.composite
def arrays(draw, shape, domain="real", away_from=(), margin=0.05):
    """A float64 array of ``shape`` drawn from ``domain``, with every entry
    at least ``margin`` from each point of ``away_from`` (an op's kinks)."""
    low, high = DOMAINS[domain]
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    values = np.random.default_rng(seed).uniform(low, high, size=shape)
    for kink in away_from:
        close = np.abs(values - kink) < margin
        values = np.where(close, kink + np.where(values >= kink, margin, -margin) * 2, values)
    return values
