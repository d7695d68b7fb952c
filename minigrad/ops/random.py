"""Random draws: ``random_normal``, ``random_uniform``, ``random_binomial``,
``truncated_normal``, ``dropout`` and the ``random_*_variable`` initialisers.

A random node is an op with no (or one shape-giving) input whose forward
*draws*: every evaluation of the node -- every call of a compiled function,
every ``K.eval`` -- gives fresh numbers. Within one call a node is computed
once, so ``x * mask`` and the gradient that reuses ``mask`` see the same draw.

Each node owns its generator, ``np.random.default_rng(seed)``, made when the
node is built. The same ``seed`` therefore gives the same *sequence* of
draws, call after call, whatever else the program draws. Without a seed,
the seed is drawn from NumPy's global generator (``np.random.randint``), as
all three Keras 2 backends do, so ``np.random.seed(0)`` at the top of a
script makes a whole run -- Keras's initialisers and dropout included --
repeatable.

Draws do not depend smoothly on anything, so no gradient flows through them
(for ``dropout``, the gradient flows through ``x``, scaled by the same mask).
Random ops set ``stateful = True``: a pass that caches or folds constant
subgraphs must leave them alone.
"""

import numpy as np

from .. import config
from ..graph import Constant, Node, Op, Variable, format_shape, is_fully_known
from .elementwise import cast, to_float
from .shape import shape_tensor, stack
from .utility import Shape


def generator(seed=None):
    """A new NumPy generator for ``seed``; with no seed, one seeded from
    NumPy's global generator (so ``np.random.seed`` makes runs repeatable).

    >>> import numpy as np
    >>> np.random.seed(0); a = generator().random()
    >>> np.random.seed(0); a == generator().random()
    True
    """
    if seed is None:
        seed = np.random.randint(10_000_000)
    return np.random.default_rng(seed)


class Random(Op):
    """Draw an array of static ``shape`` at each evaluation.

    ``None`` entries of ``shape`` are sizes known only at run time: they are
    read from the optional input ``dims``, a 1-D integer tensor holding the
    whole shape (``K.shape(x)``, say), so a draw can match a tensor whose
    batch size is known only then. Subclasses define ``draw``.

    >>> from minigrad import backend as K
    >>> K.random_normal((2, 3), seed=1).op
    random_normal(shape=(2, 3), dtype='float32', mean=0.0, stddev=1.0, seed=1)
    """
    __slots__ = ("shape", "dtype", "seed", "generator")
    name = "random"
    stateful = True

    def __init__(self, shape, dtype=None, seed=None):
        self.shape = tuple(None if dim is None else int(dim) for dim in shape)
        self.dtype = config.as_dtype(dtype)
        if self.dtype.kind != "f":
            raise ValueError(f"{self.name}: dtype must be a float type, got {self.dtype.name}")
        self.seed = seed
        self.generator = generator(seed)

    def infer(self, *dims):
        if not dims:
            if not is_fully_known(self.shape):
                raise ValueError(f"{self.name}: shape {format_shape(self.shape)} must be fully known")
        elif dims[0].shape != (len(self.shape),) or dims[0].dtype.kind not in "iu":
            raise ValueError(f"{self.name}: the run-time shape must be a 1-D integer tensor of "
                             f"length {len(self.shape)}, got shape {format_shape(dims[0].shape)} "
                             f"dtype {dims[0].dtype.name}")
        return self.shape, self.dtype

    def forward(self, *dims):
        shape = self.shape
        if dims:
            shape = tuple(int(size) if dim is None else dim for dim, size in zip(shape, dims[0]))
        return np.asarray(self.draw(shape)).astype(self.dtype, copy=False)

    def draw(self, shape):
        raise NotImplementedError

    def params(self):
        params = {"shape": self.shape, "dtype": self.dtype.name}
        for cls in reversed(type(self).__mro__[:type(self).__mro__.index(Random)]):
            params.update({slot: getattr(self, slot) for slot in cls.__slots__})
        if self.seed is not None:
            params["seed"] = self.seed
        return params


class RandomNormal(Random):
    """Normal draws: ``y ~ N(mean, stddev ** 2)``, entry by entry."""
    __slots__ = ("mean", "stddev")
    name = "random_normal"

    def __init__(self, shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        super().__init__(shape, dtype, seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def draw(self, shape):
        return self.generator.normal(self.mean, self.stddev, shape)


class TruncatedNormal(RandomNormal):
    """Normal draws in ``[mean - 2 stddev, mean + 2 stddev]``: any draw
    beyond two standard deviations is drawn again (``tf.truncated_normal``)."""
    __slots__ = ()
    name = "truncated_normal"

    def draw(self, shape):
        z = self.generator.standard_normal(shape)
        outside = np.abs(z) > 2
        while outside.any():
            z[outside] = self.generator.standard_normal(int(outside.sum()))
            outside = np.abs(z) > 2
        return self.mean + self.stddev * z


class RandomUniform(Random):
    """Uniform draws in ``[minval, maxval)``."""
    __slots__ = ("minval", "maxval")
    name = "random_uniform"

    def __init__(self, shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
        super().__init__(shape, dtype, seed)
        self.minval, self.maxval = float(minval), float(maxval)

    def draw(self, shape):
        return self.generator.uniform(self.minval, self.maxval, shape)


class RandomBinomial(Random):
    """1 with probability ``p``, else 0 (Keras 2: ``uniform <= p``)."""
    __slots__ = ("p",)
    name = "random_binomial"

    def __init__(self, shape, p=0.0, dtype=None, seed=None):
        super().__init__(shape, dtype, seed)
        self.p = float(p)

    def draw(self, shape):
        return self.generator.uniform(0.0, 1.0, shape) <= self.p


def _random(op_class, shape, *args, what):
    """A node of ``op_class``: ``shape`` is a tuple of ints (scalar int tensors
    allowed among them, as in ``(K.shape(x)[0], 3)``) or a 1-D int tensor."""
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    if not isinstance(shape, Node) and not any(isinstance(dim, Node) for dim in shape):
        if not all(isinstance(dim, (int, np.integer)) and dim >= 0 for dim in shape):
            raise ValueError(f"{what}: shape entries must be non-negative ints or scalar int "
                             f"tensors, got {tuple(shape)!r}")
        return op_class(shape, *args)()
    static, dims = shape_tensor(shape, what)
    return op_class(static, *args)(dims)


def _known_shape(shape, what):
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if not all(isinstance(dim, (int, np.integer)) and dim >= 0 for dim in shape):
        raise ValueError(f"{what}: a variable needs a shape of non-negative ints, got {shape!r}")
    return tuple(int(dim) for dim in shape)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """A tensor of normal draws, ``N(mean, stddev ** 2)``, fresh at every evaluation.

    >>> from minigrad import backend as K
    >>> x = K.random_normal((2, 3), seed=1)
    >>> K.int_shape(x), K.eval(x).dtype
    ((2, 3), dtype('float32'))
    >>> bool((K.eval(x) != K.eval(x)).all())   # a new draw each time
    True
    """
    return _random(RandomNormal, shape, mean, stddev, dtype, seed, what="random_normal")


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """A tensor of uniform draws in ``[minval, maxval)``, fresh at every evaluation.

    >>> from minigrad import backend as K
    >>> v = K.eval(K.random_uniform((1000,), -2., 2., seed=0))
    >>> bool(v.min() >= -2 and v.max() < 2)
    True
    """
    return _random(RandomUniform, shape, minval, maxval, dtype, seed, what="random_uniform")


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """A tensor of 0s and 1s, each 1 with probability ``p``.

    >>> from minigrad import backend as K
    >>> K.eval(K.random_binomial((4,), p=1.0, seed=0))
    array([1., 1., 1., 1.], dtype=float32)
    """
    return _random(RandomBinomial, shape, p, dtype, seed, what="random_binomial")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal draws with everything beyond two standard deviations redrawn,
    so every entry lies in ``[mean - 2 stddev, mean + 2 stddev]``.

    >>> from minigrad import backend as K
    >>> v = K.eval(K.truncated_normal((1000,), mean=1., stddev=0.5, seed=0))
    >>> bool(v.min() >= 0 and v.max() <= 2)
    True
    """
    return _random(TruncatedNormal, shape, mean, stddev, dtype, seed, what="truncated_normal")


def dropout(x, level, noise_shape=None, seed=None):
    """Zero each entry of ``x`` with probability ``level`` and scale the rest
    by ``1 / (1 - level)``, so the expected value is unchanged:
    ``y = x / (1 - level) * mask`` with ``mask ~ Bernoulli(1 - level)``.

    ``noise_shape`` (default: the shape of ``x``) is the shape of the mask,
    broadcast against ``x``: a 1 there shares one draw along that axis and
    ``None`` takes ``x``'s size. A fresh mask is drawn at every evaluation;
    the gradient is ``g / (1 - level) * mask`` with the same mask.

    >>> from minigrad import backend as K
    >>> y = K.eval(K.dropout(K.ones((1000,)), 0.25, seed=0))
    >>> sorted(set(y.round(4).tolist()))
    [0.0, 1.3333]
    """
    level = float(level)
    if not 0 <= level < 1:
        raise ValueError(f"dropout: level must be in [0, 1), got {level}")
    x = to_float(x)
    shape = (None,) * x.ndim if noise_shape is None else tuple(noise_shape)
    if len(shape) != x.ndim or any(not isinstance(dim, Node) and dim not in (None, 1, size)
                                   and size is not None for dim, size in zip(shape, x.shape)):
        raise ValueError(f"dropout: noise_shape {shape} does not fit x of shape "
                         f"{format_shape(x.shape)}")
    keep = 1.0 - level
    static = tuple(None if isinstance(dim, Node) else size if dim is None else dim
                   for dim, size in zip(shape, x.shape))
    op = RandomBinomial(static, keep, x.dtype, seed)
    mask = op() if is_fully_known(static) else op(Shape()(x) if noise_shape is None else _dims(shape, x))
    return x / keep * mask


def _dims(noise_shape, x):
    """The run-time noise shape: ``x``'s size where ``noise_shape`` has ``None``,
    and the value of a scalar tensor where it has one (Keras's
    ``noise_shape=(K.shape(x)[0], 1, ...)``)."""
    sizes = Shape()(x)
    return stack([sizes[axis] if dim is None else cast(dim, "int32") if isinstance(dim, Node)
                  else Constant(np.int32(dim)) for axis, dim in enumerate(noise_shape)])


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable whose initial value is drawn from ``N(mean, scale ** 2)`` (once).

    >>> from minigrad import backend as K
    >>> w = K.random_normal_variable((2, 2), 0., 1., seed=3)
    >>> K.get_value(w).shape
    (2, 2)
    """
    value = generator(seed).normal(mean, scale, _known_shape(shape, "random_normal_variable"))
    return Variable(value, dtype, name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable whose initial value is drawn uniformly from ``[low, high)`` (once).

    >>> from minigrad import backend as K
    >>> w = K.random_uniform_variable((3,), 0., 1., seed=3)
    >>> bool(((K.get_value(w) >= 0) & (K.get_value(w) < 1)).all())
    True
    """
    value = generator(seed).uniform(low, high, _known_shape(shape, "random_uniform_variable"))
    return Variable(value, dtype, name)

