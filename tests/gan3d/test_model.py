"""GAN3D's training (Wu et al. 2016, Section 3.1): D is updated only while its accuracy is <= the
threshold, read from the previous or the current batch; G is updated at every step."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from gan_papers.gan3d import GAN3D, sample_latent
from tests.gan3d.helpers import LATENT, SIZE, boxes, tiny_gan, tiny_networks
from tests.gan_case import (
    assert_mixed_precision_step,
    assert_raises_table,
    assert_xla_step,
    changed,
    weights_of,
)

READINGS = ("previous_batch", "current_batch")


def fit_one_batch(model, voxels):
    history = model.fit(voxels, batch_size=len(voxels), epochs=1, verbose=0, shuffle=False)
    return {name: values[-1] for name, values in history.history.items()}


def d_state(model):
    """D's trainable weights and every variable of its optimizer (moments and iterations)."""
    return (
        [np.array(v) for v in model.discriminator.trainable_weights],
        [np.array(v) for v in model.d_optimizer.variables],
    )


# --- the gated update ------------------------------------------------------------------------


@pytest.mark.parametrize("accuracy_from", READINGS)
def test_d_steps_only_when_accuracy_is_at_most_the_threshold_with_xla(accuracy_from):
    # Any accuracy is <= 2 and > -1: the threshold decides. Changing it (a variable) between fits
    # reuses the compiled step.
    model = tiny_gan(
        accuracy_from=accuracy_from, accuracy_threshold=2.0, compile_kwargs={"jit_compile": True}
    )
    x = boxes(4)
    d_before, g_before = d_state(model), weights_of(model.generator)
    logs = fit_one_batch(model, x)
    d_after, g_after = d_state(model), weights_of(model.generator)
    assert logs["d_updated"] == 1.0
    assert all(changed(d_before[0], d_after[0]))  # every trainable weight of D moved
    assert int(model.d_optimizer.iterations) == 1
    assert any(changed(g_before, g_after))
    assert float(model.last_accuracy.numpy()) == pytest.approx(logs["d_accuracy"])

    model.set_accuracy_threshold(-1.0)
    logs = fit_one_batch(model, x)
    d_skipped, g_skipped = d_state(model), weights_of(model.generator)
    assert logs["d_updated"] == 0.0
    assert not any(changed(d_after[0], d_skipped[0]))  # D's weights ...
    assert not any(changed(d_after[1], d_skipped[1]))  # ... and Adam's moments and step count
    assert int(model.d_optimizer.iterations) == 1
    # G is updated at every step.
    assert any(changed(g_after, g_skipped))
    assert int(model.g_optimizer.iterations) == 2
    assert 0.0 <= logs["d_accuracy"] <= 1.0 and np.isfinite(logs["d_loss"])
    if accuracy_from == "previous_batch":
        # The compiled step reads the stored accuracy before it stores this batch's. A read after
        # the write would decide on this batch's accuracy instead, and pass both checks only if
        # that were exactly 0 in the first and exactly 1 in the second.
        model.set_accuracy_threshold(0.0)
        model.last_accuracy.assign(0.0)
        assert fit_one_batch(model, x)["d_updated"] == 1.0
        model.set_accuracy_threshold(0.99)
        model.last_accuracy.assign(1.0)
        assert fit_one_batch(model, x)["d_updated"] == 0.0


def test_previous_batch_reads_the_stored_accuracy_not_the_current_one():
    model = tiny_gan(accuracy_from="previous_batch", compile_kwargs={"run_eagerly": True})
    x = boxes(4)
    assert float(model.last_accuracy.numpy()) == 0.0  # so the first step updates D
    model.last_accuracy.assign(0.81)  # the previous batch: above the paper's 0.8
    logs = fit_one_batch(model, x)
    assert logs["d_updated"] == 0.0 and int(model.d_optimizer.iterations) == 0
    # The variable now holds this batch's accuracy, which the next step reads.
    assert float(model.last_accuracy.numpy()) == pytest.approx(logs["d_accuracy"])
    model.last_accuracy.assign(0.8)  # "not higher than 80 %": equal counts as low enough
    assert fit_one_batch(model, x)["d_updated"] == 1.0
    assert int(model.d_optimizer.iterations) == 1


def test_current_batch_ignores_the_stored_accuracy():
    model = tiny_gan(
        accuracy_from="current_batch", accuracy_threshold=2.0, compile_kwargs={"run_eagerly": True}
    )
    model.last_accuracy.assign(1.0)
    assert fit_one_batch(model, boxes(4))["d_updated"] == 1.0
    model.set_accuracy_threshold(-1.0)
    model.last_accuracy.assign(0.0)
    assert fit_one_batch(model, boxes(4))["d_updated"] == 0.0


@pytest.mark.parametrize("accuracy_from", READINGS)
def test_decisions_follow_the_accuracy_read_over_many_steps(accuracy_from):
    model = tiny_gan(
        accuracy_from=accuracy_from,
        accuracy_threshold=0.5,
        optimizer=lambda: keras.optimizers.Adam(0.02, beta_1=0.5),
    )
    x = tf.constant(boxes(4))
    accuracy, updated = [], []
    for _ in range(6):  # eager steps, each step's own values
        for metric in model.metrics:
            metric.reset_state()
        logs = model.train_step(x)
        accuracy.append(float(logs["d_accuracy"]))
        updated.append(float(logs["d_updated"]))
    accuracy, updated = np.array(accuracy), np.array(updated)
    read = accuracy if accuracy_from == "current_batch" else np.concatenate([[0.0], accuracy[:-1]])
    np.testing.assert_array_equal(updated, (read <= 0.5).astype("float32"))
    assert int(model.d_optimizer.iterations) == int(updated.sum())
    assert int(model.g_optimizer.iterations) == 6


def _hand_step(generator, discriminator, x, z, lr, update_d, real_noise=0.0, fake_noise=0.0):
    """One step written out with tf.GradientTape and SGD: D's step (if ``update_d``), then G's
    non-saturating step on the same G(z), judged by the D of this step. D sees x + real_noise and
    G(z) + fake_noise."""

    def minus_log_sigmoid(logits):
        return tf.reduce_mean(-tf.math.log_sigmoid(logits))

    with tf.GradientTape() as g_tape:
        fake = generator(z, training=True) + fake_noise
    with tf.GradientTape() as tape:
        real_logits = discriminator(x + real_noise, training=True)
        fake_logits = discriminator(fake, training=True)
        d_loss = minus_log_sigmoid(real_logits) + minus_log_sigmoid(-fake_logits)
    accuracy = np.mean(np.concatenate([real_logits.numpy() > 0, fake_logits.numpy() < 0]))
    if update_d:
        d_vars = discriminator.trainable_variables
        for v, g in zip(d_vars, tape.gradient(d_loss, d_vars), strict=True):
            v.assign_sub(lr * g)
    with g_tape:
        g_loss = minus_log_sigmoid(discriminator(fake, training=True))
    g_vars = generator.trainable_variables
    for v, g in zip(g_vars, g_tape.gradient(g_loss, g_vars), strict=True):
        v.assign_sub(lr * g)
    return {
        "d_loss": float(d_loss),
        "g_loss": float(g_loss),
        "d_accuracy": float(accuracy),
        "d_updated": float(update_d),
    }


@pytest.mark.parametrize(
    ("update_d", "prior", "sigma"),
    [
        (True, "uniform", 0.0),
        (False, "uniform", 0.0),
        (True, "normal", 0.3),
        (False, "normal", 0.3),
    ],
)
def test_train_step_equals_a_hand_written_step(update_d, prior, sigma):
    lr = 0.1
    model = tiny_gan(
        accuracy_from="current_batch",
        accuracy_threshold=2.0 if update_d else -1.0,
        prior=prior,
        instance_noise=sigma,
        optimizer=lambda: keras.optimizers.SGD(lr),
        compile_kwargs={"run_eagerly": True},  # the traced step is the XLA test's
    )
    reference = tiny_gan()
    reference.set_weights(model.get_weights())
    # What the step draws from the model's seed stream (from a copy of its state): the codes,
    # then (with instance noise) the noise on G(z), then the noise on x.
    stream = keras.random.SeedGenerator(0)
    stream.state.assign(model.seed_generator.state.value)
    z = sample_latent(4, LATENT, prior, seed=stream)
    x = boxes(4)
    noise = {}
    if sigma:
        for name in ("fake_noise", "real_noise"):
            noise[name] = sigma * keras.random.normal(x.shape, seed=stream)
    expected = _hand_step(reference.generator, reference.discriminator, x, z, lr, update_d, **noise)
    logs = fit_one_batch(model, x)
    assert set(logs) == {"d_loss", "g_loss", "d_accuracy", "d_updated"}
    for name, value in expected.items():
        assert logs[name] == pytest.approx(value, rel=1e-4, abs=1e-6), name
    for network in ("generator", "discriminator"):  # BN statistics too
        for a, b in zip(
            weights_of(getattr(model, network)),
            weights_of(getattr(reference, network)),
            strict=True,
        ):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_default_optimizers_are_the_papers():
    model = tiny_gan()
    assert float(model.g_optimizer.learning_rate) == pytest.approx(0.0025)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(1e-5)
    for optimizer in (model.g_optimizer, model.d_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam) and optimizer.beta_1 == 0.5
    assert model.accuracy_threshold == pytest.approx(0.8)
    assert model.accuracy_from == "previous_batch"
    assert model.optimizer is None


# --- the codes -------------------------------------------------------------------------------


def test_codes_are_uniform_on_zero_one_and_follow_the_seed():
    model = tiny_gan(seed=7)
    z = model.latents(20_000).numpy()
    assert z.shape == (20_000, LATENT)
    assert z.min() >= 0.0 and z.max() <= 1.0
    # U[0, 1], not U[-1, 1] nor N(0, 0.33) (the ports' choice): a seeded draw, so not flaky.
    assert stats.kstest(z.ravel(), stats.uniform(loc=0, scale=1).cdf).pvalue > 0.01
    assert stats.kstest(z.ravel(), stats.norm(scale=0.33).cdf).pvalue < 1e-6
    same_seed = tiny_gan(seed=7)
    np.testing.assert_array_equal(same_seed.latents(20_000).numpy(), z)
    assert not np.array_equal(same_seed.latents(20_000).numpy(), z)  # the stream advances


def test_normal_prior_draws_standard_normal_codes_for_training_and_sampling():
    model = tiny_gan(seed=7, prior="normal")
    z = model.latents(20_000).numpy()
    assert stats.kstest(z.ravel(), stats.norm().cdf).pvalue > 0.01
    # sample() decodes codes from the same prior: the ones sample_latent draws with its seed.
    expected = model.generator(sample_latent(3, LATENT, "normal", seed=1), training=False)
    np.testing.assert_allclose(np.asarray(model.sample(3, seed=1)), np.asarray(expected))


def test_instance_noise_is_gaussian_with_the_given_deviation_and_off_at_zero():
    x = tf.constant(boxes(64))
    noisy = tiny_gan(instance_noise=0.25).add_instance_noise(x).numpy()
    noise = noisy - x.numpy()
    assert noise.std() == pytest.approx(0.25, rel=0.02)
    assert abs(noise.mean()) < 0.01
    assert stats.kstest(noise.ravel() / 0.25, stats.norm().cdf).pvalue > 0.01
    model = tiny_gan()
    state = model.seed_generator.state.numpy()
    assert model.add_instance_noise(x) is x
    np.testing.assert_array_equal(model.seed_generator.state.numpy(), state)  # nothing drawn


def test_instance_noise_decays_linearly_to_zero_with_gs_steps():
    model = tiny_gan(instance_noise=0.2, instance_noise_steps=4)
    x = tf.constant(boxes(8))
    levels = []
    for step in (0, 1, 2, 4, 9):
        model.g_optimizer.iterations.assign(step)
        levels.append(float(model.instance_noise_level()))
    np.testing.assert_allclose(levels, [0.2, 0.15, 0.1, 0.0, 0.0], atol=1e-7)
    np.testing.assert_array_equal(model.add_instance_noise(x).numpy(), x.numpy())  # at 0
    model.g_optimizer.iterations.assign(2)
    assert np.std(model.add_instance_noise(x).numpy() - x.numpy()) == pytest.approx(0.1, rel=0.05)
    # A fit advances G's step count, and with it the schedule.
    model.g_optimizer.iterations.assign(0)
    fit_one_batch(model, boxes(4))
    assert float(model.instance_noise_level()) == pytest.approx(0.15)
    assert float(tiny_gan(instance_noise=0.2).instance_noise_level()) == pytest.approx(0.2)


def test_step_with_instance_noise_and_xla():
    model = tiny_gan(
        instance_noise=0.15,
        prior="normal",
        accuracy_threshold=2.0,
        compile_kwargs={"jit_compile": True},
    )
    d_before = d_state(model)
    logs = assert_xla_step(model, boxes(4), networks=("generator",), batch_size=4, shuffle=False)
    assert logs["d_updated"] == 1.0
    assert all(changed(d_before[0], d_state(model)[0]))


def test_sample_latent_priors():
    z = sample_latent(10_000, 4, prior="normal", seed=1).numpy()
    assert stats.kstest(z.ravel(), stats.norm().cdf).pvalue > 0.01
    with pytest.raises(ValueError, match="`prior`"):
        sample_latent(4, 4, prior="gaussian")
    with pytest.raises(ValueError, match="`n`"):
        sample_latent(0)


def test_sample_makes_probabilities_without_touching_the_training_stream():
    model = tiny_gan()
    state = model.seed_generator.state.numpy()
    shapes = np.asarray(model.sample(3, seed=1))
    assert shapes.shape == (3, SIZE, SIZE, SIZE, 1)
    assert 0.0 < shapes.min() and shapes.max() < 1.0
    np.testing.assert_array_equal(np.asarray(model.sample(3, seed=1)), shapes)
    np.testing.assert_array_equal(model.seed_generator.state.numpy(), state)


# --- mixed precision -------------------------------------------------------------------------


def test_mixed_precision_gated_step():
    x = boxes(4)
    model, logs = assert_mixed_precision_step(
        lambda: tiny_gan(
            accuracy_threshold=-1.0, accuracy_from="current_batch", instance_noise=0.1
        ),
        x,
        float16_layers={"generator": "deconv1"},
        outputs=("generator", "discriminator"),
        networks=("generator",),
        frozen=("discriminator",),  # the threshold skips D's update
        batch_size=4,
        shuffle=False,
    )
    assert logs["d_updated"] == 0.0
    model.set_accuracy_threshold(2.0)
    d_before = d_state(model)
    assert fit_one_batch(model, x)["d_updated"] == 1.0
    assert all(changed(d_before[0], d_state(model)[0]))


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(4, SIZE, SIZE, SIZE), (4, 2 * SIZE, 2 * SIZE, 2 * SIZE, 1), (4, SIZE, SIZE, SIZE, 3)]
)
def test_wrong_voxel_shape_in_the_training_data_is_a_clear_error(shape):
    model = tiny_gan()
    with pytest.raises(ValueError, match=r"shape \(batch, 8, 8, 8, 1\).*received batches of shape"):
        model.fit(np.zeros(shape, "float32"), batch_size=4, epochs=1, verbose=0)


def test_bad_construction_arguments():
    generator, discriminator = tiny_networks()
    _, big_discriminator = tiny_networks(16)
    model = GAN3D(generator, discriminator)
    networks = {"generator": generator, "discriminator": discriminator}
    assert_raises_table(
        [
            (GAN3D, {**networks, "accuracy_from": "last_batch"}, "`accuracy_from`"),
            (GAN3D, {**networks, "accuracy_threshold": float("nan")}, "`accuracy_threshold`"),
            (GAN3D, {**networks, "accuracy_threshold": "high"}, "`accuracy_threshold`"),
            (GAN3D, {**networks, "prior": "gaussian"}, "`prior`"),
            *[
                (GAN3D, {**networks, "instance_noise": sigma}, "`instance_noise`.*received")
                for sigma in (-0.1, float("inf"), "some")
            ],
            (
                GAN3D,
                {**networks, "instance_noise": 0.1, "instance_noise_steps": 0},
                "`instance_noise_steps`",
            ),
            (
                GAN3D,
                {"generator": generator, "discriminator": big_discriminator},
                "`discriminator` must take the voxel grids",
            ),
            (model.set_accuracy_threshold, {"value": None}, "`accuracy_threshold`"),
            (model.sample, {"n": 0}, "`n`"),
        ]
    )
