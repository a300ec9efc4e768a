"""Measuring completions (Yeh et al. 2017, Section 4.2): PSNR over the whole image and inside the
hole, and the classical baselines a user would reach for.

The paper reports PSNR but argues it under-rates plausible fills: a sharp, believable face that
differs from the original scores lower than a blurry average. Show pictures next to the numbers.
"""

import numpy as np

from gan_papers.common.masks import check_mask
from gan_papers.common.ranges import signed_to_uint8, uint8_to_signed
from gan_papers.common.validation import check_image_batch


def masked_psnr(completed, original, mask=None):
    """Per-image PSNR [dB] of images in [-1, 1] (peak-to-peak 2), over the pixels where ``mask`` is 0
    (the hole), or over the whole image when ``mask`` is None. Shape (B,)."""
    check_image_batch(completed, "completed")
    check_image_batch(original, "original")
    if np.shape(completed) != np.shape(original):
        raise ValueError(
            f"`completed` and `original` must have the same shape; received {np.shape(completed)} "
            f"and {np.shape(original)}."
        )
    error = (np.asarray(completed, np.float64) - np.asarray(original, np.float64)) ** 2
    if mask is None:
        weight = np.ones_like(error[..., :1])
    else:
        check_mask(mask, "mask", like=completed)
        weight = 1.0 - np.asarray(mask, np.float64)
    weight = np.broadcast_to(weight, error.shape)
    mse = (error * weight).sum(axis=(1, 2, 3)) / np.maximum(weight.sum(axis=(1, 2, 3)), 1)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(4.0 / mse)


def mean_fill(images, masks):
    """Baseline: each hole filled with the mean colour of its image's known pixels."""
    images, masks = np.asarray(images, np.float32), np.asarray(masks, np.float32)
    known = masks.sum(axis=(1, 2, 3), keepdims=True)
    mean = (images * masks).sum(axis=(1, 2), keepdims=True) / np.maximum(known, 1)
    return images * masks + mean * (1.0 - masks)


def telea_inpaint(images, masks, radius=3):
    """Baseline: OpenCV's fast marching method (Telea 2004), ``cv2.inpaint(..., INPAINT_TELEA)``.

    Works on 8-bit images, so the result is quantised to 256 levels like a saved image.
    """
    import cv2

    out = []
    for image, mask in zip(np.asarray(images), np.asarray(masks), strict=True):
        hole = ((1.0 - mask[..., 0]) * 255).astype(np.uint8)
        filled = cv2.inpaint(signed_to_uint8(image), hole, radius, cv2.INPAINT_TELEA)
        out.append(uint8_to_signed(filled))
    return np.stack(out).astype(np.float32)


def discriminator_accuracy(discriminator, real_images, fake_images, batch_size=256):
    """D's accuracy in inference mode (as the latent search reads it): ``(real, fake)``, the fractions
    of ``real_images`` it calls real (logit > 0) and of ``fake_images`` it calls fake (logit < 0).
    """
    check_image_batch(real_images, "real_images")
    check_image_batch(fake_images, "fake_images")

    def logits(images):
        images = np.asarray(images, np.float32)
        return np.concatenate(
            [
                np.asarray(discriminator(images[i : i + batch_size], training=False))[:, 0]
                for i in range(0, len(images), batch_size)
            ]
        )

    return float((logits(real_images) > 0).mean()), float((logits(fake_images) < 0).mean())
