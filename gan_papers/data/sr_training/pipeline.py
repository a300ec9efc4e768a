"""The shared crop pipeline: argument checks, random crop positions and augmentation, and the
``tf.data`` chain image order -> loaded images -> crops -> batches of (LR, HR)."""

import warnings

import numpy as np

from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.data.sr_training.degradation import DEGRADATIONS, degrade
from gan_papers.data.tuning import without_autotuning


def check_common(crop_size, scale, batch_size, degradation, seed, crops_per_image):
    crop_size = check_positive_int(crop_size, "crop_size")
    scale = check_positive_int(scale, "scale")
    batch_size = check_positive_int(batch_size, "batch_size")
    crops_per_image = check_positive_int(crops_per_image, "crops_per_image")
    check_choice(degradation, "degradation", DEGRADATIONS)
    if crop_size % scale:
        raise ValueError(
            f"`crop_size` must be divisible by scale={scale}, so that LR and HR pixels line up; "
            f"received {crop_size}."
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"`seed` must be an integer; received {seed!r}.")
    return crop_size, scale, batch_size, crops_per_image


def keep_large_enough(names, sizes, crop_size):
    """Indices of the images at least ``crop_size`` on both sides; warns about the others."""
    keep = [i for i, (h, w) in enumerate(sizes) if h >= crop_size and w >= crop_size]
    small = [name for i, name in enumerate(names) if i not in set(keep)]
    if not keep:
        raise ValueError(
            f"No image is at least crop_size={crop_size} pixels on both sides "
            f"({len(names)} image(s), e.g. {names[0]!r} is {sizes[0][0]}x{sizes[0][1]})."
        )
    if small:
        warnings.warn(
            f"Skipped {len(small)} image(s) smaller than crop_size={crop_size}: "
            f"{', '.join(map(str, small[:5]))}{', ...' if len(small) > 5 else ''}.",
            stacklevel=3,
        )
    return keep


def crop_offsets(height, width, crop_size, seed):
    """Random top-left corner of a ``crop_size`` crop of a height x width image (stateless)."""
    import tensorflow as tf

    top_seed, left_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))

    def offset(size, offset_seed):
        limit = tf.cast(size, tf.int64) - crop_size + 1
        return tf.random.stateless_uniform([], offset_seed, 0, limit, dtype=tf.int64)

    return offset(height, top_seed), offset(width, left_seed)


def _augment(crop, seed):
    """One of the 8 flips / 90-degree rotations of a square crop, at random (stateless)."""
    import tensorflow as tf

    flip_seed, rot_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    crop = tf.image.stateless_random_flip_left_right(crop, flip_seed)
    quarter_turns = tf.random.stateless_uniform([], rot_seed, 0, 4, dtype=tf.int32)
    return tf.image.rot90(crop, quarter_turns)


def make_batches(
    load,
    cut,
    num_images,
    crop_size,
    scale,
    batch_size,
    degradation,
    gaussian_sigma,
    seed,
    repeat,
    augment,
    crops_per_image,
    tolerant,
):
    """The shared pipeline: image order -> loaded images -> crops -> batches of (LR, HR).

    ``load(i)`` returns what ``cut(image, seed)`` needs to cut one random uint8 crop of image ``i``.
    With ``tolerant``, an image whose loading fails is dropped instead of ending the epoch.
    """
    import tensorflow as tf

    autotune = tf.data.AUTOTUNE
    seed = int(seed)

    def image_order(epoch):
        # A fresh permutation of the images for every pass, from the pass number alone.
        keys = tf.random.stateless_uniform(
            [num_images], tf.stack([tf.constant(seed, tf.int64), -1 - epoch])
        )
        return tf.data.Dataset.from_tensor_slices(tf.argsort(keys))

    passes = tf.data.Dataset.counter() if repeat else tf.data.Dataset.range(1)
    # k numbers the draws, so crop j of draw k gets its own seed (seed, k * crops_per_image + j).
    draws = passes.flat_map(image_order).enumerate()
    loaded = draws.map(lambda k, i: (k, load(i)), num_parallel_calls=autotune)
    if tolerant:
        # The header check already skipped unreadable files; a file that still fails to decode is
        # dropped here (TensorFlow logs it) rather than crashing the epoch.
        loaded = loaded.ignore_errors(log_warning=True)

    def crops_of(k, image):
        def crop(j):
            crop_seed = tf.stack([tf.constant(seed, tf.int64), k * crops_per_image + j])
            offset_seed, augment_seed = tf.unstack(
                tf.random.experimental.stateless_split(crop_seed, 2)
            )
            hr = cut(image, offset_seed)
            if augment:
                hr = _augment(hr, augment_seed)
            return tf.ensure_shape(hr, [crop_size, crop_size, 3])

        return crop

    if crops_per_image == 1:
        crops = loaded.map(
            lambda k, image: crops_of(k, image)(tf.constant(0, tf.int64)),
            num_parallel_calls=autotune,
        )
    else:
        # Round-robin over `batch_size` open images, so a batch mixes crops of different images.
        crops = loaded.interleave(
            lambda k, image: tf.data.Dataset.range(crops_per_image).map(crops_of(k, image)),
            cycle_length=batch_size,
            block_length=1,
        )

    def to_pair(hr_uint8):
        hr_unit = tf.cast(hr_uint8, tf.float32) / 255.0
        lr = degrade(hr_unit, scale, degradation, gaussian_sigma)
        lr = tf.round(tf.clip_by_value(lr, 0.0, 1.0) * 255.0) / 255.0
        return lr, hr_unit * 2.0 - 1.0

    pairs = crops.batch(batch_size, drop_remainder=repeat).map(to_pair, num_parallel_calls=autotune)
    return without_autotuning(pairs.prefetch(autotune))
