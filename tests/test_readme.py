"""The README's first example runs and reaches the answer it promises."""

import pathlib
import re

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
