"""How close a generated or reconstructed shape is to real ones (Wu et al. 2016, Sections 4-4.3).

The paper scores single-image reconstruction on IKEA by average precision of the voxel predictions
(per class, then averaged). ``voxel_average_precision`` is that score over a batch; ``voxel_iou``,
the intersection over union of the thresholded shapes, is the common alternative in later work.
``nearest_shapes`` finds, for each generated shape, the most similar training shape by IoU: is the
generator making new objects or copying training ones, and of which class is each sample?
"""

import numpy as np
from sklearn.metrics import average_precision_score

from gan_papers.common.validation import check_positive_int
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


def nearest_shapes(probabilities, voxels, threshold=0.5, chunk=512):
    """For each shape in ``probabilities``, the shape of ``voxels`` with the highest IoU.

    Args:
        probabilities: generated occupancy (B, R, R, R, 1) in [0, 1].
        voxels: shapes to search, e.g. the training set (N, R, R, R, 1) in {0, 1}.
        threshold: occupancy level of ``probabilities``, in (0, 1).
        chunk: how many of ``voxels`` are compared at once (memory: 4 R^3 bytes each).

    Returns:
        ``(index, iou)``: NumPy (B,) int64, the index into ``voxels`` of each nearest shape, and
        (B,) float64, its IoU (two empty shapes count as 1, as in ``voxel_iou``).
    """
    probabilities = check_voxels(probabilities, "probabilities")
    voxels = check_voxels(voxels, "voxels", binary=True)
    if probabilities.shape[1:] != voxels.shape[1:]:
        raise ValueError(
            f"`probabilities` and `voxels` must be grids of the same size; received shapes "
            f"{probabilities.shape} and {voxels.shape}."
        )
    chunk = check_positive_int(chunk, "chunk")
    # Intersections as a product of 0/1 matrices: counts up to R^3, exact in float32 up to 2^24.
    generated = (probabilities.reshape(len(probabilities), -1) > check_threshold(threshold)).astype(
        "float32"
    )
    generated_sizes = generated.sum(axis=1)[:, None]
    rows = np.arange(len(generated))
    best_index = np.zeros(len(generated), "int64")
    best_iou = np.full(len(generated), -1.0)
    for start in range(0, len(voxels), chunk):
        block = voxels[start : start + chunk].reshape(-1, generated.shape[1])
        intersection = generated @ block.T
        union = generated_sizes + block.sum(axis=1)[None, :] - intersection
        iou = np.where(union > 0, intersection / np.maximum(union, 1), 1.0)
        column = iou.argmax(axis=1)
        found = iou[rows, column]
        better = found > best_iou  # ties keep the earlier shape, as argmax does
        best_index[better] = start + column[better]
        best_iou[better] = found[better]
    return best_index, best_iou
