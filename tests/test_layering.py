"""The source as a textbook, read with ``ast``: the op modules import only
from the layers below them (``minigrad.ops.LAYERS``), every import at the
top of its module; the whole package has no import cycle but its two
documented links; and no function runs past one screen."""

import ast
import subprocess
import sys
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


PACKAGE = OPS.parent


def module_name(path):
    """``minigrad.ops.shape`` for ``.../minigrad/ops/shape.py`` (a package is its ``__init__``)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_imports():
    """``{module: {modules of minigrad it imports}}``, nested imports included.
    Importing ``a.b.c`` runs the package ``a.b`` first, so it counts too, unless
    the importer lives inside ``a.b`` (whose ``__init__`` is then already running)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        here = name if path.stem == "__init__" else name.rpartition(".")[0]
        targets = set()
        for node, _ in imports(path):
            if not isinstance(node, ast.ImportFrom) or node.level == 0:
                continue
            base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
            stem = f"{base}.{node.module}" if node.module else base
            targets.update([stem] * bool(node.module) + [f"{stem}.{a.name}" for a in node.names])
        found[name] = targets
    for name, targets in found.items():
        parents = {target.rsplit(".", depth)[0] for target in targets for depth in range(1, 3)}
        entered = {parent for parent in parents if not f"{name}.".startswith(f"{parent}.")}
        found[name] = {t for t in targets | entered if t in found and t != name}
    return found


def cycles(edges):
    """The strongly connected components of more than one module (Tarjan's
    algorithm, written with an explicit stack like everything that walks a graph here)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while node not in component:
                        component.add(stack.pop())
                    on_stack.difference_update(component)
                    found.extend([component] if len(component) > 1 else [])
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


#: The two deliberate links back, each a documented exception (docs/design.md).
GRAPH_TO_OPS = ("minigrad.graph", "minigrad.ops")       # x + y on a node calls ops.add
TRACE_TO_VIZ = ("minigrad.trace", "minigrad.viz")       # Trace.show draws, deferred


def test_the_only_import_cycles_are_the_two_documented_links():
    """graph.py's operators need the op functions, and ops build graph nodes;
    a trace's ``show`` imports viz (the top layer, which runs optimizers and
    so reaches the executor) when first called, so that ``import minigrad``
    does not import matplotlib. Without those two links, every module
    imports only downwards."""
    edges = package_imports()
    edges["minigrad.trace"] = {t for t in edges["minigrad.trace"] if not t.startswith(TRACE_TO_VIZ[1])}
    edges[GRAPH_TO_OPS[0]].discard(GRAPH_TO_OPS[1])
    found = cycles(edges)
    assert found == [], "an import cycle beyond the two documented links: " + "; ".join(
        " <-> ".join(sorted(cycle)) for cycle in found)


def test_the_deferred_import_stays_deferred():
    """trace.py imports viz only inside its drawing methods, and
    ``import minigrad`` loads no matplotlib (checked in a fresh interpreter)."""
    nested = [(node.module, inside) for node, inside in imports(PACKAGE / "trace.py")
              if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("viz")]
    assert nested and all(inside for _, inside in nested), nested
    loaded = subprocess.run([sys.executable, "-c", "import sys, minigrad; "
                             "print('matplotlib' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"


def test_the_cycle_check_sees_a_cycle_through_a_nested_import():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": {"e"}}
    assert sorted(map(sorted, cycles(edges))) == [["a", "b", "c"], ["e", "e2"]]
    edges = package_imports()
    assert "minigrad.viz.trace_view" in edges["minigrad.trace"]      # imported inside show()
    assert "minigrad.viz" in edges["minigrad.trace"]                 # ... which runs viz/__init__


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
    found = long_functions(OPS.parent)
    assert found == [], (f"longer than {SCREEN} lines (split it, or put a '# long: <reason>' "
                         f"comment on the line above it): " + "; ".join(found))


def test_the_length_check_sees_a_long_function_and_accepts_a_reason(tmp_path):
    body = "".join(f"    x = {i}\n" for i in range(SCREEN))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text(f"def f():\n{body}\n\n# long: a table\ndef g():\n{body}")
    assert long_functions(tmp_path / "pkg") == [f"pkg/long.py:1 f ({SCREEN + 1} lines)"]
