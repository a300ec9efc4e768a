"""Sliced Wasserstein distance (Karras et al. 2018): the pyramid against OpenCV, the sliced
distance against a hand computation, its invariances and ordering, bad input."""

import cv2
import numpy as np
import pytest

from gan_papers.common import swd
from gan_papers.data import FACE_SPLITS, render_faces


def _faces(start, count=48, size=32):
    return render_faces(start + np.arange(count), size=size, seed=0)[0]


def test_pyramid_steps_match_opencv():
    image = np.random.default_rng(0).uniform(-1, 1, (1, 16, 16, 3))
    down = swd._pyramid_down(image)[0]
    np.testing.assert_allclose(down, cv2.pyrDown(image[0]), atol=1e-6)
    np.testing.assert_allclose(swd._pyramid_up(down[None])[0], cv2.pyrUp(down), atol=1e-6)


def test_laplacian_pyramid_reconstructs_the_images():
    images = _faces(0, count=2)
    pyramid = swd.laplacian_pyramid(images, 3)
    assert [level.shape[1] for level in pyramid] == [32, 16, 8]
    rebuilt = pyramid[-1]
    for level in reversed(pyramid[:-1]):
        rebuilt = swd._pyramid_up(rebuilt) + level
    np.testing.assert_allclose(rebuilt, images, atol=1e-6)


def test_sliced_distance_of_two_point_sets_by_hand():
    # One descriptor dimension: every direction is +-1, and the 1-D Wasserstein-1 distance
    # between {0, 1, 2} and {3, 1, 5} is the mean gap of the sorted values: (1 + 2 + 3) / 3 = 2.
    a = np.array([[0.0], [1.0], [2.0]])
    b = np.array([[3.0], [1.0], [5.0]])
    assert swd._sliced_distance(a, b, np.random.default_rng(0)) == pytest.approx(2.0)


def test_resolutions_halve_down_to_16():
    assert swd.pyramid_resolutions(64) == [64, 32, 16]
    assert swd.pyramid_resolutions(16) == [16]
    assert swd.pyramid_resolutions(68) == [68, 34, 17]


def test_contrast_and_brightness_do_not_change_the_distance():
    # Each set's descriptors are normalised per channel, so an affine change of one set's colours
    # leaves the distance as it was (the same seed draws the same neighbourhoods).
    a, b = _faces(0), _faces(FACE_SPLITS["heldout"][0])
    plain = swd.sliced_wasserstein_distance(a, b, seed=3)
    dimmed = swd.sliced_wasserstein_distance(a, 0.5 * b - 0.2, seed=3)
    assert set(plain) == {32, 16, "mean"}
    for key in plain:
        assert dimmed[key] == pytest.approx(plain[key], rel=1e-6)
    assert plain["mean"] == pytest.approx((plain[32] + plain[16]) / 2)


def test_real_faces_are_closer_to_real_faces_than_structureless_pixels():
    a, b = _faces(0), _faces(FACE_SPLITS["heldout"][0])
    real = swd.sliced_wasserstein_distance(a, b)["mean"]
    noise = swd.sliced_wasserstein_distance(a, swd.independent_pixels(a, len(a)))["mean"]
    assert real < 0.5 * noise


def test_independent_pixels_keep_per_pixel_moments():
    images = np.random.default_rng(1).uniform(-0.5, 0.5, (8, 4, 4, 3)).astype(np.float32)
    drawn = swd.independent_pixels(images, 20_000, seed=2)
    assert drawn.shape == (20_000, 4, 4, 3) and drawn.dtype == np.float32
    np.testing.assert_allclose(drawn.mean(axis=0), images.mean(axis=0), atol=0.01)
    np.testing.assert_allclose(drawn.std(axis=0), images.std(axis=0), atol=0.01)
    assert not np.array_equal(drawn[:8], swd.independent_pixels(images, 8, seed=3))


def test_bad_input_raises():
    a = _faces(0, count=4)
    with pytest.raises(ValueError, match="same shape"):
        swd.sliced_wasserstein_distance(a, a[:3])
    with pytest.raises(ValueError, match="at least 16"):
        swd.sliced_wasserstein_distance(a[:, :8, :8], a[:, :8, :8])
    with pytest.raises(ValueError, match="images_b"):
        swd.sliced_wasserstein_distance(a, 2 * a + 5)
    with pytest.raises(ValueError, match="count"):
        swd.independent_pixels(a, 0)
