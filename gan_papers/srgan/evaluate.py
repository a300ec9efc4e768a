"""The paper's evaluation protocol (Ledig et al. 2017, Section 3.1-3.2).

PSNR [dB] and SSIM on the Y channel (BT.601, MATLAB ``rgb2ycbcr``) after removing a border of
``scale`` pixels, averaged per image; the bicubic baseline upsamples with MATLAB-compatible bicubic.
The paper's case for SRGAN rests on mean opinion scores, which need human raters; ``evaluate_sr``
also reports ``sharpness`` (``gan_papers.common.metrics.sharpness_ratio_y``: the result's fine
detail relative to the HR photo's, 1 = as much), the measurable side of "photo-realistic texture".
"""

import numpy as np
from tqdm.auto import tqdm

from gan_papers.common.imresize import imresize
from gan_papers.common.metrics import psnr_y, sharpness_ratio_y, ssim_y
from gan_papers.common.ranges import signed_to_uint8, to_signed, uint8_to_signed
from gan_papers.common.validation import check_float, check_range, check_rank


def super_resolve(generator, lr):
    """Run ``generator`` (LR [0, 1] -> SR [-1, 1]) on one HxWx3 image or a batch; returns NumPy.

    BN layers run in inference mode (``training=False``), as at test time in the paper.
    """
    check_rank(lr, "lr", (3, 4), layout="[batch,] height, width, 3")
    check_float(lr, "lr")
    check_range(lr, "lr", 0.0, 1.0)
    batch = np.asarray(lr, dtype=np.float32)
    single = batch.ndim == 3
    if single:
        batch = batch[None]
    sr = np.asarray(generator(batch, training=False))
    return sr[0] if single else sr


def bicubic_upscale(lr, scale=4):
    """The bicubic baseline: MATLAB-compatible bicubic upsampling of LR [0, 1] -> [-1, 1]."""
    check_rank(lr, "lr", (3, 4), layout="[batch,] height, width, 3")
    return np.clip(to_signed(imresize(np.asarray(lr, dtype=np.float32), scale=scale)), -1.0, 1.0)


def evaluate_sr(method, pairs, scale=4, border=None, progress=True):
    """Per-image and mean Y-PSNR / SSIM of ``method`` on ``pairs``.

    Args:
        method: ``"bicubic"``, a Keras model (LR -> SR, e.g. SRResNet or ``SRGAN``) or a function
            ``lr -> sr`` on one HxWx3 image.
        pairs: a list of ``(name, lr, hr)`` with LR in [0, 1] and HR in [-1, 1] (as returned by
            ``gan_papers.data.heldout_pairs`` or ``benchmark_pairs``).
        scale: the upscaling factor.
        border: pixels removed at each side before measuring; default ``scale`` (the paper's protocol).

    Returns:
        dict with ``names``, ``psnr``, ``ssim`` and ``sharpness`` (per image, NumPy), ``mean_psnr``,
        ``mean_ssim``, ``mean_sharpness`` and ``images`` (the SR results in [-1, 1], rounded to 8
        bits as a saved result would be).
    """
    if not pairs:
        raise ValueError("`pairs` must hold at least one (name, lr, hr) triple; received none.")
    border = scale if border is None else border
    if isinstance(method, str):
        if method != "bicubic":
            raise ValueError(
                f"`method` must be 'bicubic', a model or a function; received {method!r}."
            )

        def run(lr):
            return bicubic_upscale(lr, scale)
    elif callable(getattr(method, "predict", None)):

        def run(lr):
            return super_resolve(method, lr)
    elif callable(method):
        run = method
    else:
        raise ValueError(f"`method` must be 'bicubic', a model or a function; received {method!r}.")

    names, psnrs, ssims, sharpness, images = [], [], [], [], []
    for name, lr, hr in tqdm(
        pairs, desc=f"evaluate {getattr(method, 'name', method)}", disable=not progress, leave=False
    ):
        sr = np.asarray(run(lr), dtype=np.float32)
        if sr.shape != hr.shape:
            raise ValueError(
                f"`method` returned shape {sr.shape} for {name!r}; expected the HR shape {hr.shape}."
            )
        # Benchmark results are measured on saved 8-bit images: clip and round as saving would.
        sr = uint8_to_signed(signed_to_uint8(sr))
        names.append(name)
        psnrs.append(float(psnr_y(sr, hr, border=border)))
        ssims.append(float(ssim_y(sr, hr, border=border)))
        sharpness.append(float(sharpness_ratio_y(sr, hr, border=border)))
        images.append(sr)
    psnrs, ssims, sharpness = np.array(psnrs), np.array(ssims), np.array(sharpness)
    return {
        "names": names,
        "psnr": psnrs,
        "ssim": ssims,
        "mean_psnr": float(psnrs.mean()),
        "mean_ssim": float(ssims.mean()),
        "sharpness": sharpness,
        "mean_sharpness": float(sharpness.mean()),
        "images": images,
    }


# The paper's Table 2 (x4): (PSNR dB, SSIM) per method and benchmark.
PAPER_TABLE_2 = {
    "Set5": {"bicubic": (28.43, 0.8211), "SRResNet": (32.05, 0.9019), "SRGAN": (29.40, 0.8472)},
    "Set14": {"bicubic": (25.99, 0.7486), "SRResNet": (28.49, 0.8184), "SRGAN": (26.02, 0.7397)},
    "BSD100": {"bicubic": (25.94, 0.6935), "SRResNet": (27.58, 0.7620), "SRGAN": (25.16, 0.6688)},
}
