"""Training curves from a ``keras.callbacks.History`` or a dict of logged values."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator


def plot_history(history, keys=None, ax=None, logy=False):
    """Plot training curves from a ``keras.callbacks.History`` or a dict ``{name: [values]}``.

    ``keys``: which curves (default: all). A ``val_<name>`` curve is dashed in the colour of
    ``<name>``. Epochs are numbered from 1, as ``fit`` prints them. ``logy``: log y axis.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(
            "`history` must be a keras History or a non-empty dict {name: [values]}; "
            f"received {type(history).__name__}."
        )
    if keys is None:
        keys = list(logs)
    elif isinstance(keys, str):
        keys = [keys]
    missing = [k for k in keys if k not in logs]
    if missing or not keys:
        raise ValueError(f"`keys` must be names in the history {sorted(logs)}; received {keys!r}.")

    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    colours = {}
    for key in keys:
        values = np.asarray(logs[key], dtype=np.float64).reshape(-1)
        base = key.removeprefix("val_")
        epochs = np.arange(1, len(values) + 1)
        style = "--" if key.startswith("val_") else "-"
        (line,) = ax.plot(epochs, values, style, label=key, color=colours.get(base))
        colours.setdefault(base, line.get_color())
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("value")
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
