"""The local discriminator's patch around the hole, and the random training holes (Section 3.2)."""

import keras
import numpy as np
import pytest

from gan_papers.face_completion import crop_patches, patch_origin, random_hole_masks
from tests.face_completion.helpers import faces


def _mask(holes, size=16):
    """One image per (top, left, height, width) hole list."""
    mask = np.ones((len(holes), size, size, 1), "float32")
    for m, boxes in zip(mask, holes, strict=True):
        for top, left, height, width in boxes:
            m[top : top + height, left : left + width] = 0.0
    return mask


def test_patch_is_centred_on_the_holes_bounding_box_and_clipped_at_borders():
    mask = _mask(
        [
            [(3, 5, 4, 4)],  # rows 3..6 -> centre 5 -> 5 - 4 = 1; cols 5..8 -> 7 - 4 = 3
            [(6, 2, 2, 6)],  # rows 6..7 -> 7 - 4 = 3; cols 2..7 -> 5 - 4 = 1
            [(1, 1, 1, 1), (9, 7, 1, 1)],  # two spots: the box is rows 1..9, cols 1..7
            [(0, 13, 2, 3)],  # top right corner: -3 -> 0 and 14 - 4 = 10 -> 8
            [(14, 0, 2, 2)],  # bottom left corner: 15 - 4 = 11 -> 8 and -3 -> 0
            [],  # no hole: the centre
            [(4, 8, 8, 8)],  # a hole the size of the patch: exactly on it
        ]
    )
    rows, cols = patch_origin(mask, 8)
    assert rows.dtype == "int32" and cols.dtype == "int32"
    np.testing.assert_array_equal(np.asarray(rows), [1, 3, 1, 0, 8, 4, 4])
    np.testing.assert_array_equal(np.asarray(cols), [3, 1, 0, 8, 0, 4, 8])


def test_patch_origin_refuses_a_patch_larger_than_the_image():
    with pytest.raises(ValueError, match="`patch_size`"):
        patch_origin(_mask([[]]), 32)


def test_crop_patches_equals_numpy_slicing():
    images = faces(3, size=16)
    rows, cols = np.array([0, 5, 8], "int32"), np.array([8, 2, 0], "int32")
    patches = np.asarray(crop_patches(images, rows, cols, 8))
    expected = [image[r : r + 8, c : c + 8] for image, r, c in zip(images, rows, cols, strict=True)]
    np.testing.assert_array_equal(patches, np.stack(expected))


def test_random_holes_are_one_square_each_inside_the_image_and_follow_the_seed():
    masks = np.asarray(random_hole_masks(500, 16, 5, keras.random.SeedGenerator(7)))
    assert masks.shape == (500, 16, 16, 1) and masks.dtype == "float32"
    assert set(np.unique(masks)) == {0.0, 1.0}
    tops, lefts = [], []
    for mask in masks[..., 0]:
        missing_rows, missing_cols = np.nonzero(mask == 0)
        top, left = missing_rows.min(), missing_cols.min()
        # Exactly one 5x5 square: 25 missing pixels, all within the 5x5 box at the first one.
        assert missing_rows.size == 25
        assert missing_rows.max() == top + 4 and missing_cols.max() == left + 4
        tops.append(top)
        lefts.append(left)
    # Every place is possible, up to the last one that fits (16 - 5 = 11).
    assert set(tops) == set(lefts) == set(range(12))
    same = np.asarray(random_hole_masks(500, 16, 5, keras.random.SeedGenerator(7)))
    np.testing.assert_array_equal(same, masks)
    other = np.asarray(random_hole_masks(500, 16, 5, keras.random.SeedGenerator(8)))
    assert not np.array_equal(other, masks)


def test_the_patch_around_a_random_hole_holds_the_hole():
    masks = random_hole_masks(50, 16, 4, keras.random.SeedGenerator(0))
    rows, cols = patch_origin(masks, 8)
    patches = np.asarray(crop_patches(masks, rows, cols, 8))
    # The patch holds all 16 missing pixels, with a 2-pixel border of known ones unless clipped.
    assert np.all((patches == 0).sum(axis=(1, 2, 3)) == 16)
