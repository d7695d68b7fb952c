"""The README's first example runs and reaches the answer it promises."""

import pathlib
import re
import shutil
import subprocess

import numpy as np
import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_example_trains_to_the_true_parameters(capsys):
    code = python_blocks()[0]
    namespace = {}
    exec(compile(code, str(README), "exec"), namespace)
    K = namespace["K"]
    assert float(namespace["l"]) < 1e-6
    np.testing.assert_allclose(K.get_value(namespace["w"]).ravel(), [2.0, -1.0, 0.5], atol=1e-3)
    np.testing.assert_allclose(K.get_value(namespace["b"]), [0.3], atol=1e-3)
    assert "def function(feeds, variables):" in namespace["train"].source


def test_readme_starts_with_the_two_commands():
    text = README.read_text()
    assert text.index("make demo") < text.index("```python")
    assert text.index("make test") < text.index("```python")


def test_readme_keras_example_trains_and_shows_the_source(capsys):
    from minigrad import keras_setup
    if keras_setup.installed_keras_version() != keras_setup.KERAS_VERSION:
        pytest.skip("the keras extra is not installed")
    code = python_blocks()[1]
    namespace = {}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["history"].history["acc"][-1] > 0.95
    assert "def train_function(feeds, variables):" in capsys.readouterr().out


def make_dry_run(target):
    """The commands ``make <target>`` would run on a fresh clone (``-n -B``: print, run nothing)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(["make", "-n", "-B", target], cwd=README.parent, check=True,
                          capture_output=True, text=True).stdout


def test_make_demo_installs_only_the_runtime_dependencies_and_shows_progress():
    installs = [line for line in make_dry_run("demo").splitlines() if "pip install" in line
                and "--upgrade pip" not in line]
    assert installs == [".venv/bin/python -m pip install --progress-bar on -e ."]
    pyproject = (README.parent / "pyproject.toml").read_text()
    (block,) = re.findall(r"^dependencies = \[(.*?)\]", pyproject, re.S | re.M)
    assert sorted(re.findall(r'"([a-z-]+)[<>=]', block)) == ["matplotlib", "numpy"]


def test_make_test_still_installs_the_development_tools():
    assert ".venv/bin/python -m pip install --progress-bar on -e '.[dev]'" in make_dry_run("test")


def test_readme_says_how_to_run_your_own_script_and_that_set_up_needs_the_network():
    text = README.read_text()
    assert ".venv/bin/python my_script.py" in text and "source .venv/bin/activate" in text
    assert "needs network access" in text
