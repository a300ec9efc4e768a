"""PSNR and SSIM as super-resolution papers report them (Ledig et al. 2017, Section 3.2).

The SRGAN protocol: convert SR and HR to the Y channel of MATLAB's ``rgb2ycbcr`` (0..255 scale),
remove a frame of ``border`` pixels (the scale factor, 4 for x4, since the outermost pixels cannot be
reconstructed from the LR image), and compute per image

- PSNR = 10 log10(255^2 / MSE)  [dB];
- SSIM as in Wang et al., "Image quality assessment: from error visibility to structural similarity",
  IEEE TIP 2004, Eq. (13), with their reference ``ssim_index.m`` settings: an 11x11 Gaussian window
  with sigma 1.5 (normalised to sum 1), K1 = 0.01, K2 = 0.03, L = 255, local statistics only where the
  window fits inside the image ('valid' filtering), and the mean of the SSIM map.

Everything runs in float64 on unquantised values: the SR output is not rounded to uint8 first, which
changes PSNR by about 0.01 dB compared with evaluating saved 8-bit images.
``psnr`` is the plain definition on any arrays, used by the inpainting paper.

``sharpness_ratio_y`` measures what PSNR cannot: how much fine detail a result holds. It is the mean
absolute 4-neighbour Laplacian of SR's Y channel over HR's, on the same cropped region. An MSE-trained
network, which predicts the average of the plausible HR images, scores below 1; SRGAN's claim
(Section 3.4, Fig. 6) is that the adversarial loss brings it back towards the photo's 1.
"""

import numpy as np

from gan_papers.common.color import check_value_range, rgb_to_y
from gan_papers.common.validation import (
    check_channels,
    check_not_empty,
    check_positive_number,
    check_range,
    check_rank,
)

# Wang et al. 2004, Section III-C, and ssim_index.m.
SSIM_WINDOW = 11
SSIM_SIGMA = 1.5
SSIM_K1 = 0.01
SSIM_K2 = 0.03
# Peak value of the Y channel on MATLAB's 0..255 scale.
Y_PEAK = 255.0


def _check_border(border):
    if isinstance(border, bool) or not isinstance(border, int | np.integer) or border < 0:
        raise ValueError(f"`border` must be a non-negative integer; received {border!r}.")
    return int(border)


def _cropped_y(sr, hr, border, value_range, min_size):
    """Validate an SR/HR pair; return their cropped Y channels as (N, h, w) float64 and single."""
    value_range = check_value_range(value_range)
    border = _check_border(border)
    for name, x in (("sr", sr), ("hr", hr)):
        check_rank(x, name, (3, 4), layout="HxWx3 or NHWC")
        check_channels(x, name, 3)
        check_not_empty(x, name)
    sr, hr = np.asarray(sr), np.asarray(hr)
    if sr.shape != hr.shape:
        raise ValueError(
            f"`sr` and `hr` must have the same shape; received sr {sr.shape} and hr {hr.shape}."
        )
    low, high = value_range
    for name, x in (("sr", sr), ("hr", hr)):
        check_range(x, name, low, high, tolerance=1e-3 * (high - low))
    height, width = sr.shape[-3], sr.shape[-2]
    if min(height, width) - 2 * border < min_size:
        raise ValueError(
            f"`border`={border} leaves less than {min_size}x{min_size} pixels of images of "
            f"{height}x{width} (shape {sr.shape}); use a smaller border or larger images."
        )
    single = sr.ndim == 3
    y_sr, y_hr = rgb_to_y(sr, value_range), rgb_to_y(hr, value_range)
    if single:
        y_sr, y_hr = y_sr[None], y_hr[None]
    crop = (slice(None), slice(border, height - border), slice(border, width - border))
    return y_sr[crop], y_hr[crop], single


def _mse_to_psnr(mse, peak):
    # Identical images give MSE 0 and PSNR +inf, which is the correct limit; no warning.
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(peak**2 / mse)


def _result(values, single):
    return float(values[0]) if single else values


def psnr_y(sr, hr, border=4, value_range=(-1, 1)):
    """PSNR [dB] on the Y channel after removing ``border`` pixels at each side (SRGAN protocol).

    Args:
        sr, hr: HxWx3 images or NHWC batches of equal shape, RGB in ``value_range``.
        border: pixels removed at each side; the paper uses the scale factor (4).
        value_range: ``(-1, 1)`` (default), ``(0, 1)`` or ``(0, 255)``.

    Returns:
        A float for one image, a float64 array of shape (N,) for a batch; ``inf`` where the Y channels
        are identical.
    """
    y_sr, y_hr, single = _cropped_y(sr, hr, border, value_range, min_size=1)
    mse = np.mean((y_sr - y_hr) ** 2, axis=(1, 2))
    return _result(_mse_to_psnr(mse, Y_PEAK), single)


def gaussian_window(size=SSIM_WINDOW, sigma=SSIM_SIGMA):
    """1-D Gaussian weights summing to 1; their outer product is MATLAB's ``fspecial('gaussian')``."""
    t = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(t**2) / (2.0 * sigma**2))
    return g / g.sum()


def _filter_valid(x, g):
    """Separable 'valid' correlation of (N, h, w) with ``outer(g, g)``."""
    windows = np.lib.stride_tricks.sliding_window_view(x, len(g), axis=2)
    x = windows @ g
    windows = np.lib.stride_tricks.sliding_window_view(x, len(g), axis=1)
    return windows @ g


def ssim_map(x, y, peak=Y_PEAK):
    """Wang et al.'s SSIM map of two (N, h, w) float64 stacks ('valid' area, (N, h-10, w-10))."""
    g = gaussian_window()
    c1, c2 = (SSIM_K1 * peak) ** 2, (SSIM_K2 * peak) ** 2
    mu_x, mu_y = _filter_valid(x, g), _filter_valid(y, g)
    # Population (1/N-weighted) local variances, as ssim_index.m computes them.
    var_x = _filter_valid(x * x, g) - mu_x**2
    var_y = _filter_valid(y * y, g) - mu_y**2
    cov_xy = _filter_valid(x * y, g) - mu_x * mu_y
    return ((2 * mu_x * mu_y + c1) * (2 * cov_xy + c2)) / (
        (mu_x**2 + mu_y**2 + c1) * (var_x + var_y + c2)
    )


def ssim_y(sr, hr, border=4, value_range=(-1, 1)):
    """SSIM on the Y channel after removing ``border`` pixels at each side (SRGAN protocol).

    Same arguments as ``psnr_y``; the cropped images must be at least 11x11 (the window size).

    Returns:
        A float for one image, a float64 array of shape (N,) for a batch (1.0 for identical images).
    """
    y_sr, y_hr, single = _cropped_y(sr, hr, border, value_range, min_size=SSIM_WINDOW)
    return _result(ssim_map(y_sr, y_hr).mean(axis=(1, 2)), single)


def laplacian(x):
    """4-neighbour Laplacian of (N, H, W) arrays in float64, with edge padding (same shape)."""
    x = np.asarray(x, np.float64)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="edge")
    return (
        padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]
    ) - 4.0 * x


def sharpness_ratio_y(sr, hr, border=4, value_range=(-1, 1)):
    """Mean |Laplacian| of SR's Y channel divided by HR's, after removing ``border`` pixels.

    1 means as much fine detail (edges, texture) as the real photo; a blurry result scores below 1,
    noise or ringing above it. Arguments as for ``psnr_y``.

    Returns:
        A float for one image, a float64 array of shape (N,) for a batch.
    """
    y_sr, y_hr, single = _cropped_y(sr, hr, border, value_range, min_size=3)
    detail_sr = np.abs(laplacian(y_sr)).mean(axis=(1, 2))
    detail_hr = np.abs(laplacian(y_hr)).mean(axis=(1, 2))
    return _result(detail_sr / np.maximum(detail_hr, 1e-12), single)


def psnr(a, b, data_range):
    """Plain PSNR [dB] = 10 log10(data_range^2 / MSE), per image.

    Args:
        a, b: arrays of equal shape: HxW or HxWxC (one image) or NHWC (a batch).
        data_range: the span of possible values (2.0 for [-1, 1], 1.0 for [0, 1], 255 for uint8).

    Returns:
        A float for one image, a float64 array of shape (N,) for a batch; ``inf`` where a == b.
    """
    check_positive_number(data_range, "data_range")
    for name, x in (("a", a), ("b", b)):
        check_rank(x, name, (2, 3, 4), layout="HxW, HxWxC or NHWC")
        check_not_empty(x, name)
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"`a` and `b` must have the same shape; received a {a.shape} and b {b.shape}."
        )
    if a.ndim == 4:
        return _mse_to_psnr(np.mean((a - b) ** 2, axis=(1, 2, 3)), float(data_range))
    return float(_mse_to_psnr(np.mean((a - b) ** 2), float(data_range)))
