"""Engine benchmarks: what the graph machinery costs on top of NumPy.

Prints one table; run with ``make bench`` or ``python bench/bench_engine.py``.
Everything runs on one BLAS thread (two-thread timings flip between two
states from one process to the next on 2-vCPU machines), and every ratio
compares figures measured in this one run.

1. executor overhead per node on tiny arrays, against calling the same NumPy
   functions directly;
2. build, differentiate and evaluate a 100,000-node chain;
3. one call of a small compiled update (Adam's rule written by hand on one
   scalar parameter, about two dozen nodes), and the real ``optimizers.Adam``
   step when it exists, against hand-written NumPy and ``torch`` if installed;
4. an MLP 784-256-256-10 training step (tanh, softmax cross-entropy, batch
   128, float32, SGD), against the same math hand-written in NumPy.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import sys  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from minigrad import backend as K, optimizers  # noqa: E402

try:
    import torch  # noqa: E402
    torch.set_num_threads(1)
except ImportError:
    torch = None


def best_of(function, number, repeat=5):
    """Seconds per call: the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def best_of_each(functions, number, rounds=40):
    """Seconds per call of each function: the best of ``rounds`` runs of
    ``number`` calls, the functions taking turns, so that other work on the
    machine slows them alike (their ratio is the figure that counts)."""
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for i, function in enumerate(functions):
            best[i] = min(best[i], timeit.timeit(function, number=number) / number)
    return best


def row(name, seconds, baseline=None, unit="us", scale=1e6, target=""):
    ratio = f"{seconds / baseline:8.2f}x" if baseline else " " * 9
    print(f"  {name:<52} {seconds * scale:11.2f} {unit}  {ratio}  {target}".rstrip())


# --------------------------------------------------------------------------
def per_node_overhead(links=500):
    print("\n1. Executor overhead per node, shape-(1,) float64 arrays "
          f"({2 * links}-node chain of tanh and multiply)")
    K.set_floatx("float64")
    x = K.placeholder(shape=(1,), name="x")
    y = x
    for _ in range(links):
        y = K.tanh(y) * 0.5
    f = K.function([x], [y])
    data = [np.array([0.3])]
    half = np.array(0.5)

    def numpy_chain():
        value = data[0]
        for _ in range(links):
            value = np.multiply(np.tanh(value), half)
        return value

    assert np.allclose(f(data)[0], numpy_chain())
    ours = best_of(lambda: f(data), 200) / (2 * links)
    numpy = best_of(numpy_chain, 200) / (2 * links)
    row("NumPy, the same ufuncs called directly (per node)", numpy)
    row("minigrad compiled function (per node)", ours, numpy)
    row("  overhead per node", ours - numpy)
    K.set_floatx("float32")


# --------------------------------------------------------------------------
def deep_chain(links=50_000):
    print(f"\n2. A {2 * links:,}-node chain: build, differentiate, evaluate")
    K.set_floatx("float64")
    start = time.perf_counter()
    x = K.variable(0.3)
    y = x
    for _ in range(links):
        y = K.tanh(y) * 0.5
    built = time.perf_counter()
    (g,) = K.gradients(y, [x])
    differentiated = time.perf_counter()
    f = K.function([], [y, g])
    compiled = time.perf_counter()
    f([])
    evaluated = time.perf_counter()
    row("build the graph", built - start, unit="s ", scale=1)
    row("K.gradients (adds the backward graph)", differentiated - built, unit="s ", scale=1)
    row(f"K.function ({len(f.order):,} nodes)", compiled - differentiated, unit="s ", scale=1)
    row("one call", evaluated - compiled, unit="s ", scale=1)
    row("total", evaluated - start, unit="s ", scale=1, target="target < 2 s (aim 1 s)")
    K.set_floatx("float32")


# --------------------------------------------------------------------------
def memory_past_codegen_limit(size=25_000):
    """Peak memory of a graph just under and just over ``CODEGEN_LIMIT``: the
    node-by-node path must free values after their last use as the
    generated code does."""
    from minigrad import executor
    print(f"\n5. Peak memory of a chain of ops on {size:,}-element arrays, "
          "below and above the code-generation limit")
    x = K.placeholder(shape=(size,), name="x")
    data = np.ones(size, np.float32)
    peaks = {}
    for ops in (executor.CODEGEN_LIMIT - 100, executor.CODEGEN_LIMIT + 100):
        y = x
        for _ in range(ops // 2):
            y = K.tanh(y) * 0.5
        f = K.function([x], [y])
        tracemalloc.start()
        f([data])
        peaks[ops] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {ops:,} ops ({'compiled' if f.source else 'node by node'}): "
              f"peak {peaks[ops] / 1e6:8.2f} MB")
    low, high = sorted(peaks)
    print(f"  ratio {peaks[high] / peaks[low]:.2f}x  target at most 2x")


# --------------------------------------------------------------------------
def small_update():
    print("\n3. One Adam step on one scalar parameter (loss (p - 3)^2), per call")
    K.set_floatx("float32")
    lr, beta_1, beta_2, eps = 0.01, 0.9, 0.999, 1e-7
    p = K.variable([0.5], name="p")
    m, v, t = K.zeros((1,)), K.zeros((1,)), K.variable(0.0)
    loss = K.sum(K.square(p - 3.0))
    (g,) = K.gradients(loss, [p])
    t_new = t + 1
    lr_t = lr * K.sqrt(1 - K.pow(beta_2, t_new)) / (1 - K.pow(beta_1, t_new))
    m_new = beta_1 * m + (1 - beta_1) * g
    v_new = beta_2 * v + (1 - beta_2) * K.square(g)
    hand = K.function([], [loss], updates=[K.update(t, t_new), K.update(m, m_new), K.update(v, v_new),
                                           K.update(p, p - lr_t * m_new / (K.sqrt(v_new) + eps))])
    nodes = sum(node.op is not None for node in hand.order)

    arrays = {name: np.array(value, dtype=np.float32) for name, value in
              dict(p=[0.5], m=[0.0], v=[0.0], t=[0.0], three=[3.0], two=[2.0], one=[1.0], b1=[beta_1],
                   b2=[beta_2], nb1=[1 - beta_1], nb2=[1 - beta_2], lr=[lr], eps=[eps]).items()}

    def numpy_step(a=arrays):
        d = np.subtract(a["p"], a["three"])
        loss = np.add.reduce(np.square(d))
        g = np.multiply(a["two"], d)
        t = np.add(a["t"], a["one"])
        lr_t = np.divide(np.multiply(a["lr"], np.sqrt(np.subtract(a["one"], np.power(a["b2"], t)))),
                         np.subtract(a["one"], np.power(a["b1"], t)))
        m = np.add(np.multiply(a["b1"], a["m"]), np.multiply(a["nb1"], g))
        v = np.add(np.multiply(a["b2"], a["v"]), np.multiply(a["nb2"], np.square(g)))
        a["p"] = np.subtract(a["p"], np.divide(np.multiply(lr_t, m), np.add(np.sqrt(v), a["eps"])))
        a["m"], a["v"], a["t"] = m, v, t
        return loss

    q = K.variable([0.5])
    q_loss = K.sum(K.square(q - 3.0))
    step = K.function([], [q_loss], updates=optimizers.Adam(lr=lr).get_updates(q_loss, [q]))
    numpy, ours_hand, ours_adam = best_of_each([numpy_step, lambda: hand([]), lambda: step([])], 200)
    row("hand-written NumPy ufuncs", numpy)
    row(f"K.function, Adam written with K ops ({nodes} ops)", ours_hand, numpy)
    row(f"K.function, optimizers.Adam ({sum(node.op is not None for node in step.order)} ops)",
        ours_adam, numpy, target="target at most 2x")
    if torch is not None:
        w = torch.tensor([0.5], requires_grad=True)
        adam = torch.optim.Adam([w], lr=lr, eps=eps)

        def torch_step():
            adam.zero_grad()
            out = ((w - 3.0) ** 2).sum()
            out.backward()
            adam.step()
            return out

        row("torch: loss, backward, Adam.step()", best_of(torch_step, 500), numpy)
    else:
        print("  (torch not installed: no torch row)")


# --------------------------------------------------------------------------
def mlp_step(batch=128, sizes=(784, 256, 256, 10), lr=0.1):
    print(f"\n4. MLP {'-'.join(map(str, sizes))} training step (tanh, softmax cross-entropy, "
          f"batch {batch}, float32, SGD)")
    K.set_floatx("float32")
    rng = np.random.default_rng(0)
    x_data = rng.normal(size=(batch, sizes[0])).astype(np.float32)
    y_data = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], batch)]
    initial = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        initial.append((rng.normal(scale=fan_in ** -0.5, size=(fan_in, fan_out)).astype(np.float32),
                        np.zeros(fan_out, np.float32)))

    x = K.placeholder(shape=(None, sizes[0]), name="x")
    y = K.placeholder(shape=(None, sizes[-1]), name="y")
    params, h = [], x
    for layer, (w0, b0) in enumerate(initial):
        w, b = K.variable(w0, name=f"w{layer}"), K.variable(b0, name=f"b{layer}")
        params += [w, b]
        h = K.dot(h, w) + b
        if layer < len(initial) - 1:
            h = K.tanh(h)
    loss = K.mean(K.categorical_crossentropy(y, K.softmax(h)))
    grads = K.gradients(loss, params)
    train = K.function([x, y], [loss], updates=[K.update_sub(p, lr * g) for p, g in zip(params, grads)])

    weights = [[w.copy(), b.copy()] for w, b in initial]
    eps = np.float32(K.epsilon())

    def numpy_step():
        activations = [x_data]
        for layer, (w, b) in enumerate(weights):
            z = activations[-1] @ w + b
            activations.append(np.tanh(z) if layer < len(weights) - 1 else z)
        z = activations[-1]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        loss = np.mean(-np.sum(y_data * np.log(np.clip(p, eps, 1 - eps)), axis=1))
        delta = (p - y_data) / batch
        for layer in range(len(weights) - 1, -1, -1):
            w, b = weights[layer]
            grad_w, grad_b = activations[layer].T @ delta, delta.sum(axis=0)
            if layer:
                delta = (delta @ w.T) * (1 - activations[layer] ** 2)
            weights[layer][0] = w - np.float32(lr) * grad_w
            weights[layer][1] = b - np.float32(lr) * grad_b
        return loss

    first_ours, first_numpy = train([x_data, y_data])[0], numpy_step()
    assert abs(first_ours - first_numpy) < 1e-4 * abs(first_numpy), (first_ours, first_numpy)
    numpy = best_of(numpy_step, 20, repeat=7)
    row("hand-written NumPy (forward, backward, SGD)", numpy)
    row(f"minigrad K.function ({sum(n.op is not None for n in train.order)} ops)",
        best_of(lambda: train([x_data, y_data]), 20, repeat=7), numpy, target="target at most 1.1x")
    if torch is not None:
        model = torch.nn.Sequential(
            torch.nn.Linear(sizes[0], sizes[1]), torch.nn.Tanh(), torch.nn.Linear(sizes[1], sizes[2]),
            torch.nn.Tanh(), torch.nn.Linear(sizes[2], sizes[3]))
        sgd = torch.optim.SGD(model.parameters(), lr=lr)
        tx, ty = torch.from_numpy(x_data), torch.from_numpy(y_data.argmax(1))

        def torch_step():
            sgd.zero_grad()
            out = torch.nn.functional.cross_entropy(model(tx), ty)
            out.backward()
            sgd.step()
            return out

        row("torch nn.Sequential + SGD", best_of(torch_step, 20, repeat=7), numpy)


def main():
    print("minigrad engine benchmark (1 BLAS thread; ratio = time / first row of each block)")
    per_node_overhead()
    small_update()
    mlp_step()
    deep_chain()
    memory_past_codegen_limit()


if __name__ == "__main__":
    main()
