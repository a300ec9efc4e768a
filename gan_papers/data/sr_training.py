"""``tf.data`` pipelines of random (LR, HR) training crops for SRGAN (Ledig et al. 2017, Section 3.2).

The paper trains on random 96x96 HR crops, batch 16, each paired with its LR image downsampled x4;
LR images are scaled to [0, 1] and HR images to [-1, 1]. Two degradations make the LR image:

- ``"bicubic"`` (default; Section 3.2 and every benchmark): MATLAB's antialiased bicubic
  ``imresize(hr, 1/scale)``, via ``gan_papers.common.imresize.imresize_tf``.
- ``"gaussian"`` (Section 2: "applying a Gaussian filter to I_HR followed by a downsampling operation
  with downsampling factor r"): the paper gives no sigma, so the default is
  ``sigma = (scale - 1) / 2`` HR pixels (1.5 at x4), the anti-aliasing blur ``skimage.transform.rescale``
  applies before subsampling. The blurred image is sampled at the LR pixel centres, the same points
  bicubic uses (HR coordinate ``scale * j + (scale - 1) / 2``), so LR and HR stay aligned; for an odd
  scale these are HR pixel centres and this is exactly blur-then-subsample. The kernel is truncated
  at 4 sigma and the image mirrored at its borders, as ``scipy.ndimage.gaussian_filter`` does.

Either way the LR crop is made from the HR crop, then clipped to [0, 1] and rounded to 8 bits, as an
LR image saved to a PNG file (and every benchmark LR image) is.

The pipeline is deterministic given ``seed``: every random choice (the order of the images in each
pass, crop positions, flips and rotations) comes from stateless random ops seeded by ``seed`` and
the crop's position in the stream, so two iterations over the same dataset give identical batches.
Crops are cut in TensorFlow; from a folder, each decoded image gives ``crops_per_image`` crops (one
decode of a 2K PNG costs about 80 ms), spread over that many batches so a batch mixes images.
"""

import math
import pathlib
import warnings

import numpy as np

from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.data.image_folder import list_images, scan_images
from gan_papers.data.photos import SPLITS, builtin_photos

DEGRADATIONS = ("bicubic", "gaussian")
DIV2K_SPLITS = ("train", "valid")


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


def _check_common(crop_size, scale, batch_size, degradation, seed, crops_per_image):
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


def _keep_large_enough(names, sizes, crop_size):
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


def _crop_offsets(height, width, crop_size, seed):
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


def _make_batches(
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

    return (
        crops.batch(batch_size, drop_remainder=repeat)
        .map(to_pair, num_parallel_calls=autotune)
        .prefetch(autotune)
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

    crop_size, scale, batch_size, crops_per_image = _check_common(
        crop_size, scale, batch_size, degradation, seed, crops_per_image
    )
    photos = _photos(images_or_split)
    keep = _keep_large_enough(
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
        top, left = _crop_offsets(height, width, crop_size, crop_seed)
        rows = (top + tf.range(crop_size, dtype=tf.int64))[:, None] * width * 3
        cols = (left * 3 + tf.range(crop_size * 3, dtype=tf.int64))[None, :]
        return tf.reshape(tf.gather(flat, start + rows + cols), [crop_size, crop_size, 3])

    return _make_batches(
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


def folder_sr_dataset(
    folder,
    crop_size=96,
    scale=4,
    batch_size=16,
    degradation="bicubic",
    seed=0,
    repeat=True,
    augment=True,
    crops_per_image=16,
    gaussian_sigma=None,
    layout="a folder of .png / .jpg HR images",
):
    """Batches of random ``(lr, hr)`` training crops from the image files in ``folder``.

    Arguments and result as in ``sr_dataset``; files are decoded by ``tf.io.decode_image`` while
    training, so the folder may be larger than memory. Before the first batch, every file's header
    is read and checked (about 1 ms per file): unreadable files are skipped, counted and reported in
    one warning, and images smaller than ``crop_size`` are skipped with a warning. A rare file that
    passes that check but fails to decode is dropped by the pipeline (TensorFlow logs it). Raises
    ``ValueError`` naming the folder and the expected ``layout`` when it is missing or empty.
    """
    import tensorflow as tf

    crop_size, scale, batch_size, crops_per_image = _check_common(
        crop_size, scale, batch_size, degradation, seed, crops_per_image
    )
    files = list_images(folder, layout=layout)
    sizes, skipped = scan_images(files)
    files = [path for path in files if path in sizes]
    # The pipeline drops files that fail to decode; decoding files here until one succeeds makes sure
    # an endless stream can never end up waiting for a decodable file that does not exist.
    while files:
        try:
            tf.io.decode_image(tf.io.read_file(str(files[0])), channels=3, expand_animations=False)
            break
        except tf.errors.OpError as error:
            skipped.add(files.pop(0), error)
    skipped.warn()
    if not files:
        raise ValueError(f"`{folder}` holds no readable image ({len(skipped)} unreadable files).")
    keep = _keep_large_enough([p.name for p in files], [sizes[p] for p in files], crop_size)
    paths = tf.constant([str(files[i]) for i in keep])

    def decode(i):
        image = tf.io.decode_image(
            tf.io.read_file(paths[i]), channels=3, dtype=tf.uint8, expand_animations=False
        )
        return tf.ensure_shape(image, [None, None, 3])

    def cut(image, crop_seed):
        top, left = _crop_offsets(tf.shape(image)[0], tf.shape(image)[1], crop_size, crop_seed)
        return tf.slice(image, tf.stack([top, left, 0]), [crop_size, crop_size, 3])

    return _make_batches(
        decode,
        cut,
        len(keep),
        crop_size,
        scale,
        batch_size,
        degradation,
        gaussian_sigma,
        seed,
        repeat,
        augment,
        crops_per_image,
        tolerant=True,
    )


def div2k_dataset(
    data_dir,
    split="train",
    crop_size=96,
    scale=4,
    batch_size=16,
    degradation="bicubic",
    seed=0,
    repeat=True,
    augment=True,
    crops_per_image=16,
    gaussian_sigma=None,
):
    """``folder_sr_dataset`` over DIV2K's HR images (800 ``train``, 100 ``valid``).

    Reads ``<data_dir>/DIV2K/DIV2K_<split>_HR/0001.png ...``, the layout that
    ``python -m data_scripts.div2k --data-dir <data_dir>`` writes. LR crops are made from the HR crops
    with ``degradation``; DIV2K's own ``LR_bicubic`` files (the same MATLAB bicubic) are not needed.
    """
    check_choice(split, "split", DIV2K_SPLITS)
    folder = pathlib.Path(data_dir) / "DIV2K" / f"DIV2K_{split}_HR"
    layout = (
        f"DIV2K HR images {folder}/0001.png ..., as written by "
        f"`python -m data_scripts.div2k --data-dir {data_dir}`"
    )
    return folder_sr_dataset(
        folder,
        crop_size,
        scale,
        batch_size,
        degradation,
        seed,
        repeat,
        augment,
        crops_per_image,
        gaussian_sigma,
        layout=layout,
    )
