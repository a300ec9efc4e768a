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
"""

import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from gan_papers.common.validation import check_float, check_rank

# Padding, in pixels, between tiles of the single-image mosaic drawn into a given `ax`.
_MOSAIC_GAP = 2


def _to_numpy(x):
    # Tensors from TensorFlow (and the other Keras backends) know how to give NumPy arrays.
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def _check_value_range(value_range):
    """Return ``value_range`` as floats ``(low, high)``, or None; raise if it is malformed."""
    if value_range is None:
        return None
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise ValueError(
            f"`value_range` must be a pair (low, high) of numbers or None; received {value_range!r}."
        ) from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"`value_range` must be finite with low < high; received {value_range!r}.")
    return low, high


def _to_display(image, value_range):
    """Map one HW or HWC image to [0, 1] for imshow; a single channel becomes HW (grey)."""
    image = image.astype(np.float64)
    if value_range is None:
        low, high = float(image.min()), float(image.max())
        high = high if high > low else low + 1.0  # a constant image shows as its low end
    else:
        low, high = value_range
    image = np.clip((image - low) / (high - low), 0.0, 1.0)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    return image


def _check_image(image, name):
    """Check one HW / HWC image (1 or 3 channels, float, finite) and return it as NumPy."""
    image = _to_numpy(image)
    check_rank(image, name, (2, 3), layout="height, width[, channels]")
    if image.ndim == 3 and image.shape[-1] not in (1, 3):
        raise ValueError(
            f"`{name}` must have 1 or 3 channels in its last axis; received shape {image.shape}."
        )
    if image.size == 0:
        raise ValueError(f"`{name}` must not be empty; received shape {image.shape}.")
    check_float(image, name)
    if not np.all(np.isfinite(image)):
        raise ValueError(f"`{name}` contains NaN or infinite values.")
    return image


def _as_image_list(images, name="images"):
    """Accept an NHWC batch (array or tensor) or a list of HW / HWC images."""
    if isinstance(images, list | tuple):
        if not images:
            raise ValueError(f"`{name}` must hold at least one image; received an empty list.")
        return [_check_image(img, f"{name}[{i}]") for i, img in enumerate(images)]
    images = _to_numpy(images)
    check_rank(
        images,
        name,
        4,
        layout="batch, height, width, channels; pass a single image as a list or add a batch axis",
    )
    if images.shape[0] == 0:
        raise ValueError(f"`{name}` must hold at least one image; received shape {images.shape}.")
    return [_check_image(img, f"{name}[{i}]") for i, img in enumerate(images)]


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
    image_list = _as_image_list(images)
    value_range = _check_value_range(value_range)
    nrows, ncols = _grid_shape(len(image_list), nrows)
    titles = _check_titles(titles, len(image_list))
    display_images = [_to_display(img, value_range) for img in image_list]

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


def _check_box(box, height, width):
    if box is None:
        side = max(1, min(height, width) // 4)
        return (height - side) // 2, (width - side) // 2, side, side
    try:
        values = [int(v) for v in box]
        integral = len(values) == 4 and all(float(v) == int(v) for v in box)
    except (TypeError, ValueError):
        raise ValueError(
            f"`box` must be (y, x, height, width) in pixels or None; received {box!r}."
        ) from None
    if not integral:
        raise ValueError(f"`box` must be four whole pixel counts (y, x, h, w); received {box!r}.")
    y, x, h, w = values
    if h < 1 or w < 1 or y < 0 or x < 0 or y + h > height or x + w > width:
        raise ValueError(
            f"`box` (y, x, height, width) must lie inside the largest image ({height}x{width}) "
            f"with height, width >= 1; received {box!r}."
        )
    return y, x, h, w


def _scale_box(box, reference_shape, shape):
    """Map a box from the reference (largest) image's pixels to another image's pixels."""
    y, x, h, w = box
    sy, sx = shape[0] / reference_shape[0], shape[1] / reference_shape[1]
    top, left = int(round(y * sy)), int(round(x * sx))
    bottom, right = int(round((y + h) * sy)), int(round((x + w) * sx))
    # A tiny box in a small image still shows at least one pixel.
    bottom, right = max(bottom, top + 1), max(right, left + 1)
    top, left = min(top, shape[0] - 1), min(left, shape[1] - 1)
    bottom, right = min(bottom, shape[0]), min(right, shape[1])
    return top, left, bottom - top, right - left


def compare_with_zoom(images, box=None, value_range=(-1, 1), figsize=None, color="red"):
    """Show images side by side, each above a nearest-neighbour zoom of the same region.

    ``images``: a dict ``{title: image}`` (title may carry metrics, e.g.
    ``"SRGAN 24.1 dB / 0.71"``); each image is HW, HWC or a batch of one (1HWC), 1 or 3
    channels, all in ``value_range``. Sizes may differ (e.g. LR 24x24 next to HR 96x96).

    ``box``: ``(y, x, height, width)`` in pixels of the largest image (the HR one); for each
    other image it is scaled by that image's size ratio, so the crops show the same scene
    region. None picks a centred square a quarter of the largest image's shorter side.

    Returns a Figure with two rows: the full images with the box drawn (``fig.axes[:n]``)
    and the crops (``fig.axes[n:]``, their ``AxesImage`` data are the crops mapped to [0, 1]).
    """
    if not isinstance(images, dict) or not images:
        what = "an empty dict" if isinstance(images, dict) else type(images).__name__
        raise ValueError(f"`images` must be a non-empty dict {{title: image}}; received {what}.")
    value_range = _check_value_range(value_range)
    prepared = {}
    for title, image in images.items():
        image = _to_numpy(image)
        if image.ndim == 4:
            if image.shape[0] != 1:
                raise ValueError(
                    f"`images[{title!r}]` must be one image (HWC or a batch of one); "
                    f"received shape {image.shape}."
                )
            image = image[0]
        prepared[str(title)] = _check_image(image, f"images[{title!r}]")
    reference = max((img.shape[:2] for img in prepared.values()), key=lambda s: s[0] * s[1])
    box = _check_box(box, *reference)

    count = len(prepared)
    if figsize is None:
        figsize = (2.6 * count, 5.6)
    fig, axes = plt.subplots(2, count, figsize=figsize, squeeze=False)
    for column, (title, image) in enumerate(prepared.items()):
        shown = _to_display(image, value_range)
        top, left, h, w = _scale_box(box, reference, image.shape[:2])
        cmap = "gray" if shown.ndim == 2 else None
        full_ax, zoom_ax = axes[0, column], axes[1, column]
        full_ax.imshow(shown, cmap=cmap, vmin=0.0, vmax=1.0, interpolation="nearest")
        # imshow puts pixel centres on integers, so a pixel's edges are at +-0.5.
        full_ax.add_patch(
            Rectangle((left - 0.5, top - 0.5), w, h, fill=False, edgecolor=color, linewidth=1.5)
        )
        full_ax.set_title(title, fontsize=9)
        zoom_ax.imshow(
            shown[top : top + h, left : left + w],
            cmap=cmap,
            vmin=0.0,
            vmax=1.0,
            interpolation="nearest",
        )
        for spine in zoom_ax.spines.values():
            spine.set_edgecolor(color)
        zoom_ax.set_xticks([])
        zoom_ax.set_yticks([])
        full_ax.set_axis_off()
    fig.tight_layout()
    return fig


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
