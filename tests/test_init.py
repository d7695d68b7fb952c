"""minigrad/__init__.py: minigrad.viz and minigrad.surfaces load on first use."""

from minigrad.viz import draw_graph


def test_viz_loads_lazily_from_the_package():
    import minigrad as mg
    assert mg.viz.draw_graph is draw_graph
    assert "rosenbrock" in mg.surfaces.SURFACES
