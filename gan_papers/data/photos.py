"""Built-in colour photos for offline super-resolution (SRGAN, Ledig et al. 2017, Section 3.2 at toy scale).

The paper trains on 350,000 ImageNet images and tests on Set5, Set14 and BSD100. Without a download
the package uses every real colour photograph that is installed with scikit-image (``skimage.data``),
scikit-learn (``sklearn.datasets.load_sample_image``) and matplotlib
(``matplotlib.cbook.get_sample_data``): eleven in all (``skimage.data.cat`` is ``chelsea`` again).
Synthetic pictures (colour wheel, logos, rendered graphics) are left out: a super-resolution network
should learn from camera images. So are the ``skimage.data`` images that are fetched from the
internet on first use.

The split is fixed by name, so every run trains and evaluates on the same photos. The four held-out
photos cover different kinds of content, none of which the training photos share exactly:

- ``grace_hopper``: a portrait (face, fabric, flag);
- ``chelsea``: an animal (fine fur and whiskers);
- ``coffee``: a still life (smooth shading, specular highlights, wood grain);
- ``rocket``: a night scene of man-made structures (thin lines, point lights).

The seven training photos are ``astronaut`` (portrait), ``motorcycle`` (objects in a workshop),
``hubble_deep_field`` (stars and galaxies), ``immunohistochemistry`` (microscopy), ``retina``
(fundus photograph), and scikit-learn's ``china`` (a temple among trees) and ``flower`` (a dahlia).
The last two carry most of the natural texture (foliage, roof tiles, petals) a network can learn
from: most of ``hubble_deep_field`` and ``retina`` is smooth or black.
"""

import functools

import numpy as np

from gan_papers.common.validation import check_choice

TRAIN_PHOTOS = (
    "astronaut",
    "motorcycle",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    "china",
    "flower",
)
HELDOUT_PHOTOS = ("grace_hopper", "chelsea", "coffee", "rocket")
SPLITS = ("train", "heldout", "all")


def _skimage_photo(name):
    import skimage.data

    if name == "motorcycle":
        # stereo_motorcycle() returns (left, right, disparity); the left view is the photo.
        return skimage.data.stereo_motorcycle()[0]
    return getattr(skimage.data, name)()


def _matplotlib_photo(filename):
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data(filename) as file, Image.open(file) as image:
        return np.asarray(image.convert("RGB"))


def _sklearn_photo(filename):
    from sklearn.datasets import load_sample_image

    return load_sample_image(filename)


_LOADERS = {name: functools.partial(_skimage_photo, name) for name in TRAIN_PHOTOS}
_LOADERS.update({name: functools.partial(_skimage_photo, name) for name in HELDOUT_PHOTOS})
_LOADERS["china"] = functools.partial(_sklearn_photo, "china.jpg")
_LOADERS["flower"] = functools.partial(_sklearn_photo, "flower.jpg")
_LOADERS["grace_hopper"] = functools.partial(_matplotlib_photo, "grace_hopper.jpg")


@functools.cache
def _load(name):
    image = np.ascontiguousarray(_LOADERS[name](), dtype=np.uint8)
    # Callers share the cached array, so nobody may modify it in place.
    image.setflags(write=False)
    return image


def builtin_photos(split="train"):
    """The built-in photos of ``split`` as a list of ``(name, image)``.

    Args:
        split: ``"train"`` (7 photos), ``"heldout"`` (4 photos) or ``"all"`` (train, then held-out).

    Returns:
        A list of ``(name, image)`` with ``image`` a read-only uint8 array of shape HxWx3 (RGB).
        Each photo is read from disk once per process and cached.
    """
    check_choice(split, "split", SPLITS)
    names = {"train": TRAIN_PHOTOS, "heldout": HELDOUT_PHOTOS}.get(
        split, TRAIN_PHOTOS + HELDOUT_PHOTOS
    )
    return [(name, _load(name)) for name in names]
