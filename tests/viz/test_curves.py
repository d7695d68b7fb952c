"""minigrad/viz/curves.py: training curves, one panel per metric, one line per run."""

import numpy as np

from minigrad.viz import plot_training_curves
from figures import lines_by_gid
from helpers import refusal_test


def test_training_curves_show_every_metric_of_every_run():
    histories = {"SGD": {"loss": [1.0, 0.6, 0.4], "accuracy": [0.5, 0.7, 0.8]},
                 "Adam": {"loss": [1.0, 0.3, 0.1], "accuracy": [0.5, 0.9, 0.95]}}
    figure = plot_training_curves(histories)
    lines = lines_by_gid(figure)
    assert set(lines) == {f"curve:{m}:{r}" for m in ("loss", "accuracy") for r in histories}
    assert figure.axes[0].get_yscale() == "log" and figure.axes[1].get_yscale() == "linear"
    np.testing.assert_array_equal(lines["curve:accuracy:Adam"].get_ydata(), [0.5, 0.9, 0.95])


test_nothing_to_plot_is_refused = refusal_test({
    "no histories": (ValueError, "plot_training_curves: no histories to plot",
                     lambda: plot_training_curves({})),
})
