"""What two or more papers share.

NumPy-level helpers are importable from here directly (no TensorFlow import):
ranges, colour, metrics, MATLAB-compatible resizing, masks, run profiles. The Keras pieces live in
their modules: ``gan_papers.common.losses`` (adversarial losses on logits), ``.plotting``,
``.callbacks`` (``ImageGridCallback``), ``.progress`` (``TqdmProgress``), ``.training``
(loss scaling and replica averaging for ``train_step``), ``.sliced_conv`` (3-D convolutions as 2-D
ones) and ``.conv3d_choice`` (``implementation="auto"``: those or the native kernels, whichever this
machine runs fast), ``.fused_batch_norm`` (batch normalisation by TensorFlow's fused kernel).
"""

from gan_papers.common.color import rgb_to_y, rgb_to_ycbcr
from gan_papers.common.imresize import downscale, imresize, imresize_tf
from gan_papers.common.masks import (
    MASK_TYPES,
    center_mask,
    check_mask,
    half_mask,
    make_masks,
    random_box_mask,
    random_pattern_mask,
    random_pixel_mask,
)
from gan_papers.common.metrics import psnr, psnr_y, sharpness_ratio_y, ssim_y
from gan_papers.common.profiles import PROFILES, current_profile
from gan_papers.common.ranges import (
    signed_to_uint8,
    to_signed,
    to_unit,
    uint8_to_signed,
    uint8_to_unit,
    unit_to_uint8,
)
from gan_papers.common.source import show_source

__all__ = [
    "MASK_TYPES",
    "PROFILES",
    "center_mask",
    "check_mask",
    "current_profile",
    "downscale",
    "half_mask",
    "imresize",
    "imresize_tf",
    "make_masks",
    "psnr",
    "psnr_y",
    "random_box_mask",
    "random_pattern_mask",
    "random_pixel_mask",
    "rgb_to_y",
    "rgb_to_ycbcr",
    "sharpness_ratio_y",
    "show_source",
    "signed_to_uint8",
    "ssim_y",
    "to_signed",
    "to_unit",
    "uint8_to_signed",
    "uint8_to_unit",
    "unit_to_uint8",
]
