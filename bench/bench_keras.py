"""Keras 2.2.4 on minigrad: what Keras's ``fit`` costs on top of minigrad.

Prints one table; run with ``make bench`` or ``python bench/bench_keras.py``
(needs the ``keras`` extra). One BLAS thread, as in bench_engine.py.

An MLP 784-256-256-10 (tanh, softmax, categorical cross-entropy, SGD, batch
128, float32) trained for one epoch of 40 batches, three ways:

1. the same math hand-written in NumPy (forward, backward, SGD);
2. minigrad's own ``K.function`` loop: the graph built with ``K.dot``,
   ``K.tanh``, ... and a loop over shuffled batches, as a student writes it;
3. Keras's ``Sequential`` + ``model.fit(..., shuffle=True, verbose=0)``, whose
   training function is a minigrad ``Function`` too.

Target: Keras's epoch within 1.3x of minigrad's own loop.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import sys  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from minigrad import keras_setup  # noqa: E402
from minigrad import backend as K  # noqa: E402

SIZES, BATCH, BATCHES, LR = (784, 256, 256, 10), 128, 40, 0.1


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH * BATCHES, SIZES[0])).astype(np.float32)
    y = np.eye(SIZES[-1], dtype=np.float32)[rng.integers(0, SIZES[-1], len(x))]
    return x, y


def initial_weights():
    rng = np.random.default_rng(1)
    return [array for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:])
            for array in (rng.normal(scale=fan_in ** -0.5, size=(fan_in, fan_out)).astype(np.float32),
                          np.zeros(fan_out, np.float32))]


def minigrad_epoch_function(x_data, y_data):
    """One epoch through minigrad's own K.function loop."""
    x = K.placeholder(shape=(None, SIZES[0]), name="x")
    y = K.placeholder(shape=(None, SIZES[-1]), name="y")
    params = [K.variable(value) for value in initial_weights()]
    h = x
    for layer in range(len(SIZES) - 1):
        h = K.dot(h, params[2 * layer]) + params[2 * layer + 1]
        h = K.tanh(h) if layer < len(SIZES) - 2 else K.softmax(h)
    loss = K.mean(K.categorical_crossentropy(y, h))
    grads = K.gradients(loss, params)
    train = K.function([x, y], [loss], [K.update_sub(p, LR * g) for p, g in zip(params, grads)])

    def epoch():
        order = np.random.permutation(len(x_data))
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            train([x_data[batch], y_data[batch]])
    return epoch


def keras_epoch_function(x_data, y_data):
    """One epoch of Keras's model.fit on minigrad."""
    from minigrad import keras2
    from keras import layers, models, optimizers
    model = models.Sequential([layers.Dense(SIZES[1], activation="tanh", input_shape=(SIZES[0],)),
                               layers.Dense(SIZES[2], activation="tanh"),
                               layers.Dense(SIZES[3], activation="softmax")])
    model.set_weights(initial_weights())
    model.compile(optimizers.SGD(lr=LR), "categorical_crossentropy")
    return lambda: model.fit(x_data, y_data, batch_size=BATCH, epochs=1, shuffle=True, verbose=0)


def numpy_epoch_function(x_data, y_data):
    """One epoch of the same math, hand-written."""
    weights = initial_weights()
    eps = np.float32(K.epsilon())

    def step(xb, yb):
        activations = [xb]
        for layer in range(len(SIZES) - 1):
            z = activations[-1] @ weights[2 * layer] + weights[2 * layer + 1]
            activations.append(np.tanh(z) if layer < len(SIZES) - 2 else z)
        e = np.exp(activations[-1] - activations[-1].max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        loss = np.mean(-np.sum(yb * np.log(np.clip(p, eps, 1 - eps)), axis=1))
        delta = (p - yb) / len(xb)
        for layer in range(len(SIZES) - 2, -1, -1):
            w = weights[2 * layer]
            grad_w, grad_b = activations[layer].T @ delta, delta.sum(axis=0)
            if layer:
                delta = (delta @ w.T) * (1 - activations[layer] ** 2)
            weights[2 * layer] = w - np.float32(LR) * grad_w
            weights[2 * layer + 1] = weights[2 * layer + 1] - np.float32(LR) * grad_b
        return loss

    def epoch():
        order = np.random.permutation(len(x_data))
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            step(x_data[batch], y_data[batch])
    return epoch


def main():
    if keras_setup.installed_keras_version() != keras_setup.KERAS_VERSION:
        print("bench_keras: the keras extra is not installed (pip install -e '.[keras]'); skipped")
        return
    x_data, y_data = data()
    print(f"Keras 2.2.4 on minigrad: one epoch of {BATCHES} batches of {BATCH}, MLP "
          f"{'-'.join(map(str, SIZES))}, tanh, SGD, float32, 1 BLAS thread")
    runs = [("hand-written NumPy loop", numpy_epoch_function),
            ("minigrad K.function loop", minigrad_epoch_function),
            ("Keras Sequential + model.fit", keras_epoch_function)]
    epochs = {name: make(x_data, y_data) for name, make in runs}
    times = dict.fromkeys(epochs, float("inf"))
    for _ in range(8):        # interleaved, so a busy moment slows all three alike
        for name, epoch in epochs.items():
            times[name] = min(times[name], timeit.timeit(epoch, number=1))
    own = times["minigrad K.function loop"]
    for name, seconds in times.items():
        print(f"  {name:<34} {seconds * 1e3:9.1f} ms   {seconds / own:5.2f}x minigrad's loop")
    print(f"  target: Keras fit within 1.30x of minigrad's own loop -> "
          f"{times['Keras Sequential + model.fit'] / own:.2f}x")


if __name__ == "__main__":
    main()
