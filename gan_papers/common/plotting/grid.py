"""Image grids: a batch of images drawn as a grid of axes, or as one mosaic into a given axes."""

import math

import matplotlib.pyplot as plt
import numpy as np

from gan_papers.common.plotting.images import as_image_list, check_value_range, to_display

# Padding, in pixels, between tiles of the single-image mosaic drawn into a given `ax`.
_MOSAIC_GAP = 2


def _grid_shape(count, nrows):
    if nrows is None:
        ncols = math.ceil(math.sqrt(count))
        return math.ceil(count / ncols), ncols
    if isinstance(nrows, bool) or not isinstance(nrows, int) or nrows < 1:
        raise ValueError(f"`nrows` must be a positive integer or None; received {nrows!r}.")
    nrows = min(nrows, count)
    return nrows, math.ceil(count / nrows)


def _check_titles(titles, count):
    if titles is None:
        return [None] * count
    titles = list(titles)
    if len(titles) != count:
        raise ValueError(
            f"`titles` must have one entry per image ({count}); received {len(titles)}."
        )
    return [None if t is None else str(t) for t in titles]


def _mosaic(display_images, nrows, ncols):
    """Tile [0, 1] images into one RGB array, white gaps between tiles."""
    height = max(img.shape[0] for img in display_images)
    width = max(img.shape[1] for img in display_images)
    step_y, step_x = height + _MOSAIC_GAP, width + _MOSAIC_GAP
    canvas = np.ones((nrows * step_y - _MOSAIC_GAP, ncols * step_x - _MOSAIC_GAP, 3))
    origins = []
    for index, img in enumerate(display_images):
        rgb = img[..., None].repeat(3, axis=-1) if img.ndim == 2 else img
        y, x = (index // ncols) * step_y, (index % ncols) * step_x
        canvas[y : y + img.shape[0], x : x + img.shape[1]] = rgb
        origins.append((y, x))
    return canvas, origins


def image_grid(images, nrows=None, titles=None, value_range=(-1, 1), figsize=None, ax=None):
    """Draw a batch of images as a grid and return the ``Figure``.

    ``images``: an NHWC batch (NumPy array or tensor, 1 or 3 channels) or a list of HW / HWC
    images, which may differ in size. ``nrows``: rows of the grid (default: about square).
    ``titles``: one string per image (e.g. metrics). ``value_range``: the images' range,
    mapped to black..white; values outside it are clipped; None scales each image to its own
    min..max.

    Without ``ax`` each image gets its own axes (``len(fig.axes) == len(images)``). With
    ``ax`` the grid is drawn as one mosaic image into that axes (to place a grid inside a
    larger figure); the titles then label the tiles.
    """
    image_list = as_image_list(images)
    value_range = check_value_range(value_range)
    nrows, ncols = _grid_shape(len(image_list), nrows)
    titles = _check_titles(titles, len(image_list))
    display_images = [to_display(img, value_range) for img in image_list]

    if ax is not None:
        canvas, origins = _mosaic(display_images, nrows, ncols)
        ax.imshow(canvas, vmin=0.0, vmax=1.0, interpolation="nearest")
        for (y, x), title in zip(origins, titles, strict=True):
            if title:
                ax.text(
                    x + 1,
                    y + 1,
                    title,
                    va="top",
                    ha="left",
                    fontsize=7,
                    bbox={"facecolor": "white", "alpha": 0.7, "pad": 1, "linewidth": 0},
                )
        ax.set_axis_off()
        return ax.figure

    if figsize is None:
        figsize = (1.8 * ncols, 1.8 * nrows + (0.3 * nrows if any(titles) else 0.0))
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
    for index, cell in enumerate(axes.flat):
        if index >= len(display_images):
            fig.delaxes(cell)  # so len(fig.axes) is the number of images
            continue
        img = display_images[index]
        cell.imshow(
            img, cmap="gray" if img.ndim == 2 else None, vmin=0.0, vmax=1.0, interpolation="nearest"
        )
        if titles[index]:
            cell.set_title(titles[index], fontsize=9)
        cell.set_axis_off()
    fig.tight_layout()
    return fig
