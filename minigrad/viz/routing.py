"""Where the boxes and edges of a `Layout` land on the page, in inches.

Positions are worked out in two coordinates: *along* the layers (the
direction data flows) and *across* them (the slots of one layer), and only
turned into x and y at the end, so one routine serves left-to-right and
top-to-bottom drawings.

Each layer is a strip as thick as its thickest box; boxes and dummies are
stacked across it in slot order, never overlapping. An edge is a polyline
that leaves its source box, runs *along* its own row to the edge of the
layer, crosses the gap to the next layer diagonally, runs through each
layer it skips at the across position of its dummy (a free slot), and
enters its target the same way. Inside a layer an edge therefore only ever
runs through its own box's row or a dummy's slot, and between layers there
are no boxes: no edge can pass through a box it does not connect.
"""

#: Inches between two layers (where edges turn), between two slots, and a dummy's width.
LAYER_GAP, SLOT_GAP, DUMMY = 0.55, 0.22, 0.1


class Geometry:
    """Centres, sizes, layer strips and edge polylines, as (along, across) pairs in inches.

    >>> from minigrad import backend as K
    >>> from minigrad.viz.layout import layout_graph
    >>> x = K.placeholder(shape=(3,), name='x')
    >>> layout = layout_graph(K.exp(x))
    >>> geometry = place(layout, {box.key: (1.0, 0.5) for box in layout.boxes})
    >>> [geometry.centres[box.key] for box in layout.boxes]
    [(0.5, 0.0), (2.05, 0.0)]
    >>> geometry.routes[layout.edges[0]]
    [(1.0, 0.0), (1.0, 0.0), (1.55, 0.0), (1.55, 0.0)]
    """

    def __init__(self, centres, sizes, strips, routes):
        self.centres, self.sizes, self.strips, self.routes = centres, sizes, strips, routes

    def extent(self):
        """``(along_min, along_max, across_min, across_max)`` of everything placed."""
        alongs = [c[0] + s * e[0] / 2 for key, c in self.centres.items()
                  for e in [self.sizes[key]] for s in (-1, 1)]
        acrosses = [c[1] + s * e[1] / 2 for key, c in self.centres.items()
                    for e in [self.sizes[key]] for s in (-1, 1)]
        return min(alongs), max(alongs), min(acrosses), max(acrosses)


def place(layout, sizes, layer_gap=LAYER_GAP, room=None):
    """The `Geometry` of ``layout`` for boxes of ``sizes`` (``{key: (along, across)}``),
    with ``layer_gap`` inches between layers and ``room[layer]`` inches more
    before ``layer`` (for a title drawn there)."""
    room = room or {}
    sizes = dict(sizes)
    sizes.update({dummy.key: (0.0, DUMMY) for dummy in layout.dummies})
    layers = {}
    for box in layout.boxes + layout.dummies:
        layers.setdefault(box.layer, []).append(box)
    strips, along = {}, 0.0
    for layer in range(min(layers, default=0), max(layers, default=-1) + 1):
        along += room.get(layer, 0.0)
        thickness = max([sizes[box.key][0] for box in layers.get(layer, [])] + [0.3])
        strips[layer] = (along, along + thickness)
        along += thickness + layer_gap
    centres = {}
    for layer, boxes in layers.items():
        boxes.sort(key=lambda box: box.slot)
        total = sum(sizes[box.key][1] for box in boxes) + SLOT_GAP * (len(boxes) - 1)
        across = -total / 2
        for box in boxes:
            middle = sum(strips[layer]) / 2
            centres[box.key] = (middle, across + sizes[box.key][1] / 2)
            across += sizes[box.key][1] + SLOT_GAP
    _straighten(layout, layers, sizes, centres)
    geometry = Geometry(centres, sizes, strips, {})
    geometry.routes = _routes(layout, geometry)
    return geometry


def _straighten(layout, layers, sizes, centres, sweeps=6):
    """Move boxes across towards their neighbours' mean position, keeping each layer's order
    and gaps (Brandes and Koepf's goal, reached by simple averaging sweeps): chains of
    dummies become straight lines and connected boxes line up."""
    neighbours = {key: [] for key in centres}
    for edge, chain in layout.routes.items():
        path = [edge[0]] + [dummy.key for dummy in chain] + [edge[1]]
        for first, second in zip(path, path[1:]):
            neighbours[first].append(second)
            neighbours[second].append(first)
    order = sorted(layers)
    for sweep in range(sweeps):
        for layer in order if sweep % 2 == 0 else order[::-1]:
            boxes = layers[layer]
            desired = []
            for box in boxes:
                near = [centres[key][1] for key in neighbours[box.key]]
                desired.append(sum(near) / len(near) if near else centres[box.key][1])
            widths = [sizes[box.key][1] for box in boxes]
            for box, across in zip(boxes, _pack(desired, widths)):
                centres[box.key] = (centres[box.key][0], across)


def _pack(desired, widths):
    """Positions as close to ``desired`` as the order and ``SLOT_GAP`` allow: the mean of a
    left-to-right and a right-to-left pass, each of which keeps every gap (so their mean does)."""
    count = len(desired)
    left, right = list(desired), list(desired)
    for i in range(1, count):
        left[i] = max(desired[i], left[i - 1] + (widths[i - 1] + widths[i]) / 2 + SLOT_GAP)
    for i in range(count - 2, -1, -1):
        right[i] = min(desired[i], right[i + 1] - (widths[i] + widths[i + 1]) / 2 - SLOT_GAP)
    return [(a + b) / 2 for a, b in zip(left, right)]


def _ports(layout, geometry):
    """Where each edge leaves its source and enters its target, across: spread over the box."""
    leaving, entering = {}, {}
    for edge, chain in layout.routes.items():
        first = chain[0].key if chain else edge[1]
        last = chain[-1].key if chain else edge[0]
        leaving.setdefault(edge[0], []).append((geometry.centres[first][1], edge))
        entering.setdefault(edge[1], []).append((geometry.centres[last][1], edge))
    ports = {}
    for side, table in (("out", leaving), ("in", entering)):
        for key, ends in table.items():
            ends.sort(key=lambda pair: pair[0])
            centre, width = geometry.centres[key][1], geometry.sizes[key][1]
            step = min(0.08, 0.7 * width / max(len(ends), 1))
            for index, (_, edge) in enumerate(ends):
                ports[side, edge] = centre + (index - (len(ends) - 1) / 2) * step
    return ports


def _routes(layout, geometry):
    """``{edge: [(along, across), ...]}``: each edge's polyline, from box side to box side."""
    ports, routes = _ports(layout, geometry), {}
    for edge, chain in layout.routes.items():
        source, target = layout.by_key[edge[0]], layout.by_key[edge[1]]
        out, into = ports["out", edge], ports["in", edge]
        points = [(geometry.centres[source.key][0] + geometry.sizes[source.key][0] / 2, out),
                  (geometry.strips[source.layer][1], out)]
        for dummy in chain:
            across = geometry.centres[dummy.key][1]
            points += [(geometry.strips[dummy.layer][0], across),
                       (geometry.strips[dummy.layer][1], across)]
        points += [(geometry.strips[target.layer][0], into),
                   (geometry.centres[target.key][0] - geometry.sizes[target.key][0] / 2, into)]
        routes[edge] = points
    return routes
