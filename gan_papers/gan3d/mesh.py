"""Voxel grids as triangle meshes: marching cubes and OBJ export (how Wu et al. 2016 show shapes,
and how a generated shape reaches a 3-D viewer or printer).

``voxel_mesh`` runs ``skimage.measure.marching_cubes`` (the removed ``marching_cubes_lewiner`` /
``_classic`` of old scikit-image are no longer there) at the iso-level ``threshold`` of an occupancy
grid, after padding it with one empty layer on every side so that a shape touching the border still
gives a closed surface.

Axes follow ``gan_papers.data.shapes``: a grid is (depth, height, width); vertices are returned in
model coordinates (x, y, z) = (width, height, depth) with y up, in voxel units (the voxel
``[k, j, i]`` is centred at (i + 1/2, j + 1/2, k + 1/2)), triangles wound counter-clockwise seen from
outside (normals point out of the shape).
"""

from pathlib import Path

import numpy as np
from skimage import measure

from gan_papers.common.validation import check_positive_number
from gan_papers.gan3d.voxels import check_threshold, squeeze_grid


def voxel_mesh(voxels, threshold=0.5):
    """The surface of ``voxels`` at occupancy ``threshold``: ``(vertices, faces)``.

    Args:
        voxels: one grid (R, R, R), (R, R, R, 1) or (1, R, R, R, 1), values in [0, 1] (binary
            shapes or G's probabilities).
        threshold: the iso-level, in (0, 1).

    Returns:
        ``vertices`` float32 (V, 3) as (x, y, z) = (width, height, depth) in voxel units, and
        ``faces`` int64 (F, 3), indices into ``vertices``. A grid with nothing above ``threshold``
        gives two empty arrays (a generator early in training may make an empty shape).
    """
    grid = squeeze_grid(voxels, "voxels")
    threshold = check_threshold(threshold)
    if not np.any(grid > threshold):
        return np.zeros((0, 3), "float32"), np.zeros((0, 3), "int64")
    padded = np.pad(grid.astype("float32"), 1)
    vertices, faces, _, _ = measure.marching_cubes(padded, level=threshold)
    # Back to voxel units (the padding), then (depth, height, width) -> (x, y, z) = (w, h, d).
    # Reversing the axes is a reflection, which turns marching_cubes' triangles (wound clockwise
    # seen from outside, in index space) counter-clockwise: normals out, as OBJ viewers expect.
    vertices = (vertices - 1.0 + 0.5)[:, ::-1]
    return vertices.astype("float32"), faces.astype("int64")


def export_obj(voxels, path, threshold=0.5, scale=None):
    """Write the surface of ``voxels`` (``voxel_mesh``) to a Wavefront OBJ file.

    Args:
        voxels: one grid, as in ``voxel_mesh``.
        path: the ``.obj`` file to write (its folder must exist).
        threshold: the occupancy iso-level, in (0, 1).
        scale: multiply the vertices by this (e.g. ``1 / R`` for a unit cube); ``None``: voxel units.

    Returns:
        ``(n_vertices, n_faces)`` written. An empty shape writes a file with no vertices.
    """
    vertices, faces = voxel_mesh(voxels, threshold)
    if scale is not None:
        vertices = vertices * check_positive_number(scale, "scale")
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"`path` must be in an existing folder; {path.parent} does not exist.")
    lines = [f"# gan_papers.gan3d: marching cubes at occupancy {threshold}, y up"]
    lines += [f"v {x:.6g} {y:.6g} {z:.6g}" for x, y, z in vertices]
    lines += [f"f {a + 1} {b + 1} {c + 1}" for a, b, c in faces]  # OBJ indices start at 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(vertices), len(faces)
