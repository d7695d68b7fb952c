"""``draw_graph``: a computation graph as a matplotlib figure.

Placeholders, variables, ops and updates each get their own colour; every
box shows the node's name (the identifier ``f.source`` uses), what computes
it (``multiply(m_w, 0.9)``: small constants and hyperparameters are written
into the label instead of drawn as boxes) and its static shape, and, given a
trace, the value it had. A training step is drawn in three shaded bands --
forward pass, gradients, optimizer updates (`minigrad.viz.roles`) -- with
the hyperparameters listed in small type in the last one. Updates are
orange, fed by their new value; the variables they write after the call
have a dashed orange outline.

The layout (`minigrad.viz.layout`) and the edge routes
(`minigrad.viz.routing`) are computed in Python, so only matplotlib is
needed. The figure is drawn at its natural size (one data unit is one
inch), with text of at least 9 points: shown at 100%, it reads like a page.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch, Rectangle

from ..graph import format_shape
from .labels import brief, describe_node, describe_op, shown_params
from .layout import is_trace, layout_graph
from .roles import GROUP_TITLES, inline_label
from .routing import place

#: Box colours by style (`labels.style_of`); updates stand out, pending trace steps fade.
STYLES = {
    "placeholder": dict(facecolor="#d6e9ff", edgecolor="#3b7dd8"),
    "variable": dict(facecolor="#d9f2d9", edgecolor="#2e8b57"),
    "constant": dict(facecolor="#eeeeee", edgecolor="#999999"),
    "op": dict(facecolor="#fffbe6", edgecolor="#b59f3b"),
    "update": dict(facecolor="#ffe0c2", edgecolor="#e06c00"),
    "summary": dict(facecolor="#f3e8ff", edgecolor="#8a5cc2"),
}
EDGE_STYLES = {
    "input": dict(color="#555555", linewidth=1.0),
    "update": dict(color="#e06c00", linewidth=1.5),
}
BAND_COLOURS = {"forward": "#eef4ff", "gradients": "#fff4e8", "updates": "#fdecef"}
HIGHLIGHT = dict(edgecolor="#d62728", linewidth=3.0)
#: Text size (points) and the monospace character cell it gives, in inches.
FONT_SIZE = 9.0
CHAR_WIDTH, LINE_HEIGHT, PAD = 0.64 * FONT_SIZE / 72, 1.3 * FONT_SIZE / 72, 0.07
#: Room (inches) above the bands for a group's title and its hyperparameters.
BAND_TITLE = 0.5


def draw_graph(outputs, trace=None, gradients=None, *, max_nodes=80, direction="auto",
               step=None, title=None, ax=None):
    """Draw the graph behind ``outputs`` and return the ``Figure``.

    Args:
        outputs: a tensor, an update, a list of them, a compiled function
            (its outputs and updates) or a `Trace`.
        trace: a trace of a call; each box then shows its node's value and
            each update its old and new value.
        gradients: optional ``{node: gradient_node}`` (say,
            ``dict(zip(params, K.gradients(loss, params)))``); with a trace
            that evaluated the gradients, their values are shown as ``grad``.
        max_nodes: above this many boxes the ops are gathered into a few
            summary boxes, so a big graph stays readable (folded constants
            and hyperparameters do not count).
        direction: ``'LR'`` (inputs on the left), ``'TB'`` (inputs on top,
            reading like ``f.source``) or ``'auto'`` (``'TB'`` for deep graphs).
        step: with a trace, show the call as it was at this step: nodes up to
            ``step`` have values, that node is outlined in red (or the summary
            box that holds it), later ones are faded.
        title: a title; by default, a count of what is drawn.
        ax: draw into these axes instead of a new figure of natural size.

    Every box's text is a ``Text`` whose gid is ``'node:<name>'`` (``'update:<name>'``,
    ``'summary:...'`` for the others), and its frame a patch with gid
    ``'box:<same>'``; each edge is a line with gid ``'route:<style>'`` and an
    arrow head with gid ``'edge:<style>'``. Tests and curious readers can find them.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None, 3), name='x')
    >>> w = K.variable([[1.], [2.], [3.]], name='w')
    >>> figure = draw_graph(K.mean(K.dot(x, w)))
    >>> sorted(drawn_boxes(figure))
    ['node:dot_...', 'node:mean_...', 'node:w', 'node:x']
    >>> plt.close(figure)
    >>> figure = draw_graph(K.tanh(x) * 0.9)            # 0.9 is written into the label
    >>> print(drawn_boxes(figure)['node:' + figure.axes[0].texts[-1].get_gid()[5:]])
    multiply_... (None, 3)
    multiply(tanh_..., 0.9)
    >>> plt.close(figure)
    """
    if is_trace(outputs) and trace is None:
        trace = outputs
    layout = layout_graph(outputs, max_nodes=max_nodes)
    direction = _direction(direction, layout)
    values = _known_values(trace, step)
    texts, highlighted = _labels(layout, trace, step, values, gradients)
    sizes = {key: _oriented(_text_size(text), direction) for key, text in texts.items()}
    room = _title_room(layout, direction)
    geometry = place(layout, sizes, layer_gap=0.55 if direction == "LR" else 0.35, room=room)
    page = _Page(geometry, direction, len(layout.bands) > 1)
    figure, ax = page.canvas(ax)
    _draw_bands(ax, layout, geometry, page, values, room)
    _draw_edges(ax, layout, geometry, page)
    _draw_boxes(ax, layout, texts, geometry, page, values if step is not None else None,
                highlighted)
    if title is None:
        title = _default_title(layout, trace, step)
    ax.set_title(title, fontsize=10, loc="left")
    return figure


def _direction(direction, layout):
    """``'LR'`` or ``'TB'``; ``'auto'`` is ``'TB'`` for a graph deeper than ten layers."""
    if direction == "auto":
        return "TB" if layout.layer_count > 10 else "LR"
    if direction not in ("LR", "TB"):
        raise ValueError(f"draw_graph: direction must be 'LR', 'TB' or 'auto', got {direction!r}")
    return direction


def _labels(layout, trace, step, values, gradients):
    """Each box's text, and the key of the box to outline: the traced step's
    node, or the summary box that holds it (whose text then says so)."""
    current = trace.steps[step].node if trace is not None and step is not None else None
    texts = {box.key: _box_text(box, values, gradients, layout.folded) for box in layout.boxes}
    highlighted = _highlighted(layout, current)
    if highlighted is not None and layout.by_key[highlighted].node is not current:
        texts[highlighted] += f"\n>> holds step {trace.steps[step].index}: {current.name}"
    return texts, highlighted


def drawn_boxes(figure):
    """``{gid: text}`` of every box on a figure made by `draw_graph`.

    >>> from minigrad import backend as K
    >>> w = K.variable(2.0, name='w')
    >>> figure = draw_graph([K.update_sub(w, 1.0)])
    >>> boxes = drawn_boxes(figure)
    >>> print(boxes['node:w'])
    w
    variable ()
    >>> print(boxes['update:w'])
    w <- subtract_...
    update (after the call)
    >>> plt.close(figure)
    """
    return {text.get_gid(): text.get_text() for ax in figure.axes for text in ax.texts
            if (text.get_gid() or "").split(":")[0] in ("node", "update", "summary", "output")}


def drawn_edges(figure):
    """The styles (``'input'`` or ``'update'``) of every arrow drawn.

    >>> from minigrad import backend as K
    >>> w = K.variable(2.0, name='w')
    >>> figure = draw_graph([K.update_sub(w, 1.0)])   # w (- 1) -> subtract -> update
    >>> drawn_edges(figure)
    ['input', 'update']
    >>> plt.close(figure)
    """
    return [text.get_gid()[len("edge:"):] for ax in figure.axes for text in ax.texts
            if (text.get_gid() or "").startswith("edge:")]


def _text_size(text):
    """``(width, height)`` in inches of a box holding ``text`` in 9 pt monospace."""
    lines = text.split("\n")
    return (CHAR_WIDTH * max(len(line) for line in lines) + 2 * PAD,
            LINE_HEIGHT * len(lines) + 2 * PAD)


def _oriented(size, direction):
    """A box's ``(width, height)`` as ``(along, across)`` the layers."""
    return size if direction == "LR" else (size[1], size[0])


class _Page:
    """Turns (along, across) inches into x, y data units; makes a figure of natural size."""

    MARGIN = 0.15

    def __init__(self, geometry, direction, banded):
        self.direction = direction
        along_min, along_max, across_min, across_max = geometry.extent()
        self.band_top = across_min - (BAND_TITLE if banded else 0.0)
        corners = [self.xy(along_min, self.band_top), self.xy(along_max, across_max)]
        xs, ys = zip(*corners)
        self.xlim = (min(xs) - self.MARGIN, max(xs) + self.MARGIN)
        self.ylim = (min(ys) - self.MARGIN, max(ys) + self.MARGIN)
        self.along = (along_min, along_max)
        self.across = (self.band_top, across_max)

    def xy(self, along, across):
        return (along, -across) if self.direction == "LR" else (across, -along)

    def canvas(self, ax, title_height=0.35):
        """A new figure exactly as big as the drawing (or ``ax``, given)."""
        width, height = self.xlim[1] - self.xlim[0], self.ylim[1] - self.ylim[0]
        if ax is None:
            size = (max(width, 2.5) + 0.1, height + title_height)
            figure = plt.figure(figsize=size)
            ax = figure.add_axes([0.1 / size[0], 0, width / size[0], height / size[1]])
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_aspect("equal")
        ax.set_axis_off()
        return ax.figure, ax

    def rectangle(self, along, across, size):
        """``(x0, y0, width, height)`` of a box centred at (along, across) of ``size``."""
        x, y = self.xy(along, across)
        width, height = size if self.direction == "LR" else (size[1], size[0])
        return x - width / 2, y - height / 2, width, height


def _title_room(layout, direction):
    """``{layer: inches}``: when the layers run top to bottom, each band's
    title (two lines with the hyperparameters) sits above the band's first
    layer, so that layer moves down to make room for it. (Left to right, the
    titles sit above every box: `_Page` keeps ``BAND_TITLE`` for them.) The
    first band's one-line title fits in the page's top margin."""
    if direction != "TB" or len(layout.bands) < 2:
        return {}
    return {first: _title_lines(group, layout) * LINE_HEIGHT for group, first, _ in layout.bands[1:]}


def _title_lines(group, layout):
    return 2 if group == "updates" and layout.hyperparameters else 1


def _draw_bands(ax, layout, geometry, page, values, room):
    """Shade each group's layers, with its title (and the hyperparameters in the last)."""
    for group, first, last in layout.bands if len(layout.bands) > 1 else []:
        start = geometry.strips[first][0] - 0.2 - room.get(first, 0.0)
        end = geometry.strips[last][1] + 0.2
        middle = ((start + end) / 2, (page.across[0] + page.across[1]) / 2)
        size = (end - start - 0.06, page.across[1] - page.across[0] + 0.1)
        x, y, width, height = page.rectangle(*middle, size)
        ax.add_patch(Rectangle((x, y), width, height, facecolor=BAND_COLOURS[group],
                               edgecolor="none", zorder=0, gid=f"band:{group}"))
        label = GROUP_TITLES[group]
        if _title_lines(group, layout) == 2:
            label += "\n" + _hyperparameter_line(layout.hyperparameters, values)
        x, y = page.xy(start + 0.05, page.across[0] - 0.02)
        ax.text(x, y, label, fontsize=FONT_SIZE, ha="left", va="top", color="#444444",
                gid=f"band-title:{group}", zorder=1, linespacing=1.3)


def _hyperparameter_line(hyperparameters, values):
    shown = [f"{node.name} = {brief(values.get(node, node.value) if values else node.value, 10)}"
             for node in hyperparameters]
    return ", ".join(shown)


def _draw_edges(ax, layout, geometry, page):
    """Each edge as its routed polyline, with an arrow head into its target."""
    for edge, points in geometry.routes.items():
        style = edge[2]
        xs, ys = zip(*(page.xy(*point) for point in points))
        ends = f"{_gid(layout.by_key[edge[0]])}|{_gid(layout.by_key[edge[1]])}"
        ax.plot(xs, ys, solid_joinstyle="round", zorder=2, gid=f"route:{style}|{ends}",
                **EDGE_STYLES[style])
        tail = next((i for i in range(len(xs) - 2, -1, -1)     # the last segment of length
                     if abs(xs[i] - xs[-1]) + abs(ys[i] - ys[-1]) > 0.05), 0)
        arrow = ax.annotate("", xy=(xs[-1], ys[-1]), xytext=(xs[tail], ys[tail]), zorder=3,
                            arrowprops=dict(arrowstyle="-|>", mutation_scale=10, shrinkA=0,
                                            shrinkB=0, **EDGE_STYLES[style]),
                            gid=f"edge:{style}")
        arrow.arrow_patch.set_zorder(3)


def _draw_boxes(ax, layout, texts, geometry, page, known, highlighted):
    """Each box: a frame (faded if not computed yet at the step shown) and its text."""
    for box in layout.boxes:
        style = dict(STYLES[box.style], linewidth=1.0)
        if box.node in layout.written and box.style == "variable":
            style.update(edgecolor="#e06c00", linestyle="--", linewidth=1.5)
        faded = known is not None and box.node is not None and box.node not in known
        if faded:
            style.update(alpha=0.35)
        if box.node is not None and isinstance(box.key, tuple):   # a collapsed output
            style.update(linewidth=2.0)
        if box.key == highlighted:
            style.update(HIGHLIGHT, alpha=1.0, linestyle="-")
            faded = False
        x, y, width, height = page.rectangle(*geometry.centres[box.key], geometry.sizes[box.key])
        ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0,rounding_size=0.05",
                                    zorder=4, gid=f"box:{_gid(box)}", **style))
        ax.text(x + width / 2, y + height / 2, texts[box.key], ha="center", va="center",
                family="monospace", fontsize=FONT_SIZE, zorder=5, linespacing=1.3,
                color="#999999" if faded else "black", gid=_gid(box))


def _gid(box):
    if box.style == "summary" or box.node is None:
        return f"summary:{box.key}"
    if box.style == "update":
        return f"update:{box.key.variable.name}"
    if isinstance(box.key, tuple):
        return f"output:{box.node.name}"
    return f"node:{box.node.name}"


def _known_values(trace, step):
    """``{node: value}`` of the trace, up to and including ``step`` if given."""
    if trace is None:
        return None
    steps = trace.steps if step is None else trace.steps[:_check_step(trace, step) + 1]
    return {record.node: record.value for record in steps}


def _check_step(trace, step):
    if not -len(trace.steps) <= step < len(trace.steps):
        raise IndexError(f"step {step} is out of range: this trace has {len(trace.steps)} steps")
    return step % len(trace.steps)


def _highlighted(layout, current):
    """The key of the box that shows ``current``: its own, the summary box that holds
    it, or, for a folded constant or hyperparameter, the first box whose label shows it."""
    if current is None:
        return None
    for box in layout.boxes:
        if box.node is current and box.style != "update":
            return box.key
    for box in layout.boxes:
        if current in layout.members.get(box.key, ()) or (
                box.node is not None and box.style == "op" and current in box.node.inputs):
            return box.key
    return None


def describe_call(node, folded):
    """What computes ``node``, with its inputs: ``multiply(m_w, 0.9)``.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None, 3), name='x')
    >>> describe_call(K.sum(x, axis=1), set())
    'sum(x, axes=(1,))'
    """
    if node.op is None:
        return describe_op(node)
    arguments = [inline_label(source, folded) for source in node.inputs]
    arguments += shown_params(node)
    return f"{node.op.name}({', '.join(arguments)})"


def _box_text(box, values, gradients, folded):
    if box.node is None:
        return box.text
    if box.style == "update":
        update = box.key
        text = f"{update.variable.name} <- {update.value.name}\nupdate (after the call)"
        if values is not None and update.value in values:
            old = values.get(update.variable)
            if old is not None:
                text += f"\nold {brief(old, 24)}"
            text += f"\nnew {brief(values[update.value], 24)}"
        return text
    if box.node.op is None:
        text = describe_node(box.node)
    else:
        text = f"{box.node.name} {format_shape(box.node.shape)}\n{describe_call(box.node, folded)}"
    if values is not None and box.node in values:
        text += f"\n= {brief(values[box.node])}"
    if gradients and values is not None and box.node in gradients:
        gradient = gradients[box.node]
        if gradient is not None and gradient in values:
            text += f"\ngrad {brief(values[gradient])}"
    return text


def _default_title(layout, trace, step):
    if layout.collapsed:
        title = (f"{layout.node_count} nodes, collapsed into {len(layout.boxes)} boxes "
                 "(pass max_nodes=... to draw every node)")
    else:
        title = f"{layout.node_count} nodes"
    if trace is not None and step is not None:
        record = trace.steps[step]
        title += f" | step {record.index} of {len(trace.steps) - 1}: {record.node.name}"
    return title
