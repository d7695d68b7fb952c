"""Generate the golden optimizer trajectories in ``tests/goldens/``.

minigrad's optimizers must follow Keras 2.2 (``keras/optimizers.py`` of Keras
2.2.4) to about 1e-10 relative error in float64.  Keras 2.2 needs
TensorFlow 1.x, which does not install on current Pythons, so the reference
here is TensorFlow 2 plus
``tf_keras.optimizers.legacy`` (the Keras 2 optimizers kept alive in tf-keras),
driven in float64 and corrected wherever it departs from Keras 2.2 (see
"Legacy optimizers versus Keras 2.2" below).  As an independent cross-check,
the same trajectories are recomputed with a plain-NumPy transcription of the
Keras 2.2.4 formulas, and the script refuses to write anything unless both
agree to 1e-10 relative error.

How to run
----------
The reference needs TensorFlow, which minigrad itself never imports.  Use a
separate virtualenv, ``.refvenv`` in the repository root (git ignores it)::

    python3 -m venv .refvenv
    .refvenv/bin/pip install -e '.[reference]'      # tensorflow, tf-keras, numpy

    .refvenv/bin/python tools/make_goldens.py           # (re)write the goldens
    .refvenv/bin/python tools/make_goldens.py --check   # verify them, write nothing
    .refvenv/bin/python tools/make_goldens.py --traps   # measure each trap below

The problem
-----------
``rng = np.random.default_rng(1234)`` draws, in this order, X (8, 3) normal,
Y (8, 2) uniform in [-0.9, 0.9], W0 (3, 2) normal * 0.5 and b0 (2,)
normal * 0.1, all float64; they are stored in the golden file, so tests never
regenerate them.  ``loss(W, b) = mean(square(tanh(X @ W + b) - Y))`` (mean over
the 16 entries).  Each of the 200 steps computes the loss and its gradients at
the current parameters (tf.GradientTape, float64), records the loss (before
the update) and applies one optimizer step.  W and b are recorded after every
step, with the initial values as row 0.

Output
------
``tests/goldens/optimizers.json``: generator, reference versions, number of
steps, the loss formula and, per case, ``{"class_name": ..., "config": ...}``
with Keras 2.2 keyword names (every hyperparameter explicit; the constraint
cases, adam_constraint and amsgrad_constraint, add ``"constraint_W": [lo, hi]``,
an element-wise clip of W applied to the new value after each update; b is
unconstrained.  W0 has entries outside [-0.3, 0.3], so the first update
already clips, and in adam_constraint W sits on a bound after 194 of the 200
steps).
``tests/goldens/optimizers.npz``: ``X``, ``Y``, ``W0``, ``b0`` and per case
``<case>/W`` (201, 3, 2), ``<case>/b`` (201, 2), ``<case>/loss`` (200,), all
float64.

Keras 2.2 semantics reproduced
------------------------------
* ``epsilon=None`` means ``K.epsilon()`` = 1e-7; every case passes it explicitly.
* Time-based decay (only when decay > 0): ``lr * (1. / (1. + decay * iterations))``
  with the iteration count before the step.
* Adam/Adamax: ``t = iterations + 1`` and the bias correction is folded into
  the rate, ``lr_t = lr * (sqrt(1 - beta_2**t) / (1 - beta_1**t))``,
  ``p - lr_t * m_t / (sqrt(v_t) + epsilon)``; AMSGrad divides by
  ``sqrt(vhat_t)`` with ``vhat_t = maximum(vhat, v_t)``.
* Nadam: ``momentum_cache_t = beta_1 * (1 - 0.5 * 0.96 ** (t * schedule_decay))``,
  ``m_schedule`` starts at 1, no learning-rate decay.
* Clipping in ``Optimizer.get_gradients``: first clipnorm against ONE global
  norm ``n = sqrt(sum(sum(g**2) for g in grads))`` (each g becomes
  ``(c / n) * g`` when ``n >= c``; the TensorFlow backend of Keras 2.2 computes
  it as ``tf.scalar_mul(c / n, g)``), then clipvalue ``clip(g, -c, c)``.
* Constraints are applied to the new value after the update.

Conditioning
------------
A golden trajectory is only useful if rounding-level differences (another
summation order, ``a / b * c`` versus ``a * (c / b)``) stay small over 200
steps.  With the rates first planned, three cases are chaotic on this problem:
RMSprop at lr=0.01 (also 0.005 and 0.002, with or without decay) makes
sign-like steps once a gradient entry and its running average get tiny, and
Adagrad at lr=0.1 has a slowly growing oscillation; one-ulp noise in the
gradients then moves the trajectory by 8e-2 (rmsprop), 5e-1 (rmsprop_decay)
or 6e-11 (adagrad), so no independent implementation could be checked
against them at 1e-10.
These cases therefore use rmsprop lr=0.001, rmsprop_decay lr=0.001 and
adagrad lr=0.05.  Of the cases added later, adam_betas (beta_1=0.5,
beta_2=0.9) is chaotic in the same way at lr=0.01 (noise effect 4e-6, 3e-7
absolute at an entry of 0.08; also 1.3e-3 at lr=0.003) and uses lr=0.001
(3e-12).  adamax_decay at lr=0.01 and sgd_nesterov_decay_clipnorm at
lr=0.05 are not chaotic but fail the relative test anyway (1.1e-11 and
3.3e-11): one W entry passes within 2e-5 of zero, where an absolute
deviation of 2e-16 is that large relatively; they use lr=0.008 and lr=0.04
(2e-13 and 5e-13).  The script measures this for every case (``conditioning``:
each gradient entry multiplied by 1 +- 2**-52 at every step) and refuses to
write goldens whose noise effect exceeds 1e-11.

Legacy optimizers versus Keras 2.2 (and what this script does about it)
-----------------------------------------------------------------------
Every ``tf_keras/src/optimizers/legacy/*.py`` file and the TensorFlow kernels
it calls (``tensorflow/core/kernels/training_ops.cc``) were compared line by
line with Keras 2.2.4's ``keras/optimizers.py``.  ``--traps`` re-runs the
uncorrected variants and prints how far each moves a trajectory.

1. Hyperparameters in float32.  Python numbers given to a legacy optimizer
   become float32 variables whatever ``floatx`` says, and are cast to float64
   afterwards (0.9 becomes 0.89999997615814...).  Fix: learning_rate,
   momentum, rho, beta_1 and beta_2 are passed as float64 ``tf.constant``s,
   which the legacy code keeps as they are.  epsilon is kept as a Python
   float, which ``tf.convert_to_tensor(epsilon, float64)`` converts exactly.
2. decay through float32.  The legacy ``_decayed_lr`` does
   ``tf.cast(self._initial_decay, float64)``; for a Python float this makes a
   float32 tensor first.  Fix: decay is passed as a float64 tensor too.
   Remaining difference: legacy computes ``lr / (1 + decay * it)`` where
   Keras 2.2 computes ``lr * (1. / (1. + decay * it))``, the same number up
   to one rounding; left as is (see 8).
3. Nadam's 0.96.  Legacy Nadam uses ``tf.cast(0.96, float64)``, i.e.
   float32(0.96) = 0.959999978542..., in the momentum schedule, and no
   argument can change it.  Fix: Nadam is the one optimizer not taken from
   tf_keras: ``Keras22NadamTF`` below is Keras 2.2.4's ``Nadam.get_updates``
   transcribed line by line with float64 TensorFlow ops.  (Everything else in
   legacy Nadam matches Keras 2.2: the schedule_decay argument, which legacy
   stores as ``decay``, is only used in the momentum schedule, not as a
   learning-rate decay.)
4. Clipping.  Legacy ``clipnorm`` clips each tensor against its own norm
   (``tf.clip_by_norm``), while Keras 2.2 clips every gradient against one
   global norm.  Legacy ``global_clipnorm`` (``tf.clip_by_global_norm``)
   agrees with Keras 2.2 up to rounding, but legacy applies clipvalue BEFORE
   any norm clipping, Keras 2.2 after.  Fix: no clipping argument is given to
   the legacy optimizer; ``keras22_clip_tf`` clips the gradients exactly as
   Keras 2.2's ``get_gradients`` does and then ``apply_gradients`` is called.
5. Adagrad's accumulator.  Legacy Adagrad starts it at
   ``initial_accumulator_value=0.1``, Keras 2.2 at 0.  Fix: pass
   ``initial_accumulator_value=0.0`` (accepted: only negative values are
   refused).  The epsilon placement is the same in both:
   ``p - lr * g / (sqrt(a) + epsilon)`` (kernel ResourceApplyAdagradV2).
6. Default hyperparameters differ (legacy: Adagrad lr 0.001, Adadelta lr
   0.001, Adamax and Nadam lr 0.001; Keras 2.2: 0.01, 1.0, 0.002, 0.002).
   Fix: every hyperparameter of every case is written in its config and
   passed explicitly.  (Also: legacy treats ``epsilon=0`` as "use 1e-7"
   through ``epsilon or K.epsilon()``; no case uses 0.)
7. SGD without momentum.  Keras 2.2.4 always runs the momentum formula
   (``v = momentum * m - lr * g; p + v``).  Passing momentum as a tensor makes
   legacy SGD use the same formula (kernel ResourceApplyKerasMomentum) even
   when it is 0.
8. Rounding order only (same formulas, operations grouped differently; left
   as they are).  Together with TensorFlow's own matmul and reduction order
   they make the whole difference between the reference and the NumPy
   cross-check: at most 4e-15 absolute and 8e-12 relative over all cases
   (the relative maxima sit at entries passing near zero, 1e-5 to 1e-3).
   The TensorFlow kernels update moments as ``m += (g - m) * (1 - beta_1)``
   instead of ``beta_1 * m + (1 - beta_1) * g`` (Adam, AMSGrad, Adamax;
   Adadelta uses ``a * rho + g**2 * (1 - rho)``); Adam's kernel
   computes ``(lr * sqrt(1 - beta_2**t)) / (1 - beta_1**t)`` and
   ``(m * alpha) / (...)``; Adamax computes ``lr / (1 - beta_1**t) * (m / (u + eps))``;
   Adadelta multiplies by ``rsqrt(a + eps)`` instead of dividing by
   ``sqrt(a + eps)``; Nesterov SGD adds ``p + (momentum * v - lr * g)``
   instead of ``(p + momentum * v) - lr * g``.
   Anything that is not a pure regrouping was fixed as described above.
9. Constraints: legacy applies ``var.constraint`` to the variable right after
   the update, as Keras 2.2 does; W is a ``tf.Variable`` with that constraint.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "goldens"
JSON_PATH = GOLDEN_DIR / "optimizers.json"
NPZ_PATH = GOLDEN_DIR / "optimizers.npz"

SEED = 1234
STEPS = 200
LOSS_FORMULA = "mean(square(tanh(X @ W + b) - Y))"
TOLERANCE = 1e-10        # TF reference vs NumPy Keras 2.2, max relative error
CHECK_TOLERANCE = 1e-10  # --check: fresh run vs stored goldens (0 on the same
                         # machine; other CPUs may round TF's sums differently)
CONDITION_TOLERANCE = 1e-11  # effect of rounding-level noise on a trajectory
REL_FLOOR = 1e-8         # denominators below this count as this (values near 0)

# Keras 2.2.4 defaults (epsilon=None resolved to K.epsilon() = 1e-7).
KERAS22_DEFAULTS = {
    "SGD": {"lr": 0.01, "momentum": 0.0, "decay": 0.0, "nesterov": False},
    "RMSprop": {"lr": 0.001, "rho": 0.9, "epsilon": 1e-7, "decay": 0.0},
    "Adagrad": {"lr": 0.01, "epsilon": 1e-7, "decay": 0.0},
    "Adadelta": {"lr": 1.0, "rho": 0.95, "epsilon": 1e-7, "decay": 0.0},
    "Adam": {"lr": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
             "decay": 0.0, "amsgrad": False},
    "Adamax": {"lr": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
               "decay": 0.0},
    "Nadam": {"lr": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
              "schedule_decay": 0.004},
}


def case(class_name, **config):
    """A case: the Keras 2.2 defaults of `class_name`, overridden by `config`."""
    return {"class_name": class_name,
            "config": {**KERAS22_DEFAULTS[class_name], **config}}


CASES = {
    "sgd": case("SGD", lr=0.1),
    "sgd_momentum": case("SGD", lr=0.05, momentum=0.9),
    "sgd_nesterov": case("SGD", lr=0.05, momentum=0.9, nesterov=True),
    "sgd_decay": case("SGD", lr=0.1, decay=0.01),
    "sgd_clipnorm": case("SGD", lr=0.1, clipnorm=0.05),
    # rmsprop, rmsprop_decay and adagrad use smaller rates than first planned
    # (0.01, 0.01, 0.1): see "Conditioning" in the module docstring.
    "rmsprop": case("RMSprop", lr=0.001, rho=0.9, epsilon=1e-7),
    "rmsprop_decay": case("RMSprop", lr=0.001, rho=0.9, decay=0.005),
    "adagrad": case("Adagrad", lr=0.05, epsilon=1e-7),
    "adadelta": case("Adadelta", lr=1.0, rho=0.95, epsilon=1e-7),
    "adam": case("Adam", lr=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    "adam_eps": case("Adam", lr=0.01, beta_2=0.99, epsilon=1e-3),
    "adam_decay": case("Adam", lr=0.01, decay=0.01),
    "adam_clipnorm": case("Adam", lr=0.01, clipnorm=0.05),
    "adam_clipvalue": case("Adam", lr=0.01, clipvalue=0.01),
    "adam_clip_both": case("Adam", lr=0.01, clipnorm=0.05, clipvalue=0.01),
    "adam_constraint": case("Adam", lr=0.05, constraint_W=[-0.3, 0.3]),
    "amsgrad": case("Adam", lr=0.01, amsgrad=True),
    "amsgrad_decay": case("Adam", lr=0.01, amsgrad=True, decay=0.01),
    "adamax": case("Adamax", lr=0.01),
    "nadam": case("Nadam", lr=0.01, schedule_decay=0.004),
    "adadelta_lr": case("Adadelta", lr=0.5, rho=0.9),
    "adadelta_decay": case("Adadelta", lr=1.0, decay=0.01),
    # adamax_decay, sgd_nesterov_decay_clipnorm and adam_betas also use
    # smaller rates than first planned (0.01, 0.05, 0.01): see "Conditioning".
    "adamax_decay": case("Adamax", lr=0.008, decay=0.01),
    "nadam_schedule": case("Nadam", lr=0.01, schedule_decay=0.01, beta_1=0.95),
    "rmsprop_clipnorm": case("RMSprop", lr=0.001, clipnorm=0.05),
    "adagrad_clipvalue": case("Adagrad", lr=0.05, clipvalue=0.01),
    "sgd_nesterov_decay_clipnorm": case("SGD", lr=0.04, momentum=0.9,
                                        nesterov=True, decay=0.01, clipnorm=0.05),
    "amsgrad_constraint": case("Adam", lr=0.05, amsgrad=True,
                               constraint_W=[-0.3, 0.3]),
    "adam_betas": case("Adam", lr=0.001, beta_1=0.5, beta_2=0.9),
}


# --------------------------------------------------------------------------
# The problem
# --------------------------------------------------------------------------

def make_problem():
    """X, Y, W0, b0 (float64), drawn in this order from default_rng(1234)."""
    rng = np.random.default_rng(SEED)
    X = rng.normal(size=(8, 3))
    Y = rng.uniform(-0.9, 0.9, size=(8, 2))
    W0 = rng.normal(size=(3, 2)) * 0.5
    b0 = rng.normal(size=(2,)) * 0.1
    return X, Y, W0, b0


def empty_trajectory(W0, b0):
    W = np.empty((STEPS + 1,) + W0.shape)
    b = np.empty((STEPS + 1,) + b0.shape)
    W[0], b[0] = W0, b0
    return {"W": W, "b": b, "loss": np.empty(STEPS)}


# --------------------------------------------------------------------------
# Cross-check: Keras 2.2.4 formulas in plain NumPy
# --------------------------------------------------------------------------

def numpy_loss_and_grads(X, Y, W, b):
    """loss = mean((tanh(X @ W + b) - Y)**2) and its gradients, by hand."""
    A = np.tanh(X @ W + b)
    R = A - Y
    loss = np.mean(R ** 2)
    dZ = (2.0 / R.size) * R * (1.0 - A ** 2)
    return loss, [X.T @ dZ, dZ.sum(axis=0)]


def keras22_clip_numpy(grads, config):
    """Optimizer.get_gradients: global-norm clipnorm first, then clipvalue."""
    clipnorm = config.get("clipnorm", 0.0)
    clipvalue = config.get("clipvalue", 0.0)
    if clipnorm > 0:
        norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
        if norm >= clipnorm:
            grads = [(clipnorm / norm) * g for g in grads]
    if clipvalue > 0:
        grads = [np.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads


class NumpyKeras22:
    """Keras 2.2.4 ``get_updates`` of each optimizer, transcribed to NumPy.

    ``step(params, grads)`` returns the new parameters; the optimizer state
    (slots, iterations) lives here.  Constraints are applied by the caller.
    """

    def __init__(self, class_name, config, params):
        self.class_name = class_name
        self.c = config
        self.iterations = 0
        self.m_schedule = 1.0  # Nadam only
        zeros = lambda: [np.zeros_like(p) for p in params]  # noqa: E731
        self.s1, self.s2, self.s3 = zeros(), zeros(), zeros()  # slot arrays

    def step(self, params, grads):
        lr = self.c["lr"]
        if self.c.get("decay", 0.0) > 0:
            lr = lr * (1.0 / (1.0 + self.c["decay"] * float(self.iterations)))
        update = getattr(self, "_" + self.class_name.lower())
        new_params = [update(i, p, g, lr) for i, (p, g) in
                      enumerate(zip(params, grads))]
        if self.class_name == "Nadam":
            self.m_schedule = self._m_schedule_new
        self.iterations += 1
        return new_params

    def _sgd(self, i, p, g, lr):
        c, m = self.c, self.s1
        v = c["momentum"] * m[i] - lr * g
        m[i] = v
        if c["nesterov"]:
            return p + c["momentum"] * v - lr * g
        return p + v

    def _rmsprop(self, i, p, g, lr):
        c, a = self.c, self.s1
        a[i] = c["rho"] * a[i] + (1.0 - c["rho"]) * np.square(g)
        return p - lr * g / (np.sqrt(a[i]) + c["epsilon"])

    def _adagrad(self, i, p, g, lr):
        a = self.s1
        a[i] = a[i] + np.square(g)
        return p - lr * g / (np.sqrt(a[i]) + self.c["epsilon"])

    def _adadelta(self, i, p, g, lr):
        c, a, d_a = self.c, self.s1, self.s2
        a[i] = c["rho"] * a[i] + (1.0 - c["rho"]) * np.square(g)
        update = g * np.sqrt(d_a[i] + c["epsilon"]) / np.sqrt(a[i] + c["epsilon"])
        d_a[i] = c["rho"] * d_a[i] + (1 - c["rho"]) * np.square(update)
        return p - lr * update

    def _adam(self, i, p, g, lr):
        c, m, v, vhat = self.c, self.s1, self.s2, self.s3
        t = float(self.iterations) + 1
        lr_t = lr * (np.sqrt(1.0 - c["beta_2"] ** t) / (1.0 - c["beta_1"] ** t))
        m[i] = (c["beta_1"] * m[i]) + (1.0 - c["beta_1"]) * g
        v[i] = (c["beta_2"] * v[i]) + (1.0 - c["beta_2"]) * np.square(g)
        if c["amsgrad"]:
            vhat[i] = np.maximum(vhat[i], v[i])
            return p - lr_t * m[i] / (np.sqrt(vhat[i]) + c["epsilon"])
        return p - lr_t * m[i] / (np.sqrt(v[i]) + c["epsilon"])

    def _adamax(self, i, p, g, lr):
        c, m, u = self.c, self.s1, self.s2
        t = float(self.iterations) + 1
        lr_t = lr / (1.0 - c["beta_1"] ** t)
        m[i] = (c["beta_1"] * m[i]) + (1.0 - c["beta_1"]) * g
        u[i] = np.maximum(c["beta_2"] * u[i], np.abs(g))
        return p - lr_t * m[i] / (u[i] + c["epsilon"])

    def _nadam(self, i, p, g, lr):
        c, m, v = self.c, self.s1, self.s2
        b1, b2 = c["beta_1"], c["beta_2"]
        t = float(self.iterations) + 1
        cache_t = b1 * (1.0 - 0.5 * (0.96 ** (t * c["schedule_decay"])))
        cache_t_1 = b1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * c["schedule_decay"])))
        m_schedule_new = self.m_schedule * cache_t
        m_schedule_next = self.m_schedule * cache_t * cache_t_1
        self._m_schedule_new = m_schedule_new

        g_prime = g / (1.0 - m_schedule_new)
        m[i] = b1 * m[i] + (1.0 - b1) * g
        m_t_prime = m[i] / (1.0 - m_schedule_next)
        v[i] = b2 * v[i] + (1.0 - b2) * np.square(g)
        v_t_prime = v[i] / (1.0 - b2 ** t)
        m_t_bar = (1.0 - cache_t) * g_prime + cache_t_1 * m_t_prime
        return p - c["lr"] * m_t_bar / (np.sqrt(v_t_prime) + c["epsilon"])


def run_numpy(name, X, Y, W0, b0, noise=None):
    """The trajectory of case `name` with the NumPy Keras 2.2 optimizers.

    `noise` (a NumPy Generator) perturbs each gradient entry by one rounding
    error; only ``conditioning`` uses it.
    """
    spec = CASES[name]
    config = spec["config"]
    out = empty_trajectory(W0, b0)
    params = [W0.copy(), b0.copy()]
    opt = NumpyKeras22(spec["class_name"], config, params)
    for step in range(STEPS):
        loss, grads = numpy_loss_and_grads(X, Y, *params)
        if noise is not None:
            grads = [g * (1 + 2.0 ** -52 * noise.choice([-1, 1], g.shape))
                     for g in grads]
        grads = keras22_clip_numpy(grads, config)
        params = opt.step(params, grads)
        if "constraint_W" in config:
            lo, hi = config["constraint_W"]
            params[0] = np.clip(params[0], lo, hi)
        out["loss"][step] = loss
        out["W"][step + 1], out["b"][step + 1] = params
    return out


def conditioning(name, X, Y, W0, b0, seeds=(0, 1, 2)):
    """How far rounding-level noise moves the trajectory of case `name`.

    Re-runs the NumPy version with every gradient entry multiplied by
    (1 +- 2**-52), a random sign per entry and step, and returns the largest
    relative deviation from the clean run.  Any two correct implementations
    differ by noise of this size, so this must stay well below TOLERANCE.
    """
    clean = run_numpy(name, X, Y, W0, b0)
    return max(trajectory_err(run_numpy(name, X, Y, W0, b0,
                                        noise=np.random.default_rng(seed)), clean)
               for seed in seeds)


# --------------------------------------------------------------------------
# Reference: TensorFlow + tf_keras legacy optimizers, float64
# --------------------------------------------------------------------------

def keras22_clip_tf(grads, config):
    """Keras 2.2 Optimizer.get_gradients clipping, with TensorFlow ops.

    One global norm over all gradients; each gradient is scaled with
    ``tf.scalar_mul(c / n, g)`` when ``n >= c`` (as the Keras 2.2 TensorFlow
    backend does); then ``K.clip(g, -c, c)``.
    """
    import tensorflow as tf

    clipnorm = config.get("clipnorm", 0.0)
    clipvalue = config.get("clipvalue", 0.0)
    if clipnorm > 0:
        norm = tf.sqrt(sum([tf.reduce_sum(tf.square(g)) for g in grads]))
        if norm >= clipnorm:  # eager: a plain Python branch replaces tf.cond
            grads = [tf.scalar_mul(clipnorm / norm, g) for g in grads]
    if clipvalue > 0:
        grads = [tf.clip_by_value(g, -clipvalue, clipvalue) for g in grads]
    return grads


class Keras22NadamTF:
    """Keras 2.2.4 ``Nadam.get_updates``, line by line, in float64 TF ops.

    Used instead of legacy Nadam, whose ``tf.cast(0.96, float64)`` rounds
    0.96 through float32 (trap 3 of the module docstring).  Implements just
    ``apply_gradients(grads_and_vars)``, like the legacy optimizers.
    """

    def __init__(self, lr, beta_1, beta_2, epsilon, schedule_decay):
        import tensorflow as tf

        self.tf = tf
        self.iterations = tf.Variable(0, dtype=tf.int64)
        self.m_schedule = tf.Variable(1.0, dtype=tf.float64)
        self.lr = tf.Variable(lr, dtype=tf.float64)
        self.beta_1 = tf.Variable(beta_1, dtype=tf.float64)
        self.beta_2 = tf.Variable(beta_2, dtype=tf.float64)
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        self.ms = self.vs = None

    def apply_gradients(self, grads_and_vars):
        tf = self.tf
        grads, params = zip(*grads_and_vars)
        if self.ms is None:
            self.ms = [tf.Variable(tf.zeros_like(p)) for p in params]
            self.vs = [tf.Variable(tf.zeros_like(p)) for p in params]

        t = tf.cast(self.iterations, tf.float64) + 1
        decay_base = tf.constant(0.96, dtype=tf.float64)  # K.cast_to_floatx(0.96)
        momentum_cache_t = self.beta_1 * (
            1. - 0.5 * (tf.pow(decay_base, t * self.schedule_decay)))
        momentum_cache_t_1 = self.beta_1 * (
            1. - 0.5 * (tf.pow(decay_base, (t + 1) * self.schedule_decay)))
        m_schedule_new = self.m_schedule * momentum_cache_t
        m_schedule_next = self.m_schedule * momentum_cache_t * momentum_cache_t_1

        # Keras runs all its updates together from the old values: compute
        # everything first, assign afterwards.
        updates = [(self.m_schedule, m_schedule_new)]
        for p, g, m, v in zip(params, grads, self.ms, self.vs):
            g_prime = g / (1. - m_schedule_new)
            m_t = self.beta_1 * m + (1. - self.beta_1) * g
            m_t_prime = m_t / (1. - m_schedule_next)
            v_t = self.beta_2 * v + (1. - self.beta_2) * tf.square(g)
            v_t_prime = v_t / (1. - tf.pow(self.beta_2, t))
            m_t_bar = ((1. - momentum_cache_t) * g_prime
                       + momentum_cache_t_1 * m_t_prime)
            new_p = p - self.lr * m_t_bar / (tf.sqrt(v_t_prime) + self.epsilon)
            if p.constraint is not None:
                new_p = p.constraint(new_p)
            updates += [(m, m_t), (v, v_t), (p, new_p)]
        for variable, value in updates:
            variable.assign(value)
        self.iterations.assign_add(1)


def make_reference_optimizer(class_name, config):
    """The float64-exact reference optimizer for a Keras 2.2 config.

    Every hyperparameter is passed, as a float64 tensor (trap 1); decay too
    (trap 2); no clipping argument (trap 4, clipping is done by the caller).
    """
    import tensorflow as tf
    from tf_keras.optimizers import legacy

    c = config

    def f64(x):
        return tf.constant(x, dtype=tf.float64)

    common = {"learning_rate": f64(c["lr"])}
    if class_name != "Nadam":
        common["decay"] = f64(c["decay"])
    if class_name == "SGD":
        # A tensor momentum selects the Keras momentum formula even for 0 (trap 7).
        return legacy.SGD(momentum=f64(c["momentum"]), nesterov=c["nesterov"],
                          **common)
    if class_name == "RMSprop":
        return legacy.RMSprop(rho=f64(c["rho"]), momentum=0.0, centered=False,
                              epsilon=c["epsilon"], **common)
    if class_name == "Adagrad":
        return legacy.Adagrad(initial_accumulator_value=0.0,  # trap 5
                              epsilon=c["epsilon"], **common)
    if class_name == "Adadelta":
        return legacy.Adadelta(rho=f64(c["rho"]), epsilon=c["epsilon"], **common)
    if class_name == "Adam":
        return legacy.Adam(beta_1=f64(c["beta_1"]), beta_2=f64(c["beta_2"]),
                           epsilon=c["epsilon"], amsgrad=c["amsgrad"], **common)
    if class_name == "Adamax":
        return legacy.Adamax(beta_1=f64(c["beta_1"]), beta_2=f64(c["beta_2"]),
                             epsilon=c["epsilon"], **common)
    if class_name == "Nadam":  # trap 3
        return Keras22NadamTF(c["lr"], c["beta_1"], c["beta_2"], c["epsilon"],
                              c["schedule_decay"])
    raise ValueError(f"unknown optimizer class {class_name!r}")


def run_reference(name, X, Y, W0, b0, optimizer=None, keras22_clipping=True):
    """The trajectory of case `name` with the TensorFlow reference.

    `optimizer` and `keras22_clipping` exist only for ``--traps``, which
    swaps in uncorrected legacy optimizers.
    """
    import tensorflow as tf

    spec = CASES[name]
    config = spec["config"]
    if optimizer is None:
        optimizer = make_reference_optimizer(spec["class_name"], config)

    constraint = None
    if "constraint_W" in config:
        lo, hi = config["constraint_W"]
        constraint = lambda w: tf.clip_by_value(w, lo, hi)  # noqa: E731
    W = tf.Variable(W0, dtype=tf.float64, constraint=constraint)
    b = tf.Variable(b0, dtype=tf.float64)
    X = tf.constant(X, dtype=tf.float64)
    Y = tf.constant(Y, dtype=tf.float64)

    out = empty_trajectory(W0, b0)
    for step in range(STEPS):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.tanh(tf.matmul(X, W) + b) - Y))
        grads = tape.gradient(loss, [W, b])
        if keras22_clipping:
            grads = keras22_clip_tf(grads, config)
        optimizer.apply_gradients(zip(grads, [W, b]))
        out["loss"][step] = loss.numpy()
        out["W"][step + 1], out["b"][step + 1] = W.numpy(), b.numpy()
    return out


# --------------------------------------------------------------------------
# Comparison, files, traps
# --------------------------------------------------------------------------

def max_rel_err(a, b):
    """Max over all entries of |a - b| / max(|b|, REL_FLOOR)."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), REL_FLOOR)))


def trajectory_err(traj, ref):
    return max(max_rel_err(traj[k], ref[k]) for k in ("W", "b", "loss"))


def reference_versions():
    import tensorflow as tf
    import tf_keras

    return f"tensorflow {tf.__version__}, tf_keras {tf_keras.__version__}"


def compute_all():
    """Run every case with both implementations; fail if they disagree."""
    X, Y, W0, b0 = make_problem()
    arrays = {"X": X, "Y": Y, "W0": W0, "b0": b0}
    failures = []
    print(f"{'case':28s} {'TF vs NumPy':>12s} {'noise effect':>13s}  (max rel err)")
    for name in CASES:
        ref = run_reference(name, X, Y, W0, b0)
        err = trajectory_err(ref, run_numpy(name, X, Y, W0, b0))
        noise = conditioning(name, X, Y, W0, b0)
        print(f"{name:28s} {err:12.3e} {noise:13.3e}")
        if not err <= TOLERANCE:
            failures.append(f"{name}: TF and NumPy disagree by {err:.3e}")
        if not noise <= CONDITION_TOLERANCE:
            failures.append(f"{name}: ill-conditioned, rounding noise "
                            f"grows to {noise:.3e}")
        for key in ("W", "b", "loss"):
            arrays[f"{name}/{key}"] = ref[key]

    # Each constraint must bind (W sits on a bound after some steps) and hold.
    for name, spec in CASES.items():
        if "constraint_W" not in spec["config"]:
            continue
        lo, hi = spec["config"]["constraint_W"]
        W = arrays[f"{name}/W"][1:]
        if not np.any((W == lo) | (W == hi)):
            failures.append(f"{name}: constraint_W never binds")
        if not np.all((lo <= W) & (W <= hi)):
            failures.append(f"{name}: W outside constraint_W")
    if failures:
        sys.exit("FAILED:\n  " + "\n  ".join(failures))

    meta = {
        "generator": "tools/make_goldens.py",
        "reference": reference_versions(),
        "steps": STEPS,
        "loss": LOSS_FORMULA,
        "cases": CASES,
    }
    return meta, arrays


def write(meta, arrays):
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    JSON_PATH.write_text(json.dumps(meta, indent=2) + "\n")
    np.savez_compressed(NPZ_PATH, **arrays)
    print(f"wrote {JSON_PATH.relative_to(ROOT)} and {NPZ_PATH.relative_to(ROOT)}")


def check(meta, arrays):
    """Compare a fresh run with the stored files; exit non-zero on mismatch."""
    stored_meta = json.loads(JSON_PATH.read_text())
    problems = []
    for key in ("generator", "steps", "loss", "cases"):
        if stored_meta.get(key) != json.loads(json.dumps(meta[key])):
            problems.append(f"optimizers.json: {key!r} differs")
    if stored_meta.get("reference") != meta["reference"]:
        print(f"note: goldens made with {stored_meta.get('reference')}, "
              f"checking with {meta['reference']}")
    with np.load(NPZ_PATH) as stored:
        if set(stored.files) != set(arrays):
            problems.append("optimizers.npz: array names differ")
        worst = 0.0
        for key in sorted(set(stored.files) & set(arrays)):
            old, new = stored[key], arrays[key]
            if old.dtype != np.float64 or old.shape != new.shape:
                problems.append(f"optimizers.npz: {key} dtype/shape differs")
                continue
            worst = max(worst, max_rel_err(old, new))
    print(f"max rel err stored vs fresh: {worst:.3e}")
    if worst > CHECK_TOLERANCE:
        problems.append(f"arrays differ by {worst:.3e} > {CHECK_TOLERANCE}")
    if problems:
        sys.exit("CHECK FAILED:\n  " + "\n  ".join(problems))
    print("goldens OK")


def show_traps():
    """Re-run cases with uncorrected legacy optimizers; print the damage."""
    import tensorflow as tf
    from tf_keras.optimizers import legacy

    def f64(x):
        return tf.constant(x, dtype=tf.float64)

    def adam64(c, **clipping):  # legacy Adam, float64 hyperparameters
        return legacy.Adam(learning_rate=f64(c["lr"]), beta_1=f64(c["beta_1"]),
                           beta_2=f64(c["beta_2"]), epsilon=c["epsilon"],
                           **clipping)

    X, Y, W0, b0 = make_problem()
    # (description, case, uncorrected optimizer from the case config c,
    #  whether the legacy optimizer does the clipping itself)
    traps = [
        ("1 hyperparameters as Python floats (float32 variables)", "adam",
         lambda c: legacy.Adam(learning_rate=c["lr"], beta_1=c["beta_1"],
                               beta_2=c["beta_2"], epsilon=c["epsilon"]), False),
        ("2 decay as a Python float (cast through float32)", "sgd_decay",
         lambda c: legacy.SGD(learning_rate=f64(c["lr"]), momentum=f64(0.0),
                              decay=c["decay"]), False),
        ("3 legacy Nadam (float32 0.96), float64 hyperparameters", "nadam",
         lambda c: legacy.Nadam(learning_rate=f64(c["lr"]), beta_1=f64(c["beta_1"]),
                                beta_2=f64(c["beta_2"]), epsilon=c["epsilon"],
                                schedule_decay=c["schedule_decay"]), False),
        ("4a legacy clipnorm (per tensor)", "adam_clipnorm",
         lambda c: adam64(c, clipnorm=c["clipnorm"]), True),
        ("4b legacy global_clipnorm", "adam_clipnorm",
         lambda c: adam64(c, global_clipnorm=c["clipnorm"]), True),
        ("4c legacy global_clipnorm + clipvalue (value clipped first)",
         "adam_clip_both",
         lambda c: adam64(c, global_clipnorm=c["clipnorm"],
                          clipvalue=c["clipvalue"]), True),
        ("5 Adagrad initial_accumulator_value=0.1 (legacy default)", "adagrad",
         lambda c: legacy.Adagrad(learning_rate=f64(c["lr"]), epsilon=c["epsilon"],
                                  decay=f64(c["decay"])), False),
        ("2' decay: legacy lr / (1 + d*it), Keras lr * (1 / (1 + d*it))",
         "adam_decay", None, False),
    ]
    print(f"{'trap':64s} {'case':15s} {'max rel err':>11s} {'max abs err':>11s}")
    for description, name, make, legacy_clips in traps:
        expected = run_numpy(name, X, Y, W0, b0)
        config = CASES[name]["config"]
        got = run_reference(name, X, Y, W0, b0,
                            optimizer=make(config) if make else None,
                            keras22_clipping=not legacy_clips)
        abs_err = max(np.max(np.abs(got[k] - expected[k])) for k in got)
        print(f"{description:64s} {name:15s} "
              f"{trajectory_err(got, expected):11.3e} {abs_err:11.3e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="verify the stored goldens against a fresh run")
    mode.add_argument("--traps", action="store_true",
                      help="measure what each uncorrected legacy trap does")
    args = parser.parse_args()
    if args.traps:
        show_traps()
        return
    meta, arrays = compute_all()
    if args.check:
        check(meta, arrays)
    else:
        write(meta, arrays)


if __name__ == "__main__":
    main()
