"""Procedural 3-D shapes: classes and labels, shapes and values, determinism by (seed, index), placement
in the grid (upright, centred, on the floor, largest side 1 - 2 * PADDING), connected objects, the same
object at every resolution, variation within a class, rendered views (silhouettes against the grid,
shading, depth), bad input, and the tf.data pipeline."""

import numpy as np
import pytest
from scipy import ndimage

from gan_papers.data.shapes import (
    PADDING,
    SHAPE_CLASSES,
    SHAPE_SPLITS,
    VOXEL_AXES,
    make_shapes,
    render_views,
    shape_dataset,
    upright_xyz,
)

N_CLASSES = len(SHAPE_CLASSES)


@pytest.fixture(scope="module")
def shapes32():
    return make_shapes(np.arange(64), resolution=32)


def extents(grid):
    """``(low, high)`` voxel indices of the occupied box along (depth, height, width)."""
    occupied = np.argwhere(grid)
    return occupied.min(axis=0), occupied.max(axis=0)


def test_classes_splits_and_axes():
    assert len(SHAPE_CLASSES) >= 6 and len(set(SHAPE_CLASSES)) == len(SHAPE_CLASSES)
    assert {"chair", "table", "sofa", "bed", "bookshelf", "lamp"} <= set(SHAPE_CLASSES)
    (a0, a1), (b0, _) = SHAPE_SPLITS["train"], SHAPE_SPLITS["heldout"]
    assert a1 <= b0 and a0 % N_CLASSES == 0 and b0 % N_CLASSES == 0  # disjoint and balanced
    assert VOXEL_AXES == ("depth", "height", "width")


def test_shapes_values_and_balanced_labels(shapes32):
    voxels, labels = shapes32
    assert voxels.shape == (64, 32, 32, 32, 1) and voxels.dtype == np.float32
    assert labels.shape == (64,) and labels.dtype == np.int32
    assert set(np.unique(voxels)) == {0.0, 1.0}
    np.testing.assert_array_equal(labels, np.arange(64) % N_CLASSES)
    fill = voxels.mean(axis=(1, 2, 3, 4))
    assert fill.min() > 0.001 and fill.max() < 0.5  # from a floor lamp to a sofa


def test_deterministic_by_index_and_seed():
    a, labels_a = make_shapes([3, 17, 40], resolution=16, seed=5)
    b, _ = make_shapes([3, 17, 40], resolution=16, seed=5)
    np.testing.assert_array_equal(a, b)
    # An object is the same alone or in any batch.
    batch, labels = make_shapes([40, 2, 3, 9, 17], resolution=16, seed=5)
    np.testing.assert_array_equal(batch[0], a[2])
    np.testing.assert_array_equal(batch[4], a[1])
    np.testing.assert_array_equal(labels[[2, 4, 0]], labels_a)
    other, labels_other = make_shapes([3, 17, 40], resolution=16, seed=6)
    np.testing.assert_array_equal(labels_other, labels_a)  # the class depends on the index only
    assert all(not np.array_equal(other[k], a[k]) for k in range(3))


def test_objects_upright_centred_on_the_floor_and_filling_the_grid(shapes32):
    voxels, labels = shapes32
    floor, side = round(PADDING * 32), round((1 - 2 * PADDING) * 32)
    for grid, label in zip(voxels[..., 0], labels, strict=True):
        low, high = extents(grid)
        size = high - low + 1
        assert low[1] == floor, SHAPE_CLASSES[label]  # standing on the floor layer
        assert size.max() == side and np.all(size <= side)  # the largest side spans 28 voxels
        # Centred across depth and width (within the half voxel an odd size leaves).
        for axis in (0, 2):
            assert abs((low[axis] + high[axis] + 1) / 2 - 16) <= 0.5
    # Upright: tall classes are taller than wide, flat ones the other way round, on average.
    height = {name: [] for name in SHAPE_CLASSES}
    for grid, label in zip(voxels[..., 0], labels, strict=True):
        low, high = extents(grid)
        height[SHAPE_CLASSES[label]].append((high - low)[1] / (high - low)[[0, 2]].max())
    assert np.mean(height["lamp"]) > 1.5 and np.mean(height["chair"]) > 1.0
    assert np.mean(height["bed"]) < 0.8 and np.mean(height["bathtub"]) < 0.8


@pytest.mark.parametrize("resolution", [16, 32, 64])
def test_every_object_is_one_connected_piece(resolution):
    indices = np.arange(40) + 1000 * resolution
    voxels, labels = make_shapes(indices, resolution=resolution)
    for grid, label in zip(voxels[..., 0], labels, strict=True):
        _, pieces = ndimage.label(grid, structure=np.ones((3, 3, 3)))
        assert pieces == 1, f"{SHAPE_CLASSES[label]} falls apart into {pieces} pieces"


def test_the_same_object_at_every_resolution():
    fine, _ = make_shapes(np.arange(24), resolution=64)
    coarse, _ = make_shapes(np.arange(24), resolution=32)
    # 2x2x2 blocks of the 64^3 grid, at least half occupied, against the 32^3 grid.
    pooled = fine[..., 0].reshape(24, 32, 2, 32, 2, 32, 2).mean(axis=(2, 4, 6)) >= 0.5
    both = (pooled & (coarse[..., 0] > 0)).sum(axis=(1, 2, 3))
    either = (pooled | (coarse[..., 0] > 0)).sum(axis=(1, 2, 3))
    # About 0.8 on average; thin parts, widened to one voxel at 32^3, lower it to about 0.5.
    assert np.mean(both / either) > 0.7 and np.min(both / either) > 0.4
    other = np.roll(coarse[..., 0] > 0, 1, axis=0)  # another object of the next class
    assert (
        np.mean((pooled & other).sum(axis=(1, 2, 3)) / (pooled | other).sum(axis=(1, 2, 3))) < 0.2
    )


def test_objects_vary_within_a_class():
    indices = np.arange(16) * N_CLASSES
    for label in range(N_CLASSES):
        voxels, labels = make_shapes(indices + label, resolution=32)
        assert np.all(labels == label)
        grids = voxels[..., 0].reshape(16, -1) > 0
        iou = (grids[:, None] & grids[None]).sum(-1) / (grids[:, None] | grids[None]).sum(-1)
        off_diagonal = iou[~np.eye(16, dtype=bool)]
        assert off_diagonal.mean() < 0.6, SHAPE_CLASSES[label]
        sizes = np.array([np.subtract(*extents(g)[::-1]) for g in voxels[..., 0]])
        assert sizes.std(axis=0).max() > 1.5, SHAPE_CLASSES[label]  # proportions change too


def test_a_linear_model_on_raw_voxels_tells_the_classes_apart():
    from sklearn.svm import LinearSVC

    train, train_labels = make_shapes(np.arange(240), resolution=32)
    test, test_labels = make_shapes(np.arange(1_000_000, 1_000_160), resolution=32)

    def pooled(v):
        return v[..., 0].reshape(len(v), 8, 4, 8, 4, 8, 4).mean(axis=(2, 4, 6)).reshape(len(v), -1)

    model = LinearSVC(C=0.1, max_iter=5000).fit(pooled(train), train_labels)
    assert (model.predict(pooled(test)) == test_labels).mean() > 0.75  # chance is 1/8


def test_upright_xyz_orders_axes_for_matplotlib():
    grid = np.zeros((1, 4, 5, 6, 1), np.float32)
    grid[0, 1, 2, 3, 0] = 1.0  # depth 1, height 2, width 3
    xyz = upright_xyz(grid)
    assert xyz.shape == (1, 6, 4, 5) and xyz.dtype == bool
    assert np.argwhere(xyz[0]).tolist() == [[3, 1, 2]]  # x = width, y = depth, z = height
    assert upright_xyz(grid[0, ..., 0]).shape == (6, 4, 5)
    with pytest.raises(ValueError, match="voxels"):
        upright_xyz(np.zeros((4, 4)))


# --------------------------------------------------------------------------------------------
# Rendered views
# --------------------------------------------------------------------------------------------


def test_views_shape_range_and_background(shapes32):
    voxels, _ = shapes32
    views = render_views(voxels[:8], size=48)
    assert views.shape == (8, 48, 48, 1) and views.dtype == np.float32
    assert views.min() == -1.0 and views.max() <= 1.0
    drawn = (views > -1.0).mean(axis=(1, 2, 3))
    assert np.all(drawn > 0.01) and np.all(drawn < 0.8)
    assert np.all(render_views(np.zeros((2, 16, 16, 16, 1)), size=16) == -1.0)
    rgb = render_views(voxels[:2], size=32, channels=3)
    assert rgb.shape == (2, 32, 32, 3)
    np.testing.assert_array_equal(rgb[..., 0], rgb[..., 2])
    np.testing.assert_array_equal(rgb[..., :1], render_views(voxels[:2], size=32))
    # Occupancy probabilities render above the threshold only.
    assert np.all(render_views(voxels[:2] * 0.4, size=16) == -1.0)
    np.testing.assert_array_equal(
        render_views(voxels[:2] * 0.6, size=16), render_views(voxels[:2], size=16)
    )


@pytest.mark.parametrize(
    ("azimuth", "elevation", "silhouette"),
    [
        # From the front: rows = height (top first), columns = width.
        (0.0, 0.0, lambda g: g.any(axis=0)[::-1, :]),
        # From the right side: columns run from front to back.
        (90.0, 0.0, lambda g: g.any(axis=2).T[::-1, :]),
        # From above: rows run from back (top of the image) to front, columns = width.
        (0.0, 90.0, lambda g: g.any(axis=1)[::-1, :]),
    ],
)
def test_axis_views_are_the_grids_silhouettes(shapes32, azimuth, elevation, silhouette):
    voxels, _ = shapes32
    # At size = R, pixel centres look down the voxel centres' lines exactly.
    views = render_views(voxels[:16], size=32, azimuth=azimuth, elevation=elevation)
    for view, grid in zip(views[..., 0], voxels[:16, ..., 0] > 0, strict=True):
        np.testing.assert_array_equal(view > -1.0, silhouette(grid))


def test_shading_tells_faces_apart_and_darkens_with_depth():
    cube = np.zeros((1, 16, 16, 16, 1), np.float32)
    cube[0, 4:12, 4:12, 4:12] = 1.0
    view = render_views(cube, size=64)[0, ..., 0]
    levels = np.unique(np.round(view[view > -1.0], 2))
    # Three faces seen (top, front, right side), each flat apart from the depth cue.
    assert len(np.unique(np.round(view[view > -1.0], 1))) >= 3
    assert levels.min() > -0.8
    # Two equal slabs seen from the front: the nearer one is brighter.
    slabs = np.zeros((1, 16, 16, 16, 1), np.float32)
    slabs[0, 2, 2:8, 2:8] = 1.0  # near, left
    slabs[0, 13, 2:8, 9:14] = 1.0  # far, right
    front = render_views(slabs, size=16, azimuth=0.0, elevation=0.0)[0, ..., 0]
    near, far = front[10, 4], front[10, 11]
    assert near > far > -1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"voxels": np.zeros((2, 8, 8, 8))}, "voxels"),
        ({"voxels": np.zeros((2, 8, 8, 4, 1))}, "voxels"),
        ({"voxels": np.full((1, 8, 8, 8, 1), np.nan)}, "voxels"),
        ({"voxels": np.zeros((0, 8, 8, 8, 1))}, "voxels"),
        ({"size": 8}, "size"),
        ({"size": 32.0}, "size"),
        ({"channels": 2}, "channels"),
        ({"elevation": 100.0}, "elevation"),
        ({"azimuth": "front"}, "azimuth"),
        ({"azimuth": float("inf")}, "azimuth"),
    ],
)
def test_views_bad_arguments_raise(kwargs, match):
    arguments = {"voxels": np.zeros((1, 8, 8, 8, 1))} | kwargs
    with pytest.raises(ValueError, match=match):
        render_views(**arguments)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"indices": [0], "resolution": 15}, "resolution"),
        ({"indices": [0], "resolution": 32.0}, "resolution"),
        ({"indices": [0], "resolution": False}, "resolution"),
        ({"indices": [4, -1]}, "non-negative"),
        ({"indices": np.zeros((2, 2), int)}, "1-D"),
        ({"indices": [1.5]}, "integer"),
        ({"indices": []}, "empty"),
        ({"indices": 3, "seed": -1}, "seed"),
        ({"indices": 3, "seed": 1.0}, "seed"),
    ],
)
def test_make_shapes_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_shapes(**kwargs)


# --------------------------------------------------------------------------------------------
# tf.data
# --------------------------------------------------------------------------------------------


def test_dataset_batches_equal_make_shapes_with_static_shapes():
    dataset = shape_dataset(batch_size=4, resolution=16, seed=2, split="heldout", start=3, count=8)
    assert tuple(dataset.element_spec.shape) == (4, 16, 16, 16, 1)
    batches = [b.numpy() for b in dataset.take(3)]
    first = SHAPE_SPLITS["heldout"][0] + 3
    expected, _ = make_shapes(np.arange(first, first + 8), resolution=16, seed=2)
    np.testing.assert_array_equal(batches[0], expected[:4])
    np.testing.assert_array_equal(batches[1], expected[4:])
    np.testing.assert_array_equal(batches[2], expected[:4])  # repeat=True starts over


def test_dataset_with_labels_and_views_in_order():
    dataset = shape_dataset(
        batch_size=3,
        resolution=16,
        split=None,
        start=5,
        count=7,
        with_labels=True,
        with_views=True,
        view_size=24,
        view_channels=3,
        repeat=False,
    )
    specs = dataset.element_spec
    assert [tuple(s.shape) for s in specs] == [(3, 16, 16, 16, 1), (3,), (3, 24, 24, 3)]
    batches = list(dataset)
    assert len(batches) == 2  # the last, incomplete batch is dropped
    voxels, labels = make_shapes(np.arange(5, 11), resolution=16)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), voxels)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), labels)
    views = render_views(voxels, size=24, channels=3)
    np.testing.assert_array_equal(np.concatenate([b[2] for b in batches]), views)
    only_views = shape_dataset(batch_size=2, resolution=16, with_views=True, view_size=16)
    assert [tuple(s.shape) for s in only_views.element_spec] == [(2, 16, 16, 16, 1), (2, 16, 16, 1)]
    partial = shape_dataset(
        batch_size=3, resolution=16, split=None, count=7, repeat=False, drop_remainder=False
    )
    assert partial.element_spec.shape[0] is None
    assert [len(b) for b in partial] == [3, 3, 1]


def test_dataset_shuffle_is_a_seeded_permutation():
    def labels(seed):
        dataset = shape_dataset(
            batch_size=8,
            resolution=16,
            seed=seed,
            split=None,
            count=32,
            with_labels=True,
            shuffle=True,
            repeat=False,
        )
        return np.concatenate([b[1].numpy() for b in dataset])

    a, b = labels(0), labels(0)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, np.arange(32) % N_CLASSES)
    assert np.bincount(a).tolist() == [4] * N_CLASSES  # the same 32 objects


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"split": "valid"}, "split"),
        ({"resolution": 12}, "resolution"),
        ({"batch_size": -2}, "batch_size"),
        ({"start": 3.0}, "start"),
        ({"split": "heldout", "start": 9_997, "count": 4}, "within split 'heldout'"),
        ({"seed": 2.5}, "seed"),
        ({"count": 5, "split": None, "start": 0, "shuffle": False, "view_size": 4}, None),
        ({"split": None, "shuffle": True}, "bounded range"),
        ({"with_views": True, "view_size": 4}, "size"),
        ({"with_views": True, "view_channels": 4}, "channels"),
    ],
)
def test_dataset_bad_arguments_raise(kwargs, match):
    if match is None:  # view options are checked only when views are asked for
        assert shape_dataset(**kwargs).element_spec.shape[0] == 32
        return
    with pytest.raises(ValueError, match=match):
        shape_dataset(**kwargs)
