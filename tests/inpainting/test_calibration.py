"""Recomputing batch-norm statistics for the prior loss's discriminator, against hand computations."""

import keras
import numpy as np
import pytest

from gan_papers.inpainting import SemanticInpainter
from gan_papers.inpainting.calibration import (
    calibrate_discriminator,
    recompute_batch_norm_statistics,
)
from gan_papers.inpainting.networks import build_discriminator, build_generator
from tests.gan_case import assert_raises

SIZE, LATENT = 16, 6


def _two_bn_model():
    keras.utils.set_random_seed(0)
    x = keras.Input((4, 4, 2))
    h = keras.layers.Conv2D(3, 3, padding="same", name="conv1")(x)
    h = keras.layers.BatchNormalization(name="bn1")(h)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(2, 3, padding="same", name="conv2")(h)
    h = keras.layers.BatchNormalization(name="bn2")(h)
    return keras.Model(x, keras.layers.Dense(1)(keras.layers.Flatten()(h)))


def _batches(n=3, size=5, shift=0.0):
    rng = np.random.default_rng(1)
    return [(rng.normal(size=(size, 4, 4, 2)) + shift).astype("float32") for _ in range(n)]


def _bn_output_before_affine(model, name, x):
    layer = model.get_layer(name)
    h = keras.Model(model.inputs[0], layer.input)(x, training=False)
    return (h - layer.moving_mean) / np.sqrt(layer.moving_variance + layer.epsilon)


def test_pooled_statistics_are_exact_layer_by_layer():
    model = _two_bn_model()
    batches = _batches()
    trainable = [w.numpy() for w in model.trainable_weights]
    recompute_batch_norm_statistics(model, batches)
    everything = np.concatenate(batches)
    conv1 = np.asarray(model.get_layer("conv1")(everything), np.float64)
    np.testing.assert_allclose(model.get_layer("bn1").moving_mean, conv1.mean((0, 1, 2)), atol=1e-5)
    np.testing.assert_allclose(
        model.get_layer("bn1").moving_variance, conv1.var((0, 1, 2)), rtol=1e-4
    )
    # bn2 sees conv2 of the *recalibrated* bn1, in inference mode: its inputs come out standardised.
    normalised = np.asarray(_bn_output_before_affine(model, "bn2", everything))
    np.testing.assert_allclose(normalised.mean((0, 1, 2)), 0.0, atol=1e-4)
    np.testing.assert_allclose(normalised.var((0, 1, 2)), 1.0, rtol=1e-2)  # epsilon 1e-3
    for a, b in zip(trainable, [w.numpy() for w in model.trainable_weights], strict=True):
        np.testing.assert_array_equal(a, b)


def test_per_batch_statistics_average_each_batchs_own_moments():
    model = _two_bn_model()
    batches = _batches(n=2, shift=0.0) + _batches(n=2, shift=3.0)  # two groups, as real and fake
    recompute_batch_norm_statistics(model, batches, statistics="per_batch")
    conv1 = [np.asarray(model.get_layer("conv1")(b), np.float64) for b in batches]
    bn1 = model.get_layer("bn1")
    np.testing.assert_allclose(
        bn1.moving_mean, np.mean([c.mean((0, 1, 2)) for c in conv1], axis=0), atol=1e-5
    )
    # The variance of each batch around its own mean, averaged: the spread between the two
    # groups is not in it, unlike the pooled variance.
    per_batch = np.mean([c.var((0, 1, 2)) for c in conv1], axis=0)
    np.testing.assert_allclose(bn1.moving_variance, per_batch, rtol=1e-4)
    assert np.all(per_batch < np.concatenate(conv1).var((0, 1, 2)))


def _prior(seed=2):
    keras.utils.set_random_seed(seed)
    return (
        build_generator(SIZE, latent_dim=LATENT, base_filters=16),
        build_discriminator(SIZE, base_filters=8),
    )


def _faces(n=8):
    return np.random.default_rng(3).uniform(-1, 1, (n, SIZE, SIZE, 3)).astype("float32")


def test_mixed_calibration_pools_real_images_and_as_many_samples():
    generator, discriminator = _prior()
    real = _faces()
    calibrate_discriminator(discriminator, generator, real, "mixed", batch_size=4, seed=5)
    z = np.random.default_rng(5).uniform(-1, 1, (8, LATENT)).astype("float32")
    mixture = np.concatenate([real, np.asarray(generator(z, training=False))])
    normalised = np.asarray(_bn_output_before_affine(discriminator, "bn2", mixture))
    np.testing.assert_allclose(normalised.mean((0, 1, 2)), 0.0, atol=1e-4)
    only_real = np.asarray(_bn_output_before_affine(discriminator, "bn2", real))
    assert np.abs(only_real.mean((0, 1, 2))).max() > 1e-2  # the real half alone is not centred


def test_generated_calibration_needs_no_real_image_and_standardises_the_samples():
    generator, discriminator = _prior()
    calibrate_discriminator(discriminator, generator, samples=16, batch_size=4, seed=7)
    z = np.random.default_rng(7).uniform(-1, 1, (16, LATENT)).astype("float32")
    samples = np.asarray(generator(z, training=False))
    normalised = np.asarray(_bn_output_before_affine(discriminator, "bn2", samples))
    np.testing.assert_allclose(normalised.mean((0, 1, 2)), 0.0, atol=1e-4)
    bn2 = discriminator.get_layer("bn2")
    inputs = np.asarray(keras.Model(discriminator.inputs[0], bn2.input)(samples), np.float64)
    np.testing.assert_allclose(bn2.moving_variance, inputs.var((0, 1, 2)), rtol=1e-3)


@pytest.mark.parametrize("statistics", ["real", "generated", "separate"])
def test_other_calibrations_run_and_differ(statistics):
    generator, discriminator = _prior()
    trained = discriminator.get_layer("bn2").moving_mean.numpy()
    calibrate_discriminator(discriminator, generator, _faces(), statistics, batch_size=4)
    assert not np.allclose(discriminator.get_layer("bn2").moving_mean.numpy(), trained)


def test_inpainter_calibrates_a_copy_and_leaves_the_callers_networks_alone():
    generator, discriminator = _prior()
    before = [w.numpy() for w in discriminator.weights]
    inpainter = SemanticInpainter(generator, discriminator, calibration_images=_faces())
    for a, b in zip(before, [w.numpy() for w in discriminator.weights], strict=True):
        np.testing.assert_array_equal(a, b)
    assert inpainter.discriminator is not discriminator
    expected = keras.models.clone_model(discriminator)
    expected.set_weights(discriminator.get_weights())
    calibrate_discriminator(expected, generator, _faces(), seed=0)
    for a, b in zip(expected.weights, inpainter.discriminator.weights, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    kept = SemanticInpainter(generator, discriminator, d_statistics="as_trained")
    assert kept.discriminator is discriminator


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda g, d: calibrate_discriminator(d, g, _faces(), statistics="median"), "`statistics`"),
        (lambda g, d: calibrate_discriminator(d, g, _faces() * 3), "`real_images`"),
        (
            lambda g, d: calibrate_discriminator(d, g, _faces(2), "separate", batch_size=4),
            "`batch_size`",
        ),
        (lambda g, d: calibrate_discriminator(d, g, None, "mixed"), "`real_images`"),
        (lambda g, d: calibrate_discriminator(d, g, samples=0), "`samples`"),
        (lambda g, d: SemanticInpainter(g, d, d_statistics="mixed"), "`calibration_images`"),
        (lambda g, d: SemanticInpainter(g, d, d_statistics="train"), "`d_statistics`"),
        (lambda g, d: calibrate_discriminator(d, g, _faces(), batch_size=0), "`batch_size`"),
        (lambda g, d: recompute_batch_norm_statistics(d, []), "`batches`"),
        (lambda g, d: recompute_batch_norm_statistics(d, _batches(), "mean"), "`statistics`"),
    ],
)
def test_bad_arguments(call, fragment):
    generator, discriminator = _prior()
    assert_raises(call, {"g": generator, "d": discriminator}, fragment)
