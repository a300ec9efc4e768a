"""Saving a figure to a file."""

from pathlib import Path

from matplotlib.figure import Figure


def save_figure(fig, path, dpi=100):
    """Save ``fig`` to ``path`` (format from the suffix, e.g. .png), creating parent folders.

    Returns the path as a ``pathlib.Path``.
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"`fig` must be a matplotlib Figure; received {type(fig).__name__}.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    return path
