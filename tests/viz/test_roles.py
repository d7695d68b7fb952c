"""minigrad/viz/roles.py: what each node of a training step is for -- the
forward, gradients and updates bands, with constants and hyperparameters
folded into labels and a legend."""

import pytest

from minigrad import optimizers
from minigrad.viz import draw_graph, drawn_boxes
from figures import adam_training_step, box_extents, frames_in_data, linear_regression, render


def band_of(frame, bands):
    middle = ((frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2)
    return [group for group, (x0, y0, x1, y1) in bands.items()
            if x0 <= middle[0] <= x1 and y0 <= middle[1] <= y1]


def test_a_training_step_is_drawn_in_three_bands_with_constants_and_hyperparameters_folded():
    train, trace = adam_training_step()
    figure = render(draw_graph(train, trace=trace))
    bands = {patch.get_gid()[len("band:"):]: (patch.get_x(), patch.get_y(),
                                              patch.get_x() + patch.get_width(),
                                              patch.get_y() + patch.get_height())
             for patch in figure.axes[0].patches if (patch.get_gid() or "").startswith("band:")}
    assert list(bands) == ["forward", "gradients", "updates"]
    tops = [bands[group][3] for group in bands]
    assert tops == sorted(tops, reverse=True)                        # read top to bottom
    for upper, lower in zip(list(bands.values()), list(bands.values())[1:]):
        assert lower[3] < upper[1]                                    # a visible gap between
    frames, boxes = frames_in_data(figure), drawn_boxes(figure)
    expected = {"node:x": "forward", "node:loss": "forward", "node:m_w": "updates",
                "update:w": "updates", "update:iterations": "updates"}
    expected.update({gid: "gradients" for gid, text in boxes.items() if "sum_like(" in text or "broadcast_like(" in text})
    assert len(expected) >= 7
    for gid, group in expected.items():
        assert band_of(frames[gid], bands) == [group], gid
    assert not any("constant" in text for text in boxes.values())
    assert any("add(iterations, 1)" in text for text in boxes.values())
    assert "node:lr" not in boxes and "node:beta_1" not in boxes
    (legend,) = [t.get_text() for t in figure.axes[0].texts if t.get_gid() == "band-title:updates"]
    assert "lr = 0.05" in legend and "beta_1 = 0.9" in legend and "beta_2 = 0.999" in legend


@pytest.mark.parametrize("optimizer", [optimizers.Adam(lr=0.05), optimizers.SGD(0.1, momentum=0.9)],
                         ids=["adam", "momentum"])
def test_band_titles_and_the_hyperparameter_legend_are_hidden_by_no_box(optimizer):
    x, y, w, b, loss = linear_regression()
    step = [loss] + optimizer.get_updates(loss, [w, b])
    for direction in ("TB", "LR"):
        figure = render(draw_graph(step, direction=direction))
        renderer = figure.canvas.get_renderer()
        titles = [t for t in figure.axes[0].texts if (t.get_gid() or "").startswith("band-title:")]
        assert len(titles) == 3
        for title in titles:
            area = title.get_window_extent(renderer)
            covered = [gid for gid, box in box_extents(figure).items() if area.overlaps(box)]
            assert covered == [], (direction, title.get_text(), covered)
