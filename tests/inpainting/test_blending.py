"""Poisson blending (Yeh et al. 2017, Section 3.3) against an exact sparse solve, borders, batches."""

import numpy as np
import pytest
import scipy.sparse
import scipy.sparse.linalg
import tensorflow as tf

from gan_papers.common.masks import center_mask, half_mask, random_pattern_mask, random_pixel_mask
from gan_papers.inpainting.blending import poisson_blend

H, W = 12, 10


def _direct_solve(g, y, known):
    """x minimising ||grad x - grad g||^2 on the hole with x = y on known pixels, by scipy.

    One equation per missing pixel p, over its 4-neighbours q inside the image (none wrapped):
    |N_p| x_p - sum_{q missing} x_q = sum_q (g_p - g_q) + sum_{q known} y_q. Float64 throughout.
    """
    g, y = np.asarray(g, np.float64), np.asarray(y, np.float64)
    hole = np.asarray(known)[..., 0] == 0
    index = -np.ones(hole.shape, int)
    index[hole] = np.arange(hole.sum())
    rows, cols, values = [], [], []
    rhs = np.zeros((hole.sum(), g.shape[-1]))
    for i, j in zip(*np.nonzero(hole), strict=True):
        p = index[i, j]
        for a, b in ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)):
            if not (0 <= a < hole.shape[0] and 0 <= b < hole.shape[1]):
                continue
            rows.append(p), cols.append(p), values.append(1.0)
            rhs[p] += g[i, j] - g[a, b]
            if hole[a, b]:
                rows.append(p), cols.append(index[a, b]), values.append(-1.0)
            else:
                rhs[p] += y[a, b]
    matrix = scipy.sparse.csc_matrix((values, (rows, cols)), shape=(hole.sum(), hole.sum()))
    x = y.copy()
    x[hole] = scipy.sparse.linalg.spsolve(matrix, rhs).reshape(-1, g.shape[-1])
    return x


def _border_mask():
    """Holes along every border, in every corner, and a one-pixel hole; each touches known pixels."""
    hole = np.zeros((H, W), bool)
    hole[0, :4] = True  # top edge and the top-left corner
    hole[:5, W - 1] = True  # right edge and the top-right corner
    hole[H - 3 :, :2] = True  # bottom-left corner block
    hole[H - 1, 4:] = True  # bottom edge into the bottom-right corner
    hole[3:7, 0] = True  # left edge
    hole[6, 5] = True  # a hole of one pixel
    return (~hole)[None, ..., None].astype(np.float32)


def _images(batch, seed=0, channels=3, size=(H, W)):
    rng = np.random.default_rng(seed)
    shape = (batch, *size, channels)
    return (
        rng.uniform(-1, 1, shape).astype(np.float32),
        rng.uniform(-1, 1, shape).astype(np.float32),
    )


def _masks(size=(H, W)):
    return np.concatenate(
        [
            _border_mask() if size == (H, W) else center_mask(size),
            center_mask(size),
            half_mask(size, 4, side="random", seed=1),
            random_pattern_mask(size, 1, seed=2),
            random_pixel_mask(size, 1, seed=3),
        ]
    )


def _reference(g, y, masks):
    return np.stack([_direct_solve(*args) for args in zip(g, y, masks, strict=True)])


def test_matches_sparse_direct_solve_including_borders_and_one_pixel_hole():
    masks = _masks()
    g, y = _images(len(masks))
    blended = poisson_blend(g, y, masks, clip=False).numpy()
    np.testing.assert_allclose(blended, _reference(g, y, masks), rtol=0, atol=1e-3)
    # The solve is far from its 1e-3 budget: float32 CG reaches the exact answer to ~1e-5.
    assert np.abs(blended - _reference(g, y, masks)).max() < 1e-4


def test_border_hole_is_not_wrapped_around():
    # Only the left column is missing: a solver that wraps rows (np.roll, flat indexing) would pull in
    # the right column, which here differs from the left by 2.
    mask = np.ones((1, H, W, 1), np.float32)
    mask[0, :, 0] = 0.0
    y = np.full((1, H, W, 1), -1.0, np.float32)
    y[..., W - 1, :] = 1.0
    g = np.zeros_like(y)
    blended = poisson_blend(g, y, mask, clip=False).numpy()
    # The column's only known neighbours are in column 1 (value -1) and g is flat: x = -1.
    np.testing.assert_allclose(blended[0, :, 0, 0], -1.0, atol=1e-5)
    np.testing.assert_allclose(blended, _reference(g, y, mask), atol=1e-5)


def test_known_pixels_are_returned_exactly():
    masks = _masks()
    g, y = _images(len(masks), seed=4)
    blended = poisson_blend(g, y, masks).numpy()
    known = np.broadcast_to(masks == 1, y.shape)
    np.testing.assert_array_equal(blended[known], y[known])
    assert not np.array_equal(blended[~known], g[~known])


def test_generated_equal_to_known_is_left_unchanged():
    masks = _masks()
    _, y = _images(len(masks), seed=5)
    np.testing.assert_array_equal(poisson_blend(y, y, masks).numpy(), y)


def test_constant_colour_offset_is_removed():
    # G(z) with the right content but too bright by 0.3: gradients match y's, colours come from the border.
    masks = _masks()
    _, y = _images(len(masks), seed=6)
    y *= 0.5
    blended = poisson_blend(y + 0.3, y, masks).numpy()
    np.testing.assert_allclose(blended, y, atol=1e-5)


def test_batch_gives_the_same_as_one_image_at_a_time():
    masks = _masks()
    g, y = _images(len(masks), seed=7)
    together = poisson_blend(g, y, masks, clip=False).numpy()
    for k in (0, 3, len(masks) - 1):
        alone = poisson_blend(g[k : k + 1], y[k : k + 1], masks[k : k + 1], clip=False).numpy()
        np.testing.assert_allclose(together[k : k + 1], alone, atol=1e-5)


def test_hole_without_known_pixels_keeps_generated():
    g, y = _images(2, seed=8)
    masks = np.concatenate([np.zeros((1, H, W, 1), np.float32), _border_mask()])
    blended = poisson_blend(g, y, masks, clip=False).numpy()
    np.testing.assert_array_equal(blended[0], g[0])  # nothing to match: G(z) as it is
    np.testing.assert_allclose(blended[1], _direct_solve(g[1], y[1], masks[1]), atol=1e-4)


def test_single_mask_broadcasts_over_the_batch():
    g, y = _images(3, seed=9)
    mask = _border_mask()
    np.testing.assert_allclose(
        poisson_blend(g, y, mask).numpy(),
        poisson_blend(g, y, np.repeat(mask, 3, axis=0)).numpy(),
        atol=1e-6,
    )


def test_runs_under_xla_with_the_same_result():
    masks = _masks((16, 16))
    g, y = _images(len(masks), seed=10, size=(16, 16))
    blend = tf.function(lambda a, b, m: poisson_blend(a, b, m, clip=False), jit_compile=True)
    compiled = blend(tf.constant(g), tf.constant(y), tf.constant(masks)).numpy()
    np.testing.assert_allclose(compiled, _reference(g, y, masks), atol=1e-3)
    np.testing.assert_allclose(compiled, poisson_blend(g, y, masks, clip=False).numpy(), atol=1e-5)


def test_float64_and_single_channel():
    masks = _masks()
    g, y = _images(len(masks), seed=11, channels=1)
    blended = poisson_blend(
        g.astype(np.float64), y.astype(np.float64), masks, tolerance=1e-12, clip=False
    )
    assert blended.dtype == tf.float64
    np.testing.assert_allclose(blended.numpy(), _reference(g, y, masks), atol=1e-9)


def test_clip_keeps_the_package_range():
    # Known pixels at 1 and a bright bump in G(z): the exact blend overshoots 1.
    mask = center_mask(8)
    y = np.ones((1, 8, 8, 1), np.float32)
    g = np.zeros_like(y)
    g[0, 3:5, 3:5] = 0.8
    exact = poisson_blend(g, y, mask, clip=False).numpy()
    clipped = poisson_blend(g, y, mask).numpy()
    assert exact.max() > 1.3
    np.testing.assert_allclose(clipped, np.clip(exact, -1, 1), atol=1e-6)


def test_info_reports_convergence():
    masks = _masks()
    g, y = _images(len(masks), seed=12)
    _, info = poisson_blend(g, y, masks, tolerance=1e-5, return_info=True)
    assert 0 < int(info["iterations"]) < 200
    assert info["residual"].shape == (len(masks), 3)
    assert float(tf.reduce_max(info["residual"])) <= 1e-5
    _, info = poisson_blend(g, y, masks, iterations=3, return_info=True)
    assert int(info["iterations"]) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g, y, m: (g, y[:, :, :-1], m), "same shape"),
        (lambda g, y, m: (g, y, m[:, :-1]), "height and width"),
        (lambda g, y, m: (g, y, m * 0.5), "non-binary"),
        (lambda g, y, m: (g, y, np.repeat(m, 3, axis=-1)), "1 channel"),
        (lambda g, y, m: (g, y[..., :1], m), "same shape"),
        (lambda g, y, m: (g * 2.0, y, m), r"`generated` must have values in \[-1"),
        (lambda g, y, m: (g, y + 2.0, m), r"`known` must have values in \[-1"),
        (lambda g, y, m: (g[:0], y[:0], m[:0]), "must not be empty"),
        (lambda g, y, m: (g[0], y[0], m[0]), "rank 4"),
        (lambda g, y, m: (g, y, np.concatenate([m, m])), "batch size 1 or 2"),
        (lambda g, y, m: ((g * 100).astype(np.uint8), y, m), "floating-point"),
    ],
)
def test_bad_inputs_raise(change, message):
    g, y = _images(2)
    m = np.repeat(_border_mask(), 2, axis=0)
    with pytest.raises(ValueError, match=message):
        poisson_blend(*change(g, y, m))


def test_bad_solver_arguments_raise():
    g, y = _images(1)
    with pytest.raises(ValueError, match="`iterations`"):
        poisson_blend(g, y, _border_mask(), iterations=0)
    with pytest.raises(ValueError, match="`tolerance`"):
        poisson_blend(g, y, _border_mask(), tolerance=-1.0)
