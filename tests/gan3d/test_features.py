"""D's features and a linear SVM (Wu et al. 2016, Section 4.2), and the raw-voxel baseline."""

import keras
import numpy as np
import pytest

from gan_papers.gan3d import (
    build_discriminator,
    classification_experiment,
    discriminator_features,
    evaluate_feature_classifier,
    few_label_experiment,
    train_feature_classifier,
    voxel_features,
)
from gan_papers.gan3d.features import default_feature_layers, feature_extractor
from tests.gan3d.helpers import boxes


def test_papers_features_are_layers_2_to_4_pooled_by_8_4_2():
    discriminator = build_discriminator()  # 64^3, paper widths: only the graph is used
    assert default_feature_layers(discriminator) == ("lrelu2", "lrelu3", "lrelu4")
    extractor = feature_extractor(discriminator)
    pools = [extractor.get_layer(f"pool_lrelu{i}").pool_size for i in (2, 3, 4)]
    assert pools == [(8, 8, 8), (4, 4, 4), (2, 2, 2)]
    # Each map pooled to 2^3: 8 * (128 + 256 + 512) = 7168 features.
    assert extractor.output_shape == (None, 8 * (128 + 256 + 512)) == (None, 7168)


def _block_max(x, size):
    n, s = x.shape[0], x.shape[1]
    b = s // size
    return x.reshape(n, b, size, b, size, b, size, -1).max(axis=(2, 4, 6))


def test_features_are_the_max_pooled_concatenated_responses():
    discriminator = build_discriminator(32, filters=(4, 8, 8))
    voxels = boxes(5, resolution=32)
    features = discriminator_features(discriminator, voxels, batch_size=2)  # batches are joined
    assert features.shape == (5, 8 * (4 + 8 + 8)) and features.dtype == np.float32
    layers = ("lrelu1", "lrelu2", "lrelu3")  # a 3-stage D: all of them (16^3, 8^3, 4^3)
    responses = keras.Model(
        discriminator.input, [discriminator.get_layer(n).output for n in layers]
    )(voxels, training=False)
    expected = np.concatenate(
        [_block_max(np.asarray(r), np.asarray(r).shape[1] // 2).reshape(5, -1) for r in responses],
        axis=1,
    )
    np.testing.assert_allclose(features, expected, rtol=1e-6)
    # Chosen layers and pool sizes.
    chosen = discriminator_features(discriminator, voxels, layers=("lrelu2",), pool_sizes=(4,))
    np.testing.assert_allclose(chosen, _block_max(np.asarray(responses[1]), 4).reshape(5, -1))


def test_voxel_features_are_block_averages():
    voxels = boxes(3, resolution=16)
    features = voxel_features(voxels, size=4)
    assert features.shape == (3, 64)
    np.testing.assert_allclose(features[:, 0], voxels[:, :4, :4, :4, 0].mean(axis=(1, 2, 3)))
    np.testing.assert_allclose(features.sum(axis=1), voxels.sum(axis=(1, 2, 3, 4)) / 64, rtol=1e-6)


def _two_classes(n, seed):
    """Boxes in the lower half (class 0) or the upper half (class 1) of a 16^3 grid."""
    voxels = boxes(n, resolution=16, seed=seed)
    labels = np.arange(n) % 2
    voxels[labels == 1] = np.roll(voxels[labels == 1], 8, axis=2)
    voxels[labels == 1, :, :8] = 0
    voxels[labels == 0, :, 8:] = 0
    return voxels, labels


def test_classifier_and_the_experiment():
    rng = np.random.default_rng(0)
    features = np.concatenate([rng.normal(-2, 1, (20, 5)), rng.normal(2, 1, (20, 5))])
    labels = np.repeat([3, 7], 20)
    classifier = train_feature_classifier(features, labels)
    assert evaluate_feature_classifier(classifier, features, labels) == 1.0
    assert evaluate_feature_classifier(classifier, -features, labels) == 0.0

    train, test = _two_classes(24, seed=1), _two_classes(12, seed=2)
    discriminator = build_discriminator(16, filters=(4, 8))
    result = classification_experiment(discriminator, *train, *test, baseline_size=4)
    assert result["raw_voxels"] == 1.0  # the halves are separable from 4^3 block averages
    assert 0.0 <= result["discriminator"] <= 1.0
    assert result["feature_dims"] == {"discriminator": 8 * (4 + 8), "raw_voxels": 64}


def test_few_labels_train_on_the_first_shapes_of_each_class():
    (voxels, labels), test = _two_classes(24, seed=1), _two_classes(12, seed=2)
    discriminator = build_discriminator(16, filters=(4, 8))
    rows = few_label_experiment(
        discriminator, voxels, labels, *test, labels_per_class=(3, 12), baseline_size=4
    )
    assert [(r["labels_per_class"], r["train_shapes"]) for r in rows] == [(3, 6), (12, 24)]
    # Labels alternate 0, 1, ...: the first 3 of each class are shapes 0-5.
    alone = classification_experiment(discriminator, voxels[:6], labels[:6], *test, baseline_size=4)
    assert rows[0]["discriminator"] == alone["discriminator"]
    assert rows[0]["raw_voxels"] == alone["raw_voxels"]
    everything = classification_experiment(discriminator, voxels, labels, *test, baseline_size=4)
    assert rows[1]["raw_voxels"] == everything["raw_voxels"]
    with pytest.raises(ValueError, match="smallest class's 12 training shapes"):
        few_label_experiment(discriminator, voxels, labels, *test, labels_per_class=(13,))


# --- bad input -------------------------------------------------------------------------------


def test_features_need_binary_voxels_of_ds_resolution():
    discriminator = build_discriminator(16, filters=(4, 8))
    voxels = boxes(2, resolution=16)
    with pytest.raises(ValueError, match="`voxels` must be binary occupancy"):
        discriminator_features(discriminator, voxels * 0.5)
    with pytest.raises(ValueError, match="`voxels` must be binary occupancy"):
        voxel_features(voxels * 0.9)
    with pytest.raises(ValueError, match=r"`voxels` must have 16\^3 voxels"):
        discriminator_features(discriminator, boxes(2, resolution=8))
    with pytest.raises(ValueError, match=r"`voxels` must be a voxel grid of shape"):
        discriminator_features(discriminator, voxels[..., 0])
    with pytest.raises(ValueError, match=r"`voxels` must have values in \[0.0, 1.0\]"):
        discriminator_features(discriminator, voxels * 2)


def test_bad_feature_arguments():
    discriminator = build_discriminator(16, filters=(4, 8))
    voxels = boxes(2, resolution=16)
    with pytest.raises(ValueError, match="`layers` names a layer 'conv9'"):
        discriminator_features(discriminator, voxels, layers=("conv9",))
    with pytest.raises(ValueError, match="`pool_sizes` must give one kernel per layer"):
        discriminator_features(discriminator, voxels, pool_sizes=(2,))
    with pytest.raises(ValueError, match="`pool_sizes` must divide"):
        discriminator_features(discriminator, voxels, pool_sizes=(3, 2))
    with pytest.raises(ValueError, match="`size` must divide"):
        voxel_features(voxels, size=3)
    features = np.zeros((4, 3))
    with pytest.raises(ValueError, match="`labels` must be a 1-D array with one label per row"):
        train_feature_classifier(features, [0, 1])
    with pytest.raises(ValueError, match="at least 2 classes"):
        train_feature_classifier(features, [1, 1, 1, 1])
    with pytest.raises(ValueError, match="`features` must be a non-empty 2-D array"):
        train_feature_classifier(np.zeros(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="`features` must be finite"):
        train_feature_classifier(np.full((4, 3), np.nan), [0, 1, 0, 1])
