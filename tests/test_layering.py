"""The source as a textbook, read with ``ast``: the op modules import only
from the layers below them (``minigrad.ops.LAYERS``), every import at the
top of its module, and no function runs past one screen."""

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


#: Lines (docstring included) a function may take: one screen.
SCREEN = 60


def long_functions(root):
    """``path:line name (n lines)`` of every function longer than ``SCREEN``
    lines that has no ``# long: <reason>`` comment on the line above it."""
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                first = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
                reason = first > 0 and lines[first - 1].strip().startswith("# long:")
                if length > SCREEN and not reason:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} "
                                 f"({length} lines)")
    return found


def test_no_function_runs_past_one_screen():
    assert long_functions(OPS.parent) == []


def test_the_length_check_sees_a_long_function_and_accepts_a_reason(tmp_path):
    body = "".join(f"    x = {i}\n" for i in range(SCREEN))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text(f"def f():\n{body}\n\n# long: a table\ndef g():\n{body}")
    assert long_functions(tmp_path / "pkg") == [f"pkg/long.py:1 f ({SCREEN + 1} lines)"]
