"""Y-channel PSNR / SSIM of the SR protocol: scikit-image cross-checks, hand-computed values, border
handling, bad input; the Laplacian sharpness ratio."""

import math

import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from gan_papers.common.color import rgb_to_y
from gan_papers.common.metrics import laplacian, psnr, psnr_y, sharpness_ratio_y, ssim_y


def _pair(shape=(3, 40, 44, 3), noise=0.1, seed=0):
    rng = np.random.default_rng(seed)
    hr = rng.uniform(-1, 1, shape)
    sr = np.clip(hr + rng.normal(0, noise, shape), -1, 1)
    return sr, hr


def _cropped_y(x, border):
    return rgb_to_y(x)[..., border:-border, border:-border]


def test_psnr_y_matches_scikit_image_on_cropped_y():
    sr, hr = _pair()
    expected = [
        peak_signal_noise_ratio(_cropped_y(h, 4), _cropped_y(s, 4), data_range=255)
        for s, h in zip(sr, hr, strict=True)
    ]
    result = psnr_y(sr, hr, border=4)
    assert isinstance(result, np.ndarray) and result.shape == (3,)
    np.testing.assert_allclose(result, expected, rtol=1e-12)
    single = psnr_y(sr[1], hr[1])
    assert isinstance(single, float)
    assert single == pytest.approx(expected[1], rel=1e-12)


def test_ssim_y_matches_scikit_image_on_cropped_y():
    # These settings make scikit-image compute exactly Wang et al.'s ssim_index.m: with
    # truncate=3.5 (its default) sigma 1.5 gives an 11-tap normalised Gaussian, and before averaging
    # it drops (11 - 1) / 2 = 5 pixels from each side of the SSIM map, i.e. it keeps only windows
    # that lie inside the image, which is 'valid' filtering. So only float rounding may differ.
    sr, hr = _pair(seed=1)
    expected = [
        structural_similarity(
            _cropped_y(s, 4),
            _cropped_y(h, 4),
            gaussian_weights=True,
            sigma=1.5,
            use_sample_covariance=False,
            data_range=255,
        )
        for s, h in zip(sr, hr, strict=True)
    ]
    result = ssim_y(sr, hr, border=4)
    assert result.shape == (3,)
    np.testing.assert_allclose(result, expected, atol=1e-10)
    assert ssim_y(sr[2], hr[2]) == pytest.approx(expected[2], abs=1e-10)


def test_psnr_of_a_one_level_luma_offset():
    # Adding d to R, G and B (in [0, 1]) raises Y by (65.481 + 128.553 + 24.966) d = 219 d, so
    # d = 1/219 shifts Y by exactly 1 level: MSE = 1 and PSNR = 10 log10(255^2) = 48.13 dB.
    hr = np.random.default_rng(2).uniform(0.1, 0.8, (2, 16, 16, 3))
    sr = hr + 1 / 219
    expected = 10 * math.log10(255**2)
    assert expected == pytest.approx(48.1308, abs=1e-4)
    np.testing.assert_allclose(psnr_y(sr, hr, value_range=(0, 1)), expected, atol=1e-9)


def test_ssim_of_flat_images_by_hand():
    # For constant images the local variances and covariance vanish, so Eq. (13) of Wang et al.
    # reduces to the luminance term (2 m1 m2 + C1) / (m1^2 + m2^2 + C1), with C1 = (0.01 * 255)^2.
    shape = (24, 24, 3)
    sr, hr = np.full(shape, 0.2), np.full(shape, 0.6)  # [0, 1]: Y = 16 + 219 v
    m1, m2 = 16 + 219 * 0.2, 16 + 219 * 0.6
    c1 = (0.01 * 255) ** 2
    expected = (2 * m1 * m2 + c1) / (m1**2 + m2**2 + c1)
    assert ssim_y(sr, hr, value_range=(0, 1)) == pytest.approx(expected, rel=1e-12)


def test_identical_images():
    _, hr = _pair()
    assert np.all(np.isinf(psnr_y(hr, hr)))
    np.testing.assert_allclose(ssim_y(hr, hr), 1.0, atol=1e-12)


def test_border_pixels_are_ignored():
    _, hr = _pair(shape=(32, 32, 3))
    sr = hr.copy()
    sr[:3] = -1.0  # damage only the outer 3 rows and columns
    sr[:, -3:] = 1.0
    assert math.isinf(psnr_y(sr, hr, border=3))
    assert ssim_y(sr, hr, border=3) == pytest.approx(1.0, abs=1e-12)
    assert psnr_y(sr, hr, border=0) < 30
    assert ssim_y(sr, hr, border=0) < 0.99


def test_value_ranges_agree():
    sr, hr = _pair(seed=3)
    expected_psnr, expected_ssim = psnr_y(sr, hr), ssim_y(sr, hr)
    for to, value_range in (
        ((lambda x: (x + 1) / 2), (0, 1)),
        ((lambda x: (x + 1) * 127.5), (0, 255)),
    ):
        np.testing.assert_allclose(psnr_y(to(sr), to(hr), value_range=value_range), expected_psnr)
        np.testing.assert_allclose(ssim_y(to(sr), to(hr), value_range=value_range), expected_ssim)


def test_plain_psnr():
    a = np.random.default_rng(4).random((2, 8, 8, 3))
    # A uniform offset of 0.1 on data_range 1: 10 log10(1 / 0.01) = 20 dB for each image.
    np.testing.assert_allclose(psnr(a, a + 0.1, data_range=1.0), [20.0, 20.0])
    b = np.clip(a + np.random.default_rng(5).normal(0, 0.05, a.shape), 0, 1)
    assert psnr(a[0], b[0], 1.0) == pytest.approx(
        peak_signal_noise_ratio(a[0], b[0], data_range=1.0), rel=1e-12
    )
    assert psnr(a[0, ..., 0], b[0, ..., 0], 2) == pytest.approx(
        peak_signal_noise_ratio(a[0, ..., 0], b[0, ..., 0], data_range=2), rel=1e-12
    )
    assert math.isinf(psnr(a[0], a[0], 1.0))


def test_bad_input_raises():
    sr, hr = _pair(shape=(2, 32, 32, 3))
    for metric in (psnr_y, ssim_y):
        with pytest.raises(ValueError, match=r"`sr` and `hr`.*\(2, 32, 32, 3\).*\(1, 32, 32, 3\)"):
            metric(sr, hr[:1])
        with pytest.raises(ValueError, match="`sr` must have rank 3 or 4"):
            metric(sr[0, ..., 0], hr[0, ..., 0])
        with pytest.raises(ValueError, match="`hr` must have 3 channel"):
            metric(sr, hr[..., :1])
        with pytest.raises(ValueError, match=r"`hr` must have values in \[-1.0, 1.0\]"):
            metric(sr, hr * 255)
        with pytest.raises(ValueError, match="`border` must be a non-negative integer"):
            metric(sr, hr, border=-1)
        with pytest.raises(ValueError, match="`border`=16 leaves less than"):
            metric(sr, hr, border=16)
        with pytest.raises(ValueError, match="`value_range` must be one of"):
            metric(sr, hr, value_range=(0, 2))
    # SSIM needs the 11x11 window to fit: 32 - 2 * 11 = 10 pixels is too few, 32 - 2 * 10 is enough.
    assert psnr_y(sr, hr, border=11).shape == (2,)
    with pytest.raises(ValueError, match="`border`=11 leaves less than 11x11"):
        ssim_y(sr, hr, border=11)
    assert ssim_y(sr, hr, border=10).shape == (2,)
    with pytest.raises(ValueError, match="`data_range` must be a positive number"):
        psnr(sr, hr, data_range=0)
    with pytest.raises(ValueError, match=r"`a` and `b`.*\(2, 32, 32, 3\).*\(32, 32, 3\)"):
        psnr(sr, hr[0], data_range=2.0)
    with pytest.raises(ValueError, match="`a` must have rank"):
        psnr(sr[0, 0, 0], hr[0, 0, 0], data_range=2.0)


def test_laplacian_by_hand():
    x = np.zeros((1, 3, 3))
    x[0, 1, 1] = 1.0
    # The centre loses 4 times its value; its 4 neighbours gain it once; corners see nothing.
    np.testing.assert_array_equal(laplacian(x)[0], [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    # Edge padding: a linear ramp has zero Laplacian inside and at the ends a one-sided difference.
    ramp = np.tile(np.arange(4.0), (1, 2, 1))
    np.testing.assert_array_equal(laplacian(ramp)[0], [[1, 0, 0, -1], [1, 0, 0, -1]])


def test_sharpness_ratio_of_the_photo_itself_blur_and_doubled_detail():
    from scipy.ndimage import gaussian_filter

    _, hr = _pair(shape=(2, 40, 44, 3), seed=4)
    np.testing.assert_allclose(sharpness_ratio_y(hr, hr), 1.0)
    blurred = gaussian_filter(hr, sigma=(0, 1.5, 1.5, 0))
    assert np.all(sharpness_ratio_y(blurred, hr) < 0.5)
    # The ratio is linear in the detail: twice the deviation from a flat grey has twice the |Laplacian|.
    half = hr / 2
    np.testing.assert_allclose(sharpness_ratio_y(hr, half), 2.0, rtol=1e-9)
    assert isinstance(sharpness_ratio_y(hr[0], hr[0]), float)
