"""MATLAB rgb2ycbcr (BT.601): hand-computed colours, scikit-image agreement, value ranges, bad input."""

import numpy as np
import pytest
import tensorflow as tf
from skimage.color import rgb2ycbcr

from gan_papers.common.color import rgb_to_y, rgb_to_ycbcr


def test_primary_colours_by_hand():
    # Rows: black, white, red, green, blue in [0, 1]. Expected values are the formula's coefficients
    # read off directly: Y = 16 + 65.481 R + 128.553 G + 24.966 B, Cb = 128 - 37.797 R - 74.203 G
    # + 112 B, Cr = 128 + 112 R - 93.786 G - 18.214 B.
    rgb = np.array([[0, 0, 0], [1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    expected = [
        [16, 128, 128],
        [235, 128, 128],  # the weights of each row of the matrix sum to 219, 0 and 0
        [16 + 65.481, 128 - 37.797, 128 + 112],
        [16 + 128.553, 128 - 74.203, 128 - 93.786],
        [16 + 24.966, 128 + 112, 128 - 18.214],
    ]
    np.testing.assert_allclose(rgb_to_ycbcr(rgb, value_range=(0, 1)), expected, atol=1e-9)
    np.testing.assert_allclose(rgb_to_y(rgb, value_range=(0, 1)), np.array(expected)[:, 0])


def test_value_ranges_give_the_same_result():
    rng = np.random.default_rng(0)
    unit = rng.random((2, 5, 6, 3))
    y = rgb_to_y(unit, value_range=(0, 1))
    np.testing.assert_allclose(rgb_to_y(unit * 2 - 1), y, atol=1e-9)  # default: [-1, 1]
    np.testing.assert_allclose(rgb_to_y(unit * 255, value_range=(0, 255)), y, atol=1e-9)
    # uint8 files are accepted as 0..255 (the rounding is the image's, not the conversion's).
    u8 = np.round(unit * 255).astype(np.uint8)
    np.testing.assert_allclose(
        rgb_to_y(u8, value_range=(0, 255)), rgb_to_y(u8 / 255.0, value_range=(0, 1)), atol=1e-9
    )


def test_agrees_with_scikit_image():
    # skimage.color.rgb2ycbcr uses the same BT.601 matrix and offsets and, for float RGB in [0, 1],
    # also returns Y, Cb, Cr on the 0..255 scale (Y in [16, 235]).
    rgb = np.random.default_rng(1).random((7, 9, 3))
    np.testing.assert_allclose(rgb_to_ycbcr(rgb, value_range=(0, 1)), rgb2ycbcr(rgb), atol=1e-9)
    signed = rgb * 2 - 1
    np.testing.assert_allclose(rgb_to_y(signed), rgb2ycbcr(rgb)[..., 0], atol=1e-9)


def test_output_shape_dtype_and_tensors():
    images = tf.zeros((2, 4, 5, 3))
    y = rgb_to_y(images)
    assert y.shape == (2, 4, 5) and y.dtype == np.float64
    np.testing.assert_allclose(y, 16 + 219 * 0.5)  # mid-grey: 0 in [-1, 1] is 0.5 in [0, 1]
    assert rgb_to_ycbcr(images).shape == (2, 4, 5, 3)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="`images` must have 3 channel"):
        rgb_to_y(np.zeros((4, 4, 1)))
    with pytest.raises(ValueError, match=r"`images` must have values in \[-1.0, 1.0\]"):
        rgb_to_y(np.full((4, 4, 3), 128.0))  # 0..255 data with the default range
    with pytest.raises(ValueError, match=r"`images` must have values in \[0.0, 1.0\]"):
        rgb_to_ycbcr(-np.ones((4, 4, 3)), value_range=(0, 1))
    with pytest.raises(ValueError, match="`images` contains NaN"):
        rgb_to_y(np.full((4, 4, 3), np.nan))
    with pytest.raises(ValueError, match="`value_range` must be one of"):
        rgb_to_y(np.zeros((4, 4, 3)), value_range=(0, 2))
    with pytest.raises(ValueError, match="`value_range` must be one of"):
        rgb_to_y(np.zeros((4, 4, 3)), value_range="unit")
    with pytest.raises(ValueError, match="`images` must not be empty"):
        rgb_to_y(np.zeros((0, 4, 4, 3)))
    with pytest.raises(ValueError, match="`images` must be a real-valued array"):
        rgb_to_y(np.zeros((4, 4, 3), dtype=bool))
