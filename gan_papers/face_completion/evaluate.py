"""Measuring completions as Li et al. 2017 do (Section 4.2-4.3): masks over face parts, PSNR and SSIM
of the completed faces, and how well the frozen parser can still parse them.

The paper evaluates fixed masks that hide one part of aligned faces (eyes, nose, mouth, a half) and
reports PSNR, SSIM and a parsing score per training stage. Here each part mask is the bounding box of
that part in the face's own label map, grown by a margin, so it hides the part on every face.
"""

import numpy as np

from gan_papers.common.masks import check_mask, half_mask, random_box_mask
from gan_papers.common.metrics import laplacian
from gan_papers.common.validation import check_image_batch, check_rank
from gan_papers.data.faces import FACE_CLASSES
from gan_papers.inpainting.evaluate import masked_psnr

# Helen's class indices of each face part.
REGIONS = {
    "eyes": ("left_brow", "right_brow", "left_eye", "right_eye"),
    "nose": ("nose",),
    "mouth": ("upper_lip", "inner_mouth", "lower_lip"),
}
EVALUATION_MASKS = ("eyes", "nose", "mouth", "left_half", "random_box")


def region_masks(labels, region, margin=0.06):
    """(B, H, W, 1) masks, 1 = known, hiding the bounding box of ``region``'s classes in each label
    map (B, H, W), grown by ``margin`` times the image size on every side. A face without the region
    gets no hole."""
    if region not in REGIONS:
        raise ValueError(f"`region` must be one of {sorted(REGIONS)}; received {region!r}.")
    labels = np.asarray(labels)
    check_rank(labels, "labels", 3, layout="batch, height, width")
    height, width = labels.shape[1:]
    grow = int(round(margin * max(height, width)))
    classes = [FACE_CLASSES.index(name) for name in REGIONS[region]]
    masks = np.ones(labels.shape + (1,), np.float32)
    for i, label in enumerate(labels):
        rows, cols = np.nonzero(np.isin(label, classes))
        if rows.size:
            top, bottom = max(rows.min() - grow, 0), min(rows.max() + grow + 1, height)
            left, right = max(cols.min() - grow, 0), min(cols.max() + grow + 1, width)
            masks[i, top:bottom, left:right] = 0.0
    return masks


def evaluation_masks(labels, hole_size, seed=0):
    """The evaluation masks for faces with ``labels``: {name: (B, H, W, 1)} for ``EVALUATION_MASKS``
    (the three parts, the left half, and a random ``hole_size`` box as in training)."""
    labels = np.asarray(labels)
    size = labels.shape[1:3]
    masks = {region: region_masks(labels, region) for region in REGIONS}
    masks["left_half"] = half_mask(size, len(labels), side="left")
    masks["random_box"] = random_box_mask(size, len(labels), seed=seed, box_size=hole_size)
    return masks


def ssim(completed, original):
    """Per-image SSIM of RGB images in [-1, 1] (scikit-image, 7x7 window, channels averaged)."""
    from skimage.metrics import structural_similarity

    return np.array(
        [
            structural_similarity(a, b, data_range=2.0, channel_axis=-1)
            for a, b in zip(np.asarray(completed), np.asarray(original), strict=True)
        ]
    )


def parsing_accuracy(parser, faces, labels, masks=None):
    """Per-image fraction of pixels the parser labels as ``labels`` says: over the hole when
    ``masks`` is given (where the completion was drawn), else over the whole face."""
    return _pixel_accuracy(_parse(parser, faces), labels, _checked_masks(masks, faces))


def mean_class_accuracy(parser, faces, labels, masks=None):
    """The parser's accuracy per true class, averaged over the classes present: the "mean accuracy"
    of segmentation (Long et al. 2015, Section 5), over the holes of ``masks`` when given, pooled
    over the batch (one number).

    Pixel accuracy (``parsing_accuracy``) counts every pixel once, so in a large hole it is mostly
    the skin's score, and a flat skin-coloured fill gets the skin right and scores high. Here an
    eye counts as much as the skin around it: a fill scores high only if it holds the parts.
    NaN when the masks hide no pixel at all.
    """
    return _class_accuracy(_parse(parser, faces), labels, _checked_masks(masks, faces))


def _parse(parser, faces):
    """The parser's labels (B, H, W) of ``faces`` (B, H, W, 3)."""
    check_image_batch(faces, "faces")
    return np.argmax(np.asarray(parser(np.asarray(faces, np.float32), training=False)), -1)


def _checked_masks(masks, faces):
    if masks is not None:
        check_mask(masks, "masks", like=faces)
    return masks


def _pixel_accuracy(predicted, labels, masks):
    correct = (predicted == np.asarray(labels)).astype(np.float64)
    return correct.mean(axis=(1, 2)) if masks is None else _hole_mean(correct, masks)


def _class_accuracy(predicted, labels, masks):
    labels = np.asarray(labels)
    inside = np.ones(labels.shape, bool) if masks is None else np.asarray(masks)[..., 0] < 0.5
    truth = labels[inside]
    total = np.bincount(truth, minlength=len(FACE_CLASSES))
    correct = np.bincount(truth[predicted[inside] == truth], minlength=len(FACE_CLASSES))
    present = total > 0
    if not present.any():  # no hole anywhere (a part missing from every small face): no score
        return float("nan")
    return float(np.mean(correct[present] / total[present]))


def _hole_mean(values, masks):
    """Per-image mean of ``values`` (B, H, W) over the hole of ``masks`` (B, H, W, 1), 1 = known."""
    hole = 1.0 - np.asarray(masks, np.float64)[..., 0]
    return (values * hole).sum(axis=(1, 2)) / np.maximum(hole.sum(axis=(1, 2)), 1)


def hole_sharpness(images, masks):
    """Per-image mean absolute Laplacian of the luminance inside the hole: how much fine detail
    (edges, texture) the hole holds. A blurry fill, the pixel-wise average an L2 loss rewards, scores
    low; compare with the same number on the original faces in the same holes.

    ``images`` (B, H, W, 3) in [-1, 1], ``masks`` (B, H, W, 1), 1 = known. The 4-neighbour Laplacian
    is taken with edge padding, over the hole's pixels only.
    """
    check_image_batch(images, "images")
    check_mask(masks, "masks", like=images)
    luminance = np.asarray(images, np.float64) @ np.array([0.299, 0.587, 0.114])
    return _hole_mean(np.abs(laplacian(luminance)), masks)


def completion_scores(completed, original, masks, labels, parser):
    """Mean PSNR (whole face and hole), SSIM, parsing accuracy (per pixel, and per class:
    ``mean_class_accuracy``) and sharpness (``hole_sharpness``) in the hole of ``completed`` faces."""
    predicted = _parse(parser, completed)  # once for both parsing scores
    masks = _checked_masks(masks, completed)
    return {
        "psnr": float(masked_psnr(completed, original).mean()),
        "psnr_hole": float(masked_psnr(completed, original, masks).mean()),
        "ssim": float(ssim(completed, original).mean()),
        "parsing_accuracy": float(_pixel_accuracy(predicted, labels, masks).mean()),
        "class_accuracy": _class_accuracy(predicted, labels, masks),
        "sharpness": float(hole_sharpness(completed, masks).mean()),
    }
