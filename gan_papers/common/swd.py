"""Sliced Wasserstein distance between two sets of images (Karras et al. 2018, Section 5).

Karras et al., "Progressive Growing of GANs for Improved Quality, Stability, and Variation", ICLR
2018, judge a generator without any trained network: they compare the *local image statistics* of
generated and real images at every scale. The recipe (their ``metrics/sliced_wasserstein.py``):

1. build each image's Laplacian pyramid (cv2's 5x5 binomial ``pyrDown``/``pyrUp``), from the full
   resolution down to 16x16; each level holds the detail of one scale;
2. draw 128 random 7x7 neighbourhoods per image and level: a 7 * 7 * 3 = 147-dimensional
   descriptor each;
3. normalise each set's descriptors per colour channel (zero mean, unit standard deviation), so the
   distance compares structure, not overall colour or contrast;
4. estimate the Wasserstein-1 distance between the two descriptor clouds by slicing: project both on
   4 x 128 random unit directions, sort each projection, and average the absolute differences of the
   sorted values (the 1-D Wasserstein distance of each slice);
5. report each level's distance times 10^3, and their mean.

Lower is closer. The number only means something next to references measured the same way: two
disjoint sets of real images (how far "real" is from itself with this many samples) and a trivial
model (how far from real a generator without structure is). ``independent_pixels`` draws such a
model: every pixel from a Gaussian with the real images' per-pixel mean and standard deviation, the
right first and second moments per pixel but no faces.
"""

import numpy as np
import scipy.ndimage

from gan_papers.common.validation import check_image_batch, check_positive_int, check_seed

# Karras et al.'s settings (``sliced_wasserstein.API``).
NEIGHBOURHOOD = 7
NEIGHBOURHOODS_PER_IMAGE = 128
DIRECTION_REPEATS = 4
DIRECTIONS_PER_REPEAT = 128
MIN_RESOLUTION = 16

# cv2.pyrDown's kernel: the outer product of the binomial [1, 4, 6, 4, 1] / 16.
_BINOMIAL = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0


def _pyramid_down(images):
    """Blur with the binomial kernel (mirrored edges, as cv2) and keep every second pixel."""
    blurred = scipy.ndimage.convolve(images, _BINOMIAL[None, :, :, None], mode="mirror")
    return blurred[:, ::2, ::2]


def _pyramid_up(images):
    """Insert zeros between the pixels and blur with 4x the kernel (cv2.pyrUp)."""
    n, h, w, c = images.shape
    spread = np.zeros((n, 2 * h, 2 * w, c), images.dtype)
    spread[:, ::2, ::2] = images
    return scipy.ndimage.convolve(spread, 4.0 * _BINOMIAL[None, :, :, None], mode="mirror")


def laplacian_pyramid(images, levels):
    """``levels`` arrays: the band-pass details at full, 1/2, 1/4, ... resolution, then the
    low-pass remainder at the coarsest. ``images``: float (N, H, W, C), H and W divisible by
    ``2 ** (levels - 1)``."""
    pyramid = [np.asarray(images, np.float64)]
    for _ in range(1, levels):
        coarser = _pyramid_down(pyramid[-1])
        pyramid[-1] = pyramid[-1] - _pyramid_up(coarser)
        pyramid.append(coarser)
    return pyramid


def _descriptors(level, rng, per_image):
    """``per_image`` random 7x7 neighbourhoods of every image, flattened to rows, then normalised
    per channel over the whole set (Karras et al.'s ``finalize_descriptors``)."""
    n, h, w, c = level.shape
    half = NEIGHBOURHOOD // 2
    offsets = np.arange(-half, half + 1)
    image = np.repeat(np.arange(n), per_image)
    rows = rng.integers(half, h - half, size=n * per_image)[:, None] + offsets
    cols = rng.integers(half, w - half, size=n * per_image)[:, None] + offsets
    patches = level[image[:, None, None], rows[:, :, None], cols[:, None, :]]  # (M, 7, 7, C)
    patches = patches - patches.mean(axis=(0, 1, 2))
    patches = patches / np.maximum(patches.std(axis=(0, 1, 2)), 1e-12)
    return patches.reshape(len(patches), -1)


def _sliced_distance(a, b, rng):
    """Mean 1-D Wasserstein distance between ``a`` and ``b`` over random unit directions."""
    distances = []
    for _ in range(DIRECTION_REPEATS):
        directions = rng.standard_normal((a.shape[1], DIRECTIONS_PER_REPEAT))
        directions /= np.linalg.norm(directions, axis=0, keepdims=True)
        projected_a = np.sort(a @ directions, axis=0)
        projected_b = np.sort(b @ directions, axis=0)
        distances.append(np.abs(projected_a - projected_b).mean())
    return float(np.mean(distances))


def pyramid_resolutions(size):
    """The resolutions SWD compares for ``size``-pixel images: size, size / 2, ... down to 16
    (stopping early at an odd size, which cannot be halved exactly)."""
    resolutions = []
    while size >= MIN_RESOLUTION:
        resolutions.append(size)
        if size % 2:
            break
        size //= 2
    return resolutions


def sliced_wasserstein_distance(images_a, images_b, seed=0):
    """SWD x 10^3 between two equally sized sets of images, per pyramid level and on average.

    Args:
        images_a, images_b: float (N, S, S, 3) in [-1, 1], the same N and S >= 16.
        seed: the random neighbourhoods and directions (the same seed gives the same number).

    Returns:
        ``{resolution: distance, ..., "mean": mean over levels}`` with int keys for the levels.
    """
    for name, images in (("images_a", images_a), ("images_b", images_b)):
        check_image_batch(images, name)
    a, b = np.asarray(images_a), np.asarray(images_b)
    if a.shape != b.shape:
        raise ValueError(
            f"`images_a` and `images_b` must have the same shape (the distance compares equally "
            f"many neighbourhoods); received {a.shape} and {b.shape}."
        )
    size = a.shape[1]
    if a.shape[2] != size or size < MIN_RESOLUTION:
        raise ValueError(
            f"`images_a` must hold square images of at least {MIN_RESOLUTION} pixels; received "
            f"{a.shape[1]}x{a.shape[2]}."
        )
    resolutions = pyramid_resolutions(size)
    rng = np.random.default_rng(check_seed(seed))
    levels = len(resolutions)
    result = {}
    for resolution, level_a, level_b in zip(
        resolutions, laplacian_pyramid(a, levels), laplacian_pyramid(b, levels), strict=True
    ):
        descriptors_a = _descriptors(level_a, rng, NEIGHBOURHOODS_PER_IMAGE)
        descriptors_b = _descriptors(level_b, rng, NEIGHBOURHOODS_PER_IMAGE)
        result[resolution] = 1e3 * _sliced_distance(descriptors_a, descriptors_b, rng)
    result["mean"] = float(np.mean([result[r] for r in resolutions]))
    return result


def independent_pixels(images, count, seed=0):
    """``count`` images whose pixels are independent Gaussians with the per-pixel mean and
    standard deviation of ``images`` (clipped to [-1, 1]): a model with no structure, the
    trivial baseline of a sample-quality score."""
    check_image_batch(images, "images")
    count = check_positive_int(count, "count")
    images = np.asarray(images, np.float64)
    rng = np.random.default_rng(check_seed(seed))
    noise = rng.standard_normal((count, *images.shape[1:]))
    drawn = images.mean(axis=0) + images.std(axis=0) * noise
    return np.clip(drawn, -1.0, 1.0).astype(np.float32)
