"""Zoomed comparisons: images side by side, each above a zoom of the same region.

The zoomed crops of Ledig et al. 2017, Figure 2 (bicubic / SRResNet / SRGAN / original).
"""

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from gan_papers.common.plotting.images import check_image, check_value_range, to_display, to_numpy


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
    value_range = check_value_range(value_range)
    prepared = {}
    for title, image in images.items():
        image = to_numpy(image)
        if image.ndim == 4:
            if image.shape[0] != 1:
                raise ValueError(
                    f"`images[{title!r}]` must be one image (HWC or a batch of one); "
                    f"received shape {image.shape}."
                )
            image = image[0]
        prepared[str(title)] = check_image(image, f"images[{title!r}]")
    reference = max((img.shape[:2] for img in prepared.values()), key=lambda s: s[0] * s[1])
    box = _check_box(box, *reference)

    count = len(prepared)
    if figsize is None:
        figsize = (2.6 * count, 5.6)
    fig, axes = plt.subplots(2, count, figsize=figsize, squeeze=False)
    for column, (title, image) in enumerate(prepared.items()):
        shown = to_display(image, value_range)
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
