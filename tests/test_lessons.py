"""The course: every notebook is stored clean, runs top to bottom, and its exercise checks.

Each lesson is executed with nbclient in a fresh kernel (the ``python3`` kernel of the
interpreter running the tests), with the reference solution from
``lessons/solutions.py`` pasted into its exercise cell.
"""

import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(LESSONS))
import solutions  # noqa: E402


def lesson_number(path):
    return int(path.name[:2])


def test_there_are_eight_lessons_in_order():
    assert [lesson_number(path) for path in NOTEBOOKS] == list(range(1, 9))


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
        solutions.check(7, 0.5)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_lesson_runs_in_under_a_minute_and_its_exercise_checks(path, monkeypatch):
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
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    assert printed.startswith("Correct"), printed
    assert seconds < 60, f"{path.name} took {seconds:.0f} s"
