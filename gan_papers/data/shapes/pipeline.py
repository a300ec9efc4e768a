"""The procedural objects by index (``make_shapes``) and as a ``tf.data`` pipeline
(``shape_dataset``), with their classes and fixed splits.

Every object is a pure function of ``(seed, index)``: its parameters come from
``np.random.default_rng((seed, index))``, so it is the same alone or in any batch, at any resolution.
"""

import numpy as np

from gan_papers.common.validation import check_positive_int, check_seed
from gan_papers.data.indices import check_indices, index_dataset, index_range
from gan_papers.data.shapes.fixtures import bathtub, bookshelf, lamp, monitor
from gan_papers.data.shapes.furniture import bed, chair, sofa, table
from gan_papers.data.shapes.grid import check_resolution
from gan_papers.data.shapes.parts import Draws, Parts
from gan_papers.data.shapes.raster import rasterise
from gan_papers.data.shapes.render import check_view_options, render_views
from gan_papers.data.tuning import parallel_render

SHAPE_CLASSES = ("chair", "table", "sofa", "bed", "bookshelf", "lamp", "monitor", "bathtub")

# Fixed index ranges [first, stop) of the built-in splits; "heldout" is for evaluation only. Both
# start at a multiple of len(SHAPE_CLASSES), so both are balanced.
SHAPE_SPLITS = {"train": (0, 1_000_000), "heldout": (1_000_000, 1_010_000)}

# Uniform numbers drawn per object, all of them and always in the same order.
_N_UNIFORM = 64

_BUILDERS = (chair, table, sofa, bed, bookshelf, lamp, monitor, bathtub)


def _build(index, seed):
    """The parts of object ``index`` and its class."""
    label = int(index) % len(SHAPE_CLASSES)
    u = np.random.default_rng((seed, int(index))).random(_N_UNIFORM)
    parts = Parts()
    _BUILDERS[label](parts, Draws(u.tolist()))
    return parts, label


def make_shapes(indices, resolution=32, seed=0):
    """Objects ``indices`` of the procedural family ``seed``, voxelised, with their classes.

    Args:
        indices: int or 1-D sequence of non-negative ints; object ``i`` is of class
            ``SHAPE_CLASSES[i % 8]`` and is the same whatever else is made with it.
        resolution: voxels per side (an int >= 16; 3D-GAN uses 64, its CPU variant 32). The same
            objects at every resolution.
        seed: non-negative int choosing the family of objects.

    Returns:
        ``(voxels, labels)``: float32 (N, R, R, R, 1) in {0, 1}, axes (depth, height, width) (see
        ``gan_papers.data.shapes.grid``), and int32 (N,) indices into ``SHAPE_CLASSES``.
    """
    resolution = check_resolution(resolution)
    seed = check_seed(seed)
    indices = check_indices(indices)
    voxels = np.zeros((len(indices), resolution, resolution, resolution, 1), dtype=np.float32)
    labels = np.empty(len(indices), dtype=np.int32)
    for n, index in enumerate(indices):
        parts, labels[n] = _build(index, seed)
        voxels[n, ..., 0] = rasterise(parts, resolution)
    return voxels, labels


def shape_dataset(
    batch_size=32,
    resolution=32,
    seed=0,
    split="train",
    start=0,
    count=None,
    with_labels=False,
    with_views=False,
    view_size=64,
    azimuth=30.0,
    elevation=20.0,
    view_channels=1,
    repeat=True,
    shuffle=False,
    drop_remainder=True,
):
    """A ``tf.data.Dataset`` of procedural object batches, voxelised (and rendered) on the fly.

    Args:
        batch_size: objects per batch.
        resolution: voxels per side (>= 16).
        seed: the family of objects (see ``make_shapes``).
        split: a key of ``SHAPE_SPLITS`` ("train" or "heldout"), whose index range is used; or None
            for the indices ``start, start + 1, ...`` with no upper end.
        start: first index, counted from the beginning of ``split``.
        count: number of objects (default: to the end of the split; unbounded without a split).
        with_labels: add the int32 class labels (batch,).
        with_views: add rendered views (batch, view_size, view_size, view_channels) in [-1, 1]
            (``render_views`` with ``azimuth``, ``elevation``).
        repeat: start over after ``count`` objects, forever.
        shuffle: shuffle the indices (a buffer of up to 10,000, seeded by ``seed``, a new order each
            pass). Off by default: objects are independent draws and consecutive indices already
            cycle through the classes.
        drop_remainder: drop a last, smaller batch so that the batch dimension is static.

    Returns:
        Batches of float32 voxels (batch, R, R, R, 1) in {0, 1}; with ``with_labels`` and/or
        ``with_views`` a tuple ``(voxels, labels)``, ``(voxels, views)`` or
        ``(voxels, labels, views)``, in that order. The order is deterministic.
    """
    import tensorflow as tf

    batch_size = check_positive_int(batch_size, "batch_size")
    resolution = check_resolution(resolution)
    seed = check_seed(seed)
    if with_views:
        view_size, azimuth, elevation = check_view_options(
            view_size, azimuth, elevation, view_channels
        )
    first, stop = index_range(SHAPE_SPLITS, split, start, count, "objects")
    indices = index_dataset(first, stop, shuffle, repeat, seed)
    batch = batch_size if drop_remainder else None

    def make(index_batch):
        voxels, labels = make_shapes(index_batch, resolution=resolution, seed=seed)
        if not with_views:
            return voxels, labels
        views = render_views(voxels, view_size, azimuth, elevation, view_channels)
        return voxels, labels, views

    def build(index_batch):
        dtypes = [tf.float32, tf.int32] + ([tf.float32] if with_views else [])
        outputs = tf.numpy_function(make, [index_batch], dtypes, stateful=False)
        outputs[0].set_shape((batch, resolution, resolution, resolution, 1))
        outputs[1].set_shape((batch,))
        if with_views:
            outputs[2].set_shape((batch, view_size, view_size, view_channels))
        chosen = [outputs[0]]
        chosen += [outputs[1]] if with_labels else []
        chosen += [outputs[2]] if with_views else []
        return chosen[0] if len(chosen) == 1 else tuple(chosen)

    dataset = indices.batch(batch_size, drop_remainder=drop_remainder)
    return parallel_render(dataset, build)
