"""Values crossing into variables and placeholders: the one conversion rule
for numbers that come from outside (a fed array, ``K.set_value``), and the
one way new arrays are installed in variables, all together or not at all.

Both the executor (feeds, the commit of a call) and ``minigrad.tensors``
(``set_value``) use them; the lock they run under, ``VALUES_LOCK``, sits
with ``Variable`` in ``minigrad.graph``.
"""

import itertools

import numpy as np


def install(variables, arrays):
    """Give each variable its new array, in one step that nothing can split.

    ``map`` and ``setattr`` are C functions, so no Python bytecode runs
    between two assignments, and CPython runs signal handlers (where
    ``KeyboardInterrupt`` is raised) and switches threads only between
    bytecodes: the variables change all together or not at all. Everything
    that could fail (checks, copies) is done before.
    """
    any(map(setattr, variables, itertools.repeat("_value"), arrays))  # setattr gives None: runs to the end


def convert(value, dtype, what, verb="fed to it"):
    """``value`` as an array of ``dtype``: the rule for numbers that come from
    outside, fed to a placeholder or given to ``set_value``.

    Only numbers (not ``None``, strings or objects), and converted only when
    no value is lost: an integer that would wrap around, a float that is not
    a whole number given to an integer tensor (2.7; 2.0 is fine) or a finite
    float that would overflow to infinity (1e40 in float32) raises
    ``TypeError`` naming ``what``.

    >>> convert([1, 2], np.dtype('float32'), "placeholder 'x'")
    array([1., 2.], dtype=float32)
    >>> convert([1e40], np.dtype('float32'), "placeholder 'x'")
    Traceback (most recent call last):
    TypeError: placeholder 'x' has dtype float32; the float64 array fed to it cannot be converted without losing values
    """
    try:
        array = np.asarray(value)
    except Exception as error:
        raise TypeError(f"{what}: cannot convert the value {verb} to an array ({error})") from None
    if array.dtype == dtype:
        return array
    with np.errstate(over="ignore", invalid="ignore"):  # a loss is reported below, by name
        converted = array.astype(dtype) if array.dtype.kind in "biuf" else None
    if converted is None or _lost(array, converted):
        raise TypeError(f"{what} has dtype {dtype.name}; the {array.dtype.name} array {verb} "
                        "cannot be converted without losing values")
    return converted


def _lost(original, converted):
    """Whether converting changed more than float rounding: an integer that
    wrapped around, a float that was not a whole number given to an integer
    tensor (``1.0`` is fine: Keras feeds the learning phase so), or a finite
    float that overflowed to infinity."""
    if converted.dtype.kind in "iub":
        return not np.array_equal(original, converted)
    return bool(np.any(np.isinf(converted) & np.isfinite(original)))
