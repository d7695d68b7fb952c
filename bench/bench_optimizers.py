"""One Adam step and one AMSGrad step on big float32 parameters: minigrad vs
hand-written NumPy vs PyTorch, in one run, at one thread.

    .venv/bin/python bench/bench_optimizers.py [--quick]

For 1M and 10M parameters, as one tensor and as 100 tensors, it times:

* ``minigrad``: ``K.function`` on ``Adam(...).get_updates(...)``, the
  gradients fed through placeholders (the optimizer's ``get_gradients`` is
  replaced by the placeholders, so only the optimizer step is measured).
  Its update tail runs in parts on ``threads.THREADS`` threads where the
  compiler's pass *split* finds it big enough (``mg 1thr``: the same step
  compiled for one thread, to show what the split buys);
* ``numpy``: the same math written by hand in place (``out=``, one scratch
  buffer per tensor) -- what a careful NumPy programmer would type;
* ``np+clip``: the same, with the one pass more that Keras's ``K.sqrt``
  makes and minigrad keeps (``clip(v, 0, inf)`` before the square root, so
  a negative ``v`` gives 0 rather than NaN): the same work as minigrad's step;
* ``torch``: ``torch.optim.Adam`` (default implementation, and ``fused=True``)
  with ``p.grad`` set, when torch is importable (the columns are skipped
  otherwise).

Times are the best of several calls (other work on the machine only adds time), in milliseconds; ratios are minigrad
over the others. ``peak`` is the largest extra memory a minigrad (or NumPy)
step allocates, measured with tracemalloc (which sees NumPy's allocations),
as a multiple of the parameter bytes. BLAS and torch are limited to one
thread (perf-notes.md: two-thread timings are bimodal on these machines);
so is hand-written NumPy, which has no threads of its own.
"""

import os

# Before NumPy is imported: one BLAS thread (threadpoolctl, if present, too).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from minigrad import backend as K, threads as mg_threads  # noqa: E402
from minigrad.optimizers import Adam  # noqa: E402

try:
    import threadpoolctl
    threadpoolctl.threadpool_limits(1)
except ImportError:
    threadpoolctl = None
try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None

LR, BETA_1, BETA_2, EPSILON = 1e-3, 0.9, 0.999, 1e-7


def shapes(total, tensors):
    return [(total // tensors,)] * tensors


def make_arrays(total, tensors, seed=0):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal(s, dtype=np.float32) for s in shapes(total, tensors)]
    grads = [rng.standard_normal(s, dtype=np.float32) for s in shapes(total, tensors)]
    return params, grads


# ----------------------------------------------------------- the contenders

def minigrad_step(params, grads, amsgrad, threads=None):
    """The step compiled for ``threads`` threads (default ``mg_threads.THREADS``)."""
    variables = [K.variable(p) for p in params]
    feeds = [K.placeholder(shape=p.shape, dtype="float32") for p in params]
    opt = Adam(lr=LR, beta_1=BETA_1, beta_2=BETA_2, epsilon=EPSILON, amsgrad=amsgrad)
    opt.get_gradients = lambda loss, ps: feeds     # measure the step only
    machine, mg_threads.THREADS = mg_threads.THREADS, threads or mg_threads.THREADS
    try:
        step = K.function(feeds, [], updates=opt.get_updates(None, variables))
    finally:
        mg_threads.THREADS = machine
    run = lambda: step(grads)  # noqa: E731
    run.params = lambda: [K.get_value(v) for v in variables]
    run.held = scratch_bytes(step)
    return run


def scratch_bytes(step):
    """The bytes of the update tail's scratch buffers, which the compiled
    function holds from compiling on (so a step's peak does not count them)."""
    namespace = step._run.__globals__
    buffers = [value for name, value in namespace.items()
               if name.startswith("scratch") and isinstance(value, np.ndarray)]
    buffers += [array for name, parts in namespace.items() if name.startswith("scratch_of_part")
                for part in parts for array in part]
    return sum(array.nbytes for array in buffers)


def numpy_step(params, grads, amsgrad, keras_sqrt=False):
    ps = [p.copy() for p in params]
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    vhats = [np.zeros_like(p) for p in params]
    scratch = [np.empty_like(p) for p in params]
    state = {"t": 0}
    f32 = np.float32

    def step():
        state["t"] += 1
        t = state["t"]
        lr_t = f32(LR * np.sqrt(1 - BETA_2 ** t) / (1 - BETA_1 ** t))
        for p, g, m, v, vhat, s in zip(ps, grads, ms, vs, vhats, scratch):
            m *= f32(BETA_1)
            np.multiply(g, f32(1 - BETA_1), out=s)
            m += s
            v *= f32(BETA_2)
            np.square(g, out=s)
            s *= f32(1 - BETA_2)
            v += s
            if amsgrad:
                np.maximum(vhat, v, out=vhat)
            if keras_sqrt:
                np.clip(vhat if amsgrad else v, 0, np.inf, out=s)
                np.sqrt(s, out=s)
            else:
                np.sqrt(vhat if amsgrad else v, out=s)
            s += f32(EPSILON)
            np.divide(m, s, out=s)
            s *= lr_t
            p -= s
    step.params = lambda: ps
    return step


def torch_step(params, grads, amsgrad, fused=False):
    ps = [torch.nn.Parameter(torch.from_numpy(p.copy())) for p in params]
    for p, g in zip(ps, grads):
        p.grad = torch.from_numpy(g)
    kwargs = {"fused": True} if fused else {}
    opt = torch.optim.Adam(ps, lr=LR, betas=(BETA_1, BETA_2), eps=EPSILON,
                           amsgrad=amsgrad, **kwargs)

    @torch.no_grad()
    def step():
        opt.step()
    step.params = lambda: [p.detach().numpy() for p in ps]
    return step


# --------------------------------------------------------------- measuring

def best_ms(step, calls):
    step()                                   # warm up (allocates lazily created state)
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def best_ms_each(steps, calls):
    """``best_ms`` of each step, the steps taking turns call by call, so that
    other work on the machine slows them alike (their ratios are the figures
    that count)."""
    for step in steps:
        step()                               # warm up (allocates lazily created state)
    best = [float("inf")] * len(steps)
    for _ in range(calls):
        for i, step in enumerate(steps):
            start = time.perf_counter()
            step()
            best[i] = min(best[i], time.perf_counter() - start)
    return [1e3 * seconds for seconds in best]


def peak_extra(step, param_bytes):
    """Largest memory a step allocates beyond what existed before it, in
    multiples of the parameter bytes (NumPy allocations only)."""
    step()
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - before) / param_bytes


def check_agreement(steps, grads, label):
    """Every contender, called equally often, holds the same parameters (up
    to float32 rounding): the timings compare the same computation. torch
    follows Kingma & Ba's Algorithm 1, where epsilon sits at another place
    (see minigrad/optimizers/adam.py); that shows where |g| is near epsilon
    (1e-7 / sqrt(1 - beta_2**t) ~ 3e-6 at t=1), so torch is compared only
    where |g| > 0.1 (there the difference is below 1e-4 of a step)."""
    reference = steps[0].params()
    for k, step in enumerate(steps[1:], start=1):
        for a, b, g in zip(reference, step.params(), grads):
            where = np.abs(g) > 0.1 if k >= 4 else np.ones(g.shape, bool)
            if not np.allclose(a[where], b[where], rtol=1e-4, atol=1e-6):
                sys.exit(f"{label}: contender {k} disagrees with minigrad by "
                         f"{np.max(np.abs(a - b)[where]):.3g}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1M parameters only")
    args = parser.parse_args()
    sizes = [1_000_000] if args.quick else [1_000_000, 10_000_000]

    threads = "1 (threadpoolctl)" if threadpoolctl else "1 (OPENBLAS/OMP_NUM_THREADS=1)"
    print(f"minigrad optimizer step, float32; NumPy {np.__version__}; "
          f"torch {torch.__version__ if torch else 'not installed (columns skipped)'}; "
          f"BLAS and torch threads: {threads}; minigrad's split update tail: "
          f"{mg_threads.THREADS} threads (threads.THREADS), 1 in column 'mg 1thr'")
    header = (f"{'optimizer':9s} {'params':>6s} {'tensors':>7s} | {'minigrad':>9s} {'mg 1thr':>8s}"
              f" {'numpy':>8s} {'np+clip':>8s} {'torch':>8s} {'fused':>8s} | {'mg/np':>6s}"
              f" {'1thr/np':>7s} {'mg/npc':>6s} {'mg/torch':>8s} {'mg/fused':>8s} {'mg/floor':>8s}"
              f" | {'peak mg':>7s} {'held mg':>7s} {'peak np':>7s}")
    bandwidth = measure_bandwidth()
    print(f"memory bandwidth (np.add in place, 40 MB arrays): {bandwidth / 1e9:.1f} GB/s; "
          "floor of a step: 28 bytes a parameter (read p, m, v, g; write p, m, v)")
    print(header)
    print("-" * len(header))
    for total in sizes:
        for tensors in (1, 100):
            params, grads = make_arrays(total, tensors)
            param_bytes = sum(p.nbytes for p in params)
            calls = 7 if total >= 10_000_000 else 25
            for amsgrad in (False, True):
                mg = minigrad_step(params, grads, amsgrad)
                npy = numpy_step(params, grads, amsgrad)
                contenders = [mg, npy, numpy_step(params, grads, amsgrad, keras_sqrt=True),
                              minigrad_step(params, grads, amsgrad, threads=1)]
                if torch is not None:
                    contenders += [torch_step(params, grads, amsgrad),
                                   torch_step(params, grads, amsgrad, fused=True)]
                t_mg, t_np, t_npc, t_1, t_torch, t_fused = best_ms_each(contenders, calls) + [
                    float("nan")] * (6 - len(contenders))
                for other in contenders[2:]:
                    other(), other()                        # as many calls as peak_extra makes
                peak_mg, held = peak_extra(mg, param_bytes), mg.held / param_bytes
                peak_np = peak_extra(npy, param_bytes)
                check_agreement(contenders, grads, f"{total} params, {tensors} tensors, amsgrad={amsgrad}")
                del mg, npy, contenders
                gc.collect()
                name = "AMSGrad" if amsgrad else "Adam"

                def fmt(x, spec):
                    return format(x, spec) if x == x else f"{'-':>{spec.split('.')[0]}}"
                floor = 1e3 * (28 if not amsgrad else 36) * total / bandwidth
                print(f"{name:9s} {total // 1_000_000:>5d}M {tensors:>7d} | {t_mg:8.1f}ms "
                      f"{t_1:6.1f}ms {t_np:6.1f}ms {t_npc:6.1f}ms {fmt(t_torch, '6.1f')}ms "
                      f"{fmt(t_fused, '6.1f')}ms | {t_mg / t_np:6.2f} {t_1 / t_np:7.2f} "
                      f"{t_mg / t_npc:6.2f} "
                      f"{fmt(t_mg / t_torch, '8.2f')} "
                      f"{fmt(t_mg / t_fused, '8.2f')} {t_mg / floor:8.2f} | "
                      f"{peak_mg:6.2f}x {held:6.2f}x {peak_np:6.2f}x")
    print("times: best of several calls; ratios: minigrad / other (lower is better); "
          "peak: extra bytes a step allocates / parameter bytes (tracemalloc, NumPy only); "
          "held: the scratch buffers the compiled step keeps between calls / parameter bytes; "
          "floor: the bytes a step must move at the bandwidth above (AMSGrad also reads and "
          "writes vhat)")
    print("targets (issue 12, 10M parameters): mg/np at most 1.00 (aim 0.60); "
          "peak mg + held mg at most 0.25x; mg/npc compares the same work (Keras's K.sqrt clips first)")


def measure_bandwidth(n=10_000_000):
    """Bytes a second that an in-place ufunc moves (two reads, one write)."""
    a, b = np.ones(n, np.float32), np.ones(n, np.float32)
    seconds = best_ms(lambda: np.add(a, b, out=a), 7) / 1e3
    return 3 * a.nbytes / seconds


if __name__ == "__main__":
    main()
