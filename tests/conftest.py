"""Shared fixtures: every test starts from Keras's default configuration and
learning phase, and leaves no figure open. (Shared helper functions are in
helpers.py, hypothesis strategies in strategies.py, what the drawing tests
read off a figure in figures.py.)"""

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from minigrad import backend as K, config  # noqa: E402


@pytest.fixture(autouse=True)
def default_config():
    """Restore floatx and epsilon after each test, whatever it changed."""
    floatx, epsilon = config.floatx(), config.epsilon()
    yield
    config.set_floatx(floatx)
    config.set_epsilon(epsilon)


@pytest.fixture(autouse=True)
def default_learning_phase():
    """Every test starts and ends with the dynamic phase (the placeholder, default 0)."""
    K.reset_learning_phase()
    yield
    K.reset_learning_phase()


@pytest.fixture(autouse=True)
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    plt.close("all")


@pytest.fixture
def float64():
    """Build the test's graph in float64 (exactness and finite differences)."""
    config.set_floatx("float64")
    yield


# tests/chromium.py is a helper of the docs' browser check: it needs websocket-client,
# which test_docs_browser.py asks for itself (and skips without).
collect_ignore = ["chromium.py"]
