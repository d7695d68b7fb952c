"""Optimizers walking over 2-D surfaces: contour plots, loss curves, animations.

The runs themselves come from `minigrad.surfaces.descend`; this module
only draws them. Pass optimizers and they are run for you, or pass
trajectories you already have (to draw the same runs twice, or runs you
made another way).
"""

import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter

from .. import surfaces as surfaces_module
from ..surfaces import Trajectory

COLORS = plt.rcParams["axes.prop_cycle"].by_key()["color"]
#: Each path gets a colour, a line style and a marker of its own, and the first
#: paths are drawn widest, so a path lying on top of another leaves it visible.
LINESTYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P"]
#: Text size (points) of legends and titles; at least 9 on every figure, animations too.
TEXT = 9


def run_all(surface, runs, steps=300, start=None):
    """``runs`` as a list of trajectories, running any optimizer among them.

    Args:
        surface: a `Surface` or its name.
        runs: a dict ``{label: optimizer or Trajectory}`` or a list of
            optimizers and trajectories; a label renames a given trajectory.
        steps: steps per optimizer run (given trajectories are kept as they are).
        start: the starting point; the surface's own by default.

    Raises:
        TypeError: an entry that is neither an optimizer nor a `Trajectory`.
        ValueError: no runs at all.

    >>> from minigrad import optimizers
    >>> from minigrad.surfaces import descend
    >>> earlier = descend('rosenbrock', optimizers.Adam(), steps=3)
    >>> run_all('rosenbrock', {'SGD': optimizers.SGD(lr=0.001), 'Adam again': earlier}, steps=5)
    [<Trajectory SGD: 5 steps, final loss 6.681>, <Trajectory Adam again: 3 steps, final loss 11.9>]
    """
    surface = surfaces_module.get(surface)
    items = runs.items() if isinstance(runs, dict) else [(None, run) for run in runs]
    trajectories = []
    for label, run in items:
        if isinstance(run, Trajectory):
            if label is not None:
                run = Trajectory(label, run.points, run.losses, run.diverged)
            trajectories.append(run)
        elif hasattr(run, "get_updates"):
            trajectories.append(surfaces_module.descend(surface, run, steps, start, label))
        else:
            raise TypeError(f"expected an optimizer or a Trajectory, got {run!r}")
    if not trajectories:
        raise ValueError("nothing to plot: give at least one optimizer or trajectory")
    return trajectories


def draw_contours(ax, surface, levels=25, resolution=200):
    """Contours of ``surface`` over its window (log-spaced where it says so).

    Args:
        ax: the matplotlib axes to draw on.
        surface: a `Surface` (not a name).
        levels: the number of contour levels.
        resolution: grid points along each axis.

    The minimum, if the surface has one, is a star with gid ``'minimum'``.

    >>> from minigrad.surfaces import SURFACES
    >>> figure, ax = plt.subplots()
    >>> draw_contours(ax, SURFACES['beale'], resolution=50)
    >>> ax.get_xlim() == SURFACES['beale'].xlim, [line.get_gid() for line in ax.lines]
    (True, ['minimum'])
    >>> plt.close(figure)
    """
    xs = np.linspace(*surface.xlim, resolution)
    ys = np.linspace(*surface.ylim, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    values = surface.evaluate(grid_x, grid_y)
    if surface.log_scale:
        floor = surface.min_value or 0.0
        heights = values - floor
        low = max(np.percentile(heights, 0.5), 1e-3)
        ax.contour(grid_x, grid_y, heights, levels=np.geomspace(low, heights.max(), levels),
                   cmap="viridis", linewidths=0.7, alpha=0.8)
    else:
        ax.contour(grid_x, grid_y, values, levels=levels, cmap="viridis", linewidths=0.7,
                   alpha=0.8)
    if surface.minimum is not None:   # on top of every path and end marker
        ax.plot(*surface.minimum, marker="*", markersize=16, color="gold", linestyle="none",
                markeredgecolor="black", markeredgewidth=1.2, label="minimum", gid="minimum",
                zorder=10)
    ax.set_xlim(*surface.xlim)
    ax.set_ylim(*surface.ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def plot_trajectories(surface, runs, steps=300, start=None, *, loss_panel=True, levels=25,
                      title=None):
    """Contours of a 2-D surface with one path per optimizer; returns the ``Figure``.

    Args:
        surface: a `Surface` or its name
            (``'rosenbrock'``, ``'beale'``, ``'saddle'``, ``'ill_conditioned'``).
        runs: ``{label: optimizer or Trajectory}``, or a list of them.
        steps: steps per optimizer run (ignored for given trajectories).
        start: the starting point; the surface's own by default.
        loss_panel: add a panel of loss against step (on a log scale of
            ``loss - minimum`` where the surface says so).
        levels: the number of contour levels.
        title: the figure's title; the surface's name by default.

    Each path is a line with gid ``'path:<label>'`` holding every point,
    and each loss curve ``'loss:<label>'``.

    >>> from minigrad import optimizers
    >>> figure = plot_trajectories('ill_conditioned', {'SGD': optimizers.SGD(lr=0.05)}, steps=20)
    >>> [line.get_gid() for ax in figure.axes for line in ax.lines if line.get_gid()]
    ['minimum', 'path:SGD', 'loss:SGD']
    >>> plt.close(figure)
    """
    surface = surfaces_module.get(surface)
    trajectories = run_all(surface, runs, steps, start)
    if loss_panel:
        figure, (ax, loss_ax) = plt.subplots(1, 2, figsize=(11, 4.5),
                                             gridspec_kw={"width_ratios": [1.15, 1]})
    else:
        figure, ax = plt.subplots(figsize=(6, 4.8))
    draw_contours(ax, surface, levels)
    for index, (style, trajectory) in enumerate(zip(_styles(len(trajectories)), trajectories)):
        points = trajectory.points
        ax.plot(points[:, 0], points[:, 1], label=f"{trajectory.label} ({trajectory.steps} steps)",
                gid=f"path:{trajectory.label}", markevery=max(1, len(points) // 12),
                zorder=3 + index / 10, **style)
        ax.plot(*points[0], "o", color=style["color"], markersize=6, zorder=4)
        ax.plot(*points[-1], "X", color=style["color"], markersize=8, markeredgecolor="white",
                zorder=4)
    ax.legend(loc="best", fontsize=TEXT)
    x0, y0 = trajectories[0].points[0]
    ax.set_title(title or f"{surface.name}: paths from ({x0:g}, {y0:g})", fontsize=TEXT + 1)
    if loss_panel:
        _draw_losses(loss_ax, surface, trajectories)
    figure.tight_layout()
    return figure


def _draw_losses(ax, surface, trajectories):
    """Loss against step: log of the gap to the minimum where the surface says so, else
    linear, scaled to the losses met inside the plotted window (`_window_loss_limits`)."""
    for style, trajectory in zip(_styles(len(trajectories)), trajectories):
        style = dict(style, marker=None)
        if surface.log_scale:
            gap = np.maximum(trajectory.losses - (surface.min_value or 0.0), 1e-16)
            ax.semilogy(gap, label=trajectory.label, gid=f"loss:{trajectory.label}", **style)
        else:
            ax.plot(trajectory.losses, label=trajectory.label, gid=f"loss:{trajectory.label}",
                    **style)
    if not surface.log_scale:
        _window_loss_limits(ax, surface, trajectories)
    ax.set_xlabel("step")
    ax.set_ylabel("loss - minimum" if surface.log_scale and surface.min_value is not None
                  else "loss")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=TEXT)
    ax.set_title("loss against step", fontsize=TEXT + 1)


def _window_loss_limits(ax, surface, trajectories):
    """Fit the loss axis to the points inside the contour plot's window.

    On a surface unbounded below (the saddle) a run that escapes goes on to
    -1e8, and an axis fitted to that flattens every curve into a line at 0;
    the part of a run that left the picture on the left runs off the bottom here.
    """
    (x0, x1), (y0, y1) = surface.xlim, surface.ylim
    shown = [trajectory.losses[(trajectory.points[:, 0] >= x0) & (trajectory.points[:, 0] <= x1)
                               & (trajectory.points[:, 1] >= y0) & (trajectory.points[:, 1] <= y1)]
             for trajectory in trajectories]
    shown = np.concatenate([losses[np.isfinite(losses)] for losses in shown])
    if shown.size:
        low, high = shown.min(), shown.max()
        margin = 0.08 * (high - low or 1.0)
        ax.set_ylim(low - margin, high + margin)


def animate_trajectories(surface, runs, steps=300, start=None, *, filename=None, frames=60,
                         fps=15, dpi=100):
    """The paths of `plot_trajectories`, drawn step by step.

    With ``filename`` (``'paths.gif'``), saves a GIF with Pillow (which
    matplotlib installs) and returns the filename. Without it, returns an
    object that a notebook shows as an HTML/JavaScript player
    (``.html`` holds the HTML). Nothing beyond matplotlib is needed.

    Args:
        surface: a `Surface` or its name, as for `plot_trajectories`.
        runs: ``{label: optimizer or Trajectory}``, or a list of them.
        steps: steps per optimizer run (ignored for given trajectories).
        start: the starting point; the surface's own by default.
        filename: where to save a GIF; ``None`` for the HTML player.
        frames: the number of frames (at most one per step, at least 2).
        fps: frames per second.
        dpi: dots per inch of each frame: 100 gives 550 x 450 pixels, where the
            9-point legend is 12 pixels high (smaller keeps the file smaller).

    Returns:
        ``filename``, or an `AnimationHTML`. The figure it drew is closed.

    >>> from minigrad import optimizers
    >>> player = animate_trajectories('saddle', {'SGD': optimizers.SGD(lr=0.1)}, steps=4,
    ...                               frames=2, dpi=30)
    >>> player
    <AnimationHTML: ... characters; display it in a notebook>
    >>> '<script' in player.html
    True
    """
    surface = surfaces_module.get(surface)
    trajectories = run_all(surface, runs, steps, start)
    frames = max(2, min(frames, max(trajectory.steps for trajectory in trajectories) + 1))
    # The figure's dpi is the frames' dpi, for the GIF and the HTML player alike.
    figure, ax = plt.subplots(figsize=(5.5, 4.5), dpi=dpi)
    draw_frame = _frame_drawer(ax, surface, trajectories, frames)
    animation = FuncAnimation(figure, draw_frame, frames=frames, interval=1000 / fps, blit=False)
    try:
        if filename is not None:
            animation.save(str(filename), writer=PillowWriter(fps=fps), dpi=dpi)
            return filename
        # JPEG frames: a quarter of PNG's size for these contour plots (4.5 MB -> 1.3 MB
        # for 16 frames), which matters on a web page.
        with plt.rc_context({"animation.frame_format": "jpeg"}):
            html = animation.to_jshtml(fps=fps, default_mode="once")
        return AnimationHTML(offline_player(html))
    finally:
        plt.close(figure)


def _frame_drawer(ax, surface, trajectories, frames):
    """Draw the contours and empty paths on ``ax``; return ``draw_frame(k)``,
    which shows every path up to the step of frame ``k``."""
    longest = max(trajectory.steps for trajectory in trajectories)
    draw_contours(ax, surface)
    lines, heads = [], []
    for style, trajectory in zip(_styles(len(trajectories)), trajectories):
        marker = style.pop("marker")
        lines.append(ax.plot([], [], label=trajectory.label, gid=f"path:{trajectory.label}",
                             **style)[0])
        heads.append(ax.plot([], [], marker, color=style["color"], markersize=7,
                             markeredgecolor="white", zorder=5)[0])
    ax.legend(loc="upper right", fontsize=TEXT)
    title = ax.set_title("", fontsize=TEXT + 1)

    def draw_frame(frame):
        step = round(frame * longest / (frames - 1))
        for line, head, trajectory in zip(lines, heads, trajectories):
            shown = trajectory.points[:step + 1]
            line.set_data(shown[:, 0], shown[:, 1])
            head.set_data(shown[-1:, 0], shown[-1:, 1])
        title.set_text(f"{surface.name}: step {step}")
        return lines + heads + [title]

    return draw_frame


#: The player's button icons as text: matplotlib's come from Font Awesome on a CDN,
#: and show as empty buttons without a network.
BUTTON_ICONS = {"fa fa-minus": "\u2212", "fa fa-fast-backward": "\u23ee", "fa fa-step-backward": "\u25c2",
                "fa fa-play fa-flip-horizontal": "\u25c0", "fa fa-pause": "\u23f8",
                "fa fa-play": "\u25b6", "fa fa-step-forward": "\u25b8", "fa fa-fast-forward": "\u23ed",
                "fa fa-plus": "+"}


def offline_player(html):
    """matplotlib's HTML player with nothing to fetch: no icon font, text icons instead.

    >>> offline_player('<link rel="stylesheet" href="https://cdn/font-awesome.css"><i class="fa fa-play"></i>')
    '▶'
    """
    html = re.sub(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">', "", html)
    return re.sub(r'<i class="(fa [^"]+)"></i>', lambda match: BUTTON_ICONS[match.group(1)], html)


class AnimationHTML:
    """An animation as HTML and JavaScript: a notebook displays it as a player.

    >>> AnimationHTML('<p>frames</p>')
    <AnimationHTML: 13 characters; display it in a notebook>
    """

    def __init__(self, html):
        self.html = html

    def _repr_html_(self):
        return self.html

    def __repr__(self):
        return f"<AnimationHTML: {len(self.html)} characters; display it in a notebook>"


def _styles(count):
    """One distinct line style per path: colour, dash pattern, marker; widest first.

    >>> [(s['linestyle'], s['marker'], s['linewidth']) for s in _styles(3)]
    [('-', 'o', 3.0), ('--', 's', 2.4), ('-.', '^', 1.8)]
    """
    for index in range(count):
        yield dict(color=COLORS[index % len(COLORS)], linestyle=LINESTYLES[index % len(LINESTYLES)],
                   marker=MARKERS[index % len(MARKERS)], markersize=5,
                   linewidth=max(1.2, 3.0 - 0.6 * index), alpha=0.9)
