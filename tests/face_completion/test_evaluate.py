"""The ablation's measurements: part masks from label maps, SSIM, parsing accuracy in the hole."""

import numpy as np
import pytest
from skimage.metrics import structural_similarity

from gan_papers.data import FACE_CLASSES, render_faces
from gan_papers.face_completion.evaluate import (
    EVALUATION_MASKS,
    completion_scores,
    evaluation_masks,
    hole_sharpness,
    mean_class_accuracy,
    parsing_accuracy,
    region_masks,
    ssim,
)


def test_region_mask_covers_exactly_the_grown_bounding_box():
    labels = np.zeros((1, 20, 20), np.int32)
    labels[0, 5:7, 4:9] = FACE_CLASSES.index("nose")
    labels[0, 12, 10] = FACE_CLASSES.index("upper_lip")  # not part of the nose region
    mask = region_masks(labels, "nose", margin=0.05)  # grows by 1 pixel
    expected = np.ones((1, 20, 20, 1), np.float32)
    expected[0, 4:8, 3:10] = 0
    np.testing.assert_array_equal(mask, expected)


def test_region_masks_hide_the_parts_of_real_faces():
    _, labels = render_faces(np.arange(4), size=64)
    masks = evaluation_masks(labels, hole_size=32)
    assert tuple(masks) == EVALUATION_MASKS
    for region, classes in (("eyes", ("left_eye", "right_eye")), ("mouth", ("inner_mouth",))):
        part = np.isin(labels, [FACE_CLASSES.index(c) for c in classes])
        assert part.any()
        assert np.all(masks[region][..., 0][part] == 0)  # every pixel of the part is hidden
    assert masks["left_half"][:, :, :32].max() == 0 and masks["left_half"][:, :, 32:].min() == 1
    assert np.all((1 - masks["random_box"]).sum(axis=(1, 2, 3)) == 32 * 32)


def test_ssim_matches_scikit_image_per_image():
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (2, 16, 16, 3)).astype(np.float32)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), -1, 1).astype(np.float32)
    expected = [
        structural_similarity(x, y, data_range=2.0, channel_axis=-1)
        for x, y in zip(a, b, strict=True)
    ]
    np.testing.assert_allclose(ssim(a, b), expected)


class _Oracle:
    """A 'parser' that returns one-hot logits of fixed labels."""

    def __init__(self, labels):
        self.labels = labels

    def __call__(self, faces, training=False):
        return np.eye(len(FACE_CLASSES))[self.labels] * 10.0


def test_parsing_accuracy_counts_only_the_hole():
    truth = np.zeros((1, 4, 4), np.int64)
    predicted = truth.copy()
    predicted[0, 0, :2] = 1  # two wrong pixels, both inside the hole
    masks = np.ones((1, 4, 4, 1), np.float32)
    masks[0, 0, :] = 0  # the hole: the first row (4 pixels)
    faces = np.zeros((1, 4, 4, 3), np.float32)
    oracle = _Oracle(predicted)
    assert parsing_accuracy(oracle, faces, truth, masks)[0] == pytest.approx(0.5)
    assert parsing_accuracy(oracle, faces, truth)[0] == pytest.approx(14 / 16)
    big = np.zeros((1, 8, 8), np.int64)
    wrong = big.copy()
    wrong[0, 0, :4] = 1
    big_masks = np.ones((1, 8, 8, 1), np.float32)
    big_masks[0, 0, :] = 0
    big_faces = np.zeros((1, 8, 8, 3), np.float32)  # SSIM's 7x7 window needs >= 7 pixels a side
    scores = completion_scores(big_faces, big_faces, big_masks, big, _Oracle(wrong))
    assert scores["parsing_accuracy"] == pytest.approx(0.5) and scores["ssim"] == pytest.approx(1)


def test_mean_class_accuracy_weights_each_class_in_the_hole_alike():
    """Two images, pooled: in the holes, 12 skin pixels (all right) and 4 eye pixels (1 right).
    Pixel accuracy: 13 / 16; the mean over the two classes: (1 + 1/4) / 2."""
    skin, eye = FACE_CLASSES.index("skin"), FACE_CLASSES.index("left_eye")
    truth = np.full((2, 4, 4), skin, np.int64)
    truth[0, 0, :2] = eye
    truth[1, 0, :2] = eye
    truth[1, 3, :] = FACE_CLASSES.index("hair")  # outside the holes: not counted
    predicted = np.full((2, 4, 4), skin, np.int64)
    predicted[0, 0, 0] = eye
    masks = np.ones((2, 4, 4, 1), np.float32)
    masks[:, :2, :] = 0  # each hole: the first two rows
    faces = np.zeros((2, 4, 4, 3), np.float32)
    oracle = _Oracle(predicted)
    assert parsing_accuracy(oracle, faces, truth, masks).mean() == pytest.approx(13 / 16)
    assert mean_class_accuracy(oracle, faces, truth, masks) == pytest.approx((1 + 1 / 4) / 2)
    # A flat fill labelled all skin: high pixel accuracy, half the mean class accuracy.
    flat = _Oracle(np.full((2, 4, 4), skin, np.int64))
    assert parsing_accuracy(flat, faces, truth, masks).mean() == pytest.approx(12 / 16)
    assert mean_class_accuracy(flat, faces, truth, masks) == pytest.approx(0.5)
    # Without masks, the whole faces: hair is a third class, all wrong.
    assert mean_class_accuracy(oracle, faces, truth) == pytest.approx((1 + 1 / 4 + 0) / 3)
    assert np.isnan(mean_class_accuracy(oracle, faces, truth, np.ones((2, 4, 4, 1), np.float32)))
    with pytest.raises(ValueError, match="masks"):
        mean_class_accuracy(oracle, faces, truth, np.ones((2, 4, 4), np.float32))


def test_bad_region_raises():
    with pytest.raises(ValueError, match="region"):
        region_masks(np.zeros((1, 8, 8), np.int32), "ears")
    with pytest.raises(ValueError, match="labels"):
        region_masks(np.zeros((8, 8), np.int32), "nose")


def test_hole_sharpness_is_the_mean_absolute_laplacian_inside_the_hole():
    image = np.zeros((1, 5, 5, 3), np.float32)
    image[0, 2, 2] = 1.0  # luminance 1 at the centre: Laplacian -4 there, +1 at its 4 neighbours
    masks = np.ones((1, 5, 5, 1), np.float32)
    masks[0, 1:4, 1:4] = 0  # a 3x3 hole: the centre, its 4 neighbours, 4 corners (Laplacian 0)
    assert hole_sharpness(image, masks)[0] == pytest.approx((4 + 4 * 1) / 9)
    flat = np.full((1, 5, 5, 3), 0.3, np.float32)
    assert hole_sharpness(flat, masks)[0] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="masks"):
        hole_sharpness(image, masks[..., 0])
