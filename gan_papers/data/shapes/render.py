"""Shaded views of voxel grids from a chosen direction (``render_views``), the input of the
3D-VAE-GAN's image encoder.
"""

import functools
import itertools
import math

import numpy as np

# Shapes rasterised per chunk of ``render_views`` (bounds the (chunk, pixels, steps) temporaries).
_RENDER_CHUNK = 8


def _check_angle(value, name):
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"`{name}` must be a number of degrees; received {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite; received {value!r}.")
    return float(value)


@functools.lru_cache(maxsize=4)
def _camera(resolution, size, azimuth, elevation):
    """The voxels each ray of an orthographic camera passes through, in order, and how it enters them.

    Returns ``(cells, entry, axis, lambert)``: each ray's cells as flat indices (pixels, crossings)
    into the grid padded by one empty layer (cells outside the grid are padding), the distance at
    which the ray enters each cell, the axis (0: depth, 1: height, 2: width) of the face it enters
    through, and Lambert's cosine of a face entered across each axis.
    """
    az, el = math.radians(azimuth), math.radians(elevation)
    # Unit vector from the object to the camera (model x, y, z); azimuth 0 looks at the front, 90
    # at the right side.
    eye = np.array([math.sin(az) * math.cos(el), math.sin(el), -math.cos(az) * math.cos(el)])
    right = np.array([math.cos(az), 0.0, math.sin(az)])
    up = np.cross(right, eye)
    # The image frames the projection of the whole unit cube, the same for every object.
    corners = np.array(list(itertools.product((-0.5, 0.5), repeat=3)))
    half = max(np.abs(corners @ right).max(), np.abs(corners @ up).max())
    across = ((np.arange(size) + 0.5) / size * 2.0 - 1.0) * half
    origins = (
        0.5
        + across[None, :, None] * right
        - across[:, None, None] * up  # row 0 is the top of the image
        + 0.9 * eye  # outside the cube, whose half-diagonal is 0.866
    ).reshape(-1, 3)[:, ::-1]  # grid axes: (depth z, height y, width x)
    direction = -eye[::-1]
    # Where each ray crosses the planes between voxels: sorted, these split it into the segments
    # it spends in one voxel each (exact, unlike sampling the ray at steps).
    planes = np.arange(resolution + 1) / resolution
    with np.errstate(divide="ignore"):
        crossing = (planes[None, None, :] - origins[:, :, None]) / direction[None, :, None]
    crossing = np.where(np.isfinite(crossing) & (crossing > 0), crossing, np.inf)
    crossing = crossing.reshape(len(origins), -1)
    order = np.argsort(crossing, axis=1, kind="stable")
    entry = np.take_along_axis(crossing, order, axis=1)
    axis = (order // (resolution + 1)).astype(np.int8)
    leave = np.concatenate([entry[:, 1:], np.full((len(entry), 1), np.inf)], axis=1)
    middle = np.where(np.isfinite(leave), (entry + leave) / 2, 0.0)
    points = origins[:, None, :] + middle[..., None] * direction
    inner = np.clip(np.floor(points * resolution).astype(np.int64), -1, resolution) + 1
    side = resolution + 2
    cells = (inner[..., 0] * side + inner[..., 1]) * side + inner[..., 2]
    # A ray through an edge or a corner crosses two planes at once: no voxel between them.
    with np.errstate(invalid="ignore"):  # inf - inf past the last crossing
        cells[~(leave - entry > 1e-9)] = 0
    # A light from above the camera's left shoulder; a face entered across axis k faces back
    # along the ray (its normal is -sign(direction[k]) along k). The brightest face gets 1.
    light = (0.6 * eye + up - 0.5 * right)[::-1]
    lambert = np.maximum(-np.sign(direction) * light, 0.0)
    lambert /= lambert.max()
    return cells.astype(np.int32), entry.astype(np.float32), axis, lambert.astype(np.float32)


def _check_views_input(voxels):
    array = np.asarray(voxels.numpy() if hasattr(voxels, "numpy") else voxels)
    shape = array.shape
    if array.ndim != 5 or shape[-1] != 1 or not shape[1] == shape[2] == shape[3]:
        raise ValueError(
            f"`voxels` must be a batch of cubic grids (batch, R, R, R, 1); received shape {shape}."
        )
    if shape[0] == 0 or shape[1] < 2:
        raise ValueError(f"`voxels` must not be empty; received shape {shape}.")
    if array.dtype != bool and not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"`voxels` must be numbers or booleans; received dtype {array.dtype}.")
    if array.dtype != bool and not np.all(np.isfinite(array)):
        raise ValueError("`voxels` contains NaN or infinite values.")
    return array


def check_view_options(size, azimuth, elevation, channels):
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 16:
        raise ValueError(f"`size` must be an integer >= 16; received {size!r}.")
    azimuth, elevation = _check_angle(azimuth, "azimuth"), _check_angle(elevation, "elevation")
    if abs(elevation) > 90:
        raise ValueError(f"`elevation` must be in [-90, 90] degrees; received {elevation!r}.")
    if isinstance(channels, bool) or channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3; received {channels!r}.")
    return int(size), azimuth, elevation


def render_views(voxels, size=64, azimuth=30.0, elevation=20.0, channels=1, threshold=0.5):
    """Shaded images of voxel grids seen from one direction, for the 3D-VAE-GAN's image encoder.

    An orthographic camera looks at the grid's unit cube from ``azimuth`` degrees around the
    vertical axis (0: from the front, 90: from the right side) and ``elevation`` degrees above the
    horizon. Each pixel's ray stops at the first voxel above ``threshold`` (so generated occupancy
    probabilities render too); its brightness is Lambertian shading of the voxel face it enters, under
    a light from above the camera's left shoulder, darkened with depth (a shaded depth image). The
    image frames the whole cube, so every object of a resolution is drawn at the same scale.

    Args:
        voxels: (N, R, R, R, 1) occupancy, axes (depth, height, width) as ``make_shapes`` returns.
        size: image side in pixels (>= 16).
        azimuth, elevation: camera direction in degrees.
        channels: 1 (grey) or 3 (the grey image repeated, for encoders that expect RGB).
        threshold: occupancy above which a voxel is solid.

    Returns:
        float32 (N, size, size, channels) in [-1, 1]: background -1, objects in about [-0.7, 1].
    """
    array = _check_views_input(voxels)
    size, azimuth, elevation = check_view_options(size, azimuth, elevation, channels)
    resolution = array.shape[1]
    cells, entry, axis, lambert = _camera(resolution, size, azimuth, elevation)
    side = resolution + 2
    pixels = np.arange(len(cells))[None, :]
    images = np.empty((len(array), size * size), dtype=np.float32)
    padded = np.zeros((min(len(array), _RENDER_CHUNK), side, side, side), dtype=bool)
    for start in range(0, len(array), _RENDER_CHUNK):
        chunk = array[start : start + _RENDER_CHUNK, ..., 0]
        n = len(chunk)
        padded[:n, 1:-1, 1:-1, 1:-1] = chunk > threshold
        solid = padded[:n].reshape(n, -1)[:, cells]  # (n, pixels, crossings)
        first = solid.argmax(axis=2)
        hit = solid.any(axis=2)
        t = entry[pixels, first]
        depth = np.clip((t - (0.9 - 0.866)) / 1.732, 0.0, 1.0)
        brightness = (0.25 + 0.75 * lambert[axis[pixels, first]]) * (1.0 - 0.4 * depth)
        images[start : start + n] = np.where(hit, brightness * 2.0 - 1.0, -1.0)
    images = images.reshape(len(array), size, size, 1)
    return np.repeat(images, 3, axis=-1) if channels == 3 else images
