"""The voxel grid of the procedural shapes: its axes, where an object stands in it, and its
resolution.

**Axes.** A batch of grids is float32 ``(B, D, H, W, 1)``: axis 1 is depth (front to back: index 0 is
the side an object faces), axis 2 is height (index 0 is the floor), axis 3 is width (left to right
as seen from the front). With the grid as the unit cube, x right, y up and z away from the viewer,
the voxel ``[b, k, j, i, 0]`` is the cube ``[i, i + 1] x [j, j + 1] x [k, k + 1] / R``. ModelNet's z-up meshes
map to the same axes (``gan_papers.data.modelnet``); ``upright_xyz`` gives the (x, y, z-up) order of
``matplotlib``'s ``Axes3D.voxels``.

**Placement.** Like ModelNet / ShapeNet voxelisations, each object keeps its proportions and is scaled
so that its largest side spans ``1 - 2 * PADDING`` of the grid (28 of 32 voxels, 56 of 64); it is
centred across width and depth and stands on the floor layer ``PADDING * R`` (layer 2 at 32^3,
4 at 64^3). Objects are upright and face the front (depth index 0): chairs and sofas have their backs
at the rear, beds their headboard.
"""

import numpy as np

MIN_RESOLUTION = 16
# Fraction of the grid left empty on each side of the largest dimension.
PADDING = 1.0 / 16.0
# The names of axes 1, 2, 3 of a voxel batch.
VOXEL_AXES = ("depth", "height", "width")


def check_resolution(resolution, name="resolution"):
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int | np.integer)
        or resolution < MIN_RESOLUTION
    ):
        raise ValueError(
            f"`{name}` must be an integer >= {MIN_RESOLUTION} (32 or 64 for 3D-GAN); "
            f"received {resolution!r}."
        )
    return int(resolution)


def upright_xyz(voxels):
    """A grid or batch (..., D, H, W[, 1]) as bool (..., x, y, z) with z up, the order that
    ``matplotlib``'s ``Axes3D.voxels`` draws upright."""
    array = np.asarray(voxels.numpy() if hasattr(voxels, "numpy") else voxels)
    if array.ndim >= 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim < 3:
        raise ValueError(
            f"`voxels` must have rank >= 3 (..., depth, height, width); received shape {array.shape}."
        )
    # (depth, height, width) = (y, z, x) of a right-handed z-up frame.
    return np.moveaxis(array > 0.5, (-3, -2, -1), (-2, -1, -3))
