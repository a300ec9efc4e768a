"""How close a reconstructed shape is to the true one (Wu et al. 2016, Section 4.3).

The paper scores single-image reconstruction on IKEA by average precision of the voxel predictions
(per class, then averaged). ``voxel_average_precision`` is that score over a batch; ``voxel_iou``,
the intersection over union of the thresholded shapes, is the common alternative in later work.
"""

import numpy as np
from sklearn.metrics import average_precision_score

from gan_papers.gan3d.voxels import check_threshold, check_voxels


def _pair(probabilities, voxels):
    probabilities = check_voxels(probabilities, "probabilities")
    voxels = check_voxels(voxels, "voxels", binary=True)
    if probabilities.shape != voxels.shape:
        raise ValueError(
            f"`probabilities` and `voxels` must have the same shape; received "
            f"{probabilities.shape} and {voxels.shape}."
        )
    return probabilities, voxels


def voxel_iou(probabilities, voxels, threshold=0.5):
    """Intersection over union of (``probabilities`` > ``threshold``) and ``voxels``, per shape.

    Args:
        probabilities: predicted occupancy (B, R, R, R, 1) in [0, 1].
        voxels: the true shapes (B, R, R, R, 1) in {0, 1}.
        threshold: occupancy level, in (0, 1).

    Returns:
        NumPy (B,) float64; a shape empty in both counts as 1.
    """
    probabilities, voxels = _pair(probabilities, voxels)
    predicted = probabilities.reshape(len(voxels), -1) > check_threshold(threshold)
    true = voxels.reshape(len(voxels), -1) > 0.5
    intersection = np.sum(predicted & true, axis=1)
    union = np.sum(predicted | true, axis=1)
    return np.where(union > 0, intersection / np.maximum(union, 1), 1.0)


def voxel_average_precision(probabilities, voxels):
    """Average precision of the voxel-wise occupancy predictions over the whole batch (a float).

    Args:
        probabilities: predicted occupancy (B, R, R, R, 1) in [0, 1].
        voxels: the true shapes (B, R, R, R, 1) in {0, 1}, with at least one occupied voxel.
    """
    probabilities, voxels = _pair(probabilities, voxels)
    if not voxels.any():
        raise ValueError("`voxels` must have at least one occupied voxel for a precision.")
    return float(average_precision_score(voxels.ravel() > 0.5, probabilities.ravel()))
