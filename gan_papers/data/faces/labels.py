"""The 11 parsing classes of the procedural faces, in Helen's order, and pictures of label maps.

Classes (``FACE_CLASSES``, Helen's order)::

    0 background   1 skin   2 left brow   3 right brow   4 left eye   5 right eye
    6 nose   7 upper lip   8 inner mouth   9 lower lip   10 hair

*Left* and *right* are as seen in the picture (image left = smaller column index), not the
subject's own left. A horizontal flip therefore swaps 2 <-> 3 and 4 <-> 5 (``MIRRORED_CLASSES``).
Skin covers the face, the ears and the neck; clothes are background; an eye is the whole visible
eyeball (white, iris, pupil, lash line); the inner mouth includes the teeth; the nose is its whole
shape, nostrils included.
"""

import numpy as np

FACE_CLASSES = (
    "background",
    "skin",
    "left_brow",
    "right_brow",
    "left_eye",
    "right_eye",
    "nose",
    "upper_lip",
    "inner_mouth",
    "lower_lip",
    "hair",
)

# Class index of each class after a horizontal flip of the image (left and right swap).
MIRRORED_CLASSES = (0, 1, 3, 2, 5, 4, 6, 7, 8, 9, 10)

_PALETTE = np.array(
    [
        [0, 0, 0],  # background
        [255, 204, 170],  # skin
        [0, 110, 0],  # left brow
        [120, 220, 60],  # right brow
        [0, 70, 200],  # left eye
        [80, 190, 255],  # right eye
        [230, 150, 0],  # nose
        [220, 30, 60],  # upper lip
        [110, 0, 90],  # inner mouth
        [255, 100, 180],  # lower lip
        [120, 70, 30],  # hair
    ],
    dtype=np.uint8,
)


def label_colors():
    """The fixed palette: uint8 (11, 3), one RGB colour per class of ``FACE_CLASSES``."""
    return _PALETTE.copy()


def colorize_labels(labels):
    """Label map(s) (..., H, W) of ints in 0..10 -> uint8 RGB picture(s) (..., H, W, 3)."""
    if hasattr(labels, "numpy"):
        labels = labels.numpy()
    labels = np.asarray(labels)
    if labels.ndim < 2:
        raise ValueError(
            f"`labels` must have rank >= 2 (..., height, width); received shape {labels.shape}."
        )
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"`labels` must hold integers; received dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= len(FACE_CLASSES)):
        raise ValueError(
            f"`labels` must have values in [0, {len(FACE_CLASSES) - 1}]; received values in "
            f"[{labels.min()}, {labels.max()}]."
        )
    return _PALETTE[labels]
