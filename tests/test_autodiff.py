"""minigrad/autodiff.py, K.gradients: symbolic results, None for unconnected
variables, scalar losses only, accumulation over several paths, gradients of
gradients, and each gradient in its variable's dtype."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K
from helpers import refusal_test


def test_gradients_are_graph_nodes_of_the_variables_shapes():
    w = K.variable(np.ones((3, 2)), name="w")
    b = K.variable(np.zeros(2), name="b")
    x = K.placeholder(shape=(None, 3), name="x")
    loss = K.mean(K.square(K.dot(x, w) + b))
    gw, gb = K.gradients(loss, [w, b])
    assert isinstance(gw, mg.Node) and gw.shape == (3, 2) and gb.shape == (2,)
    data = np.arange(6.0).reshape(2, 3)
    value_w, value_b = K.function([x], [gw, gb])([data])
    out = data @ np.ones((3, 2))
    np.testing.assert_allclose(value_w, data.T @ (2 * out / out.size), rtol=1e-6)
    np.testing.assert_allclose(value_b, (2 * out / out.size).sum(0), rtol=1e-6)


def test_unconnected_variables_get_none():
    a, b = K.variable(1.0), K.variable(2.0)
    assert K.gradients(a * 3, [a, b])[1] is None


def test_a_non_scalar_loss_is_refused():
    w = K.variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match=r"loss must be a scalar \(shape \(\)\), but .* has shape \(2,\)"):
        K.gradients(w * 2, [w])
    with pytest.raises(ValueError, match="loss must be a scalar"):
        K.gradients(K.sum(K.placeholder(shape=(None, 2)), axis=1), [w])


def test_contributions_from_several_paths_add_up():
    x = K.variable(3.0)
    (g,) = K.gradients(x * x + 2 * x + K.exp(x) * 0, [x])
    assert K.eval(g) == 8.0


def test_integer_paths_carry_no_gradient():
    x = K.variable(2.0)
    n = K.variable(3, dtype="int32")
    (gx, gn) = K.gradients(x * K.cast(n, "float32"), [x, n])
    assert K.eval(gx) == 3.0 and gn is None


def test_gradient_of_a_gradient_hessian_vector_product():
    K.set_floatx("float64")
    rng = np.random.default_rng(0)
    w = K.variable(rng.normal(size=(3,)), name="w")
    a = K.constant(rng.normal(size=(3, 3)))
    loss = K.sum(K.tanh(K.dot(a, K.expand_dims(w, -1))) ** 2) + K.sum(w ** 4)
    (g,) = K.gradients(loss, [w])
    v = rng.normal(size=(3,))
    (hv,) = K.gradients(K.sum(g * v), [w])
    # Finite differences of the gradient along v.
    evaluate_gradient = K.function([], [g])
    base = K.get_value(w)
    eps = 1e-6
    K.set_value(w, base + eps * v)
    plus = evaluate_gradient([])[0]
    K.set_value(w, base - eps * v)
    minus = evaluate_gradient([])[0]
    K.set_value(w, base)
    np.testing.assert_allclose(K.eval(hv), (plus - minus) / (2 * eps), rtol=1e-6)
    assert mg.gradcheck(K.sum(g * v), [w])


def test_second_derivative_of_a_scalar_function():
    x = K.variable(0.7, dtype="float64")
    (d1,) = K.gradients(x ** 3, [x])
    (d2,) = K.gradients(d1, [x])
    (d3,) = K.gradients(d2, [x])
    assert K.eval(d1) == pytest.approx(3 * 0.49) and K.eval(d2) == pytest.approx(6 * 0.7)
    assert K.eval(d3) == pytest.approx(6.0)


def test_gradcheck_catches_a_wrong_gradient():
    class WrongSquare(mg.Op):
        __slots__ = ()
        name = "wrong_square"

        def infer(self, x):
            return x.shape, x.dtype

        def forward(self, x):
            return x * x

        def vjp(self, node, g, i):
            return g * node.inputs[0]  # should be 2 x

    x = K.variable([1.0, 2.0], dtype="float64", name="x")
    with pytest.raises(mg.GradientCheckError, match=r"x\[0\]: symbolic 1, numeric 2"):
        mg.gradcheck(K.sum(WrongSquare()(x)), [x])


def test_gradcheck_needs_float64_variables():
    with pytest.raises(ValueError, match="finite differences need float64"):
        x = K.variable([1.0])
        mg.gradcheck(x * 2, [x])


def test_gradcheck_leaves_the_variables_exactly_as_they_were():
    x = K.variable([0.1, 0.2], dtype="float64")
    before = K.get_value(x)
    mg.gradcheck(K.sum(K.exp(x)), [x])
    assert K.get_value(x).tobytes() == before.tobytes()


def test_gradcheck_with_placeholders():
    x = K.placeholder(shape=(None, 2), dtype="float64", name="x")
    w = K.variable([[0.5], [-0.5]], dtype="float64")
    assert mg.gradcheck(K.tanh(K.dot(x, w)), [w], feeds={x: np.ones((3, 2))})


def test_a_batch_of_one_broadcast_against_a_batch_of_five_gets_summed_gradients():
    x = K.placeholder(shape=(None, 3), dtype="float64", name="x")
    y = K.placeholder(shape=(None, 3), dtype="float64", name="y")
    w = K.variable([0.5, -1.0, 2.0], dtype="float64", name="w")
    loss = K.sum(K.tanh(x * w) * y)
    gx, gw = K.gradients(loss, [x, w])
    x_data = np.array([[0.1, 0.2, 0.3]])
    y_data = np.arange(15.0).reshape(5, 3)
    value_x, value_w = K.function([x, y], [gx, gw])([x_data, y_data])
    slope = (1 - np.tanh(x_data * [0.5, -1.0, 2.0]) ** 2) * y_data.sum(axis=0)
    np.testing.assert_allclose(value_x, slope * [0.5, -1.0, 2.0])
    np.testing.assert_allclose(value_w, (slope * x_data)[0])


def test_equal_static_shapes_add_no_sum_like_to_the_program():
    x = K.placeholder(shape=(None, 3), name="x")
    w = K.variable(np.ones((3, 1)), name="w")
    (g,) = K.gradients(K.mean(K.square(K.tanh(K.dot(x, w)))), [w])
    assert "sum_like" not in K.function([x], [g]).source


def test_numerical_gradients_need_a_scalar_loss():
    x = K.variable([1.0, 2.0], dtype="float64", name="x")
    with pytest.raises(ValueError, match="numerical_gradients: loss must be a scalar"):
        mg.numerical_gradients(x * 2, [x])


def test_gradcheck_refuses_a_nan_gradient():
    class NanGradient(mg.Op):
        __slots__ = ()
        name = "nan_gradient"

        def infer(self, x):
            return x.shape, x.dtype

        def forward(self, x):
            return x * 1.0

        def vjp(self, node, g, i):
            return g * np.nan

    x = K.variable([1.0, 2.0], dtype="float64", name="x")
    with pytest.raises(mg.GradientCheckError, match=r"x\[0\]: symbolic nan"):
        mg.gradcheck(K.sum(NanGradient()(x)), [x])


def test_a_float32_variable_mixed_with_float64_gets_a_float32_gradient():
    from minigrad import optimizers
    w = K.variable([1.0, 2.0], name="w")
    loss = K.sum(w * K.constant([3.0, 4.0], dtype="float64"))
    assert loss.dtype == np.float64
    (g,) = K.gradients(loss, [w])
    assert g.dtype == np.float32 and K.eval(g).tolist() == [3.0, 4.0]
    K.function([], [], updates=optimizers.SGD(lr=0.1).get_updates(loss, [w]))([])
    np.testing.assert_allclose(K.get_value(w), [0.7, 1.6], rtol=1e-6)


test_bad_arguments_are_refused = refusal_test({
    "loss not a tensor": (TypeError, "gradients: loss must be a tensor, got 3.0",
                          lambda: K.gradients(3.0, [K.variable(1.0)])),
})
