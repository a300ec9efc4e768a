"""Training crops from images held in memory: the built-in photos or a list of uint8 images."""

import numpy as np

from gan_papers.common.validation import check_choice
from gan_papers.data.photos import SPLITS, builtin_photos
from gan_papers.data.sr_training.pipeline import (
    check_common,
    crop_offsets,
    keep_large_enough,
    make_batches,
)


def _photos(images_or_split):
    if isinstance(images_or_split, str):
        check_choice(images_or_split, "images_or_split", SPLITS)
        return builtin_photos(images_or_split)
    photos = []
    for i, item in enumerate(images_or_split):
        name, image = item if isinstance(item, tuple) else (f"image_{i}", item)
        image = np.asarray(image)
        if image.ndim != 3 or image.shape[-1] != 3 or image.dtype != np.uint8:
            raise ValueError(
                f"`images_or_split` must hold uint8 HxWx3 images (or (name, image) pairs); item {i} "
                f"has dtype {image.dtype}, shape {image.shape}. Convert [0, 1] floats with "
                "gan_papers.common.ranges.unit_to_uint8."
            )
        photos.append((name, image))
    if not photos:
        raise ValueError("`images_or_split` must hold at least one image; received none.")
    return photos


def sr_dataset(
    images_or_split="train",
    crop_size=96,
    scale=4,
    batch_size=16,
    degradation="bicubic",
    seed=0,
    repeat=True,
    augment=True,
    crops_per_image=1,
    gaussian_sigma=None,
):
    """Batches of random ``(lr, hr)`` training crops from images held in memory.

    Args:
        images_or_split: ``"train"``, ``"heldout"`` or ``"all"`` (the built-in photos, see
            ``builtin_photos``), or a list of uint8 HxWx3 images or ``(name, image)`` pairs.
        crop_size: HR crop side (the paper's 96); divisible by ``scale``.
        scale: downsampling factor (the paper's 4).
        batch_size: crops per batch (the paper's 16).
        degradation: ``"bicubic"`` (MATLAB imresize) or ``"gaussian"`` (blur, then subsample).
        seed: integer; the same seed gives the same batches.
        repeat: endless stream of batches (for ``fit(steps_per_epoch=...)``, batch size static);
            otherwise one pass: ``crops_per_image`` crops of every image, the last batch may be short.
        augment: apply one of the 8 flips / 90-degree rotations at random to each crop.
        crops_per_image: crops cut each time an image is drawn.
        gaussian_sigma: blur of the Gaussian degradation in HR pixels; default ``(scale - 1) / 2``.

    Returns:
        A ``tf.data.Dataset`` of ``(lr, hr)``: LR (batch, crop/scale, crop/scale, 3) float32 in
        [0, 1] (8-bit levels), HR (batch, crop, crop, 3) float32 in [-1, 1]. Images smaller than
        ``crop_size`` are skipped with a warning.
    """
    import tensorflow as tf

    crop_size, scale, batch_size, crops_per_image = check_common(
        crop_size, scale, batch_size, degradation, seed, crops_per_image
    )
    photos = _photos(images_or_split)
    keep = keep_large_enough(
        [name for name, _ in photos], [image.shape[:2] for _, image in photos], crop_size
    )
    photos = [photos[i][1] for i in keep]
    # All images in one flat uint8 tensor: a crop gathers only its own pixels.
    flat = tf.constant(np.concatenate([image.ravel() for image in photos]))
    starts = tf.constant(np.cumsum([0] + [image.size for image in photos[:-1]]), tf.int64)
    heights = tf.constant([image.shape[0] for image in photos], tf.int64)
    widths = tf.constant([image.shape[1] for image in photos], tf.int64)

    def load(i):
        return tf.stack([starts[i], heights[i], widths[i]])

    def cut(ref, crop_seed):
        start, height, width = ref[0], ref[1], ref[2]
        top, left = crop_offsets(height, width, crop_size, crop_seed)
        rows = (top + tf.range(crop_size, dtype=tf.int64))[:, None] * width * 3
        cols = (left * 3 + tf.range(crop_size * 3, dtype=tf.int64))[None, :]
        return tf.reshape(tf.gather(flat, start + rows + cols), [crop_size, crop_size, 3])

    return make_batches(
        load,
        cut,
        len(photos),
        crop_size,
        scale,
        batch_size,
        degradation,
        gaussian_sigma,
        seed,
        repeat,
        augment,
        crops_per_image,
        tolerant=False,
    )
