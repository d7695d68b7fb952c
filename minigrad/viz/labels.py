"""Words for pictures: how a node, an op and a value are described on a drawing.

Every view of a graph (the matplotlib drawing, the DOT text, the trace table)
describes things the same way, so the same node reads the same everywhere,
and its name is the identifier ``f.source`` uses for it.
"""

import numpy as np

from ..graph import Constant, Placeholder, Variable, format_shape


def style_of(node):
    """The style of a node's box (its colours, and its word in a trace table):
    ``'placeholder'``, ``'variable'``, ``'constant'`` or ``'op'``.

    >>> from minigrad import backend as K
    >>> style_of(K.placeholder(shape=(2,))), style_of(K.variable(1.0) * 2)
    ('placeholder', 'op')
    """
    if isinstance(node, Placeholder):
        return "placeholder"
    if isinstance(node, Variable):
        return "variable"
    if isinstance(node, Constant):
        return "constant"
    return "op"


def describe_op(node):
    """A short description of what produces ``node``.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None, 3))
    >>> describe_op(K.sum(x, axis=1))
    'sum axes=(1,)'
    >>> describe_op(x)
    'placeholder'
    """
    if node.op is None:
        return style_of(node)
    return " ".join([node.op.name] + shown_params(node))


def shown_params(node):
    """The parameters of ``node``'s op worth showing, as ``key=value`` strings.

    Default-valued flags add noise, not information; 0 (an axis) is information.

    >>> from minigrad import backend as K
    >>> shown_params(K.sum(K.placeholder(shape=(2, 3)), axis=0))
    ['axes=(0,)']
    """
    return [f"{key}={value!r}" for key, value in node.op.params().items()
            if value is not None and value is not False]


def describe_node(node):
    """Two lines: the node's name, then what it is and its static shape.

    >>> from minigrad import backend as K
    >>> print(describe_node(K.placeholder(shape=(None, 3), name='x')))
    x
    placeholder (None, 3)
    """
    return f"{node.name}\n{describe_op(node)} {format_shape(node.shape)}"


def brief(value, width=28):
    """A value in at most ``width`` characters: small arrays in full, bigger
    ones by their shape and mean.

    >>> brief(np.float32(0.5))
    '0.5'
    >>> brief(np.array([1.0, 2.0, 3.0]))
    '[1, 2, 3]'
    >>> brief(np.zeros((256, 3)))
    '(256, 3) mean 0'
    """
    array = np.asarray(value)
    if array.dtype.kind == "b":
        array = array.astype(int)
    if array.ndim == 0:
        return _clip(f"{array.item():.4g}", width)
    if array.size <= 4:
        text = np.array2string(array, precision=3, separator=", ", floatmode="maxprec",
                               formatter={"float_kind": lambda v: f"{v:.4g}"})
        text = " ".join(text.split())
        if len(text) <= width:
            return text
    return _clip(f"{array.shape} mean {float(array.mean()):.3g}", width)


def _clip(text, width):
    return text if len(text) <= width else text[:width - 1] + "…"
