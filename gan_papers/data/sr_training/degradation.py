"""The two degradations that make an LR image from an HR image: MATLAB bicubic and Gaussian blur.

See the package docstring (``gan_papers.data.sr_training``) for how each is defined.
"""

import math

import numpy as np

from gan_papers.common.validation import check_choice, check_positive_int

DEGRADATIONS = ("bicubic", "gaussian")


def default_gaussian_sigma(scale):
    """The Gaussian degradation's default blur, ``(scale - 1) / 2`` HR pixels."""
    return (scale - 1) / 2


def gaussian_matrix(size, scale, sigma, truncate=4.0):
    """``(size // scale, size)`` float64 matrix: Gaussian blur of one axis sampled at LR pixel centres.

    Row ``j`` holds the Gaussian centred at ``scale * j + (scale - 1) / 2`` (0-based HR pixel
    coordinates) over the taps within ``truncate * sigma``, mirrored at the borders
    (``... 1 0 | 0 1 ... n-1 | n-1 n-2 ...``) and normalised to sum to 1.
    """
    centres = scale * np.arange(size // scale) + (scale - 1) / 2
    radius = math.floor(truncate * sigma + 0.5) + 1
    taps = np.floor(centres)[:, None] + np.arange(-radius, radius + 2)[None, :]
    distance = taps - centres[:, None]
    weights = np.exp(-0.5 * (distance / sigma) ** 2) * (np.abs(distance) <= truncate * sigma + 1e-9)
    weights /= weights.sum(axis=1, keepdims=True)
    period = 2 * size
    taps = np.mod(taps.astype(np.int64), period)
    taps = np.where(taps < size, taps, period - 1 - taps)
    matrix = np.zeros((len(centres), size))
    rows = np.broadcast_to(np.arange(len(centres))[:, None], taps.shape)
    np.add.at(matrix, (rows, taps), weights)
    return matrix


def degrade(hr, scale=4, degradation="bicubic", gaussian_sigma=None):
    """LR images from HR images, both in [0, 1]: NHWC float tf.Tensor with static height and width.

    Height and width must be divisible by ``scale``; the result is (N, H/scale, W/scale, C), neither
    clipped nor rounded (bicubic overshoots slightly near edges).
    """
    import tensorflow as tf

    from gan_papers.common.imresize import imresize_tf

    scale = check_positive_int(scale, "scale")
    check_choice(degradation, "degradation", DEGRADATIONS)
    hr = tf.convert_to_tensor(hr)
    if hr.shape.rank != 4 or hr.shape[1] is None or hr.shape[2] is None:
        raise ValueError(
            f"`hr` must be an NHWC tensor with static height and width; received shape {hr.shape}."
        )
    height, width = hr.shape[1], hr.shape[2]
    if height % scale or width % scale:
        raise ValueError(
            f"`hr` height and width must be divisible by scale={scale}; received {height}x{width}."
        )
    if degradation == "bicubic":
        return imresize_tf(hr, output_shape=(height // scale, width // scale))
    sigma = default_gaussian_sigma(scale) if gaussian_sigma is None else float(gaussian_sigma)
    if not sigma > 0:
        raise ValueError(f"`gaussian_sigma` must be positive; received {gaussian_sigma!r}.")
    w_h = tf.constant(gaussian_matrix(height, scale, sigma), dtype=hr.dtype)
    w_w = tf.constant(gaussian_matrix(width, scale, sigma), dtype=hr.dtype)
    return tf.einsum("oh,bhwc,pw->bopc", w_h, hr, w_w)
