"""The package's layering, read from the source with ``ast``: the op modules
import only from the layers below them (``minigrad.ops.LAYERS``), every
import at the top of its module."""

import ast
from pathlib import Path

import pytest

from minigrad import ops

OPS = Path(ops.__file__).parent
LAYER_OF = {module: depth for depth, layer in enumerate(ops.LAYERS) for module in layer}


def imports(path):
    """``(node, inside_a_function_or_class)`` for every import statement of ``path``."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    return [(node, id(node) not in top) for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_every_op_module_is_in_a_layer():
    modules = {path.stem for path in OPS.glob("*.py")} - {"__init__"}
    assert modules == set(LAYER_OF)


@pytest.mark.parametrize("module", sorted(LAYER_OF))
def test_op_modules_import_at_the_top_and_only_from_lower_layers(module):
    for node, nested in imports(OPS / f"{module}.py"):
        assert not nested, f"ops/{module}.py:{node.lineno} imports inside a function or class"
        if isinstance(node, ast.ImportFrom) and node.level == 1:        # from .shape import ...
            source = node.module
            assert LAYER_OF[source] < LAYER_OF[module], (
                f"ops/{module}.py:{node.lineno} imports ops/{source}.py, which is not below it "
                f"in minigrad.ops.LAYERS")
        if isinstance(node, ast.ImportFrom) and node.level == 2:        # from ..graph import ...
            assert node.module in ("graph", "config", None), (
                f"ops/{module}.py:{node.lineno} imports minigrad.{node.module}: ops sit just above "
                "graph and config")
            assert node.module is not None or [a.name for a in node.names] == ["config"]


def test_the_layer_check_catches_an_upward_import(tmp_path):
    upward = tmp_path / "shape.py"
    upward.write_text("from .reduce import sum\n\ndef f():\n    from .nn import softmax\n")
    found = imports(upward)
    assert [(node.module, nested) for node, nested in found] == [("reduce", False), ("nn", True)]
    assert LAYER_OF["reduce"] > LAYER_OF["shape"]


def test_the_one_cycle_is_graph_importing_ops_at_its_end():
    graph = Path(ops.__file__).parent.parent / "graph.py"
    tree = ast.parse(graph.read_text())
    package_imports = [node for node in tree.body if isinstance(node, ast.ImportFrom)
                       and node.level == 1 and node.module is None]
    assert [[alias.name for alias in node.names] for node in package_imports] == [["config"], ["ops"]]
    assert tree.body[-1] is package_imports[-1], "graph.py imports ops at its very end"
