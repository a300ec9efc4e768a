"""Pictures of voxel shapes for the 3D-GAN notebook (Wu et al. 2016 show shapes as rendered
surfaces): matplotlib's cube voxels, a marching-cubes surface, and grids of either.

Axes follow ``gan_papers.data.shapes``: a grid is (depth, height, width), drawn with height up and
depth index 0 (the side an object faces) towards the viewer's default azimuth. Every function
returns the ``Figure``; with ``ax`` given it draws into that 3-D axes.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

from gan_papers.common.validation import check_positive_int
from gan_papers.gan3d.mesh import voxel_mesh
from gan_papers.gan3d.voxels import check_threshold, check_voxels, squeeze_grid

KINDS = ("voxels", "mesh")


def upright(grid):
    """A (depth, height, width) grid as (x, y, z) = (width, depth, height), z up, for ``Axes3D``."""
    return np.moveaxis(grid, (0, 1, 2), (1, 2, 0))


def _axes(ax, resolution, title):
    if ax is None:
        fig = plt.figure(figsize=(4, 4))
        ax = fig.add_subplot(projection="3d")
    elif getattr(ax, "name", None) != "3d":
        raise ValueError(
            "`ax` must be a 3-D axes (fig.add_subplot(projection='3d')); received "
            f"{type(ax).__name__}."
        )
    for set_lim in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
        set_lim(0, resolution)
    ax.set_box_aspect((1, 1, 1))
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title, fontsize=9)
    return ax


def plot_voxels(voxels, threshold=0.5, ax=None, color="tab:blue", title=None):
    """Draw the voxels with occupancy > ``threshold`` as cubes (matplotlib's ``Axes3D.voxels``).

    Args:
        voxels: one grid (R, R, R), (R, R, R, 1) or (1, R, R, R, 1), values in [0, 1].
        threshold: occupancy above which a voxel is drawn, in (0, 1).
        ax: a 3-D axes to draw into; ``None``: a new figure.
        color: the cubes' colour.
        title: the axes' title.
    """
    grid = squeeze_grid(voxels, "voxels")
    filled = upright(grid > check_threshold(threshold))
    ax = _axes(ax, grid.shape[0], title)
    if filled.any():
        ax.voxels(filled, facecolors=color, edgecolor="k", linewidth=0.1)
    return ax.figure


def plot_mesh(voxels, threshold=0.5, ax=None, color="tab:blue", title=None):
    """Draw the marching-cubes surface of ``voxels`` at ``threshold`` (``voxel_mesh``), shaded.

    Smoother than ``plot_voxels`` and faster for 64^3 grids. Arguments as in ``plot_voxels``.
    """
    grid = squeeze_grid(voxels, "voxels")
    vertices, faces = voxel_mesh(grid, threshold)
    ax = _axes(ax, grid.shape[0], title)
    if len(faces):
        # Model (x, y up, z depth) -> plot (x, y = depth, z = up).
        x, y, z = vertices[:, 0], vertices[:, 2], vertices[:, 1]
        ax.plot_trisurf(x, y, z, triangles=faces, color=color, linewidth=0, shade=True)
    return ax.figure


def plot_shapes(voxels, titles=None, ncols=4, kind="mesh", threshold=0.5, size=2.5):
    """A grid of shapes, e.g. samples of G or an interpolation row: a ``Figure``.

    Args:
        voxels: a batch (N, R, R, R, 1) in [0, 1].
        titles: N titles or ``None``.
        ncols: shapes per row.
        kind: ``"mesh"`` (``plot_mesh``) or ``"voxels"`` (``plot_voxels``).
        threshold: the occupancy level, in (0, 1).
        size: inches per shape.
    """
    voxels = check_voxels(voxels, "voxels")
    ncols = check_positive_int(ncols, "ncols")
    if kind not in KINDS:
        raise ValueError(f"`kind` must be one of {list(KINDS)}; received {kind!r}.")
    n = len(voxels)
    if titles is not None and len(titles) != n:
        raise ValueError(f"`titles` must have one title per shape ({n}); received {len(titles)}.")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig = plt.figure(figsize=(size * ncols, size * nrows))
    draw = plot_mesh if kind == "mesh" else plot_voxels
    for i in range(n):
        ax = fig.add_subplot(nrows, ncols, i + 1, projection="3d")
        draw(voxels[i], threshold, ax=ax, title=None if titles is None else str(titles[i]))
    fig.tight_layout()
    return fig
