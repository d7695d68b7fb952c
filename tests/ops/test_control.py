"""minigrad/ops/control.py: loops, unrolled -- map_fn, foldl, foldr and rnn
(against a NumPy loop, masked and backwards, with gradients)."""

import numpy as np
import pytest

import minigrad as mg
from minigrad import backend as K
from helpers import refusal_test


def test_map_fn_foldl_foldr():
    value = np.random.default_rng(7).normal(size=(3, 4))
    x = K.variable(value, dtype="float64")
    out = K.map_fn(lambda row: K.sum(K.square(row)) * row[0], x)
    np.testing.assert_allclose(K.eval(out), (value ** 2).sum(1) * value[:, 0])
    assert K.int_shape(out) == (3,)
    assert mg.gradcheck(out, [x])
    left = K.foldl(lambda acc, row: acc * 0.5 + row, x)
    right = K.foldr(lambda acc, row: acc * 0.5 + row, x, initializer=K.zeros((4,), dtype="float64"))
    expected_left, expected_right = value[0], np.zeros(4)
    for row in value[1:]:
        expected_left = expected_left * 0.5 + row
    for row in value[::-1]:
        expected_right = expected_right * 0.5 + row
    np.testing.assert_allclose(K.eval(left), expected_left)
    np.testing.assert_allclose(K.eval(right), expected_right)
    assert mg.gradcheck(left * right, [x])
    with pytest.raises(ValueError, match=r"number of steps.*\(None, 4\)"):
        K.map_fn(lambda row: row, K.placeholder(shape=(None, 4)))


def np_simple_rnn(x, w, u, h0, mask=None, go_backwards=False):
    steps = range(x.shape[1])[::-1] if go_backwards else range(x.shape[1])
    h, outputs, previous = h0, [], np.zeros_like(h0)
    for t in steps:
        new = np.tanh(x[:, t] @ w + h @ u)
        if mask is not None:
            keep = mask[:, t][:, None]
            new_output = np.where(keep, new, previous)
            h = np.where(keep, new, h)
        else:
            new_output = h = new
        outputs.append(new_output)
        previous = new_output
    return outputs[-1], np.stack(outputs, axis=1), h


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_rnn_matches_a_numpy_loop_and_differentiates(masked, go_backwards):
    rng = np.random.default_rng(8)
    x_value, w_value, u_value = rng.normal(size=(2, 4, 3)), rng.normal(size=(3, 5)) / 2, rng.normal(size=(5, 5)) / 2
    h0 = np.zeros((2, 5))
    mask_value = np.array([[1, 1, 0, 1], [1, 0, 0, 0]], dtype=bool) if masked else None
    x, w, u = (K.variable(v, dtype="float64") for v in (x_value, w_value, u_value))

    def step(x_t, states):
        h = K.tanh(K.dot(x_t, w) + K.dot(states[0], u))
        return h, [h]

    last, outputs, (h,) = K.rnn(step, x, [K.constant(h0, dtype="float64")], go_backwards=go_backwards,
                                mask=None if mask_value is None else K.constant(mask_value))
    expected = np_simple_rnn(x_value, w_value, u_value, h0, mask_value, go_backwards)
    for node, value in zip((last, outputs, h), expected):
        np.testing.assert_allclose(K.eval(node), value, rtol=1e-12)
    assert K.int_shape(outputs) == (2, 4, 5) and K.int_shape(last) == (2, 5)
    assert mg.gradcheck(K.sum(outputs) + K.sum(h * h), [x, w, u])


def test_rnn_constants_unknown_batch_and_errors():
    x = K.placeholder(shape=(None, 3, 2))
    seen = []

    def step(x_t, states):
        seen.append(len(states))
        total = states[0] + x_t * states[1]
        return total, [total]

    last, outputs, _ = K.rnn(step, x, [K.zeros((1, 2))], constants=[K.constant(2.0)])
    assert seen == [2, 2, 2] and K.int_shape(outputs) == (None, 3, 2)
    out = K.function([x], [outputs])([np.ones((4, 3, 2))])[0]
    np.testing.assert_array_equal(out[:, :, 0], np.tile([2.0, 4.0, 6.0], (4, 1)))
    with pytest.raises(ValueError, match="3-D"):
        K.rnn(step, K.placeholder(shape=(2, 3)), [K.zeros((1, 2))])
    with pytest.raises(ValueError, match="number of steps"):
        K.rnn(step, K.placeholder(shape=(2, None, 2)), [K.zeros((1, 2))])


test_empty_sequences_are_refused = refusal_test({
    "map_fn": (ValueError, "map_fn: elems has no entries along axis 0",
               lambda: K.map_fn(lambda e: e, K.zeros((0, 2)))),
    "foldl": (ValueError, "foldl: elems is empty and there is no initializer",
              lambda: K.foldl(lambda a, e: a + e, K.zeros((0, 2)))),
    "rnn": (ValueError, "rnn: inputs have no time steps",
            lambda: K.rnn(lambda i, s: (i, s), K.zeros((2, 0, 3)), [K.zeros((2, 3))])),
})
