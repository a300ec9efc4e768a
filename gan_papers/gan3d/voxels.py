"""Checks for voxel grids, the data of Wu et al. 2016 (Section 4: ShapeNet objects as 64^3 occupancy
grids).

The package's layout is (B, D, H, W, 1) float32 with 1 = occupied, 0 = empty (DESIGN.md). A
generator's output is an occupancy *probability* in [0, 1]; real shapes are binary. These checks run
on concrete values (NumPy or eager tensors) and raise ``ValueError`` naming the argument.
"""

import numpy as np

from gan_papers.common.validation import check_float, check_not_empty, check_range


def to_numpy(x):
    """A NumPy view of ``x`` (NumPy array, list or eager tensor)."""
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def check_voxels(voxels, name, resolution=None, binary=False, batched=True):
    """Check a voxel grid and return it as a float32 NumPy array.

    Args:
        voxels: (B, R, R, R, 1) if ``batched`` else (R, R, R) or (R, R, R, 1).
        name: the argument's name, for the error message.
        resolution: the side R it must have (``None``: any cube).
        binary: require values in {0, 1} (real shapes); otherwise values in [0, 1] (probabilities).
        batched: whether a batch axis is expected.
    """
    array = to_numpy(voxels)
    shape = tuple(array.shape)
    if batched:
        layout = "(batch, R, R, R, 1)"
        ok = len(shape) == 5 and shape[-1] == 1
        sides = shape[1:4] if ok else ()
    else:
        layout = "(R, R, R) or (R, R, R, 1)"
        ok = len(shape) == 3 or (len(shape) == 4 and shape[-1] == 1)
        sides = shape[:3] if ok else ()
    if not ok:
        raise ValueError(
            f"`{name}` must be a voxel grid of shape {layout}; received shape {shape}."
        )
    check_not_empty(array, name)
    if len(set(sides)) != 1 or (resolution is not None and sides[0] != resolution):
        expected = f"{resolution}^3" if resolution is not None else "a cube (R, R, R)"
        raise ValueError(f"`{name}` must have {expected} voxels; received shape {shape}.")
    if array.dtype == bool:
        array = array.astype("float32")
    check_float(array, name)
    check_range(array, name, 0.0, 1.0, tolerance=0.0)
    if binary and not np.all((array == 0) | (array == 1)):
        values = np.unique(array[(array != 0) & (array != 1)])[:3]
        raise ValueError(
            f"`{name}` must be binary occupancy (values 0 and 1 only); received other values, e.g. "
            f"{values.tolist()}. Threshold probabilities first (e.g. `voxels > 0.5`)."
        )
    return array.astype("float32", copy=False)


def squeeze_grid(voxels, name, binary=False):
    """One grid (R, R, R) from (R, R, R), (R, R, R, 1) or a batch of one (1, R, R, R, 1)."""
    array = to_numpy(voxels)
    if array.ndim == 5 and array.shape[0] == 1:
        array = array[0]
    grid = check_voxels(array, name, binary=binary, batched=False)
    return grid[..., 0] if grid.ndim == 4 else grid


def check_threshold(threshold):
    """An occupancy level in (0, 1), as a float."""
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(
            f"`threshold` must be a number in (0, 1); received {threshold!r}."
        ) from None
    if not 0.0 < threshold < 1.0:
        raise ValueError(
            f"`threshold` must be in (0, 1) (an occupancy level); received {threshold}."
        )
    return threshold
