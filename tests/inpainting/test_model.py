"""The DCGAN prior of Yeh et al. 2017 (Radford et al. 2016): builders, train step, saving, resuming."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from gan_papers.inpainting.model import DCGAN
from gan_papers.inpainting.networks import build_discriminator, build_generator
from tests.gan_case import (
    assert_mixed_precision_step,
    assert_raises_table,
    assert_resumes_exactly,
    assert_safe_mode_round_trip,
    weights_of,
)

SIZE = 16  # two stages: the smallest size with batch norm in both networks
LATENT = 8


def tiny_dcgan(seed=3, optimizer=None, size=SIZE, **compile_kwargs):
    generator = build_generator(size, latent_dim=LATENT, base_filters=16)
    discriminator = build_discriminator(size, base_filters=8)
    model = DCGAN(generator, discriminator, seed=seed)
    kwargs = {}
    if optimizer is not None:
        kwargs = {"g_optimizer": optimizer(), "d_optimizer": optimizer()}
    model.compile(**kwargs, **compile_kwargs)
    return model


def images(n=8, seed=0, size=SIZE):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 3)).astype("float32")


def dataset(n=8, batch=4):
    """A fixed (unshuffled) dataset of image batches, no labels."""
    return tf.data.Dataset.from_tensor_slices(images(n)).batch(batch)


# --- builders -------------------------------------------------------------------------------


def _conv(c_in, c_out, bias):
    return 25 * c_in * c_out + (c_out if bias else 0)  # 5x5 kernels


def _bn(c):
    return 4 * c  # gamma, beta, moving mean, moving variance


def test_generator_parameter_count_at_the_papers_size():
    # Dense 100 -> 4*4*512 (no bias: BN follows), BN, three 5x5 transposed convs to 256, 128, 64
    # each with BN, and the last to 3 channels with a bias.
    expected = 100 * 4 * 4 * 512 + _bn(512)
    expected += sum(_conv(a, b, False) + _bn(b) for a, b in [(512, 256), (256, 128), (128, 64)])
    expected += _conv(64, 3, True)
    generator = build_generator()
    assert generator.count_params() == expected == 5_128_643
    assert generator.input_shape == (None, 100)


def test_discriminator_parameter_count_at_the_papers_size():
    # 5x5 convs 3 -> 64 (bias, no BN), 64 -> 128 -> 256 -> 512 (BN), then a 4x4x512 -> 1 logit.
    expected = _conv(3, 64, True)
    expected += sum(_conv(a, b, False) + _bn(b) for a, b in [(64, 128), (128, 256), (256, 512)])
    expected += 4 * 4 * 512 + 1
    assert build_discriminator().count_params() == expected == 4_317_441


def test_weights_start_from_normal_with_stddev_0_02():
    kernel = build_generator(32, base_filters=128).get_layer("deconv1").kernel.numpy()
    assert kernel.size > 100_000
    assert abs(kernel.mean()) < 1e-3
    assert kernel.std() == pytest.approx(0.02, rel=0.02)


@pytest.mark.parametrize("size, stages", [(32, 3), (64, 4)])
def test_shapes_and_float32_outputs(size, stages):
    generator = build_generator(size, latent_dim=LATENT, base_filters=64)
    discriminator = build_discriminator(size, base_filters=8)
    z = np.random.default_rng(0).uniform(-1, 1, (2, LATENT)).astype("float32")
    fake = generator(z, training=False)
    assert tuple(fake.shape) == (2, size, size, 3)
    assert fake.dtype == "float32"
    assert np.abs(np.asarray(fake)).max() <= 1.0  # tanh
    logits = discriminator(fake, training=False)
    assert tuple(logits.shape) == (2, 1)
    assert logits.dtype == "float32"
    # A logit, not a probability: nothing squashes it to [0, 1].
    assert discriminator.get_layer("logit").get_config()["activation"] == "linear"
    # One stride-2 stage per doubling from 4x4; the widths halve (G) and double (D).
    widths = [generator.get_layer(f"deconv{s}").filters for s in range(1, stages + 1)]
    assert widths == [64 // 2**s for s in range(1, stages)] + [3]
    assert discriminator.get_layer(f"conv{stages}").filters == 8 * 2 ** (stages - 1)


@pytest.mark.parametrize("size", [0, 4, 24, 48, 65, "64"])
def test_image_size_must_be_4_times_a_power_of_2(size):
    assert_raises_table(
        [
            (build_generator, {"image_size": size}, "`image_size`"),
            (build_discriminator, {"image_size": size}, "`image_size`"),
        ]
    )


def test_generator_widths_must_halve_evenly():
    with pytest.raises(ValueError, match="`base_filters` must be divisible by 2\\^3"):
        build_generator(64, base_filters=100)


# --- the model ------------------------------------------------------------------------------


def test_codes_are_uniform_on_minus_one_one_and_follow_the_seed():
    z = tiny_dcgan(seed=7).latents(20_000).numpy()
    assert z.shape == (20_000, LATENT)
    assert z.min() >= -1.0 and z.max() <= 1.0
    # U[-1, 1], not U[0, 1] nor N(0, 1): a deterministic draw, so the test is not flaky.
    assert stats.kstest(z.ravel(), stats.uniform(loc=-1, scale=2).cdf).pvalue > 0.01
    same_seed = tiny_dcgan(seed=7)
    np.testing.assert_array_equal(same_seed.latents(20_000).numpy(), z)
    assert not np.array_equal(same_seed.latents(20_000).numpy(), z)  # the stream advances


def _hand_step(generator, discriminator, x, z, lr):
    """One D step then one G step with SGD, written out with tf.GradientTape."""

    def minus_log_sigmoid(logits):
        return tf.reduce_mean(-tf.math.log_sigmoid(logits))

    fake = generator(z, training=True)
    with tf.GradientTape() as tape:
        real_logits = discriminator(x, training=True)
        fake_logits = discriminator(fake, training=True)
        # -log D(x) - log(1 - D(G(z))), with 1 - sigmoid(l) = sigmoid(-l).
        d_loss = minus_log_sigmoid(real_logits) + minus_log_sigmoid(-fake_logits)
    d_vars = discriminator.trainable_variables
    for v, g in zip(d_vars, tape.gradient(d_loss, d_vars), strict=True):
        v.assign_sub(lr * g)
    with tf.GradientTape() as tape:
        g_loss = minus_log_sigmoid(discriminator(generator(z, training=True), training=True))
    g_vars = generator.trainable_variables
    for v, g in zip(g_vars, tape.gradient(g_loss, g_vars), strict=True):
        v.assign_sub(lr * g)
    return {
        "d_loss": float(d_loss),
        "g_loss": float(g_loss),
        "d_real": float(tf.reduce_mean(tf.sigmoid(real_logits))),
        "d_fake": float(tf.reduce_mean(tf.sigmoid(fake_logits))),
    }


# XLA at 8x8 (G has batch norm, D none) because compiling the 16x16 step costs seconds; the
# 16x16 step, with batch norm in D, runs as a plain tf.function.
@pytest.mark.parametrize("size, jit_compile", [(8, True), (SIZE, False)])
def test_train_step_equals_a_hand_written_alternating_step(size, jit_compile):
    lr = 0.1
    model = tiny_dcgan(
        optimizer=lambda: keras.optimizers.SGD(lr), size=size, jit_compile=jit_compile
    )
    reference = tiny_dcgan(size=size)
    reference.set_weights(model.get_weights())
    before = weights_of(model)
    # The codes the step will use: the model's seed stream, drawn from a copy of its state, the
    # same way as the step (XLA's random kernels give other numbers than TensorFlow's own).
    stream = keras.random.SeedGenerator(0)
    stream.state.assign(model.seed_generator.state.value)
    draw = tf.function(
        lambda: keras.random.uniform((4, LATENT), minval=-1.0, maxval=1.0, seed=stream),
        jit_compile=jit_compile,
    )
    x = images(4, size=size)
    z = draw()
    expected_logs = _hand_step(reference.generator, reference.discriminator, x, z, lr)

    logs = model.fit(x, batch_size=4, epochs=1, verbose=0, shuffle=False).history
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    for name, value in expected_logs.items():
        assert np.isfinite(logs[name][-1])
        assert logs[name][-1] == pytest.approx(value, rel=1e-4)
    after = weights_of(model)
    for a, b in zip(after, weights_of(reference), strict=True):  # BN statistics included
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    n_g = len(model.generator.weights)
    assert any(not np.array_equal(a, b) for a, b in zip(before[:n_g], after[:n_g], strict=True))
    assert any(not np.array_equal(a, b) for a, b in zip(before[n_g:], after[n_g:], strict=True))


def test_default_optimizers_follow_radford_et_al():
    model = tiny_dcgan()
    for optimizer in (model.g_optimizer, model.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert optimizer.beta_1 == 0.5
    assert model.g_optimizer is not model.d_optimizer
    assert model.optimizer is None


def test_mixed_precision_step():
    assert_mixed_precision_step(
        tiny_dcgan,
        dataset(),
        float16_layers={"generator": "deconv1", "discriminator": "conv2"},
        outputs=("generator", "discriminator"),
        networks=("generator", "discriminator"),
    )


def test_keras_file_round_trip_in_safe_mode(tmp_path):
    model = tiny_dcgan(run_eagerly=True)  # the traced step is tested above; tracing costs seconds
    # (image, label) pairs, as image_dataset_from_directory gives: the labels are ignored.
    labelled = tf.data.Dataset.from_tensor_slices((images(), np.arange(8))).batch(4)
    model.fit(labelled, epochs=1, verbose=0)
    z = np.random.default_rng(1).uniform(-1, 1, (3, LATENT)).astype("float32")
    # Optimizer state and the seed stream come back, so training continues where it stopped.
    loaded = assert_safe_mode_round_trip(model, tmp_path, z, atol=1e-6, name="dcgan.keras")
    assert isinstance(loaded, DCGAN)
    np.testing.assert_array_equal(
        np.asarray(loaded.sample(2, seed=5)), np.asarray(model.sample(2, seed=5))
    )
    assert int(loaded.g_optimizer.iterations) == 2
    assert float(loaded.d_optimizer.beta_1) == 0.5


def test_backup_and_restore_resumes_exactly(tmp_path):
    # Eager steps (the traced step is tested above; three traced models cost seconds), one batch
    # per epoch. The resumed model is a new session: only the backup carries over. The codes drawn
    # after resuming depend on the seed generator's state, which a fresh model has back at its
    # start: the helper checks that the backup restored it.
    assert_resumes_exactly(
        lambda: tiny_dcgan(run_eagerly=True),
        dataset(n=4),
        epochs=3,
        at_epoch=2,
        tmp_path=tmp_path,
        iterations=3,
    )


def test_sample_draws_images_without_touching_the_training_stream():
    model = tiny_dcgan()
    state = model.seed_generator.state.numpy()
    samples = np.asarray(model.sample(5, seed=1))
    assert samples.shape == (5, SIZE, SIZE, 3)
    np.testing.assert_array_equal(np.asarray(model.sample(5, seed=1)), samples)
    np.testing.assert_array_equal(model.seed_generator.state.numpy(), state)


# --- bad input ------------------------------------------------------------------------------


def test_wrong_image_shape_in_the_training_data_is_a_clear_error():
    model = tiny_dcgan()
    wrong = np.zeros((4, 2 * SIZE, 2 * SIZE, 3), "float32")
    with pytest.raises(ValueError, match=r"shape \(batch, 16, 16, 3\).*received batches of shape"):
        model.fit(wrong, batch_size=4, epochs=1, verbose=0)


def test_networks_of_different_sizes_are_refused():
    generator = build_generator(SIZE, latent_dim=LATENT, base_filters=16)
    with pytest.raises(ValueError, match="`discriminator` must take the images"):
        DCGAN(generator, build_discriminator(2 * SIZE, base_filters=8))


def test_sample_needs_a_positive_count():
    with pytest.raises(ValueError, match="`n`"):
        tiny_dcgan().sample(0)
