"""Shape scores against hand counts: IoU, average precision, and the nearest training shape."""

import numpy as np
import pytest

from gan_papers.gan3d import nearest_shapes, voxel_average_precision, voxel_iou


def grid(*boxes, size=4):
    """A (size, size, size, 1) grid with the given [lo, hi) boxes set to 1."""
    voxels = np.zeros((size, size, size, 1), "float32")
    for lo, hi in boxes:
        voxels[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]] = 1.0
    return voxels


SLAB = grid(((0, 0, 0), (1, 4, 4)))  # 16 voxels
COLUMN = grid(((0, 0, 0), (4, 1, 1)))  # 4 voxels, one shared with SLAB
CUBE = grid(((0, 0, 0), (2, 2, 2)))  # 8 voxels, 4 shared with SLAB, 2 with COLUMN


def test_iou_counts_intersection_over_union():
    predicted = np.stack([SLAB, SLAB * 0.7, SLAB * 0.3, np.zeros_like(SLAB)])
    true = np.stack([COLUMN, CUBE, CUBE, np.zeros_like(SLAB)])
    # 1 / (16 + 4 - 1); 4 / (16 + 8 - 4); nothing predicted above 0.5 against 8; both empty.
    np.testing.assert_allclose(voxel_iou(predicted, true), [1 / 19, 4 / 20, 0.0, 1.0])
    np.testing.assert_allclose(voxel_iou(predicted, true, threshold=0.2)[2], 4 / 20)


def test_average_precision_of_a_perfect_and_of_a_reversed_ranking():
    true = np.stack([CUBE, SLAB])
    assert voxel_average_precision(true * 0.9 + 0.05, true) == pytest.approx(1.0)
    # Every true voxel scored 0, below every false one: the ranking reaches the first true voxel
    # only at recall 1, where the precision is the fraction of true voxels, (8 + 16) / 128.
    assert voxel_average_precision(1 - true, true) == pytest.approx(24 / 128)
    with pytest.raises(ValueError, match="at least one occupied"):
        voxel_average_precision(true, np.zeros_like(true))


@pytest.mark.parametrize("chunk", [1, 2, 512])
def test_nearest_shapes_finds_the_highest_iou_in_any_chunking(chunk):
    training = np.stack([COLUMN, CUBE, SLAB])
    generated = np.stack(
        [SLAB * 0.9, CUBE * 0.6 + COLUMN * 0.3, COLUMN, grid(((3, 3, 3), (4, 4, 4)))]
    )
    index, iou = nearest_shapes(generated, training, chunk=chunk)
    # The cube (0.6 > 0.5) is the cube; the column's best is itself; the far corner voxel touches
    # nothing, so every IoU is 0 and the first shape is kept.
    np.testing.assert_array_equal(index, [2, 1, 0, 0])
    np.testing.assert_allclose(iou, [1.0, 1.0, 1.0, 0.0])
    # Against the other shapes only: the slab's nearest is the cube, 4 / 20 (> the column's 1 / 19).
    index, iou = nearest_shapes(SLAB[None], training[:2], chunk=chunk)
    assert index.tolist() == [1] and iou[0] == pytest.approx(4 / 20)


def test_nearest_shapes_checks_its_arguments():
    with pytest.raises(ValueError, match="same size"):
        nearest_shapes(CUBE[None], np.zeros((2, 8, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match="`voxels`"):
        nearest_shapes(CUBE[None], np.stack([CUBE * 0.5]))  # not binary
    with pytest.raises(ValueError, match="`chunk`"):
        nearest_shapes(CUBE[None], CUBE[None], chunk=0)
    with pytest.raises(ValueError, match="`probabilities`"):
        nearest_shapes(CUBE, CUBE[None])  # no batch axis
