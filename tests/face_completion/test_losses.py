"""The losses of Li et al. 2017 (eq. 1-3) against NumPy computations."""

import numpy as np
import pytest
import tensorflow as tf

from gan_papers.face_completion import (
    WeightedSparseCrossentropy,
    median_frequency_weights,
    parsing_labels,
    parsing_loss,
    reconstruction_loss,
)

RNG = np.random.default_rng(0)
# Errors on both sides of smooth L1's |e| = 1 knee.
OUTPUT = RNG.uniform(-2, 2, (3, 4, 5, 3)).astype("float32")
ORIGINAL = RNG.uniform(-1, 1, (3, 4, 5, 3)).astype("float32")


def _numpy(kind):
    error = OUTPUT.astype("float64") - ORIGINAL
    if kind == "l2":
        return error**2
    return np.where(np.abs(error) < 1, 0.5 * error**2, np.abs(error) - 0.5)


@pytest.mark.parametrize("kind", ["l2", "smooth_l1"])
def test_reconstruction_loss_sums_over_pixels_and_averages_over_the_batch(kind):
    element = _numpy(kind)
    assert 0 < np.mean(np.abs(OUTPUT - ORIGINAL) < 1) < 1  # both branches of smooth L1 are used
    by_sum = float(reconstruction_loss(OUTPUT, ORIGINAL, kind))  # "sum" is the default
    assert by_sum == pytest.approx(element.sum(axis=(1, 2, 3)).mean(), rel=1e-5)
    by_mean = float(reconstruction_loss(OUTPUT, ORIGINAL, kind, reduction="mean"))
    assert by_mean == pytest.approx(element.mean(), rel=1e-5)
    assert by_sum == pytest.approx(by_mean * 4 * 5 * 3, rel=1e-5)


def test_smooth_l1_by_hand():
    output = np.array([[[[0.5, 3.0, -1.0]]]], "float32")
    original = np.zeros_like(output)
    # 0.5 * 0.5^2 + (3 - 0.5) + (1 - 0.5): the knee at |e| = 1 is continuous.
    loss = float(reconstruction_loss(output, original, "smooth_l1"))
    assert loss == pytest.approx(0.125 + 2.5 + 0.5)


def test_reconstruction_loss_bad_arguments():
    with pytest.raises(ValueError, match="`kind`"):
        reconstruction_loss(OUTPUT, ORIGINAL, "l1")
    with pytest.raises(ValueError, match="`reduction`"):
        reconstruction_loss(OUTPUT, ORIGINAL, reduction="none")
    with pytest.raises(ValueError, match="same shape"):
        reconstruction_loss(OUTPUT, ORIGINAL[:, :2])


def test_parsing_loss_is_numpy_softmax_cross_entropy():
    logits = RNG.normal(size=(2, 3, 4, 11)).astype("float32") * 3
    labels = RNG.integers(0, 11, (2, 3, 4))
    shifted = logits.astype("float64") - logits.max(axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    expected = -np.take_along_axis(log_softmax, labels[..., None], axis=-1).mean()
    assert float(parsing_loss(logits, labels)) == pytest.approx(expected, rel=1e-5)


def test_parsing_labels_are_the_argmax_and_pass_no_gradient():
    original_logits = tf.constant(RNG.normal(size=(2, 3, 4, 11)).astype("float32"))
    completed_logits = tf.constant(RNG.normal(size=(2, 3, 4, 11)).astype("float32"))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([original_logits, completed_logits])
        labels = parsing_labels(original_logits)
        loss = parsing_loss(completed_logits, labels)
    np.testing.assert_array_equal(np.asarray(labels), np.argmax(original_logits.numpy(), axis=-1))
    assert tape.gradient(loss, original_logits) is None  # the original's parse is a fixed target
    assert np.abs(tape.gradient(loss, completed_logits).numpy()).max() > 0


def test_median_frequency_weights_by_hand():
    # Class 0 covers 12 of 16 pixels in map 0 and 8 of 16 in map 1; class 1 covers 4 of 16 in map 0
    # only; class 2 covers 8 of 16 in map 1 only; class 3 never appears.
    labels = np.zeros((2, 4, 4), np.int64)
    labels[0, 0] = 1
    labels[1, :2] = 2
    weights = median_frequency_weights(labels, num_classes=4)
    frequency = np.array([20 / 32, 4 / 16, 8 / 16])
    expected = np.median(frequency) / frequency
    np.testing.assert_allclose(weights[:3], expected, rtol=1e-6)
    assert weights[3] == 0


def test_weighted_crossentropy_weights_each_pixel_by_its_class():
    logits = np.random.default_rng(0).normal(size=(2, 3, 3, 4)).astype("float32")
    labels = np.random.default_rng(1).integers(0, 4, (2, 3, 3))
    weights = [0.5, 1.0, 2.0, 4.0]
    log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    per_pixel = -np.take_along_axis(log_softmax, labels[..., None], -1)[..., 0]
    expected = (per_pixel * np.take(weights, labels)).mean()
    loss = WeightedSparseCrossentropy(weights)(labels, logits)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    restored = WeightedSparseCrossentropy.from_config(
        WeightedSparseCrossentropy(weights).get_config()
    )
    assert restored.class_weights == weights
