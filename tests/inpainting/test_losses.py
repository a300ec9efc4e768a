"""The latent-search objective (Yeh et al. 2017, eq. 2-3) against hand computations."""

import numpy as np
import pytest

from gan_papers.inpainting.losses import context_loss, importance_weights, prior_loss


def _hole_mask(size=32, top=12, left=12, side=8):
    mask = np.ones((1, size, size, 1), "float32")
    mask[0, top : top + side, left : left + side] = 0.0
    return mask


def test_weights_point_the_right_way():
    mask = _hole_mask()
    w = np.asarray(importance_weights(mask, window=7))[0, ..., 0]
    hole = mask[0, ..., 0] == 0
    assert np.all(w[hole] == 0)  # nothing to match inside the hole
    assert w[0, 0] == 0 and w[2, 30] == 0  # known pixels far from the hole do not count
    ring = np.zeros_like(hole)
    ring[11:21, 11:21] = True
    ring &= ~hole  # the known pixels touching the hole
    assert w[ring].min() > 0
    assert w.max() == pytest.approx(w[ring].max())  # the largest weights sit at the hole's border
    assert w[16, 11] > w[16, 10] > w[16, 9] > w[16, 8] == 0  # decaying to 0 beyond the window


def test_weight_values_by_hand():
    w = np.asarray(importance_weights(_hole_mask(), window=7))[0, ..., 0]
    # Left of the hole's left edge, mid-height: 3 of the window's 7 columns are hole, all 7 rows.
    assert w[16, 11] == pytest.approx(21 / 49)
    assert w[16, 9] == pytest.approx(7 / 49)  # 1 hole column in reach
    # Diagonally off the top-left corner: a 3 x 3 corner of the window is hole.
    assert w[11, 11] == pytest.approx(9 / 49)


def test_neighbourhood_is_clipped_at_the_image_border():
    mask = np.ones((1, 8, 8, 1), "float32")
    mask[0, 0, 1] = 0.0  # one missing pixel next to the corner
    w = np.asarray(importance_weights(mask, window=3))[0, ..., 0]
    # Corner pixel (0, 0): its 3 x 3 window holds 4 pixels inside the image, 1 of them missing.
    assert w[0, 0] == pytest.approx(1 / 4)
    assert w[1, 1] == pytest.approx(1 / 9)  # an interior pixel sees 9


def test_context_loss_is_the_weighted_l1_per_image():
    rng = np.random.default_rng(0)
    generated = rng.uniform(-1, 1, (2, 8, 8, 3)).astype("float32")
    corrupted = rng.uniform(-1, 1, (2, 8, 8, 3)).astype("float32")
    weights = rng.uniform(0, 1, (2, 8, 8, 1)).astype("float32")
    expected = np.abs(weights * (generated - corrupted)).sum(axis=(1, 2, 3))
    np.testing.assert_allclose(context_loss(generated, corrupted, weights), expected, rtol=1e-5)


def test_prior_losses_by_hand():
    logits = np.array([[-3.0], [0.0], [2.5]], "float32")
    d = 1 / (1 + np.exp(-logits[:, 0].astype("float64")))
    np.testing.assert_allclose(prior_loss(logits, lam=0.003), 0.003 * np.log(1 - d), rtol=1e-5)
    np.testing.assert_allclose(
        prior_loss(logits, lam=0.5, prior="nonsaturating"), -0.5 * np.log(d), rtol=1e-5
    )
    # Safe at extreme logits, where log(1 - sigmoid) underflows if written naively.
    assert np.all(np.isfinite(prior_loss(np.array([[-1e3], [1e3]], "float32"))))


@pytest.mark.parametrize("window", [0, 4, 2.0, True])
def test_bad_window(window):
    with pytest.raises(ValueError, match="`window`"):
        importance_weights(_hole_mask(), window=window)


def test_bad_prior():
    with pytest.raises(ValueError, match="`prior`"):
        prior_loss(np.zeros((1, 1), "float32"), prior="wgan")


@pytest.mark.parametrize("lam", ["0.003", None, [0.1], -0.5, float("nan"), float("inf")])
def test_bad_lambda_names_lam(lam):
    with pytest.raises(ValueError, match="`lam`"):
        prior_loss(np.zeros((1, 1), "float32"), lam=lam)
