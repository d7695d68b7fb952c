"""minigrad/viz/trace_view.py: looking at a trace -- the HTML table and the
slider widget (and what happens without ipywidgets)."""

import pytest

from minigrad import backend as K
from minigrad.viz import trace_table_html
from helpers import FEEDS, regression_step


def test_the_html_table_lists_every_step_and_update():
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss], updates=updates).trace(FEEDS)
    table = trace._repr_html_()
    assert table == trace_table_html(trace)
    assert table.count("<tr>") == 1 + len(trace.steps) + 1 + len(trace.updates)
    assert "<td>loss</td>" in table and "value before the call" in table
    assert "fed" in table and "largest change" in table


def test_the_widget_steps_through_the_trace():
    ipywidgets = pytest.importorskip("ipywidgets")
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss]).trace(FEEDS)
    widget = trace.widget()
    assert isinstance(widget, ipywidgets.VBox)
    slider, image = widget.children
    assert (slider.min, slider.max) == (0, len(trace.steps) - 1)
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG")
    slider.value = 3                       # moving the slider redraws the picture
    assert bytes(image.value).startswith(b"\x89PNG") and bytes(image.value) != first


def test_without_ipywidgets_the_widget_points_to_show(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "ipywidgets", None)     # as if not installed
    x, y, w, b, loss, updates = regression_step()
    trace = K.function([x, y], [loss]).trace(FEEDS)
    with pytest.raises(ImportError, match=r"trace.show\(step\)"):
        trace.widget()
    assert trace.show(0).axes                                  # the fallback still draws
