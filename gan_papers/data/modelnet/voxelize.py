"""Triangle meshes as occupancy grids (``voxelize_mesh``), placed as the procedural shapes are.

**Axes and placement**, as the procedural shapes: ModelNet's meshes are z-up, and the grid's axes
(depth, height, width) are the mesh's (y, z, x), a rotation, not a mirror. Each mesh keeps its
proportions and is scaled so that its largest side spans ``1 - 2 * PADDING`` of the grid (from the
centre of voxel ``PADDING * R`` to the centre of voxel ``R - PADDING * R - 1``: 28 voxels of 32),
centred across width and depth, standing on the floor layer ``PADDING * R``.

**Voxelisation** (``voxelize_mesh``): a voxel is on the surface when a mesh edge passes through it, or
a triangle crosses one of the three axis-parallel segments through its centre (the voxel containing
the crossing point). These are the crossings of the grid's centre lines with the mesh, so a face on
voxel centres (an axis-aligned box) gives exactly the voxels whose centre is inside the box, and the
surface has no gap a 6-connected path of empty voxels could pass through. The inside is then filled
(``scipy.ndimage.binary_fill_holes`` in 3-D): a closed surface becomes a solid, a mesh with a hole
stays a shell. Parts thinner than a voxel still mark the voxels their edges pass through.
"""

import numpy as np

from gan_papers.data.shapes.grid import PADDING, check_resolution

# Distance between surface samples along mesh edges, in voxels: every voxel an edge passes through
# holds a sample.
_EDGE_STEP = 0.5
# Candidate (triangle, grid line) pairs examined at once.
_CHUNK = 1 << 20


def fit_to_grid(vertices, resolution):
    """Mesh vertices (z up) -> voxel coordinates along (depth, height, width): proportions kept,
    the largest side from the centre of voxel ``PADDING * R`` to that of voxel ``R - PADDING * R - 1``,
    centred across, standing on the floor layer."""
    points = np.asarray(vertices, dtype=np.float64)[:, [1, 2, 0]]  # (y, z, x): depth, height, width
    low, high = points.min(axis=0), points.max(axis=0)
    largest = float(np.max(high - low))
    if not largest > 0:
        raise ValueError("`vertices` span no volume: every vertex is at the same point.")
    margin = PADDING * resolution + 0.5
    scale = (resolution - 2 * margin) / largest
    fitted = (points - (low + high) / 2) * scale + resolution / 2
    fitted[:, 1] = (points[:, 1] - low[1]) * scale + margin
    return fitted


def _repeat_ranges(counts):
    """``(owner, k)`` for ``k`` in ``range(counts[owner])``, for every owner, as flat arrays."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def _edge_voxels(points, triangles, resolution):
    """Flat indices of the voxels holding a vertex or a sample every ``_EDGE_STEP`` along an edge."""
    found = [_flat_cells(points[np.unique(triangles)], resolution)]
    a = points[triangles].reshape(-1, 3)
    b = points[np.roll(triangles, -1, axis=1)].reshape(-1, 3)
    # Points inside the edges only: the ends are vertices. Most edges of a fine mesh need none.
    inner = np.ceil(np.linalg.norm(b - a, axis=1) / _EDGE_STEP).astype(np.int64) - 1
    long = inner > 0
    a, b, inner = a[long], b[long], inner[long]
    for first in range(0, len(a), _CHUNK // 16):
        part = slice(first, first + _CHUNK // 16)
        edge, k = _repeat_ranges(inner[part])
        edge += first
        t = ((k + 1) / (inner[edge] + 1))[:, None]
        found.append(_flat_cells(a[edge] + t * (b[edge] - a[edge]), resolution))
    return np.concatenate(found)


def _flat_cells(points, resolution):
    cells = np.clip(np.floor(points).astype(np.int64), 0, resolution - 1)
    return (cells[:, 0] * resolution + cells[:, 1]) * resolution + cells[:, 2]


def _crossing_voxels(corners, resolution, axis):
    """Flat indices of the voxels where triangles cross the grid lines parallel to ``axis`` through
    voxel centres (the crossing point's voxel)."""
    u, v = [k for k in range(3) if k != axis]
    p, q, r = corners[:, 0], corners[:, 1], corners[:, 2]
    # Twice the signed area of the triangle projected along the axis: 0 when the triangle is parallel.
    area = (q[:, u] - p[:, u]) * (r[:, v] - p[:, v]) - (q[:, v] - p[:, v]) * (r[:, u] - p[:, u])
    keep = np.abs(area) > 1e-12
    p, q, r, area = p[keep], q[keep], r[keep], area[keep]
    low = np.minimum(np.minimum(p, q), r)
    high = np.maximum(np.maximum(p, q), r)
    # Grid lines at centres c + 0.5 inside the projected bounding box.
    first = np.ceil(low[:, [u, v]] - 0.5).astype(np.int64)
    last = np.floor(high[:, [u, v]] - 0.5).astype(np.int64)
    span = np.clip(last - first + 1, 0, None)
    counts = span[:, 0] * span[:, 1]
    found = []
    order = np.cumsum(counts)
    start = 0
    while start < len(counts):
        # Triangles whose candidate lines add up to about _CHUNK.
        stop = max(int(np.searchsorted(order, order[start] - counts[start] + _CHUNK)), start + 1)
        tri, k = _repeat_ranges(counts[start:stop])
        tri += start
        cu = first[tri, 0] + k // np.maximum(span[tri, 1], 1) + 0.5
        cv = first[tri, 1] + k % np.maximum(span[tri, 1], 1) + 0.5
        # Barycentric weights of the line's foot in the projected triangle.
        pu, pv = p[tri, u], p[tri, v]
        w1 = ((cu - pu) * (r[tri, v] - pv) - (cv - pv) * (r[tri, u] - pu)) / area[tri]
        w2 = ((q[tri, u] - pu) * (cv - pv) - (q[tri, v] - pv) * (cu - pu)) / area[tri]
        # A line through an edge shared by two triangles counts for both: no line slips between.
        inside = (w1 >= -1e-9) & (w2 >= -1e-9) & (w1 + w2 <= 1 + 1e-9)
        tri, w1, w2 = tri[inside], w1[inside], w2[inside]
        points = np.empty((len(tri), 3))
        points[:, u], points[:, v] = cu[inside], cv[inside]
        points[:, axis] = (
            p[tri, axis] + w1 * (q[tri, axis] - p[tri, axis]) + w2 * (r[tri, axis] - p[tri, axis])
        )
        found.append(_flat_cells(points, resolution))
        start = stop
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def voxelize_mesh(vertices, triangles, resolution=32, fill=True):
    """A triangle mesh as an occupancy grid (see the module docstring for the rule).

    Args:
        vertices: float (V, 3) mesh coordinates, z up (ModelNet's convention).
        triangles: int (F, 3) vertex indices.
        resolution: voxels per side (>= 16).
        fill: fill the inside of closed surfaces (3-D ``binary_fill_holes``); False keeps the shell.

    Returns:
        bool (R, R, R), axes (depth, height, width) = the mesh's (y, z, x).
    """
    from scipy import ndimage

    resolution = check_resolution(resolution)
    vertices = np.asarray(vertices, dtype=np.float64)
    triangles = np.asarray(triangles)
    if vertices.ndim != 2 or vertices.shape[1] != 3 or len(vertices) == 0:
        raise ValueError(f"`vertices` must have shape (V, 3); received shape {vertices.shape}.")
    if not np.all(np.isfinite(vertices)):
        raise ValueError("`vertices` contains NaN or infinite values.")
    if triangles.ndim != 2 or triangles.shape[1] != 3 or len(triangles) == 0:
        raise ValueError(f"`triangles` must have shape (F, 3); received shape {triangles.shape}.")
    if not np.issubdtype(triangles.dtype, np.integer):
        raise ValueError(f"`triangles` must hold integers; received dtype {triangles.dtype}.")
    if triangles.min() < 0 or triangles.max() >= len(vertices):
        raise ValueError(
            f"`triangles` must index `vertices` (0 to {len(vertices) - 1}); received values in "
            f"[{triangles.min()}, {triangles.max()}]."
        )
    used = np.unique(triangles)
    fitted = np.zeros_like(vertices)
    fitted[used] = fit_to_grid(vertices[used], resolution)
    corners = fitted[triangles]  # (F, 3 corners, 3 axes)
    cells = [_edge_voxels(fitted, triangles, resolution)]
    cells += [_crossing_voxels(corners, resolution, axis) for axis in range(3)]
    grid = np.zeros(resolution**3, dtype=bool)
    grid[np.concatenate(cells)] = True
    grid = grid.reshape((resolution,) * 3)
    return ndimage.binary_fill_holes(grid) if fill else grid
