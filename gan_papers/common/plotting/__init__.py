"""Pictures for the notebooks: image grids, zoomed comparisons and loss curves.

Not a paper's equation: this is how the notebooks show each paper's results, e.g. the
zoomed crops of Ledig et al. 2017, Figure 2 (bicubic / SRResNet / SRGAN / original).

Figures are made with ``matplotlib.pyplot`` so a notebook shows them inline with whatever
backend it chose; this module never sets a backend (matplotlib falls back to the
non-interactive Agg backend by itself on a machine without a display). Every function
returns the ``Figure``; close it with ``matplotlib.pyplot.close(fig)`` when making many.

Images are NHWC / HWC float arrays (NumPy or tensors) with values in ``value_range``,
(-1, 1) by default (the package convention). ``value_range=None`` stretches each image
from its own minimum to its maximum (for masks, weights or feature maps).

One file per idea: ``images`` (checking the images and mapping them to [0, 1] for display),
``grid`` (``image_grid``), ``zoom`` (``compare_with_zoom``), ``history`` (``plot_history``) and
``saving`` (``save_figure``); all four are importable from here.
"""

from gan_papers.common.plotting.grid import image_grid
from gan_papers.common.plotting.history import plot_history
from gan_papers.common.plotting.saving import save_figure
from gan_papers.common.plotting.zoom import compare_with_zoom

__all__ = ["compare_with_zoom", "image_grid", "plot_history", "save_figure"]
