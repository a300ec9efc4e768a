"""Rasterisation of an object's parts into an occupancy grid, fitted to the grid as
``gan_papers.data.shapes.grid`` describes.

**Rasterisation.** Every part is a solid in continuous coordinates; a voxel is occupied when its
centre lies inside a part, so an object at 32^3 and at 64^3 is the same object sampled more or less
finely. A part thinner than one voxel still fills the layer of voxels containing its middle (a
box's side is widened to one voxel, a radius to 0.71 voxel), so that thin legs and poles do not
vanish at 32^3, and the wall of a tube (an oval bathtub) keeps at least one voxel.
"""

import math

import numpy as np

from gan_papers.data.shapes.grid import PADDING
from gan_papers.data.shapes.parts import part_box

# The smallest radius kept, in voxels: a disc of radius 1/sqrt(2) around any point covers a voxel centre.
_MIN_RADIUS = 0.71


def _index_range(lo, hi, resolution):
    """Voxels ``[start, stop)`` whose centre ``i + 0.5`` lies in [lo, hi) (voxel units); a range
    thinner than one voxel is widened to one voxel around its middle."""
    if hi - lo < 1.0:
        middle = 0.5 * (lo + hi)
        lo, hi = middle - 0.5, middle + 0.5
    return max(math.ceil(lo - 0.5), 0), min(math.ceil(hi - 0.5), resolution)


def rasterise(parts, resolution):
    """Occupancy (R, R, R) bool, axes (depth, height, width), of the parts fitted into the grid."""
    low, high = parts.bounds()
    scale = (1.0 - 2.0 * PADDING) * resolution / float(np.max(high - low))
    # Model -> voxel units: centred across x and z, standing on the floor layer.
    offset = np.array(
        [
            resolution / 2 - scale * (low[0] + high[0]) / 2,
            PADDING * resolution - scale * low[1],
            resolution / 2 - scale * (low[2] + high[2]) / 2,
        ]
    )
    grid = np.zeros((resolution,) * 3, dtype=bool)
    for kind, lo, hi, extra in parts.items:
        # Array axes are (z, y, x): reverse the model's (x, y, z).
        lo = (np.asarray(lo) * scale + offset)[::-1]
        hi = (np.asarray(hi) * scale + offset)[::-1]
        if kind == "ell":
            extra = tuple(np.asarray(extra) * scale + offset[1])
        box_lo, box_hi = part_box(kind, lo, hi, extra, axes=(2, 1, 0))
        window = tuple(slice(*_index_range(box_lo[k], box_hi[k], resolution)) for k in range(3))
        if any(s.start >= s.stop for s in window):
            continue
        if kind == "box":
            grid[window] = True
            continue
        centres = [
            (np.arange(s.start, s.stop, dtype=np.float64) + 0.5).reshape(
                [-1 if k == j else 1 for j in range(3)]
            )
            for k, s in enumerate(window)
        ]
        centre, half = (lo + hi) / 2, (hi - lo) / 2
        if kind == "cyl":
            axis, taper, wall = 2 - extra[0], extra[1], extra[2]
            along = np.clip((centres[axis] - lo[axis]) / max(hi[axis] - lo[axis], 1e-9), 0, 1)
            size = 1.0 + (taper - 1.0) * along
            across = [k for k in range(3) if k != axis]
            offsets = [centres[k] - centre[k] for k in across]
            radii = [np.maximum(half[k] * size, _MIN_RADIUS) for k in across]
            mask = (offsets[0] / radii[0]) ** 2 + (offsets[1] / radii[1]) ** 2 <= 1.0
            if wall is not None:
                # A tube: outside the inner ellipse, whose radii are at least one voxel smaller.
                thick = max(wall * scale, 1.0)
                inner = [np.maximum(r - thick, 1e-9) for r in radii]
                mask &= (offsets[0] / inner[0]) ** 2 + (offsets[1] / inner[1]) ** 2 > 1.0
        else:
            radius = np.maximum(half, _MIN_RADIUS)
            mask = sum(((centres[k] - centre[k]) / radius[k]) ** 2 for k in range(3)) <= 1.0
        grid[window] |= mask
    return grid
