"""Checks and conversions shared by the plots: images in, [0, 1] NumPy images out.

Images are NHWC / HWC float arrays (NumPy or tensors) with values in ``value_range``;
``value_range=None`` stretches each image from its own minimum to its maximum.
"""

import math

import numpy as np

from gan_papers.common.validation import check_float, check_rank


def to_numpy(x):
    # Tensors from TensorFlow (and the other Keras backends) know how to give NumPy arrays.
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def check_value_range(value_range):
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


def to_display(image, value_range):
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


def check_image(image, name):
    """Check one HW / HWC image (1 or 3 channels, float, finite) and return it as NumPy."""
    image = to_numpy(image)
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


def as_image_list(images, name="images"):
    """Accept an NHWC batch (array or tensor) or a list of HW / HWC images."""
    if isinstance(images, list | tuple):
        if not images:
            raise ValueError(f"`{name}` must hold at least one image; received an empty list.")
        return [check_image(img, f"{name}[{i}]") for i, img in enumerate(images)]
    images = to_numpy(images)
    check_rank(
        images,
        name,
        4,
        layout="batch, height, width, channels; pass a single image as a list or add a batch axis",
    )
    if images.shape[0] == 0:
        raise ValueError(f"`{name}` must hold at least one image; received shape {images.shape}.")
    return [check_image(img, f"{name}[{i}]") for i, img in enumerate(images)]
