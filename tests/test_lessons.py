"""The course: every notebook is stored clean, runs top to bottom, and its exercise checks.

Each lesson is executed with nbclient in a fresh kernel (the ``python3`` kernel of the
interpreter running the tests), with the reference solution from
``lessons/solutions.py`` pasted into its exercise cell.
"""

import os
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
from minigrad import optimizers, surfaces  # noqa: E402


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


def test_the_checker_rejects_missing_and_wrong_answers():
    with pytest.raises(AssertionError, match="still None"):
        solutions.check(3, None)
    with pytest.raises(AssertionError, match="not quite"):
        solutions.check(3, 54.0)
    with pytest.raises(AssertionError, match="aim for at least"):
        solutions.check(7, lambda points: np.zeros((len(points), 2)))   # always class 0


def test_the_checker_wants_lesson_7s_predict_function_not_a_typed_number():
    with pytest.raises(AssertionError, match="should be your `predict` function"):
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
    notebook.cells[-2].source = solutions.SOLUTIONS[lesson_number(path)]
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(LESSONS)}})
    # The kernel inherits the environment: make it import this checkout's minigrad
    # whatever state the installation is in.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client.execute()
    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    assert printed.startswith("Correct"), printed
