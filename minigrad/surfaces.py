"""Test functions for optimizers, written as graphs, and a way to walk them.

Each 2-D function takes two tensors ``x`` and ``y`` (anything the backend
accepts: variables, placeholders, numbers) and *builds a graph*; nothing is
computed until a compiled function runs it. The same graph therefore gives
the loss an optimizer minimises, its gradients, and the contour plot:

* `rosenbrock` -- a long curved valley, minimum at ``(1, 1)``;
* `beale` -- flat plateaus and steep walls, minimum at ``(3, 0.5)``;
* `saddle` -- ``x**2 - y**2``: no minimum, a saddle point at the origin;
* `ill_conditioned` -- an elongated bowl, curvatures 1 and ``condition``.

`SURFACES` describes each with a good window and starting point;
`descend` runs an optimizer on one and returns its `Trajectory`.
`reddi_problem` is Reddi, Kale and Kumar's (2018) online problem on
which Adam converges to the *worst* point, the reason AMSGrad exists.
"""

import numpy as np

from . import backend as K


# --------------------------------------------------------------------------
# The functions, as graphs

def rosenbrock(x, y, a=1.0, b=100.0):
    """Rosenbrock's valley ``(a - x)**2 + b * (y - x**2)**2``; minimum 0 at ``(a, a**2)``.

    >>> float(K.eval(rosenbrock(K.constant(1.0), K.constant(1.0))))
    0.0
    """
    return K.square(a - x) + b * K.square(y - K.square(x))


def beale(x, y):
    """Beale's function; minimum 0 at ``(3, 0.5)``.

    >>> float(K.eval(beale(K.constant(3.0), K.constant(0.5))))
    0.0
    """
    return (K.square(1.5 - x + x * y) + K.square(2.25 - x + x * K.square(y))
            + K.square(2.625 - x + x * y * K.square(y)))


def saddle(x, y):
    """``x**2 - y**2``: flat at the origin, which is a saddle, not a minimum.

    >>> float(K.eval(saddle(K.constant(2.0), K.constant(1.0))))
    3.0
    """
    return K.square(x) - K.square(y)


def ill_conditioned(x, y, condition=25.0):
    """The bowl ``(x**2 + condition * y**2) / 2``: curvature 1 along ``x``,
    ``condition`` along ``y``; minimum 0 at the origin.

    >>> float(K.eval(ill_conditioned(K.constant(2.0), K.constant(0.0))))
    2.0
    """
    return 0.5 * (K.square(x) + condition * K.square(y))


class Surface:
    """A 2-D test function with the facts a plot needs.

    Each argument is kept as the attribute of the same name. Calling the
    surface builds its graph: ``SURFACES['beale'](x, y)``.

    Args:
        name: a short name, for titles.
        function: builds the graph of the value from two tensors ``x, y``.
        minimum: the point ``(x, y)`` of the minimum, or ``None``.
        min_value: the value there, or ``None``.
        start: a starting point that shows the function's character.
        xlim: the ``(low, high)`` window along ``x`` for plots.
        ylim: the window along ``y``.
        log_scale: whether contours and losses read best on a log scale.

    >>> bowl = Surface('bowl', lambda x, y: K.square(x) + K.square(y), minimum=(0.0, 0.0),
    ...                min_value=0.0, start=(1.0, 1.0), xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
    ...                log_scale=False)
    >>> bowl
    <Surface bowl: start (1.0, 1.0), minimum (0.0, 0.0)>
    >>> float(K.eval(bowl(K.constant(1.0), K.constant(2.0))))
    5.0
    """

    def __init__(self, name, function, minimum, min_value, start, xlim, ylim, log_scale):
        self.name = name
        self.function = function
        self.minimum = minimum
        self.min_value = min_value
        self.start = start
        self.xlim = xlim
        self.ylim = ylim
        self.log_scale = log_scale
        self._grid_function = None

    def __call__(self, x, y):
        return self.function(x, y)

    def evaluate(self, xs, ys):
        """The function's values at arrays ``xs`` and ``ys`` (same shape), via its graph.

        >>> SURFACES['rosenbrock'].evaluate(np.array([1.0, 0.0]), np.array([1.0, 0.0]))
        array([0., 1.])
        """
        if self._grid_function is None:  # compiled once, reused for every grid
            x = K.placeholder(shape=(None,), dtype="float64", name="x")
            y = K.placeholder(shape=(None,), dtype="float64", name="y")
            self._grid_function = K.function([x, y], [self.function(x, y)], name=self.name)
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        (values,) = self._grid_function([xs.ravel(), ys.ravel()])
        return values.reshape(xs.shape)

    def __repr__(self):
        return f"<Surface {self.name}: start {self.start}, minimum {self.minimum}>"


#: The shipped surfaces by name, each with a window and a telling start.
SURFACES = {
    "rosenbrock": Surface("rosenbrock", rosenbrock, (1.0, 1.0), 0.0, (-1.5, 2.0),
                          (-2.0, 2.0), (-1.0, 3.0), True),
    "beale": Surface("beale", beale, (3.0, 0.5), 0.0, (1.0, 1.5),
                     (-1.0, 4.5), (-1.5, 2.0), True),
    "saddle": Surface("saddle", saddle, None, None, (-1.0, 0.001),
                      (-1.2, 1.2), (-1.2, 1.2), False),
    "ill_conditioned": Surface("ill_conditioned", ill_conditioned, (0.0, 0.0), 0.0, (-2.0, 0.6),
                               (-2.5, 2.5), (-1.0, 1.0), True),
}


def get(surface):
    """A `Surface` by name (or the surface itself).

    Raises:
        ValueError: an unknown name (the message lists the known ones).

    >>> get('beale')
    <Surface beale: start (1.0, 1.5), minimum (3.0, 0.5)>
    >>> get('himmelblau')
    Traceback (most recent call last):
    ValueError: unknown surface 'himmelblau'; choose from ['beale', ...]
    """
    if isinstance(surface, Surface):
        return surface
    try:
        return SURFACES[surface]
    except KeyError:
        raise ValueError(f"unknown surface {surface!r}; choose from {sorted(SURFACES)}") from None


# --------------------------------------------------------------------------
# Walking a surface with an optimizer

class Trajectory:
    """Where an optimizer went: ``points`` (one row per step, the start
    first) and ``losses`` (the loss at each of those points).

    ``diverged`` is true when the run stopped early on a non-finite value.

    Args:
        label: the name shown in legends.
        points: one point per row, the start first (kept as float64).
        losses: the loss at each point (kept as float64).
        diverged: whether the run stopped early on a non-finite value.

    >>> path = Trajectory('by hand', [[1.0, 1.0], [0.5, 0.5]], [2.0, 0.5])
    >>> path
    <Trajectory by hand: 1 steps, final loss 0.5>
    >>> path.points[-1]
    array([0.5, 0.5])
    """

    def __init__(self, label, points, losses, diverged=False):
        self.label = label
        self.points = np.asarray(points, dtype=np.float64)
        self.losses = np.asarray(losses, dtype=np.float64)
        self.diverged = diverged

    @property
    def steps(self):
        """How many optimizer steps were taken (one less than the points).

        >>> Trajectory('demo', [[0.0], [1.0], [2.0]], [3.0, 0.5, 0.01]).steps
        2
        """
        return len(self.points) - 1

    def steps_to(self, tolerance, target=0.0):
        """The first step at which the loss is within ``tolerance`` of
        ``target``, or ``None`` if it never gets there.

        >>> Trajectory("demo", [[0], [1], [2]], [3.0, 0.5, 0.01]).steps_to(0.1)
        2
        """
        close = np.nonzero(np.abs(self.losses - target) <= tolerance)[0]
        return int(close[0]) if close.size else None

    def __repr__(self):
        return (f"<Trajectory {self.label}: {self.steps} steps, final loss "
                f"{self.losses[-1]:.4g}{' (diverged)' if self.diverged else ''}>")


def descend(surface, optimizer, steps=300, start=None, label=None, dtype=None):
    """Run ``optimizer`` on a 2-D surface for ``steps`` steps; a `Trajectory`.

    The point ``(x, y)`` is two scalar variables; the optimizer's
    ``get_updates`` and one ``K.function`` do the rest, exactly as in
    training a model. A run stops early if the point or the loss stops
    being finite (``trajectory.diverged``).

    Args:
        surface: a `Surface` or its name in `SURFACES`.
        optimizer: a fresh optimizer (it keeps its state in variables, so
            use one instance per run).
        steps: how many steps to take.
        start: the starting point; ``surface.start`` by default.
        label: the trajectory's name; the optimizer's class name by default.
        dtype: of the point; ``K.floatx()`` by default.

    >>> from minigrad import optimizers
    >>> path = descend('ill_conditioned', optimizers.SGD(lr=0.04), steps=3, dtype='float64')
    >>> path.points.round(4).tolist()        # x shrinks 4% a step; y is gone in one
    [[-2.0, 0.6], [-1.92, 0.0], [-1.8432, 0.0], [-1.7695, 0.0]]
    >>> path
    <Trajectory SGD: 3 steps, final loss 1.566>
    """
    surface = get(surface)
    start = surface.start if start is None else start
    x = K.variable(start[0], dtype=dtype, name="x")
    y = K.variable(start[1], dtype=dtype, name="y")
    loss = surface(x, y)
    step = K.function([], [loss], updates=optimizer.get_updates(loss, [x, y]),
                      name=f"{type(optimizer).__name__.lower()}_step")
    measure = K.function([], [loss], name="loss")
    points, losses, diverged = [tuple(start)], [], False
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported, not warned
        points, losses, diverged = _walk(step, x, y, steps, points, losses)
    if not diverged:
        losses.append(float(measure([])[0]))
    else:
        points = points[:len(losses)]
    return Trajectory(label or optimizer_label(optimizer), points, losses, diverged)


def _walk(step, x, y, steps, points, losses):
    """Call ``step`` until done or until the point or loss is no longer finite."""
    for _ in range(steps):
        (value,) = step([])
        losses.append(float(value))
        point = (float(K.get_value(x)), float(K.get_value(y)))
        if not np.all(np.isfinite(point + (losses[-1],))):
            losses.pop()
            return points, losses, True
        points.append(point)
    return points, losses, False


def optimizer_label(optimizer):
    """``'SGD'``, ``'Adam'``, ``'AMSGrad'`` (an ``Adam(amsgrad=True)`` too): a legend entry.

    >>> from minigrad import optimizers
    >>> optimizer_label(optimizers.SGD()), optimizer_label(optimizers.Adam(amsgrad=True))
    ('SGD', 'AMSGrad')
    """
    name = type(optimizer).__name__
    return "AMSGrad" if name == "Adam" and getattr(optimizer, "amsgrad", False) else name


# --------------------------------------------------------------------------
# Reddi et al.'s counterexample for Adam

def reddi_coefficient(t, big=3.0, small=-1.0, period=3):
    """The slope of Reddi et al.'s online loss ``f_t(x) = c_t * x`` at step ``t`` (from 1):
    ``big`` once every ``period`` steps, ``small`` otherwise.

    Over a period the slopes add up to ``big + (period - 1) * small > 0``, so
    the best fixed point in ``[-1, 1]`` is ``x = -1``; but the rare big
    gradient is forgotten by Adam's short memory (``beta_2``), so Adam
    drifts to ``x = +1``, the worst point.

    >>> [reddi_coefficient(t) for t in range(1, 7)]
    [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]
    """
    return big if t % period == 1 else small


def reddi_problem(optimizer, steps=1500, big=3.0, small=-1.0, period=3, start=0.0):
    """Run ``optimizer`` on Reddi et al.'s online problem; a `Trajectory` of ``x``.

    ``x`` is a variable constrained to ``[-1, 1]`` (the optimizer applies
    the constraint, as Keras does); each step feeds the slope
    `reddi_coefficient`. ``losses`` holds the *average regret* after
    each step, ``sum_t f_t(x_t) - f_t(-1)`` divided by ``t``; it goes to zero
    only if the optimizer finds ``x = -1``. With ``big = C = 3``, Reddi et al.'s
    Theorem 1 uses ``beta_1 = 0`` and ``beta_2 = 1 / (1 + C**2)``.

    Args:
        optimizer: a fresh optimizer (one instance per run).
        steps: how many online steps to take.
        big: the rare slope, once every ``period`` steps.
        small: the slope of the other steps.
        period: how often the big slope comes (see `reddi_coefficient`).
        start: the first ``x``.

    With those settings, Adam ends each period at the worst point ``+1``
    while AMSGrad stays near the best, ``-1``, and its regret shrinks:

    >>> from minigrad import optimizers
    >>> adam = reddi_problem(optimizers.Adam(lr=0.5, beta_1=0.0, beta_2=0.1), steps=300)
    >>> amsgrad = reddi_problem(optimizers.AMSGrad(lr=0.5, beta_1=0.0, beta_2=0.1), steps=300)
    >>> adam.points[-3:, 0].round(2), amsgrad.points[-3:, 0].round(2)   # the last period
    (array([0.48, 0.86, 1.  ]), array([-1.  , -0.83, -0.65]))
    >>> print(f"average regret: Adam {adam.losses[-1]:.2f}, AMSGrad {amsgrad.losses[-1]:.2f}")
    average regret: Adam 0.88, AMSGrad 0.30
    """
    x = K.variable(start, dtype="float64", name="x",
                   constraint=lambda value: K.clip(value, -1.0, 1.0))
    slope = K.placeholder(shape=(), dtype="float64", name="slope")
    loss = slope * x
    step = K.function([slope], [loss], updates=optimizer.get_updates(loss, [x]),
                      name="reddi_step")
    points, regrets, regret = [[start]], [0.0], 0.0
    for t in range(1, steps + 1):
        c = reddi_coefficient(t, big, small, period)
        (value,) = step([c])
        regret += float(value) - c * -1.0
        points.append([float(K.get_value(x))])
        regrets.append(regret / t)
    return Trajectory(optimizer_label(optimizer), points, regrets)
