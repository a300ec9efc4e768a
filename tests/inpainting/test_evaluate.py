"""Completion metrics and baselines (Yeh et al. 2017, Section 4.2)."""

import numpy as np
import pytest

from gan_papers.common.masks import center_mask
from gan_papers.inpainting.evaluate import masked_psnr, mean_fill, telea_inpaint


def test_psnr_inside_the_hole_and_over_the_image_by_hand():
    original = np.zeros((1, 8, 8, 3), "float32")
    mask = center_mask(8)  # a 4 x 4 hole
    completed = original.copy()
    completed[:, 2:6, 2:6] = 0.2  # an error of 0.2 on every hole pixel, none elsewhere
    assert masked_psnr(completed, original, mask)[0] == pytest.approx(10 * np.log10(4 / 0.04))
    whole = 10 * np.log10(4 / (0.04 * 16 / 64))
    assert masked_psnr(completed, original)[0] == pytest.approx(whole)


def test_mean_fill_uses_known_pixels_only():
    images = np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 3)).astype("float32")
    masks = center_mask(8, batch=2)
    filled = mean_fill(images, masks)
    known = masks[..., 0] == 1
    np.testing.assert_array_equal(filled[known], images[known])
    expected = images[0][known[0]].mean(axis=0)
    np.testing.assert_allclose(filled[0, 4, 4], expected, rtol=1e-5)


def test_telea_fills_a_flat_image_with_its_colour():
    images = np.full((1, 16, 16, 3), 0.5, "float32")
    masks = center_mask(16)
    filled = telea_inpaint(images * masks, masks)
    # Within 2.5 8-bit levels: OpenCV works on uint8 and rounds at each marching step.
    np.testing.assert_allclose(filled, np.full_like(images, 0.5), atol=2.5 / 127.5)


def test_shape_mismatch_raises():
    with pytest.raises(ValueError, match="same shape"):
        masked_psnr(np.zeros((1, 8, 8, 3), "f4"), np.zeros((1, 8, 9, 3), "f4"))
