"""minigrad's optimizers against golden trajectories from the reference.

The goldens (``tests/goldens/optimizers.{json,npz}``, made by
``tools/make_goldens.py``) are float64 trajectories of Keras 2.2's optimizers
(TensorFlow's tf_keras legacy optimizers with every known difference from
Keras 2.2 corrected, cross-checked against a NumPy transcription). Every case
runs here for 200 steps on ``loss = mean(square(tanh(X @ W + b) - Y))`` and
must agree everywhere at rtol 1e-10.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from minigrad import backend as K, optimizers

GOLDENS = Path(__file__).parent / "goldens"
META = json.loads((GOLDENS / "optimizers.json").read_text())
RTOL, ATOL = 1e-10, 1e-13


@pytest.fixture(scope="module")
def arrays():
    with np.load(GOLDENS / "optimizers.npz") as data:
        return {key: data[key] for key in data.files}


def run_case(spec, arrays, steps):
    """The float64 trajectory (W, b after each step, loss before) of a golden case."""
    K.set_floatx("float64")
    config = dict(spec["config"])
    constraint = None
    if "constraint_W" in config:
        lo, hi = config.pop("constraint_W")
        constraint = lambda w: K.clip(w, lo, hi)  # noqa: E731
    X, Y = K.constant(arrays["X"]), K.constant(arrays["Y"])
    W = K.variable(arrays["W0"], name="W", constraint=constraint)
    b = K.variable(arrays["b0"], name="b")
    loss = K.mean(K.square(K.tanh(K.dot(X, W) + b) - Y))
    opt = optimizers.deserialize({"class_name": spec["class_name"], "config": config})
    step = K.function([], [loss], updates=opt.get_updates(loss, [W, b]))
    Ws, bs, losses = [K.get_value(W)], [K.get_value(b)], []
    for _ in range(steps):
        losses.append(step([])[0])
        Ws.append(K.get_value(W))
        bs.append(K.get_value(b))
    return {"W": np.array(Ws), "b": np.array(bs), "loss": np.array(losses)}, opt


def max_rel_err(got, want):
    """Max of |got - want| / |want| over the entries where want != 0, with the
    absolute error elsewhere (the figure the report quotes)."""
    return float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-8)))


def test_goldens_cover_every_optimizer():
    names = {spec["class_name"] for spec in META["cases"].values()}
    assert names == {"SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam"}
    assert META["steps"] == 200


@pytest.mark.parametrize("case", sorted(META["cases"]))
def test_trajectory_matches_golden(case, arrays):
    spec = META["cases"][case]
    got, opt = run_case(spec, arrays, META["steps"])
    for key in ("W", "b", "loss"):
        want = arrays[f"{case}/{key}"]
        assert got[key].shape == want.shape
        np.testing.assert_allclose(got[key], want, rtol=RTOL, atol=ATOL, err_msg=f"{case}/{key}")
    assert int(K.get_value(opt.iterations)) == META["steps"]
    # The trajectory actually moves: a test against a constant would be no test.
    assert np.max(np.abs(got["W"][-1] - arrays["W0"])) > 1e-3
