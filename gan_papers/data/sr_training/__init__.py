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

One file per idea: ``degradation`` (``degrade``, ``gaussian_matrix``, ``DEGRADATIONS``), ``pipeline``
(the shared ``tf.data`` chain, crop positions and augmentation), ``photo_crops`` (``sr_dataset``,
images in memory) and ``folder_crops`` (``folder_sr_dataset``, ``div2k_dataset``, image files);
the public names are importable from here.
"""

from gan_papers.data.sr_training.degradation import (
    DEGRADATIONS,
    default_gaussian_sigma,
    degrade,
    gaussian_matrix,
)
from gan_papers.data.sr_training.folder_crops import DIV2K_SPLITS, div2k_dataset, folder_sr_dataset
from gan_papers.data.sr_training.photo_crops import sr_dataset

__all__ = [
    "DEGRADATIONS",
    "DIV2K_SPLITS",
    "default_gaussian_sigma",
    "degrade",
    "div2k_dataset",
    "folder_sr_dataset",
    "gaussian_matrix",
    "sr_dataset",
]
