"""`make demo` runs the guided tour: it prints each stop and writes its figures."""

import re

import matplotlib

matplotlib.use("Agg")

from minigrad import demo  # noqa: E402


def test_the_tour_prints_every_stop_and_writes_its_figures(tmp_path, capsys):
    import numpy as np
    from minigrad import config
    options, floatx = np.get_printoptions(), config.floatx()
    written = demo.main(tmp_path / "out")
    assert np.get_printoptions() == options and config.floatx() == floatx   # no leaks
    printed = capsys.readouterr().out
    names = sorted(path.name for path in written)
    assert names == ["graph.dot", "graph.png", "reddi.png", "rosenbrock.gif", "rosenbrock.png",
                     "trace_step.png"]
    for path in written:
        assert path.exists() and path.stat().st_size > 200
        assert str(path.resolve()) in printed            # the user is told where
    assert (tmp_path / "out" / "graph.dot").read_text().startswith("digraph minigrad {")
    for stop in range(1, 8):
        assert f"\n{stop}. " in printed
    assert "def train_step(feeds, variables):" in printed      # f.source
    assert "gradcheck against central finite differences (float64): True" in printed

    losses = [float(value) for value in re.findall(r"step +\d+  loss ([0-9.]+)", printed)]
    assert len(losses) == 5 and losses[0] > 1 and losses[-1] < 1e-4
    assert all(later <= earlier for earlier, later in zip(losses, losses[1:]))

    table = printed.split("final point")[1].split("\n7. ")[0]
    rows = [line.split() for line in table.strip().splitlines()]
    assert [row[0] for row in rows] == ["SGD", "Adam", "AMSGrad"]
    reddi = printed.split("average regret")[1]
    adam_x, amsgrad_x = (float(line.split()[1]) for line in reddi.strip().splitlines()[:2])
    assert adam_x > 0.9 and amsgrad_x < -0.9
