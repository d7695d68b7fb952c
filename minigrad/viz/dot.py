"""``to_dot``: the graph as Graphviz DOT text, for those who have Graphviz.

minigrad never runs Graphviz itself; paste the text into ``dot -Tsvg`` or an
online viewer. The boxes, labels and layers are the ones
`draw_graph` uses, so both pictures agree.
"""

from .labels import brief, describe_node
from .layout import layout_graph

_COLORS = {
    "placeholder": "#d6e9ff", "variable": "#d9f2d9", "constant": "#eeeeee",
    "op": "#fffbe6", "update": "#ffe0c2", "summary": "#f3e8ff",
}


def to_dot(outputs, trace=None, *, max_nodes=None, rankdir="LR"):
    """Graphviz DOT text (``digraph minigrad { ... }``) of the graph behind ``outputs``.

    Args:
        outputs: what `draw_graph` accepts.
        trace: optional; each node label then ends with its value.
        max_nodes: collapse bigger graphs, as ``draw_graph`` does; by default
            every node is written (Graphviz copes with big graphs).
        rankdir: Graphviz's direction, ``'LR'`` or ``'TB'``.

    >>> from minigrad import backend as K
    >>> x = K.placeholder(shape=(2,), name='x')
    >>> print(to_dot(K.square(x)))
    digraph minigrad {
      rankdir=LR;
      node [shape=box, style="rounded,filled", fontname="monospace", fontsize=10];
      n0 [label="x\\nplaceholder (2,)", fillcolor="#d6e9ff"];
      n1 [label="square_...\\nsquare (2,)", fillcolor="#fffbe6"];
      n0 -> n1;
    }
    """
    layout = layout_graph(outputs, max_nodes=float("inf") if max_nodes is None else max_nodes,
                          fold=False)
    values = {step.node: step.value for step in trace.steps} if trace is not None else {}
    ids = {box.key: f"n{index}" for index, box in enumerate(layout.boxes)}
    lines = ["digraph minigrad {", f"  rankdir={rankdir};",
             '  node [shape=box, style="rounded,filled", fontname="monospace", fontsize=10];']
    for box in layout.boxes:
        if box.style == "update":
            label = f"{box.key.variable.name} <- {box.key.value.name}\nupdate"
        elif box.node is None:
            label = box.text
        else:
            label = describe_node(box.node)
        if box.node is not None and box.node in values and box.style != "update":
            label += f"\n= {brief(values[box.node])}"
        lines.append(f'  {ids[box.key]} [label="{_escape(label)}", '
                     f'fillcolor="{_COLORS[box.style]}"];')
    for source, target, style in layout.edges:
        attributes = {"input": "", "update": ' [color="#e06c00", penwidth=1.6]'}[style]
        lines.append(f"  {ids[source]} -> {ids[target]}{attributes};")
    for box in layout.boxes:   # each update writes its variable after the call
        if box.style == "update" and box.key.variable in ids:
            lines.append(f"  {ids[box.key]} -> {ids[box.key.variable]} [color=\"#e06c00\", "
                         'style=dashed, constraint=false, label="after the call"];')
    lines.append("}")
    return "\n".join(lines)


def _escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
