"""Training curves: one panel per metric, one line per run (the MLP lesson's plot)."""

import matplotlib.pyplot as plt
import numpy as np


def plot_training_curves(histories, metrics=None, *, log_loss=True, xlabel="epoch", title=None):
    """Plot ``{label: {metric: values}}`` and return the ``Figure``.

    Args:
        histories: one dict of metric lists per run, e.g.
            ``{'Adam': {'loss': [...], 'accuracy': [...]}, 'SGD': {...}}``.
        metrics: which metrics to show (one panel each); all of the first
            run's, in order, by default.
        log_loss: use a log scale for metrics whose name contains ``'loss'``.
        xlabel: what a point on the x axis is.
        title: a title over the panels.

    Each line has gid ``'curve:<metric>:<label>'``.

    >>> figure = plot_training_curves({'SGD': {'loss': [1.0, 0.5], 'accuracy': [0.5, 0.8]}})
    >>> [ax.get_title() for ax in figure.axes]
    ['loss', 'accuracy']
    >>> plt.close(figure)
    """
    if not histories:
        raise ValueError("plot_training_curves: no histories to plot")
    if metrics is None:
        metrics = list(next(iter(histories.values())))
    figure, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.8), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for label, history in histories.items():
            if metric in history:
                values = np.asarray(history[metric], dtype=float)
                ax.plot(np.arange(len(values)), values, label=label, gid=f"curve:{metric}:{label}")
        if log_loss and "loss" in metric:
            ax.set_yscale("log")
        ax.set_title(metric)
        ax.set_xlabel(xlabel)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure
