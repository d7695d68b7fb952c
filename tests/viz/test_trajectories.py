"""minigrad/viz/trajectories.py: optimizer paths over surfaces and their
animations, headless, checked by content."""

import numpy as np
import pytest

from minigrad import optimizers, surfaces
from minigrad.viz import animate_trajectories, plot_trajectories
from figures import lines_by_gid
from helpers import refusal_test


def test_plot_trajectories_draws_one_full_path_per_optimizer():
    runs = {"SGD": optimizers.SGD(lr=0.02), "momentum": optimizers.SGD(lr=0.02, momentum=0.9),
            "Adam": optimizers.Adam(lr=0.1)}
    figure = plot_trajectories("ill_conditioned", runs, steps=50)
    figure.canvas.draw()
    lines = lines_by_gid(figure)
    assert {"path:SGD", "path:momentum", "path:Adam", "loss:SGD", "minimum"} <= set(lines)
    for label in runs:
        xs, ys = lines[f"path:{label}"].get_data()
        assert len(xs) == 51 and (xs[0], ys[0]) == surfaces.SURFACES["ill_conditioned"].start
        assert len(lines[f"loss:{label}"].get_ydata()) == 51
    sgd_end = np.hypot(*[data[-1] for data in lines["path:SGD"].get_data()])
    momentum_end = np.hypot(*[data[-1] for data in lines["path:momentum"].get_data()])
    assert momentum_end < sgd_end          # momentum gets further along the shallow axis
    assert len(figure.axes) == 2


def test_given_trajectories_are_drawn_as_they_are():
    path = surfaces.descend("beale", optimizers.Adam(lr=0.05), steps=30)
    figure = plot_trajectories("beale", {"mine": path}, loss_panel=False)
    xs, ys = lines_by_gid(figure)["path:mine"].get_data()
    np.testing.assert_array_equal(np.stack([xs, ys], axis=1), path.points)
    with pytest.raises(TypeError, match="optimizer or a Trajectory"):
        plot_trajectories("beale", {"bad": 3})


def test_paths_differ_in_colour_dash_and_marker_and_the_minimum_is_drawn_on_top():
    runs = {"SGD": optimizers.SGD(lr=1e-3, momentum=0.9), "Adam": optimizers.Adam(lr=0.02),
            "AMSGrad": optimizers.AMSGrad(lr=0.02)}
    figure = plot_trajectories("rosenbrock", runs, steps=200)
    lines = lines_by_gid(figure)
    paths = [lines[f"path:{label}"] for label in runs]
    looks = {(line.get_color(), line.get_linestyle(), line.get_marker()) for line in paths}
    assert len(looks) == 3 and len({line.get_linestyle() for line in paths}) == 3
    assert len({line.get_marker() for line in paths}) == 3
    widths = [line.get_linewidth() for line in paths]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]   # later ones show
    contour_ax = lines["minimum"].axes
    others = [line.get_zorder() for line in contour_ax.lines if line is not lines["minimum"]]
    assert lines["minimum"].get_zorder() > max(others)
    legend = contour_ax.get_legend()
    assert min(text.get_fontsize() for text in legend.get_texts()) >= 9


def test_the_saddles_loss_axis_fits_the_losses_inside_the_window():
    runs = {"SGD": optimizers.SGD(lr=0.05), "momentum 0.9": optimizers.SGD(lr=0.05, momentum=0.9)}
    figure = plot_trajectories("saddle", runs, steps=60)
    lines = lines_by_gid(figure)
    momentum_losses = lines["loss:momentum 0.9"].get_ydata()
    assert momentum_losses.min() < -1e6                      # it runs away...
    loss_ax = lines["loss:SGD"].axes
    low, high = loss_ax.get_ylim()
    assert -5 < low < 0 < 1 < high < 5                       # ...but the axis stays readable
    sgd = lines["loss:SGD"].get_ydata()
    assert (sgd.max() - sgd.min()) / (high - low) > 0.3      # not flattened to a line at 0


def test_animate_trajectories_writes_a_gif_and_returns_html(tmp_path):
    runs = [surfaces.descend("saddle", optimizers.SGD(lr=0.1), steps=20),
            surfaces.descend("saddle", optimizers.Adam(lr=0.1), steps=20)]
    gif = animate_trajectories("saddle", runs, filename=tmp_path / "paths.gif", frames=8)
    from PIL import Image
    with Image.open(gif) as image:
        assert image.format == "GIF" and image.n_frames == 8
    player = animate_trajectories("saddle", runs, frames=4)
    assert "<script" in player._repr_html_() and "Animation" in player.html
    # nothing to fetch: the play buttons work offline (matplotlib's icons come from a CDN)
    assert "http" not in player.html and "font-awesome" not in player.html
    assert 'aria-label="Play" onclick="anim' in player.html and "\u25b6</button>" in player.html


def test_an_animation_is_big_enough_to_read(tmp_path):
    runs = [surfaces.descend("rosenbrock", optimizers.Adam(lr=0.02), steps=20)]
    gif = animate_trajectories("rosenbrock", runs, filename=tmp_path / "paths.gif", frames=3)
    from PIL import Image
    with Image.open(gif) as image:
        width, height = image.size
    assert width >= 500 and height >= 400
    # 9-point legend text at the frames' 100 dpi is 12.5 pixels high
    from minigrad.viz.trajectories import TEXT
    assert TEXT * 100 / 72 >= 12


test_nothing_to_plot_is_refused = refusal_test({
    "no runs": (ValueError, "nothing to plot: give at least one optimizer or trajectory",
                lambda: plot_trajectories("rosenbrock", {})),
})
