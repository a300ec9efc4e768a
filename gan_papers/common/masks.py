"""Inpainting masks: the four types of Yeh et al. 2017 (Section 4) plus the random box of Li et al. 2017.

Yeh et al., "Semantic Image Inpainting with Deep Generative Models", CVPR 2017, evaluate four masks:
a centre block covering 25 % of the image, a random pattern with about 25 % missing in blob-like
regions, 80 % of the pixels missing at random, and half of the image missing. Li et al., "Generative
Face Completion", CVPR 2017, train with one square hole (64x64 in a 128x128 face) at a random place:
``random_box_mask(..., box_size=64)``.

Every mask is a NumPy float32 array of shape (B, H, W, 1) with **1 = known pixel, 0 = missing**
(the paper's M). Random masks are deterministic: mask ``i`` of a batch is drawn from
``numpy.random.default_rng((seed, i))``, so it is the same whatever the batch size.
``size`` is an int (square images) or a ``(height, width)`` pair everywhere.
"""

import math

import numpy as np
from scipy import ndimage

from gan_papers.common.validation import (
    _is_concrete,
    _shape,
    check_choice,
    check_float,
    check_image_batch,
    check_not_empty,
    check_positive_int,
    check_rank,
    check_seed,
)

HALF_SIDES = ("left", "right", "top", "bottom")


def _check_size(size):
    """``size`` as a ``(height, width)`` pair of positive ints."""
    if isinstance(size, int | np.integer) and not isinstance(size, bool):
        size = (size, size)
    if (
        not isinstance(size, tuple | list)
        or len(size) != 2
        or any(isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1 for s in size)
    ):
        raise ValueError(
            f"`size` must be a positive int or a (height, width) pair of them; received {size!r}."
        )
    return int(size[0]), int(size[1])


def _check_fraction(value, name, high_inclusive=False):
    ok = isinstance(value, int | float | np.floating | np.integer) and not isinstance(value, bool)
    ok = ok and 0.0 < value and (value <= 1.0 if high_inclusive else value < 1.0)
    if not ok:
        interval = "(0, 1]" if high_inclusive else "(0, 1)"
        raise ValueError(f"`{name}` must be a number in {interval}; received {value!r}.")
    return float(value)


def _rngs(batch, seed):
    # One generator per mask, keyed by its index, so that mask i does not depend on the batch size.
    return [np.random.default_rng((seed, i)) for i in range(batch)]


def _stack(holes):
    """Boolean hole maps (H, W) -> (B, H, W, 1) float32 masks with 1 = known."""
    return (~np.stack(holes))[..., None].astype(np.float32)


def center_mask(size, batch=1, fraction=0.25):
    """A centred rectangular hole covering ``fraction`` of the image area (the paper's centre block).

    The hole's sides are ``round(sqrt(fraction) * side)`` of the image's, so it is square for
    square images (32x32 in a 64x64 image for the paper's 25 %) and keeps the image's aspect
    otherwise. It is the same for every image of the batch.
    """
    height, width = _check_size(size)
    batch = check_positive_int(batch, "batch")
    fraction = _check_fraction(fraction, "fraction")
    hole_h = max(1, round(math.sqrt(fraction) * height))
    hole_w = max(1, round(math.sqrt(fraction) * width))
    top, left = (height - hole_h) // 2, (width - hole_w) // 2
    hole = np.zeros((height, width), dtype=bool)
    hole[top : top + hole_h, left : left + hole_w] = True
    return _stack([hole] * batch)


def random_pattern_mask(size, batch=1, seed=0, missing=0.25, blob_size=1 / 16):
    """Blob-like random holes covering ``missing`` of the image (the paper's random pattern, ~25 %).

    White noise is smoothed by a Gaussian of standard deviation ``blob_size`` times the shorter image
    side (larger values give fewer, bigger blobs) and the lowest ``round(missing * H * W)`` values
    become the hole, so the missing fraction is exact up to that rounding. The paper only says
    "random pattern"; smoothed noise is our choice of a blob generator.
    """
    height, width = _check_size(size)
    batch = check_positive_int(batch, "batch")
    seed = check_seed(seed)
    missing = _check_fraction(missing, "missing")
    blob_size = _check_fraction(blob_size, "blob_size", high_inclusive=True)
    count = round(missing * height * width)
    holes = []
    for rng in _rngs(batch, seed):
        noise = ndimage.gaussian_filter(
            rng.standard_normal((height, width)), sigma=blob_size * min(height, width)
        )
        hole = np.zeros(height * width, dtype=bool)
        # A stable sort breaks (improbable) ties the same way on every platform.
        hole[np.argsort(noise, axis=None, kind="stable")[:count]] = True
        holes.append(hole.reshape(height, width))
    return _stack(holes)


def random_pixel_mask(size, batch=1, seed=0, missing=0.8):
    """Exactly ``round(missing * H * W)`` pixels missing, chosen uniformly (the paper's 80 % mask)."""
    height, width = _check_size(size)
    batch = check_positive_int(batch, "batch")
    seed = check_seed(seed)
    missing = _check_fraction(missing, "missing")
    count = round(missing * height * width)
    holes = []
    for rng in _rngs(batch, seed):
        hole = np.zeros(height * width, dtype=bool)
        hole[rng.choice(height * width, size=count, replace=False)] = True
        holes.append(hole.reshape(height, width))
    return _stack(holes)


def half_mask(size, batch=1, side="random", seed=0):
    """Half of the image missing (the paper's half mask): ``side`` names the missing half.

    ``side="random"`` (the default) draws one of ``"left"``, ``"right"``, ``"top"``, ``"bottom"``
    per image, uniformly, as Yeh et al. (Section 4) describe the mask: "half of the image missing
    (left/right/top/bottom)". Mask ``i`` is drawn from ``(seed, i)`` like the other random masks.
    A fixed side is a named option: ``side="left"`` is the left-half mask of the public ports
    (bamos/dcgan-completion.tensorflow ``model.py`` and moodoki/semantic_image_inpainting
    ``src/inpaint.py``, ``--maskType left``) and of ``gan_papers.face_completion.evaluate``.
    For an odd side length the missing half is the smaller one (``width // 2`` columns or
    ``height // 2`` rows).
    """
    height, width = _check_size(size)
    batch = check_positive_int(batch, "batch")
    seed = check_seed(seed)
    check_choice(side, "side", (*HALF_SIDES, "random"))
    holes = []
    for rng in _rngs(batch, seed):
        this_side = HALF_SIDES[rng.integers(len(HALF_SIDES))] if side == "random" else side
        hole = np.zeros((height, width), dtype=bool)
        if this_side == "left":
            hole[:, : width // 2] = True
        elif this_side == "right":
            hole[:, width - width // 2 :] = True
        elif this_side == "top":
            hole[: height // 2, :] = True
        else:
            hole[height - height // 2 :, :] = True
        holes.append(hole)
    return _stack(holes)


def random_box_mask(size, batch=1, seed=0, min_frac=0.25, max_frac=0.5, box_size=None):
    """One rectangular hole per image at a uniformly random position inside the image.

    Without ``box_size``, the hole's height and width are drawn independently and uniformly among the
    integers from ``round(min_frac * side)`` to ``round(max_frac * side)`` (fractions of the image's
    sides, not of its area). ``box_size`` (an int or a ``(height, width)`` pair) fixes the hole's size
    instead: Li et al. 2017 train with ``box_size=64`` in 128x128 faces.
    """
    height, width = _check_size(size)
    batch = check_positive_int(batch, "batch")
    seed = check_seed(seed)
    if box_size is None:
        min_frac = _check_fraction(min_frac, "min_frac", high_inclusive=True)
        max_frac = _check_fraction(max_frac, "max_frac", high_inclusive=True)
        if min_frac > max_frac:
            raise ValueError(
                f"`min_frac` must not exceed `max_frac`; received min_frac={min_frac} "
                f"and max_frac={max_frac}."
            )
        limits_h = (max(1, round(min_frac * height)), max(1, round(max_frac * height)))
        limits_w = (max(1, round(min_frac * width)), max(1, round(max_frac * width)))
    else:
        try:
            box_h, box_w = _check_size(box_size)
        except ValueError:
            raise ValueError(
                f"`box_size` must be a positive int or a (height, width) pair; received {box_size!r}."
            ) from None
        if box_h > height or box_w > width:
            raise ValueError(
                f"`box_size` must fit in the image; received box {box_h}x{box_w} "
                f"for images of {height}x{width}."
            )
        limits_h, limits_w = (box_h, box_h), (box_w, box_w)
    holes = []
    for rng in _rngs(batch, seed):
        box_h = int(rng.integers(limits_h[0], limits_h[1] + 1))
        box_w = int(rng.integers(limits_w[0], limits_w[1] + 1))
        top = int(rng.integers(0, height - box_h + 1))
        left = int(rng.integers(0, width - box_w + 1))
        hole = np.zeros((height, width), dtype=bool)
        hole[top : top + box_h, left : left + box_w] = True
        holes.append(hole)
    return _stack(holes)


MASK_TYPES = {
    "center": center_mask,
    "random_pattern": random_pattern_mask,
    "random_pixel": random_pixel_mask,
    "half": half_mask,
    "random_box": random_box_mask,
}


def make_masks(kind, size, batch=1, seed=0, **kwargs):
    """Masks of type ``kind`` (a key of ``MASK_TYPES``); extra keyword arguments go to its function.

    The centre mask is not random and ignores ``seed``.
    """
    check_choice(kind, "kind", MASK_TYPES)
    if kind == "center":
        check_seed(seed)
        return center_mask(size, batch, **kwargs)
    return MASK_TYPES[kind](size, batch, seed=seed, **kwargs)


def check_mask(mask, name="mask", like=None):
    """Raise ``ValueError`` unless ``mask`` is a valid (B, H, W, 1) float mask of zeros and ones.

    Values are checked only when ``mask`` is concrete (NumPy or eager); inside a traced function only
    the static shape is. With ``like`` (an image batch), the mask's height and width must equal its.
    Returns the mask's shape.
    """
    shape = check_rank(mask, name, 4, layout="batch, height, width, 1")
    check_not_empty(mask, name)
    if shape[-1] is not None and shape[-1] != 1:
        raise ValueError(f"`{name}` must have 1 channel in its last axis; received shape {shape}.")
    check_float(mask, name)
    if _is_concrete(mask):
        values = np.asarray(mask)
        bad = ~((values == 0) | (values == 1))
        if bad.any():
            raise ValueError(
                f"`{name}` must be binary (1 = known, 0 = missing); received non-binary values, "
                f"e.g. {float(values[bad].flat[0])} ({int(bad.sum())} of {values.size})."
            )
    if like is not None:
        like_shape = _shape(like)
        for axis in (1, 2):
            if len(like_shape) != 4 or (
                shape[axis] is not None
                and like_shape[axis] is not None
                and shape[axis] != like_shape[axis]
            ):
                raise ValueError(
                    f"`{name}` must have the same height and width as the images; received "
                    f"`{name}` of shape {shape} for images of shape {like_shape}."
                )
    return shape


def check_images_and_masks(images, masks, image_shape, name="images", item="image"):
    """Raise ``ValueError`` unless ``images`` (B, *image_shape) in [-1, 1] and ``masks`` (B, H, W, 1)
    of 0/1 are what a generator of ``image_shape`` completes: one mask per image, of its size.

    ``name`` and ``item`` word the messages (``"faces"`` / ``"face"`` for face completion)."""
    check_image_batch(images, name)
    check_mask(masks, "masks", like=images)
    if tuple(np.shape(images)[1:]) != tuple(image_shape):
        raise ValueError(
            f"`{name}` must be of the generator's size {tuple(image_shape)}; received shape "
            f"{tuple(np.shape(images))}."
        )
    if np.shape(masks)[0] != np.shape(images)[0]:
        raise ValueError(
            f"`masks` must have one mask per {item}; received {np.shape(masks)[0]} masks for "
            f"{np.shape(images)[0]} {item}s."
        )
