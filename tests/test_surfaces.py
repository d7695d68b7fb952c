"""minigrad/surfaces.py: the test surfaces are graphs with exact gradients, their
formulas, and optimizers walking them (closed forms, divergence, Reddi's
problem)."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K, optimizers, surfaces


@pytest.mark.parametrize("name", sorted(surfaces.SURFACES))
def test_each_surface_is_a_graph_with_exact_gradients(name, float64):
    surface = surfaces.SURFACES[name]
    x, y = K.variable(0.7), K.variable(-0.3)
    assert mg.gradcheck(surface(x, y), [x, y])
    if surface.minimum is not None:
        assert surface.evaluate(*map(np.array, surface.minimum)) == pytest.approx(surface.min_value)
        at_minimum = [K.variable(value) for value in surface.minimum]
        gradients = K.gradients(surface(*at_minimum), at_minimum)
        np.testing.assert_allclose([K.eval(g) for g in gradients], 0.0, atol=1e-12)


def test_surfaces_evaluate_their_formulas_on_grids():
    xs, ys = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    np.testing.assert_allclose(surfaces.SURFACES["rosenbrock"].evaluate(xs, ys),
                               (1 - xs) ** 2 + 100 * (ys - xs ** 2) ** 2)
    np.testing.assert_allclose(surfaces.SURFACES["saddle"].evaluate(xs, ys), xs ** 2 - ys ** 2)
    with pytest.raises(ValueError, match="unknown surface"):
        surfaces.get("himmelblau")


def test_sgd_on_the_bowl_follows_the_closed_form(float64):
    lr, condition = 0.03, 25.0
    path = surfaces.descend("ill_conditioned", optimizers.SGD(lr=lr), steps=40)
    steps = np.arange(41)
    start = np.array(surfaces.SURFACES["ill_conditioned"].start)
    expected = np.stack([start[0] * (1 - lr) ** steps,
                         start[1] * (1 - lr * condition) ** steps], axis=1)
    np.testing.assert_allclose(path.points, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.losses, surfaces.SURFACES["ill_conditioned"].evaluate(
        path.points[:, 0], path.points[:, 1]), rtol=1e-12)
    assert path.steps == 40 and not path.diverged


def test_a_diverging_run_stops_and_says_so():
    path = surfaces.descend("rosenbrock", optimizers.SGD(lr=0.1), steps=100)
    assert path.diverged and path.steps < 100
    assert len(path.points) == len(path.losses) and np.all(np.isfinite(path.points))


def test_reddi_problem_adam_goes_to_the_worst_point_amsgrad_to_the_best():
    settings = dict(lr=0.01, beta_1=0.0, beta_2=1 / (1 + 3.0 ** 2))
    adam = surfaces.reddi_problem(optimizers.Adam(**settings), steps=1200)
    amsgrad = surfaces.reddi_problem(optimizers.Adam(amsgrad=True, **settings), steps=1200)
    assert adam.points[-1, 0] > 0.9 and amsgrad.points[-1, 0] < -0.9
    assert adam.losses[-1] > 0.5 > 0.2 > amsgrad.losses[-1]    # average regret
    assert (adam.label, amsgrad.label) == ("Adam", "AMSGrad")
