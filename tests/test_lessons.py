"""The course: every notebook is stored clean, runs top to bottom, and its exercise checks.

Each lesson is executed with nbclient in a fresh kernel (the ``python3`` kernel of the
interpreter running the tests), with the reference solution from
``lessons/solutions.py`` pasted into its exercise cell.
"""

import ast
import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(LESSONS))
import solutions  # noqa: E402
from minigrad import backend as K, optimizers, surfaces  # noqa: E402
from minigrad.ops.elementwise import FloatElementwise  # noqa: E402


def lesson_number(path):
    return int(path.name[:2])


def test_there_are_nine_lessons_in_order():
    assert [lesson_number(path) for path in NOTEBOOKS] == list(range(1, 10))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebooks_are_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name} has outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_lesson_ends_with_an_exercise_and_its_check(path):
    notebook = nbformat.read(path, as_version=4)
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
    assert tags[-2:] == [["exercise"], ["check"]]
    assert "answer = None" in notebook.cells[-2].source
    assert f"check({lesson_number(path)}, answer)" in notebook.cells[-1].source


def exercises(notebook):
    """``(index of the exercise cell, exercise key)`` for every exercise of a lesson."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if "exercise" in cell.metadata.get("tags", []):
            after = notebook.cells[index + 1]
            assert "check" in after.metadata.get("tags", []), "an exercise is followed by its check"
            (key,) = re.findall(r"check\((.+?), answer\)", after.source)
            found.append((index, ast.literal_eval(key)))
    return found


def solved(key, old=None, new=None):
    """The ``answer`` of a reference solution, optionally with ``old`` replaced by ``new``
    (a wrong variant; the replaced text must be there, so the variant really differs)."""
    source = solutions.SOLUTIONS[key]
    if old is not None:
        assert old in source
        source = source.replace(old, new)
    namespace = dict(np=np, K=K, optimizers=optimizers, surfaces=surfaces,
                     FloatElementwise=FloatElementwise)
    exec(source, namespace)
    return namespace["answer"]


def test_every_build_it_yourself_exercise_has_a_solution_and_lessons_2_to_7_have_one():
    keys = {key for path in NOTEBOOKS for _, key in exercises(nbformat.read(path, as_version=4))}
    assert keys == set(solutions.SOLUTIONS)
    built = {key.split("-")[0] for key in keys if isinstance(key, str)}
    assert built == {"2", "3", "4", "5", "6", "8"} and 7 in solutions.BUILD_CHECKS


def test_the_checker_rejects_missing_and_wrong_answers():
    with pytest.raises(AssertionError, match="still None"):
        solutions.check(3, None)
    with pytest.raises(AssertionError, match="not quite"):
        solutions.check(3, 54.0)


def test_lesson_4s_checker_takes_float_rates_from_arange():
    solutions.check(4, list(np.arange(0.05, 0.12, 0.02))[2:])   # 0.09000000000000001, 0.11
    with pytest.raises(AssertionError, match="not the list"):
        solutions.check(4, [0.07, 0.09, 0.11])


def test_lesson_5s_checker_explains_a_float32_optimizer():
    with pytest.raises(AssertionError, match="was floatx float64"):
        solutions.check(5, 0.8004126584896367)   # a fresh kernel's answer: float32 hyperparameters


def test_the_vjp_checker_takes_sinh_and_rejects_wrong_or_missing_gradients():
    solutions.check("2-vjp", solved("2-vjp"))
    wrong = [("g * (K.exp(x) + K.exp(-x)) / 2", "g * node"),           # sinh' = sinh: no
             ("g * (K.exp(x) + K.exp(-x)) / 2", "g * (K.exp(x) - K.exp(-x)) / 2"),
             ("g * (K.exp(x) + K.exp(-x)) / 2", "(K.exp(x) + K.exp(-x)) / 2"),   # forgot g
             ("g * (K.exp(x) + K.exp(-x)) / 2", "None")]
    for old, new in wrong:
        with pytest.raises(AssertionError):
            solutions.check("2-vjp", solved("2-vjp", old, new))
    with pytest.raises(AssertionError, match="op class itself"):
        solutions.check("2-vjp", np.sinh)


def test_the_clipping_checker_wants_one_global_norm():
    solutions.check("8-clip", solved("8-clip"))
    per_tensor = solved("8-clip", "K.switch(K.greater_equal(norm, clipnorm), g * clipnorm / norm, g)",
                        "K.switch(K.greater_equal(K.sqrt(K.sum(K.square(g))), clipnorm), "
                        "g * clipnorm / K.sqrt(K.sum(K.square(g))), g)")
    always = solved("8-clip", "K.switch(K.greater_equal(norm, clipnorm), g * clipnorm / norm, g)",
                    "g * clipnorm / norm")
    for wrong in [per_tensor, always, lambda grads, clipnorm: grads]:
        with pytest.raises(AssertionError, match="not quite"):
            solutions.check("8-clip", wrong)


def test_the_lag_checker_wants_the_bug_not_the_fix():
    solutions.check("3-lag", solved("3-lag"))
    with pytest.raises(AssertionError, match="not the bug"):
        solutions.check("3-lag", solved("3-lag", "p + velocity)", "p + v_t)"))
    with pytest.raises(AssertionError, match="two updates"):
        solutions.check("3-lag", solved("3-lag", "K.update(velocity, v_t),", ""))
    with pytest.raises(AssertionError, match="trace of one call"):
        solutions.check("3-lag", 0.0)


LIBRARY_COPIES = {
    "4-momentum": lambda loss, params, lr, momentum:
        optimizers.SGD(lr=lr, momentum=momentum).get_updates(loss, params),
    "5-rmsprop": lambda loss, params, lr, rho=0.9, epsilon=1e-7:
        type("MyRMSprop", (optimizers.RMSprop,), {})(lr=lr, rho=rho).get_updates(loss, params),
    "6-amsgrad": lambda loss, params, **settings:
        optimizers.AMSGrad(**settings).get_updates(loss, params),
    7: lambda loss, params: optimizers.Adam(lr=0.01).get_updates(loss, params),
}

WRONG_UPDATES = {
    "4-momentum": [("K.update(p, p + v_t)", "K.update(p, p + velocity)"),       # the lag
                   ("K.update(p, p + v_t)", "K.update(p, p + momentum * v_t - lr * g)"),  # Nesterov
                   ("momentum * velocity - lr * g", "-lr * g")],                # plain SGD
    "5-rmsprop": [("K.sqrt(a_t) + epsilon", "K.sqrt(a) + epsilon"),            # last step's a
                  ("K.sqrt(a_t) + epsilon", "K.sqrt(a_t + epsilon)"),
                  ("(1 - rho) * K.square(g)", "(1 - rho) * g")],
    "6-amsgrad": [("vhat_t = K.maximum(vhat, v_t)", "vhat_t = v_t"),            # that is Adam
                  ("vhat_t = K.maximum(vhat, v_t)", "vhat_t = K.maximum(vhat, K.square(g))"),
                  ("K.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)", "1.0"),       # no correction
                  ("K.update(v, v_t), ", "")],                                 # v never moves
    7: [("v_t = 0.9 * v - 0.1 * g", "v_t = 0.9 * v + 0.1 * g"),                # ascent
        ("v_t = 0.9 * v - 0.1 * g", "v_t = 0.9 * v - 1e-4 * g")],              # far too slow
}


def updates_answer(key, old=None, new=None):
    """A solution's update-building function (lesson 7's without its training run)."""
    if key != 7:
        return solved(key, old, new)
    source = solutions.SOLUTIONS[7].split("history, predict")[0]
    if old is not None:
        assert old in source
        source = source.replace(old, new)
    namespace = dict(np=np, K=K)
    exec(source, namespace)
    return namespace["my_updates"]


@pytest.mark.parametrize("key", list(WRONG_UPDATES), ids=str)
def test_update_list_checkers_take_the_solution_and_reject_wrong_ones_and_the_library(key):
    solutions.check(key, updates_answer(key))
    for old, new in WRONG_UPDATES[key]:
        with pytest.raises(AssertionError):
            solutions.check(key, updates_answer(key, old, new))
    with pytest.raises(AssertionError, match="build the update list yourself"):
        solutions.check(key, LIBRARY_COPIES[key])


def test_lesson_7s_checker_refuses_a_trained_predict_function_or_an_optimizer():
    with pytest.raises(AssertionError):
        solutions.check(7, optimizers.Adam(lr=0.01))
    with pytest.raises(AssertionError):
        solutions.check(7, 0.99)


def adam_two_steps(paper_form=False, beta_1=0.9, beta_2=0.999, epsilon=1e-7, steps=2):
    """Lesson 5's exercise, Adam on 3 p**2 from p = 1 with lr = 0.1, in NumPy."""
    p, m, v = 1.0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = 6.0 * p
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        if paper_form:      # Kingma & Ba's Algorithm 1: epsilon on the corrected root
            p -= 0.1 * (m / (1 - beta_1 ** t)) / (np.sqrt(v / (1 - beta_2 ** t)) + epsilon)
        else:               # Keras's form
            p -= 0.1 * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t) * m / (np.sqrt(v) + epsilon)
    return p


def test_lesson_5s_checker_takes_keras_adam_and_rejects_near_variants():
    solutions.check(5, adam_two_steps())
    for wrong in [adam_two_steps(paper_form=True),                  # 1.1e-7 away
                  adam_two_steps(paper_form=True, epsilon=1e-8),
                  adam_two_steps(epsilon=1e-5), adam_two_steps(epsilon=1e-8),
                  adam_two_steps(beta_1=0.0), adam_two_steps(beta_2=0.99),
                  adam_two_steps(steps=1)]:
        with pytest.raises(AssertionError, match="not quite"):
            solutions.check(5, wrong)


def test_lesson_6s_checker_rejects_amsgrad():
    settings = dict(lr=0.01, beta_1=0.0, beta_2=0.999)
    amsgrad = surfaces.reddi_problem(optimizers.AMSGrad(**settings), steps=1500).points[-1, 0]
    with pytest.raises(AssertionError, match="not quite"):
        solutions.check(6, float(amsgrad))    # 5e-6 from Adam's


def test_lesson_8s_checker_rejects_per_tensor_clipping():
    solutions.check(8, np.array([2.4, 0.0, 3.2]))   # one global norm, 5
    with pytest.raises(AssertionError, match="not quite"):
        solutions.check(8, np.array([2.0, 0.0, 3.0]))   # each tensor against its own norm


def keras_fit_answer(lr=0.1, momentum=0.9, shuffle=False, sample_weight=1.0, epochs_seen=None):
    """Lesson 9's exercise, right or with one thing wrong."""
    from minigrad import backend as K

    def my_fit(model, x, y, epochs, batch_size):
        sgd = optimizers.SGD(lr=lr, momentum=momentum)
        updates = sgd.get_updates(model.total_loss, model.trainable_weights)
        feeds = model._feed_inputs + model._feed_targets + model._feed_sample_weights
        step = K.function(feeds, [model.total_loss], updates=updates)
        for _ in range(epochs_seen or epochs):
            order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
            for start in range(0, len(x), batch_size):
                batch = order[start:start + batch_size]
                step([x[batch], y[batch], np.full(len(batch), sample_weight, "float32")])
    return my_fit


def test_lesson_9s_checker_takes_minigrads_sgd_and_rejects_near_misses():
    from minigrad import keras_setup
    if keras_setup.installed_keras_version() != keras_setup.KERAS_VERSION:
        pytest.skip("the keras extra is not installed")
    from minigrad import keras2  # noqa: F401  (Keras on minigrad)
    solutions.check(9, keras_fit_answer())
    for wrong in [keras_fit_answer(momentum=0.0), keras_fit_answer(lr=0.01),
                  keras_fit_answer(shuffle=True), keras_fit_answer(epochs_seen=1),
                  keras_fit_answer(sample_weight=0.5)]:
        with pytest.raises(AssertionError, match="not quite"):
            solutions.check(9, wrong)
    with pytest.raises(AssertionError, match="did not move"), np.errstate(all="ignore"):
        solutions.check(9, keras_fit_answer(sample_weight=0.0))     # Keras's loss: 0 / 0

    def keras_own_fit(model, x, y, epochs, batch_size):     # Keras's fit does not count
        model.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0)
    with pytest.raises(AssertionError, match="did not move"):
        solutions.check(9, keras_own_fit)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_lesson_runs_top_to_bottom_and_its_exercise_checks(path, monkeypatch):
    # Run time is measured, not asserted (timed assertions flake on a loaded
    # machine): `pytest --durations=10` lists each lesson's seconds.
    notebook = nbformat.read(path, as_version=4)
    for index, key in exercises(notebook):
        notebook.cells[index].source = solutions.SOLUTIONS[key]
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(LESSONS)}})
    # The kernel inherits the environment: make it import this checkout's minigrad
    # whatever state the installation is in.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client.execute()
    for index, key in exercises(notebook):
        check_cell = notebook.cells[index + 1]
        printed = "".join(output.get("text", "") for output in check_cell.outputs)
        assert printed.startswith("Correct"), (key, printed)


def drawn_runs(number, marker):
    """``(surface, {label: optimizer}, steps)`` of the lesson cell that contains ``marker``,
    taken from the cell itself (its call to ``viz.plot_trajectories`` is recorded, not drawn)."""
    (path,) = [path for path in NOTEBOOKS if lesson_number(path) == number]
    notebook = nbformat.read(path, as_version=4)
    (source,) = [cell.source for cell in notebook.cells
                 if cell.cell_type == "code" and marker in cell.source]
    drawn = []

    class Recorder:
        @staticmethod
        def plot_trajectories(surface, runs, steps=200, **options):
            drawn.append((surface, runs, steps))

    exec(source, dict(np=np, K=K, optimizers=optimizers, surfaces=surfaces, viz=Recorder))
    (run,) = drawn
    return run, "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_lesson_4s_momentum_text_says_what_its_figure_shows():
    (surface, runs, steps), text = drawn_runs(4, '"momentum 0.9": optimizers.SGD(lr=0.02, momentum=0.9)')
    points = {label: surfaces.descend(surface, optimizer, steps=steps).points
              for label, optimizer in runs.items()}
    sgd_y, momentum_y = points["SGD"][:, 1], points["momentum 0.9"][:, 1]
    # "plain SGD halves y at every step and never crosses the valley floor"
    nonzero = np.abs(sgd_y) > 1e-30
    assert np.all(np.sign(sgd_y[nonzero]) == np.sign(sgd_y[0]))
    np.testing.assert_allclose(sgd_y[1:10] / sgd_y[:9], 0.5, rtol=1e-5)
    # "with momentum ... it zig-zags across it, a little less each time (Nesterov too)"
    for label in ["momentum 0.9", "Nesterov 0.9"]:
        y = points[label][:, 1]
        assert np.sum(np.diff(np.sign(y)) != 0) >= 10, label
    assert np.abs(momentum_y[-20:]).max() < 0.1 * np.abs(momentum_y[:20]).max()
    # "after 100 steps momentum is far closer to the minimum" (along x)
    assert abs(points["momentum 0.9"][-1, 0]) < 0.1 * abs(points["SGD"][-1, 0])
    assert "zig-zags" in text and "damps the zig-zag" not in text
