"""Where each node of a graph goes on a drawing: a layered layout, in Python.

The picture is organised in *layers* (columns or rows) by distance from the
inputs, the classic Sugiyama recipe in its three steps:

1. **layer** -- an op sits one layer after its deepest input; a leaf (a
   placeholder or variable) sits just before its first consumer; an update
   sits one layer after the value it assigns. In a training step the layers
   come in three bands, one per group of `minigrad.viz.roles` (forward pass,
   gradients, updates), so the groups never interleave on the drawing. Small
   constants and hyperparameters are *folded* into their consumer's label
   and get no box at all;
2. **dummies** -- an edge that spans several layers gets an invisible
   *dummy* box in each layer it passes through, so it is routed through a
   free slot of that layer instead of being drawn straight through whatever
   boxes sit in its way;
3. **order** -- within a layer, boxes and dummies are sorted by the mean
   position of their neighbours (the *barycenter* heuristic), sweeping
   forwards and backwards a few times, which removes most edge crossings.

Both steps are loops over a topological order, never recursion, so the
layout of a huge graph is as safe as that of a small one. A graph with more
than ``max_nodes`` boxes gets a *collapsed* layout instead: inputs and
variables on one side, outputs and updates on the other, and the ops in
between gathered into a few summary boxes ("38 nodes: 12 multiply, ...").
"""

from collections import Counter

from ..graph import Constant, Node, Update, Variable, topological_order
from .labels import style_of
from .roles import assign_groups, foldable, hyperparameters


class Box:
    """One box of a drawing.

    ``key`` identifies it in ``Layout.edges``: the node itself, the
    `Update`, or a string for a summary box. ``node``
    is the tensor whose value the box can show (``None`` for summaries),
    ``style`` picks its colours (`labels.style_of`, or ``'update'`` and
    ``'summary'``), ``layer`` and ``slot`` give its place.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(3,), name='x')
    >>> layout_graph(K.exp(x)).boxes
    [<Box placeholder layer=0 slot=0>, <Box op layer=1 slot=0>]
    """

    __slots__ = ("key", "node", "style", "text", "layer", "slot", "group")

    def __init__(self, key, node, style, layer, text=None, group=None):
        self.key = key
        self.node = node
        self.style = style
        self.text = text
        self.layer = layer
        self.slot = 0.0
        self.group = group

    def __repr__(self):
        return f"<Box {self.style} layer={self.layer} slot={self.slot:g}>"


class Layout:
    """Boxes with their layers and slots, and the edges between them.

    ``edges`` holds ``(source_key, target_key, style)`` triples where ``style``
    is ``'input'`` (data flows into an op) or ``'update'`` (a value flows
    into an update). ``routes`` gives each edge the dummy boxes it passes
    through (empty between neighbouring layers); ``dummies`` lists them all.
    ``folded`` holds the nodes shown inside their consumers' labels (small
    constants, and the ``hyperparameters``); ``written`` the variables the
    updates write. ``collapsed`` says whether ops were gathered into summary
    boxes; ``node_count`` is the number of graph nodes behind the drawing;
    ``layer_count`` and ``widest_layer`` give the drawing's extent.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(3,), name='x')
    >>> layout = layout_graph(K.exp(x) + K.tanh(x))
    >>> layout.layer_count, layout.widest_layer, layout.node_count, layout.collapsed
    (3, 2, 4, False)
    >>> sorted(style for source, target, style in layout.edges)
    ['input', 'input', 'input', 'input']
    """

    def __init__(self, boxes, edges, collapsed, node_count, folded=(), hyperparameters=(),
                 written=()):
        self.boxes = boxes
        self.edges = edges
        self.collapsed = collapsed
        self.node_count = node_count
        self.folded = set(folded)
        self.hyperparameters = list(hyperparameters)
        self.written = set(written)
        self.by_key = {box.key: box for box in boxes}
        self.routes, self.dummies = {}, []
        self.bands = []    # (group, first layer, last layer), for a drawing in groups
        self.members = {}  # summary box key -> the nodes it stands for

    @property
    def layer_count(self):
        """How many layers (columns or rows) the drawing has.

        >>> from minigrad import backend as K
        >>> layout_graph(K.exp(K.placeholder(shape=(3,)))).layer_count
        2
        """
        return 1 + max((box.layer for box in self.boxes), default=-1)

    @property
    def widest_layer(self):
        """How many boxes the most crowded layer holds.

        >>> from minigrad import backend as K
        >>> x, y = K.placeholder(shape=(3,)), K.placeholder(shape=(3,))
        >>> layout_graph(x * y).widest_layer           # x and y side by side
        2
        """
        return max(Counter(box.layer for box in self.boxes).values(), default=0)


def is_trace(thing):
    """Whether ``thing`` is a `minigrad.Trace`, known by what it holds: viz does
    not import ``minigrad.trace``, whose ``show`` hands the trace to viz.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(), name='x')
    >>> f = K.function([x], [K.exp(x)])
    >>> is_trace(f.trace([0.0])), is_trace(f)
    (True, False)
    """
    return hasattr(thing, "steps") and hasattr(thing, "function")


def split_outputs(outputs):
    """``outputs`` as ``(tensors, updates)``.

    Accepts a tensor, an update, a list mixing them (``(variable, value)``
    pairs count as updates), a compiled function or a trace.

    >>> from minigrad import backend as K
    >>> w = K.variable(1.0)
    >>> tensors, updates = split_outputs([w * 2, K.update_add(w, 1.0)])
    >>> len(tensors), len(updates)
    (1, 1)
    """
    if is_trace(outputs):
        outputs = outputs.function
    if hasattr(outputs, "outputs") and hasattr(outputs, "updates"):   # a compiled function
        return list(outputs.outputs), list(outputs.updates)
    if isinstance(outputs, (Node, Update)):
        outputs = [outputs]
    tensors, updates = [], []
    for item in outputs:
        if isinstance(item, Update):
            updates.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Variable):
            updates.append(Update(*item))
        elif isinstance(item, Node):
            tensors.append(item)
        else:
            raise TypeError(f"cannot draw {item!r}: expected tensors or updates")
    return tensors, updates


def layout_graph(outputs, max_nodes=80, sweeps=4, fold=True):
    """The `Layout` of the graph behind ``outputs``.

    ``max_nodes`` bounds the number of boxes (folded nodes do not count)
    above which ops are gathered into summary boxes; ``fold=False`` gives
    every constant and hyperparameter a box of its own (as `to_dot` does).

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(3,), name='x')
    >>> layout = layout_graph(K.sum(K.tanh(x)))
    >>> [(box.node.name.split('_')[0], box.layer) for box in layout.boxes]
    [('x', 0), ('tanh', 1), ('sum', 2)]
    """
    tensors, updates = split_outputs(outputs)
    order = topological_order(tensors + [update.value for update in updates])
    forward = set(topological_order(tensors))
    consumers = {node: [] for node in order}
    for node in order:
        for source in dict.fromkeys(node.inputs):
            consumers[source].append(node)
    folded = set()
    if fold:
        folded = {node for node in order if foldable(node, consumers[node])
                  and node not in tensors}
        folded.update(hyperparameters(order, updates, forward))
    if len(order) - len(folded) + len(updates) > max_nodes:
        layout = _collapsed(order, tensors, updates)
    else:
        groups = assign_groups(order, tensors, updates, forward)
        layout = _full([node for node in order if node not in folded], updates, groups, consumers)
        layout.folded = folded
        layout.hyperparameters = [node for node in order if node in folded
                                  and node.op is None and not foldable(node, consumers[node])]
    layout.written = {update.variable for update in updates}
    _add_dummies(layout)
    _order_layers(layout, sweeps)
    return layout


def _full(order, updates, groups, consumers):
    """Every drawn node and update as its own box, each group in its own band of layers."""
    drawn = set(order)
    depth, start, bands = {}, 0, []
    for group in ("forward", "gradients", "updates"):
        members = [node for node in order if groups[node] == group and node.op is not None]
        for node in members:
            inner = [depth[source] for source in node.inputs if source in depth]
            depth[node] = max([start + 1] + [level + 1 for level in inner])
        if group == "updates":
            for update in updates:
                depth[update] = depth[update.value] + 1
        leaves = [node for node in order if groups[node] == group and node.op is None]
        for node in leaves:   # just before its first drawn consumer, inside that one's band
            used = [depth[c] for c in consumers[node] if c in drawn and c in depth]
            depth[node] = min(used) - 1 if used else start
        end = max([start - 1] + [depth[key] for key in members + leaves + (
            updates if group == "updates" else [])])
        if end >= start:
            bands.append((group, start, end))
        start = end + 1
    boxes = [Box(node, node, style_of(node), depth[node], group=groups[node]) for node in order]
    edges = [(source, node, "input") for node in order
             for source in dict.fromkeys(node.inputs) if source in drawn]
    for update in updates:
        boxes.append(Box(update, update.value, "update", depth[update], group="updates"))
        edges.append((update.value, update, "update"))
    layout = Layout(boxes, edges, False, len(order))
    layout.bands = bands
    return layout


def _collapsed(order, tensors, updates, bands=6, keep_leaves=12):
    """Inputs and variables, a few summary boxes of ops, then outputs and updates."""
    depth, first_use = {}, {}
    for node in order:
        depth[node] = 1 + max((depth[source] for source in node.inputs), default=-1)
        for source in node.inputs:
            first_use[source] = min(first_use.get(source, depth[node]), depth[node])
    for node in order:  # a constant belongs with the op that uses it
        if isinstance(node, Constant) and node in first_use:
            depth[node] = first_use[node]
    leaves = [node for node in order if node.op is None and not isinstance(node, Constant)]
    inner = [node for node in order if node.op is not None or isinstance(node, Constant)]
    top = max((depth[node] for node in inner), default=0)
    bands = max(1, min(bands, top))

    def band_of(node):
        return f"band {min(bands - 1, max(0, depth[node] - 1) * bands // max(top, 1))}"

    boxes, group, members_of = _leaf_boxes(leaves, keep_leaves)
    for node in inner:
        group[node] = band_of(node)
        members_of.setdefault(group[node], []).append(node)
    for index in range(bands):
        key = f"band {index}"
        if key in members_of:
            low = min(depth[node] for node in members_of[key])
            high = max(depth[node] for node in members_of[key])
            title = f"depth {low}" if low == high else f"depths {low}-{high}"
            boxes.append(Box(key, None, "summary", 1 + index,
                             text=_summary(title, members_of[key])))

    edges = {}
    for node in order:
        for source in node.inputs:
            if group[source] != group[node]:
                edges[(group[source], group[node], "input")] = None
    last = bands + 1
    for tensor in tensors:
        key = ("output", tensor)
        boxes.append(Box(key, tensor, style_of(tensor), last))
        edges[(group[tensor], key, "input")] = None
    for update in updates:
        boxes.append(Box(update, update.value, "update", last))
        edges[(group[update.value], update, "update")] = None
    layout = Layout(boxes, list(edges), True, len(order))
    layout.members = members_of
    return layout


def _leaf_boxes(leaves, keep_leaves):
    """The first column of a collapsed layout: each leaf, or one summary box per style.

    Returns the boxes, ``{leaf: its box key}`` and ``{summary key: its leaves}``.
    """
    boxes, group, members_of = [], {}, {}
    if len(leaves) <= keep_leaves:
        for node in leaves:
            group[node] = node
            boxes.append(Box(node, node, style_of(node), 0))
        return boxes, group, members_of
    for style in ("placeholder", "variable"):
        members = [node for node in leaves if style_of(node) == style]
        if members:
            key = f"{len(members)} {style}s"
            boxes.append(Box(key, None, style, 0, text=_summary(key, members)))
            group.update(dict.fromkeys(members, key))
            members_of[key] = members
    return boxes, group, members_of


def _summary(title, nodes, most=4):
    """``'depths 3-9: 40 nodes'`` and the commonest ops among them."""
    counts = Counter(node.op.name if node.op is not None else style_of(node) for node in nodes)
    common = ", ".join(f"{count} {name}" for name, count in counts.most_common(most))
    more = " ..." if len(counts) > most else ""
    return f"{title}: {len(nodes)} nodes\n{common}{more}"


def _add_dummies(layout):
    """Give every edge that skips layers one dummy box per layer it crosses."""
    for edge in layout.edges:
        source, target = layout.by_key[edge[0]], layout.by_key[edge[1]]
        chain = [Box(("dummy", edge, layer), None, "dummy", layer, group=source.group)
                 for layer in range(source.layer + 1, target.layer)]
        layout.routes[edge] = chain
        layout.dummies.extend(chain)


def _order_layers(layout, sweeps):
    """Set each box's ``slot`` so that connected boxes line up (barycenters)."""
    layers = {}
    for box in layout.boxes + layout.dummies:  # boxes come in topological order: a good start
        layers.setdefault(box.layer, []).append(box)
    neighbours = {box.key: [] for box in layout.boxes + layout.dummies}
    for edge, chain in layout.routes.items():
        path = [layout.by_key[edge[0]]] + chain + [layout.by_key[edge[1]]]
        for first, second in zip(path, path[1:]):
            neighbours[first.key].append(second)
            neighbours[second.key].append(first)

    def place(boxes):
        for index, box in enumerate(boxes):
            box.slot = index - (len(boxes) - 1) / 2

    for boxes in layers.values():
        place(boxes)
    for sweep in range(sweeps):
        forwards = sweep % 2 == 0
        for layer in sorted(layers, reverse=not forwards):
            def barycenter(box):
                # Only the side already placed in this sweep counts.
                side = [other.slot for other in neighbours[box.key]
                        if (other.layer < layer) == forwards and other.layer != layer]
                return sum(side) / len(side) if side else box.slot
            layers[layer].sort(key=barycenter)
            place(layers[layer])
