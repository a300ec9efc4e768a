"""Masks (Yeh et al. 2017, Section 4): coverage, binarity, determinism, batch independence, bad input."""

import numpy as np
import pytest
from scipy import ndimage

from gan_papers.common.masks import (
    HALF_SIDES,
    MASK_TYPES,
    center_mask,
    check_mask,
    half_mask,
    make_masks,
    random_box_mask,
    random_pattern_mask,
    random_pixel_mask,
)

SIZE = 64
SEEDS = (0, 1, 7)


def _missing(masks):
    """Fraction of missing pixels of each mask."""
    return 1.0 - masks.mean(axis=(1, 2, 3))


@pytest.mark.parametrize("kind", sorted(MASK_TYPES))
def test_shape_dtype_and_binary(kind):
    masks = make_masks(kind, (SIZE, SIZE + 8), batch=3, seed=2)
    assert masks.shape == (3, SIZE, SIZE + 8, 1)
    assert masks.dtype == np.float32
    assert set(np.unique(masks)) <= {0.0, 1.0}
    assert np.all(_missing(masks) > 0) and np.all(_missing(masks) < 1)
    check_mask(masks)


def test_center_mask_is_the_centred_quarter():
    mask = center_mask(SIZE)[0, ..., 0]
    expected = np.ones((SIZE, SIZE), np.float32)
    expected[16:48, 16:48] = 0.0
    np.testing.assert_array_equal(mask, expected)
    # A non-square image keeps the area fraction and the hole stays centred.
    mask = center_mask((40, 80), batch=2, fraction=0.25)
    assert mask.shape == (2, 40, 80, 1)
    np.testing.assert_array_equal(mask[0], mask[1])
    rows, cols = np.nonzero(mask[0, ..., 0] == 0)
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (10, 29, 20, 59)


@pytest.mark.parametrize("seed", SEEDS)
def test_coverage_of_each_random_type(seed):
    batch = 4
    np.testing.assert_allclose(
        _missing(random_pattern_mask(SIZE, batch, seed)), 0.25, atol=0.5 / SIZE**2
    )
    np.testing.assert_allclose(
        _missing(random_pixel_mask(SIZE, batch, seed)), 0.8, atol=0.5 / SIZE**2
    )
    np.testing.assert_allclose(_missing(half_mask(SIZE, batch, "random", seed)), 0.5)
    np.testing.assert_allclose(
        _missing(random_pattern_mask(SIZE, batch, seed, missing=0.4)), 0.4, atol=0.5 / SIZE**2
    )


def test_random_pattern_is_blobs_and_random_pixels_are_scattered():
    patterns = random_pattern_mask(SIZE, 4, seed=3)
    pixels = random_pixel_mask(SIZE, 4, seed=3, missing=0.25)
    for pattern, pixel in zip(patterns, pixels, strict=True):
        blobs = ndimage.label(pattern[..., 0] == 0)[1]
        specks = ndimage.label(pixel[..., 0] == 0)[1]
        # ~1,000 missing pixels gathered into a handful of regions, against hundreds of specks.
        assert 1 <= blobs <= 20 < 200 < specks
    # Bigger blobs, fewer regions.
    big = random_pattern_mask(SIZE, 4, seed=3, blob_size=0.2)
    assert sum(ndimage.label(m[..., 0] == 0)[1] for m in big) < sum(
        ndimage.label(m[..., 0] == 0)[1] for m in patterns
    )


@pytest.mark.parametrize("kind", ["random_pattern", "random_pixel", "half", "random_box"])
def test_deterministic_by_seed_and_independent_of_batch_size(kind):
    kwargs = {"side": "random"} if kind == "half" else {}
    five = make_masks(kind, SIZE, batch=5, seed=11, **kwargs)
    np.testing.assert_array_equal(five, make_masks(kind, SIZE, batch=5, seed=11, **kwargs))
    np.testing.assert_array_equal(five[:2], make_masks(kind, SIZE, batch=2, seed=11, **kwargs))
    other = make_masks(kind, SIZE, batch=5, seed=12, **kwargs)
    assert not np.array_equal(five, other)
    if kind != "half":  # four sides only: two masks of a batch may legitimately coincide
        assert not np.array_equal(five[0], five[1])


@pytest.mark.parametrize(
    ("side", "missing_region"),
    [
        ("left", (slice(None), slice(0, 5))),
        ("right", (slice(None), slice(6, 11))),
        ("top", (slice(0, 3), slice(None))),
        ("bottom", (slice(4, 7), slice(None))),
    ],
)
def test_half_mask_sides(side, missing_region):
    mask = half_mask((7, 11), batch=2, side=side)
    expected = np.ones((7, 11), np.float32)
    expected[missing_region] = 0.0
    for m in mask:
        np.testing.assert_array_equal(m[..., 0], expected)


def test_random_half_mask_uses_all_four_sides():
    masks = half_mask(8, batch=32, side="random", seed=0)[..., 0]
    sides = {
        "left": masks[:, :, :4].max(axis=(1, 2)) == 0,
        "right": masks[:, :, 4:].max(axis=(1, 2)) == 0,
        "top": masks[:, :4, :].max(axis=(1, 2)) == 0,
        "bottom": masks[:, 4:, :].max(axis=(1, 2)) == 0,
    }
    assert np.all(sum(s.astype(int) for s in sides.values()) == 1)  # exactly one half each
    assert all(s.any() for s in sides.values())


def _missing_side(mask):
    """The side a half mask removes, read off its (H, W, 1) pixels."""
    hole = mask[..., 0] == 0
    height, width = hole.shape
    sides = {
        "left": hole[:, : width // 2].all() and not hole[:, width // 2 :].any(),
        "right": hole[:, width - width // 2 :].all() and not hole[:, : width - width // 2].any(),
        "top": hole[: height // 2].all() and not hole[height // 2 :].any(),
        "bottom": hole[height - height // 2 :].all() and not hole[: height - height // 2].any(),
    }
    (side,) = (name for name, match in sides.items() if match)
    return side


def test_half_mask_draws_its_side_at_random_by_default():
    # The paper's half mask: left, right, top or bottom, one per image. Left-only is an option.
    masks = half_mask((9, 12), batch=64, seed=5)
    drawn = [_missing_side(m) for m in masks]
    assert set(drawn) == {"left", "right", "top", "bottom"}
    assert all(drawn.count(side) >= 8 for side in set(drawn))  # 64 draws of 4: none is rare
    np.testing.assert_array_equal(make_masks("half", (9, 12), batch=64, seed=5), masks)
    # Exactly half (the smaller half for odd sides): 9 * 6 columns or 4 * 12 rows.
    for side, m in zip(drawn, masks, strict=True):
        assert (m == 0).sum() == (9 * 6 if side in ("left", "right") else 4 * 12)
    assert {_missing_side(m) for m in half_mask(8, batch=16, side="left", seed=5)} == {"left"}


def test_half_mask_side_is_fixed_by_seed_and_index():
    batch = half_mask(8, batch=12, seed=3)
    for i in range(12):
        # Mask i comes from (seed, i) alone: the same as the i-th of any longer batch.
        np.testing.assert_array_equal(batch[i], half_mask(8, batch=i + 1, seed=3)[i])
        side = HALF_SIDES[np.random.default_rng((3, i)).integers(len(HALF_SIDES))]
        assert _missing_side(batch[i]) == side
    others = [_missing_side(m) for m in half_mask(8, batch=12, seed=4)]
    assert others != [_missing_side(m) for m in batch]


def _box(mask):
    rows, cols = np.nonzero(mask[..., 0] == 0)
    top, left, bottom, right = rows.min(), cols.min(), rows.max() + 1, cols.max() + 1
    # One solid rectangle: its bounding box holds exactly the missing pixels.
    assert rows.size == (bottom - top) * (right - left)
    return top, left, bottom - top, right - left


def test_random_box_sizes_and_positions():
    boxes = [_box(m) for m in random_box_mask(SIZE, batch=40, seed=5, min_frac=0.25, max_frac=0.5)]
    heights, widths = {b[2] for b in boxes}, {b[3] for b in boxes}
    assert min(heights) >= 16 and max(heights) <= 32 and len(heights) > 5
    assert min(widths) >= 16 and max(widths) <= 32
    assert len({(b[0], b[1]) for b in boxes}) > 30


def test_random_box_with_fixed_box_size_like_face_completion():
    boxes = [_box(m) for m in random_box_mask(128, batch=20, seed=0, box_size=64)]
    assert {(b[2], b[3]) for b in boxes} == {(64, 64)}
    assert all(0 <= b[0] <= 64 and 0 <= b[1] <= 64 for b in boxes)
    assert len({(b[0], b[1]) for b in boxes}) > 15
    np.testing.assert_allclose(_missing(random_box_mask(128, 3, seed=1, box_size=64)), 0.25)
    assert {_box(m)[2:] for m in random_box_mask((20, 30), 4, box_size=(5, 30))} == {(5, 30)}


def test_center_mask_ignores_seed_in_make_masks():
    np.testing.assert_array_equal(
        make_masks("center", SIZE, batch=2, seed=3), center_mask(SIZE, batch=2)
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: make_masks("ellipse", SIZE), "`kind`"),
        (lambda: center_mask(0), "`size`"),
        (lambda: center_mask((8, 8, 8)), "`size`"),
        (lambda: center_mask(8.0), "`size`"),
        (lambda: center_mask(SIZE, batch=0), "`batch`"),
        (lambda: center_mask(SIZE, fraction=1.0), "`fraction`"),
        (lambda: random_pattern_mask(SIZE, missing=0.0), "`missing`"),
        (lambda: random_pattern_mask(SIZE, blob_size=-1), "`blob_size`"),
        (lambda: random_pixel_mask(SIZE, missing=1.5), "`missing`"),
        (lambda: random_pixel_mask(SIZE, seed=-1), "`seed`"),
        (lambda: half_mask(SIZE, side="middle"), "`side`"),
        (lambda: random_box_mask(SIZE, min_frac=0.6, max_frac=0.5), "`min_frac`"),
        (lambda: random_box_mask(SIZE, max_frac=0), "`max_frac`"),
        (lambda: random_box_mask(SIZE, box_size=65), "`box_size`"),
        (lambda: random_box_mask(SIZE, box_size=0), "`box_size`"),
    ],
)
def test_bad_arguments_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_check_mask_rejects_bad_masks():
    good = center_mask(8, batch=2)
    assert check_mask(good, like=np.zeros((2, 8, 8, 3), np.float32)) == (2, 8, 8, 1)
    with pytest.raises(ValueError, match="rank 4"):
        check_mask(good[0])
    with pytest.raises(ValueError, match="1 channel"):
        check_mask(np.repeat(good, 3, axis=-1))
    with pytest.raises(ValueError, match="floating-point"):
        check_mask(good.astype(np.uint8))
    with pytest.raises(ValueError, match="non-binary"):
        check_mask(good * 0.5, name="masks")
    with pytest.raises(ValueError, match="non-binary"):
        check_mask(np.where(good == 0, np.nan, good))
    with pytest.raises(ValueError, match="must not be empty"):
        check_mask(good[:0])
    with pytest.raises(ValueError, match=r"\(2, 8, 8, 1\).*\(2, 8, 9, 3\)"):
        check_mask(good, like=np.zeros((2, 8, 9, 3), np.float32))
