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
OUTPUT = RNG.uniform(-2, 2, (3, 4, 5, 3)).astype("float32")
ORIGINAL = RNG.uniform(-1, 1, (3, 4, 5, 3)).astype("float32")


def _numpy(kind):
    error = OUTPUT.astype("float64") - ORIGINAL
    if kind == "l2":
        return error**2
    return np.sqrt(error**2 + 1e-24)  # GFC_L1_loss.m


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_reconstruction_loss_sums_over_pixels_and_averages_over_the_batch(kind):
    element = _numpy(kind)
    by_sum = float(reconstruction_loss(OUTPUT, ORIGINAL, kind))  # "sum" is the default
    assert by_sum == pytest.approx(element.sum(axis=(1, 2, 3)).mean(), rel=1e-5)
    by_mean = float(reconstruction_loss(OUTPUT, ORIGINAL, kind, reduction="mean"))
    assert by_mean == pytest.approx(element.mean(), rel=1e-5)
    assert by_sum == pytest.approx(by_mean * 4 * 5 * 3, rel=1e-5)


def test_l1_is_the_authors_charbonnier_by_hand():
    """GFC_L1_loss.m: sum sqrt(d^2 + eps^2), eps = 1e-12, over the batch of 2 faces / 2; its
    gradient is sign(d) / batch (not a Huber loss: no quadratic zone below |d| = 1)."""
    output = tf.constant(np.array([[[[0.5, 3.0, -1.0]]], [[[0.0, 0.25, -0.1]]]], "float32"))
    original = tf.zeros_like(output)
    with tf.GradientTape() as tape:
        tape.watch(output)
        loss = reconstruction_loss(output, original, "l1")
    assert float(loss) == pytest.approx((0.5 + 3.0 + 1.0 + 0.0 + 0.25 + 0.1) / 2, rel=1e-6)
    gradient = tape.gradient(loss, output).numpy().ravel()
    np.testing.assert_allclose(gradient, [0.5, 0.5, -0.5, 0.0, 0.5, -0.5], atol=1e-6)


def test_reconstruction_loss_bad_arguments():
    with pytest.raises(ValueError, match="`kind`.*'smooth_l1'"):
        reconstruction_loss(OUTPUT, ORIGINAL, "smooth_l1")
    with pytest.raises(ValueError, match="`reduction`"):
        reconstruction_loss(OUTPUT, ORIGINAL, reduction="none")
    with pytest.raises(ValueError, match="same shape"):
        reconstruction_loss(OUTPUT, ORIGINAL[:, :2])


def _numpy_cross_entropy(logits, labels):
    shifted = logits.astype("float64") - logits.max(axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -np.take_along_axis(log_softmax, labels[..., None], axis=-1)[..., 0]


def test_parsing_loss_sums_over_pixels_and_averages_over_the_batch():
    """GFC_Softmax_loss.m: the cross-entropy summed over each face's pixels, divided by the batch."""
    logits = RNG.normal(size=(2, 3, 4, 11)).astype("float32") * 3
    labels = RNG.integers(0, 11, (2, 3, 4))
    per_pixel = _numpy_cross_entropy(logits, labels)
    by_sum = float(parsing_loss(logits, labels))  # "sum" is the default
    assert by_sum == pytest.approx(per_pixel.sum(axis=(1, 2)).mean(), rel=1e-5)
    by_mean = float(parsing_loss(logits, labels, reduction="mean"))
    assert by_mean == pytest.approx(per_pixel.mean(), rel=1e-5)
    assert by_sum == pytest.approx(by_mean * 3 * 4, rel=1e-5)


def test_parsing_loss_gradient_is_p_minus_y_over_the_batch():
    logits = tf.constant(RNG.normal(size=(2, 3, 4, 5)).astype("float32"))
    labels = RNG.integers(0, 5, (2, 3, 4))
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = parsing_loss(logits, labels)
    expected = (tf.nn.softmax(logits).numpy() - np.eye(5)[labels]) / 2
    np.testing.assert_allclose(tape.gradient(loss, logits).numpy(), expected, atol=1e-6)


def test_parsing_loss_bad_arguments():
    logits = np.zeros((2, 3, 4, 5), "float32")
    with pytest.raises(ValueError, match="`reduction`.*'none'"):
        parsing_loss(logits, np.zeros((2, 3, 4), "int64"), reduction="none")
    with pytest.raises(ValueError, match="share"):
        parsing_loss(logits, np.zeros((2, 4, 3), "int64"))


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
