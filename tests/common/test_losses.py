"""Adversarial losses: values against NumPy formulas and Keras BCE, stability, reductions, bad input."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.common.losses import (
    discriminator_accuracy,
    discriminator_loss,
    generator_loss,
    generator_loss_saturating,
)

REAL = np.array([[2.0], [-0.5], [0.3], [4.0]], dtype=np.float32)
FAKE = np.array([[-3.0], [0.7], [-0.1], [1.5]], dtype=np.float32)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_discriminator_loss_matches_log_formula():
    expected = np.mean(-np.log(_sigmoid(REAL))) + np.mean(-np.log(1.0 - _sigmoid(FAKE)))
    np.testing.assert_allclose(_np(discriminator_loss(REAL, FAKE)), expected, rtol=1e-6)


def test_generator_losses_match_log_formulas():
    np.testing.assert_allclose(
        _np(generator_loss(FAKE)), np.mean(-np.log(_sigmoid(FAKE))), rtol=1e-6
    )
    np.testing.assert_allclose(
        _np(generator_loss_saturating(FAKE)), np.mean(np.log(1.0 - _sigmoid(FAKE))), rtol=1e-6
    )


def test_agrees_with_keras_binary_crossentropy():
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    ones, zeros = np.ones_like(REAL), np.zeros_like(FAKE)
    np.testing.assert_allclose(
        _np(discriminator_loss(REAL, FAKE)),
        _np(bce(ones, REAL)) + _np(bce(zeros, FAKE)),
        rtol=1e-5,
    )
    np.testing.assert_allclose(_np(generator_loss(FAKE)), _np(bce(ones, FAKE)), rtol=1e-5)


def test_known_values_at_zero_logit():
    # D(x) = 0.5 everywhere: each BCE term is log 2.
    zeros = np.zeros((3, 1), np.float32)
    np.testing.assert_allclose(_np(discriminator_loss(zeros, zeros)), 2 * np.log(2.0), rtol=1e-6)
    np.testing.assert_allclose(_np(generator_loss(zeros)), np.log(2.0), rtol=1e-6)
    np.testing.assert_allclose(_np(generator_loss_saturating(zeros)), -np.log(2.0), rtol=1e-6)


def test_large_logits_are_finite_with_exact_asymptotes():
    big = np.array([[1000.0], [-1000.0]], np.float32)
    # softplus(l) -> l for large l and -> 0 for very negative l.
    np.testing.assert_allclose(_np(generator_loss(big, reduction=None)), [0.0, 1000.0], atol=1e-4)
    np.testing.assert_allclose(
        _np(generator_loss_saturating(big, reduction=None)), [-1000.0, 0.0], atol=1e-4
    )
    np.testing.assert_allclose(
        _np(discriminator_loss(big, big, reduction=None)), [1000.0, 1000.0], atol=1e-4
    )


@pytest.mark.parametrize(
    "loss_fn",
    [
        lambda x: discriminator_loss(x, x),
        generator_loss,
        generator_loss_saturating,
    ],
)
def test_gradients_finite_at_large_logits(loss_fn):
    logits = tf.Variable([[1000.0], [-1000.0], [0.0]])
    with tf.GradientTape() as tape:
        loss = loss_fn(logits)
    grad = tape.gradient(loss, logits).numpy()
    assert np.all(np.isfinite(grad)) and np.isfinite(loss.numpy())


def test_gradient_values_match_sigmoid_derivative():
    # d/dl of mean(softplus(-l)) is -sigmoid(-l) / n; of mean(-softplus(l)) it is -sigmoid(l) / n.
    logits = tf.Variable(FAKE)
    with tf.GradientTape(persistent=True) as tape:
        non_saturating = generator_loss(logits)
        saturating = generator_loss_saturating(logits)
    n = FAKE.size
    np.testing.assert_allclose(
        tape.gradient(non_saturating, logits).numpy(), -_sigmoid(-FAKE) / n, rtol=1e-5
    )
    np.testing.assert_allclose(
        tape.gradient(saturating, logits).numpy(), -_sigmoid(FAKE) / n, rtol=1e-5
    )


def test_reductions_per_sample_over_non_batch_axes():
    rng = np.random.default_rng(0)
    patch = rng.normal(size=(3, 4, 4, 1)).astype(np.float32)  # a PatchGAN-style logit map
    per_element = -np.log(_sigmoid(patch))
    per_sample = per_element.mean(axis=(1, 2, 3))
    got = _np(generator_loss(patch, reduction=None))
    assert got.shape == (3,)
    np.testing.assert_allclose(got, per_sample, rtol=1e-5)
    np.testing.assert_allclose(_np(generator_loss(patch, reduction="sum")), per_sample.sum(), 1e-5)
    np.testing.assert_allclose(_np(generator_loss(patch)), per_element.mean(), rtol=1e-5)


def test_discriminator_loss_per_sample_pairs_real_and_fake():
    got = _np(discriminator_loss(REAL, FAKE, reduction=None))
    expected = -np.log(_sigmoid(REAL[:, 0])) - np.log(1.0 - _sigmoid(FAKE[:, 0]))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    np.testing.assert_allclose(_np(discriminator_loss(REAL, FAKE, "sum")), expected.sum(), 1e-5)


def test_float16_logits_give_float32_loss():
    loss = generator_loss(keras.ops.cast(FAKE, "float16"))
    assert keras.backend.standardize_dtype(loss.dtype) == "float32"


def test_losses_run_under_xla():
    @tf.function(jit_compile=True)
    def step(real, fake):
        return (
            discriminator_loss(real, fake),
            generator_loss(fake),
            discriminator_accuracy(real, fake),
        )

    d, g, acc = step(tf.constant(REAL), tf.constant(FAKE))
    np.testing.assert_allclose(d.numpy(), _np(discriminator_loss(REAL, FAKE)), rtol=1e-6)
    np.testing.assert_allclose(g.numpy(), _np(generator_loss(FAKE)), rtol=1e-6)
    np.testing.assert_allclose(acc.numpy(), _np(discriminator_accuracy(REAL, FAKE)))


def test_discriminator_accuracy_counts_correct_decisions():
    # real > 0: 2.0, 0.3, 4.0 right (3 of 4); fake < 0: -3.0, -0.1 right (2 of 4).
    np.testing.assert_allclose(_np(discriminator_accuracy(REAL, FAKE)), 5 / 8)
    # A logit of exactly 0 (D = 0.5) is not a correct decision for either side.
    zeros = np.zeros((2, 1), np.float32)
    assert float(_np(discriminator_accuracy(zeros, zeros))) == 0.0
    np.testing.assert_allclose(_np(discriminator_accuracy(REAL + 100, FAKE - 100)), 1.0)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: generator_loss(np.float32(1.0)), "fake_logits"),
        (lambda: generator_loss(np.zeros((0, 1), np.float32)), "fake_logits"),
        (lambda: generator_loss(np.ones((2, 1), np.int32)), "fake_logits"),
        (lambda: discriminator_loss(np.ones((2, 1), np.int32), FAKE), "real_logits"),
        (lambda: discriminator_accuracy(REAL, np.float32(0.0)), "fake_logits"),
        (lambda: generator_loss(FAKE, reduction="max"), "reduction"),
        (lambda: discriminator_loss(REAL, FAKE[:2], reduction=None), "real_logits"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=f"`{argument}`"):
        call()
