"""``draw_graph``: a computation graph as a matplotlib figure.

Placeholders, variables, constants, ops and updates each get their own
colour; every box shows the node's name (the identifier ``f.source`` uses),
its op and static shape, and, given a trace, the value it had. Updates are
orange, fed by their new value, with a dashed arrow back to the variable they
write *after* the call. Only matplotlib is needed: the layout is computed in
Python by `minigrad.viz.layout`.
"""

import matplotlib.pyplot as plt

from ..trace import Trace
from .labels import brief, describe_node

#: Box colours by kind; updates stand out, pending trace steps fade.
STYLES = {
    "placeholder": dict(facecolor="#d6e9ff", edgecolor="#3b7dd8"),
    "variable": dict(facecolor="#d9f2d9", edgecolor="#2e8b57"),
    "constant": dict(facecolor="#eeeeee", edgecolor="#999999"),
    "op": dict(facecolor="#fffbe6", edgecolor="#b59f3b"),
    "update": dict(facecolor="#ffe0c2", edgecolor="#e06c00"),
    "summary": dict(facecolor="#f3e8ff", edgecolor="#8a5cc2"),
}
EDGE_STYLES = {
    "input": dict(color="#555555", linewidth=0.9, linestyle="-", alpha=0.7),
    "update": dict(color="#e06c00", linewidth=1.4, linestyle="-"),
    "assign": dict(color="#e06c00", linewidth=1.2, linestyle="--"),
}
FONT = dict(family="monospace", fontsize=7.5)


def draw_graph(outputs, trace=None, gradients=None, *, max_nodes=60, direction="auto",
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
            summary boxes, so a big graph stays readable.
        direction: ``'LR'`` (inputs on the left), ``'TB'`` (inputs on top,
            reading like ``f.source``) or ``'auto'`` (``'TB'`` for deep graphs).
        step: with a trace, show the call as it was at this step: nodes up to
            ``step`` have values, that node is highlighted, later ones are faded.
        title: a title; by default, a count of what is drawn.
        ax: draw into these axes instead of a new figure.

    Every node box is a ``Text`` whose gid is ``'node:<name>'`` (``'update:<name>'``,
    ``'summary:...'`` for the others): tests and curious readers can find them.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(None, 3), name='x')
    >>> w = K.variable([[1.], [2.], [3.]], name='w')
    >>> figure = draw_graph(K.mean(K.dot(x, w)))
    >>> sorted(drawn_boxes(figure))
    ['node:dot_...', 'node:mean_...', 'node:w', 'node:x']
    >>> plt.close(figure)
    """
    from .layout import layout_graph

    if isinstance(outputs, Trace) and trace is None:
        trace = outputs
    layout = layout_graph(outputs, max_nodes=max_nodes)
    if direction == "auto":
        direction = "TB" if layout.layer_count > 10 else "LR"
    if direction not in ("LR", "TB"):
        raise ValueError(f"draw_graph: direction must be 'LR', 'TB' or 'auto', got {direction!r}")
    values = _known_values(trace, step)
    current = trace.steps[step].node if trace is not None and step is not None else None

    texts = {box.key: _box_text(box, values, gradients) for box in layout.boxes}
    lines = max(text.count("\n") + 1 for text in texts.values())
    chars = max(len(line) for text in texts.values() for line in text.split("\n"))
    box_width = 0.3 + 0.065 * chars           # inches, for 7.5 pt monospace
    box_height = 0.25 + 0.14 * lines
    along, across = layout.layer_count, layout.widest_layer
    if direction == "LR":
        size = (along * (box_width + 0.5), across * (box_height + 0.3))
    else:
        size = (across * (box_width + 0.3), along * (box_height + 0.45))
    if ax is None:
        figure, ax = plt.subplots(figsize=(max(size[0], 3.0), max(size[1] + 0.4, 1.5)))
    else:
        figure = ax.figure

    def position(box):
        if direction == "LR":
            return box.layer, -box.slot
        return box.slot, -box.layer

    artists = {}
    for box in layout.boxes:
        style = dict(STYLES[box.kind], boxstyle="round,pad=0.4", linewidth=1.0)
        faded = values is not None and step is not None and box.node is not None \
            and box.node not in values
        if faded:
            style.update(alpha=0.35)
        if current is not None and box.node is current and box.kind != "update":
            style.update(linewidth=3.0, edgecolor="#d62728")
        if box.node is not None and isinstance(box.key, tuple):   # a collapsed output
            style.update(linewidth=2.0)
        x, y = position(box)
        artist = ax.text(x, y, texts[box.key], ha="center", va="center", bbox=style,
                         color="#999999" if faded else "black", **FONT)
        artist.set_gid(_gid(box))
        artists[box.key] = artist

    for source, target, kind in layout.edges:
        start, end = artists[source], artists[target]
        curve = "arc3,rad=-0.35" if kind == "assign" else "arc3,rad=0.0"
        ax.annotate("", xy=end.get_position(), xytext=start.get_position(),
                    arrowprops=dict(arrowstyle="-|>", mutation_scale=9, connectionstyle=curve,
                                    patchA=start.get_bbox_patch(), patchB=end.get_bbox_patch(),
                                    shrinkA=2, shrinkB=2, **EDGE_STYLES[kind]),
                    gid=f"edge:{kind}")

    xs, ys = zip(*(position(box) for box in layout.boxes))
    pad_x, pad_y = (0.6, 0.7) if direction == "LR" else (0.7, 0.6)
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_axis_off()
    if title is None:
        title = _default_title(layout, trace, step)
    ax.set_title(title, fontsize=9, loc="left")
    return figure


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
            if text.get_gid() and not text.get_gid().startswith("edge:")}


def drawn_edges(figure):
    """The kinds (``'input'``, ``'update'``, ``'assign'``) of every arrow drawn.

    >>> from minigrad import backend as K
    >>> w = K.variable(2.0, name='w')
    >>> figure = draw_graph([K.update_sub(w, 1.0)])   # w - 1 -> update -> back to w
    >>> drawn_edges(figure)
    ['input', 'input', 'update', 'assign']
    >>> plt.close(figure)
    """
    return [text.get_gid()[len("edge:"):] for ax in figure.axes for text in ax.texts
            if (text.get_gid() or "").startswith("edge:")]


def _gid(box):
    if box.kind == "summary" or box.node is None:
        return f"summary:{box.key}"
    if box.kind == "update":
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


def _box_text(box, values, gradients):
    if box.node is None:
        return box.text
    if box.kind == "update":
        update = box.key
        text = f"{update.variable.name} <- {update.value.name}\nupdate (after the call)"
        if values is not None and update.value in values:
            old = values.get(update.variable)
            if old is not None:
                text += f"\nold {brief(old, 24)}"
            text += f"\nnew {brief(values[update.value], 24)}"
        return text
    text = describe_node(box.node)
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
