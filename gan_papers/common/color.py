"""RGB -> YCbCr as MATLAB's ``rgb2ycbcr`` (ITU-R BT.601, studio swing), for the SR evaluation protocol.

Ledig et al. 2017 (Section 3.2) report PSNR and SSIM on the luminance (Y) channel, computed as in
MATLAB: for R, G, B in [0, 1],

    Y  =  16 +  65.481 R + 128.553 G +  24.966 B      (16 .. 235)
    Cb = 128 -  37.797 R -  74.203 G + 112.000 B      (16 .. 240)
    Cr = 128 + 112.000 R -  93.786 G -  18.214 B      (16 .. 240)

The coefficients are BT.601's luma weights (0.299, 0.587, 0.114) scaled by 219 (the Y range 16..235)
and the colour-difference weights scaled by 224. Results are on the 0..255 scale, as float64,
whatever the input range: this is the scale PSNR's peak value 255 refers to.
"""

import numpy as np

from gan_papers.common.validation import check_channels, check_choice, check_not_empty, check_range

# Rows give Y, Cb, Cr; columns weigh R, G, B in [0, 1].
YCBCR_FROM_RGB = np.array(
    [
        [65.481, 128.553, 24.966],
        [-37.797, -74.203, 112.0],
        [112.0, -93.786, -18.214],
    ]
)
YCBCR_OFFSET = np.array([16.0, 128.0, 128.0])

VALUE_RANGES = ((-1.0, 1.0), (0.0, 1.0), (0.0, 255.0))


def check_value_range(value_range):
    """Return ``value_range`` as a float pair if it is one of ``VALUE_RANGES``, else raise."""
    try:
        pair = tuple(float(v) for v in value_range)
    except (TypeError, ValueError):
        pair = value_range
    return check_choice(pair, "value_range", set(VALUE_RANGES))


def _to_unit_rgb(images, value_range):
    """Check ``images`` (..., 3) in ``value_range`` and return them as float64 RGB in [0, 1]."""
    low, high = check_value_range(value_range)
    images = np.asarray(images)
    if images.ndim < 1 or not (
        np.issubdtype(images.dtype, np.floating) or np.issubdtype(images.dtype, np.integer)
    ):
        raise ValueError(
            "`images` must be a real-valued array with RGB in its last axis; received dtype "
            f"{images.dtype} and shape {images.shape}."
        )
    check_channels(images, "images", 3)
    check_not_empty(images, "images")
    # A tolerance relative to the range lets float32 rounding through but catches a wrong
    # `value_range` (0..255 data declared as [-1, 1] would make every metric meaningless, not fail).
    check_range(images, "images", low, high, tolerance=1e-3 * (high - low))
    return (images.astype(np.float64) - low) / (high - low)


def rgb_to_ycbcr(images, value_range=(-1, 1)):
    """MATLAB ``rgb2ycbcr``: RGB (..., 3) in ``value_range`` -> YCbCr (..., 3) float64 on 0..255.

    Args:
        images: NumPy array or tensor with RGB in the last axis (HxWx3, NHWC, ...).
        value_range: the input range, one of ``(-1, 1)`` (the package's convention), ``(0, 1)`` or
            ``(0, 255)``; values outside it raise ``ValueError``.
    """
    rgb = _to_unit_rgb(images, value_range)
    return rgb @ YCBCR_FROM_RGB.T + YCBCR_OFFSET


def rgb_to_y(images, value_range=(-1, 1)):
    """The Y (luma) channel of MATLAB ``rgb2ycbcr``: RGB (..., 3) -> (...) float64 in [16, 235]."""
    rgb = _to_unit_rgb(images, value_range)
    return rgb @ YCBCR_FROM_RGB[0] + YCBCR_OFFSET[0]
