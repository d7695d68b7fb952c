"""What the viz tests draw and read off a figure, written once: the README's
linear regression and one traced Adam step of it, a full render, and the
boxes, frames, highlights and lines a drawing holds (found by their gids)."""

import matplotlib
import numpy as np

from minigrad import backend as K, optimizers
from minigrad.graph import Constant


def linear_regression():
    x = K.placeholder(shape=(None, 3), name="x")
    y = K.placeholder(shape=(None, 1), name="y")
    w = K.variable(np.zeros((3, 1)), name="w")
    b = K.variable(np.zeros((1,)), name="b")
    loss = K.mean(K.square(K.dot(x, w) + b - y))
    loss.name = "loss"  # a readable name for the drawing (K.mean takes no name=)
    return x, y, w, b, loss


def adam_training_step():
    """The README's model and one traced Adam step: the demo's and the Concepts page's drawing."""
    x, y, w, b, loss = linear_regression()
    train = K.function([x, y], [loss], updates=optimizers.Adam(lr=0.05).get_updates(loss, [w, b]))
    rng = np.random.default_rng(0)
    features = rng.normal(size=(16, 3)).astype("float32")
    return train, train.trace([features, features @ np.array([[2.0], [-1.0], [0.5]], "float32")])


def render(figure):
    figure.canvas.draw()  # a full Agg render: the drawing must not fail late
    return figure


def small_constants(nodes):
    """The constants a drawing folds into their consumers' labels."""
    return [node for node in nodes if isinstance(node, Constant) and node.value.size <= 4]


def box_patches(figure):
    """``{gid: patch}`` of every box frame drawn (gids as in `drawn_boxes`)."""
    return {patch.get_gid()[len("box:"):]: patch for ax in figure.axes for patch in ax.patches
            if (patch.get_gid() or "").startswith("box:")}


def highlighted(figure):
    """The gids of the boxes outlined in the highlight's red, thick line."""
    return [gid for gid, patch in box_patches(figure).items()
            if patch.get_linewidth() >= 3.0
            and matplotlib.colors.to_hex(patch.get_edgecolor()) == "#d62728"]


def box_extents(figure):
    renderer = figure.canvas.get_renderer()
    return {gid: patch.get_window_extent(renderer) for gid, patch in box_patches(figure).items()}


def frames_in_data(figure):
    """``{gid: (x0, y0, x1, y1)}`` of every box frame, in data coordinates."""
    return {gid: (p.get_x(), p.get_y(), p.get_x() + p.get_width(), p.get_y() + p.get_height())
            for gid, p in box_patches(figure).items()}


def lines_by_gid(figure):
    return {line.get_gid(): line for ax in figure.axes for line in ax.lines if line.get_gid()}
