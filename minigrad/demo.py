"""The guided tour: ``make demo`` (or ``python -m minigrad.demo [out_dir]``).

Seven short stops, each printing what it shows and saving its figure in
``out/``:

1. a graph, built and printed (nothing runs yet), and drawn;
2. its gradients, which are more graph, checked against finite differences;
3. the training step ``K.function`` compiles: the Python it writes;
4. one training step, traced node by node;
5. linear regression trained with Adam, the loss falling;
6. SGD, Adam and AMSGrad on Rosenbrock's valley, as a table and a picture;
7. Reddi et al.'s problem, where Adam heads for the worst point and AMSGrad does not.
"""

import os
import sys
import time
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

import minigrad as mg
from minigrad import backend as K, optimizers, surfaces, viz
from minigrad.graph import topological_order


def heading(number, text):
    print(f"\n{number}. {text}\n" + "-" * (len(text) + 3))


def save(figure, out, name):
    path = out / name
    figure.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(figure)
    return path


def tour_graph(out):
    heading(1, "A graph: building it runs nothing")
    x = K.placeholder(shape=(None, 2), name="x")
    w = K.variable([[0.5], [-1.0]], name="w")
    b = K.variable([0.1], name="b")
    y = K.tanh(K.dot(x, w) + b)
    loss = K.mean(K.square(y))
    for node in topological_order([loss]):
        print("  ", node)
    written = [save(viz.draw_graph(loss), out, "graph.png")]
    dot = out / "graph.dot"
    dot.write_text(viz.to_dot(loss) + "\n")
    written.append(dot)
    print(f"\n  drawn to {written[0]}; Graphviz users: {dot}")

    heading(2, "Its gradients are more graph")
    gw, gb = K.gradients(loss, [w, b])
    print(f"  d loss / d w is node {gw.name!r}, built from "
          f"{len(topological_order([gw]))} nodes; nothing computed yet.")
    value = K.function([x], [loss, gw, gb])([np.array([[1.0, 2.0], [3.0, -1.0]], "float32")])
    print(f"  evaluated at x = [[1, 2], [3, -1]]: loss {value[0]:.4f}, "
          f"d/dw {value[1].ravel().round(4)}, d/db {value[2].round(4)}")
    K.set_floatx("float64")
    try:
        w64 = K.variable([[0.5], [-1.0]], name="w64")
        ok = mg.gradcheck(K.tanh(K.dot(K.constant([[1.0, 2.0], [3.0, -1.0]]), w64)), [w64])
    finally:
        K.set_floatx("float32")
    print(f"  gradcheck against central finite differences (float64): {ok}")
    return written


def regression_data():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(256, 3)).astype("float32")
    targets = features @ np.array([[2.0], [-1.0], [0.5]], "float32") + 0.3
    return features, targets


def tour_training(out):
    features, targets = regression_data()
    x = K.placeholder(shape=(None, 3), name="x")
    y = K.placeholder(shape=(None, 1), name="y")
    w = K.variable(np.zeros((3, 1)), name="w")
    b = K.variable(np.zeros((1,)), name="b")
    loss = K.mean(K.square(K.dot(x, w) + b - y))
    optimizer = optimizers.Adam(lr=0.05)
    train = K.function([x, y], [loss], updates=optimizer.get_updates(loss, [w, b]),
                       name="train_step")

    heading(3, "K.function compiles the step into Python (f.source)")
    print(f"  {train!r}\n")
    source = train.source.splitlines()
    shown = source if len(source) <= 40 else source[:30] + [
        f"    ... ({len(source) - 34} more lines) ..."] + source[-4:]
    print("\n".join("    " + line for line in shown))

    heading(4, "One training step, traced node by node")
    trace = train.trace([features, targets])
    print(f"  {len(trace.steps)} nodes evaluated in order; a few of them:")
    for step in trace.steps[:6] + trace.steps[-3:]:
        print(f"    step {step.index:>3}  {step.node.name:<22} {viz.labels.brief(step.value, 40)}")
    print("  then every update, all computed from the values before the call:")
    for update in trace.updates:
        print(f"    {update.variable.name:<14} {viz.labels.brief(update.old, 30):<32} -> "
              f"{viz.labels.brief(update.new, 30)}")
    middle = next(step.index for step in trace.steps if step.node is loss)
    written = [save(trace.show(middle, max_nodes=120), out, "trace_step.png")]
    print(f"\n  the graph at step {middle} (the loss) is drawn to {written[0]}")

    heading(5, "Training linear regression with Adam (lr=0.05)")
    losses = [float(trace.outputs[0])]
    for _ in range(299):
        (value,) = train([features, targets])
        losses.append(float(value))
    for step in (0, 50, 100, 200, 299):
        print(f"    step {step:>3}  loss {losses[step]:.6f}")
    print(f"  learned w = {K.get_value(w).ravel().round(3)} (true [2, -1, 0.5]), "
          f"b = {K.get_value(b).round(3)} (true [0.3])")
    return written, losses


def tour_rosenbrock(out, steps=2000, tolerance=1e-3):
    heading(6, f"SGD, Adam and AMSGrad on Rosenbrock's valley ({steps} steps)")
    runs = {"SGD (lr 1e-3, momentum 0.9)": optimizers.SGD(lr=1e-3, momentum=0.9),
            "Adam (lr 0.02)": optimizers.Adam(lr=0.02),
            "AMSGrad (lr 0.02)": optimizers.AMSGrad(lr=0.02)}
    start = time.perf_counter()
    paths = viz.trajectories.run_all("rosenbrock", runs, steps=steps)
    seconds = time.perf_counter() - start
    print(f"  start {surfaces.SURFACES['rosenbrock'].start}, minimum (1, 1); "
          f"{len(paths) * steps} steps in {seconds:.2f} s\n")
    print(f"    {'optimizer':<30} {'final loss':>12} {f'steps to {tolerance:g}':>16}   final point")
    for path in paths:
        reached = path.steps_to(tolerance)
        print(f"    {path.label:<30} {path.losses[-1]:>12.3g} "
              f"{'never' if reached is None else reached:>16}   "
              f"({path.points[-1, 0]:.4f}, {path.points[-1, 1]:.4f})")
    written = [save(viz.plot_trajectories("rosenbrock", paths), out, "rosenbrock.png")]
    written.append(viz.animate_trajectories("rosenbrock", paths, filename=out / "rosenbrock.gif",
                                            frames=40, fps=10))
    return written, paths


def tour_reddi(out, steps=1500):
    heading(7, "Reddi et al.'s problem: Adam converges to the worst point")
    big = 3.0
    settings = dict(lr=0.01, beta_1=0.0, beta_2=1 / (1 + big ** 2))
    print(f"  f_t(x) = {big:g}*x once every 3 steps, -x otherwise, x in [-1, 1]: "
          "the best x is -1.")
    print(f"  Both with {settings}  (the setting of Theorem 1, with a constant step size)\n")
    runs = [surfaces.reddi_problem(optimizers.Adam(**settings), steps, big=big),
            surfaces.reddi_problem(optimizers.AMSGrad(**settings), steps, big=big)]
    print(f"    {'optimizer':<10} {'final x':>9} {'average regret':>16}")
    for run in runs:
        print(f"    {run.label:<10} {run.points[-1, 0]:>9.4f} {run.losses[-1]:>16.4f}")
    histories = {run.label: {"x": run.points[:, 0], "average regret": run.losses}
                 for run in runs}
    figure = viz.plot_training_curves(histories, log_loss=False, xlabel="step",
                                      title="Reddi et al. (2018): Adam vs AMSGrad")
    return [save(figure, out, "reddi.png")], runs


def main(out_dir="out"):
    """Run the tour, writing figures to ``out_dir``; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Scoped, so that running the tour inside a test session changes no global state.
    with np.printoptions(precision=4, suppress=True):
        print("minigrad: a guided tour")
        written = tour_graph(out)
        files, _ = tour_training(out)
        written += files
        files, _ = tour_rosenbrock(out)
        written += files
        files, _ = tour_reddi(out)
        written += files
    print("\nFigures written (open them, or `make lab` for the lessons):")
    for path in written:
        print(f"    {Path(path).resolve()}")
    return written


if __name__ == "__main__":
    if "MPLBACKEND" not in os.environ:  # the tour writes files; it needs no window
        matplotlib.use("Agg")
    main(*sys.argv[1:2])
