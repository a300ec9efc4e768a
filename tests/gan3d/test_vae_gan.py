"""The 3D-VAE-GAN (Wu et al. 2016, Section 3.2, eq. 2-4): encoder, KL and reconstruction terms
against hand computations, the training step, and its inputs."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import integrate, stats

from gan_papers.gan3d import VAEGAN3D, build_encoder, kl_divergence, reconstruction_loss
from gan_papers.gan3d.encoder import encoder_stages
from tests.gan3d.helpers import (
    LATENT,
    SIZE,
    boxes,
    tiny_encoder,
    tiny_networks,
    tiny_vae_gan,
    views,
)
from tests.gan_case import (
    assert_mixed_precision_step,
    assert_raises_table,
    assert_xla_step,
    changed,
    weights_of,
)

# --- the encoder -----------------------------------------------------------------------------


def test_encoder_at_the_papers_size():
    # Kernels {11, 5, 5, 5, 8}, strides {4, 2, 2, 2, 1}, widths {64, 128, 256, 512, 400}: bias-free
    # convolutions with BN, then the 8x8 read-out to 2 x 200 = 400 channels (with biases).
    encoder = build_encoder()
    widths, kernels = (3, 64, 128, 256, 512), (11, 5, 5, 5)
    expected = sum(
        k * k * a * b + 4 * b for k, a, b in zip(kernels, widths, widths[1:], strict=False)
    )
    expected += 8 * 8 * 512 * 400 + 400
    assert encoder.count_params() == expected == 17_435_472
    assert encoder.input_shape == (None, 256, 256, 3)
    sides = [encoder.get_layer(f"relu{i}").output.shape[1] for i in range(1, 5)]
    assert sides == [64, 32, 16, 8]
    assert [o[1:] for o in encoder.output_shape] == [(200,), (200,)]


@pytest.mark.parametrize("size, kernels", [(64, [11, 5]), (128, [11, 5, 5]), (32, [11])])
def test_smaller_images_drop_middle_layers(size, kernels):
    encoder = build_encoder(size, channels=1, latent_dim=LATENT)
    convs = [layer for layer in encoder.layers if layer.name.startswith("conv")]
    assert [c.kernel_size[0] for c in convs] == [*kernels, 8, 8]  # two read-out heads
    assert encoder.get_layer(f"relu{len(kernels)}").output.shape[1] == 8
    mu, log_var = encoder(views(2, size), training=False)
    assert tuple(mu.shape) == tuple(log_var.shape) == (2, LATENT)
    assert mu.dtype == log_var.dtype == "float32"


@pytest.mark.parametrize("size", [100, 16, 48, 0])
def test_encoder_image_size_must_be_32_times_a_power_of_2(size):
    with pytest.raises(ValueError, match="`image_size`"):
        build_encoder(size)
    with pytest.raises(ValueError, match="`image_size`"):
        encoder_stages(size)


def test_encoder_filters_per_layer():
    with pytest.raises(ValueError, match="`filters` must be 2 positive integers"):
        build_encoder(64, filters=(8, 8, 8))


# --- the loss terms --------------------------------------------------------------------------


MU = np.array([[0.3, -1.2], [2.0, 0.1]], "float32")
LOG_VAR = np.array([[-0.5, 0.4], [0.0, -2.0]], "float32")


def _kl_by_integration(mu, log_var, mean, variance):
    """KL(q || p) = integral of q log(q / p), numerically, one dimension at a time."""
    total = 0.0
    for m, lv in zip(mu, log_var, strict=True):
        q = stats.norm(m, math.exp(lv / 2))
        p = stats.norm(mean, math.sqrt(variance))
        total += integrate.quad(
            lambda t, q=q, p=p: q.pdf(t) * (q.logpdf(t) - p.logpdf(t)), -30, 30
        )[0]
    return total


@pytest.mark.parametrize("prior, mean, variance", [("normal", 0.0, 1.0), ("uniform", 0.5, 1 / 12)])
def test_kl_term_equals_the_integral(prior, mean, variance):
    per_sample = [
        _kl_by_integration(m, lv, mean, variance) for m, lv in zip(MU, LOG_VAR, strict=True)
    ]
    got = np.asarray(kl_divergence(MU, LOG_VAR, prior, reduction=None))
    np.testing.assert_allclose(got, per_sample, rtol=1e-5)
    assert float(kl_divergence(MU, LOG_VAR, prior)) == pytest.approx(np.mean(per_sample), rel=1e-5)


def test_kl_term_for_the_standard_normal_is_the_vae_formula():
    expected = -0.5 * np.sum(1 + LOG_VAR - MU**2 - np.exp(LOG_VAR), axis=1)
    np.testing.assert_allclose(kl_divergence(MU, LOG_VAR, reduction=None), expected, rtol=1e-6)
    assert float(kl_divergence(np.zeros((3, 5)), np.zeros((3, 5)))) == 0.0  # q = p


def test_reconstruction_term_is_the_euclidean_norm_per_shape():
    rng = np.random.default_rng(0)
    x = boxes(3)
    reconstruction = rng.uniform(0, 1, x.shape).astype("float32")
    per_shape = np.sqrt(((reconstruction - x) ** 2).reshape(3, -1).sum(axis=1))
    np.testing.assert_allclose(
        reconstruction_loss(reconstruction, x, reduction=None), per_shape, rtol=1e-5
    )
    assert float(reconstruction_loss(reconstruction, x)) == pytest.approx(
        per_shape.mean(), rel=1e-5
    )
    squared = float(reconstruction_loss(reconstruction, x, norm="squared_l2"))
    assert squared == pytest.approx(np.mean(per_shape**2), rel=1e-5)
    # A perfect reconstruction: 0, with a finite gradient.
    target = tf.constant(x)
    variable = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = reconstruction_loss(variable, target)
    assert float(loss) == pytest.approx(0.0, abs=1e-5)
    assert np.all(np.isfinite(tape.gradient(loss, variable).numpy()))


def test_loss_term_arguments_are_checked():
    with pytest.raises(ValueError, match="`prior`"):
        kl_divergence(MU, LOG_VAR, prior="laplace")
    with pytest.raises(ValueError, match="`norm`"):
        reconstruction_loss(boxes(1), boxes(1), norm="l1")
    with pytest.raises(ValueError, match="`reduction`"):
        reconstruction_loss(boxes(1), boxes(1), reduction="sum")


# --- the training step -----------------------------------------------------------------------


@pytest.mark.parametrize("prior", ["normal", "uniform"])
def test_step_logs_the_loss_terms_of_eq_2_computed_by_hand(prior):
    alpha1, alpha2 = 0.7, 0.03
    model = tiny_vae_gan(
        alpha1=alpha1,
        alpha2=alpha2,
        prior=prior,
        accuracy_threshold=-1.0,  # D keeps its weights, so G's loss is judged by the D below
        compile_kwargs={"run_eagerly": True},
    )
    reference = tiny_vae_gan()
    reference.set_weights(model.get_weights())
    # The step's draws: the GAN's codes z ~ p(z), then the sampler's eps ~ N(0, I).
    stream = keras.random.SeedGenerator(0)
    stream.state.assign(model.seed_generator.state.value)
    if prior == "normal":
        z = keras.random.normal((4, LATENT), seed=stream)
    else:
        z = keras.random.uniform((4, LATENT), seed=stream)
    eps = keras.random.normal((4, LATENT), seed=stream).numpy()

    x, y = boxes(4), views(4)
    mu, log_var = (t.numpy() for t in reference.encoder(y, training=True))
    mean, variance = (0.0, 1.0) if prior == "normal" else (0.5, 1 / 12)
    kl = np.mean(
        np.sum(
            0.5
            * (
                np.log(variance / np.exp(log_var))
                + (np.exp(log_var) + (mu - mean) ** 2) / variance
                - 1
            ),
            axis=1,
        )
    )
    decoded = reference.generator(mu + np.exp(log_var / 2) * eps, training=True).numpy()
    recon = np.mean(np.sqrt(np.sum((decoded - x) ** 2, axis=(1, 2, 3, 4))))
    fake = reference.generator(z, training=True)
    g_loss = float(np.mean(np.logaddexp(0, -reference.discriminator(fake, training=True).numpy())))

    logs = {k: v[-1] for k, v in model.fit(x, y, batch_size=4, verbose=0).history.items()}
    assert set(logs) == {
        "loss",
        "g_loss",
        "kl_loss",
        "reconstruction_loss",
        "d_loss",
        "d_accuracy",
        "d_updated",
    }
    assert logs["kl_loss"] == pytest.approx(kl, rel=1e-4)
    assert logs["reconstruction_loss"] == pytest.approx(recon, rel=1e-4)
    assert logs["g_loss"] == pytest.approx(g_loss, rel=1e-4)
    assert logs["loss"] == pytest.approx(g_loss + alpha1 * kl + alpha2 * recon, rel=1e-4)
    assert logs["d_updated"] == 0.0


def test_encoder_learns_only_from_the_kl_and_reconstruction_terms():
    # With alpha1 = alpha2 = 0 nothing reaches E (SGD leaves it as it is) while G and D learn.
    model = tiny_vae_gan(
        alpha1=0.0,
        alpha2=0.0,
        accuracy_threshold=2.0,
        optimizer=lambda: keras.optimizers.SGD(0.1),
        compile_kwargs={"run_eagerly": True},
    )
    networks = ("encoder", "generator", "discriminator")
    before = {n: [np.array(w) for w in getattr(model, n).trainable_weights] for n in networks}
    model.fit(boxes(4), views(4), batch_size=4, verbose=0)
    after = {n: [np.array(w) for w in getattr(model, n).trainable_weights] for n in networks}
    assert not any(changed(before["encoder"], after["encoder"]))
    assert any(changed(before["generator"], after["generator"]))
    assert any(changed(before["discriminator"], after["discriminator"]))


def test_step_with_xla_on_voxels_labels_views_batches():
    # The order of gan_papers.data.shapes.shape_dataset(with_labels=True, with_views=True).
    model = tiny_vae_gan(accuracy_threshold=2.0, compile_kwargs={"jit_compile": True})
    data = tf.data.Dataset.from_tensor_slices((boxes(8), np.arange(8), views(8))).batch(4)
    before = weights_of(model)
    logs = assert_xla_step(
        model, data, iterations={"g_optimizer": 2, "d_optimizer": 2, "e_optimizer": 2}
    )
    assert logs["d_updated"] == 1.0
    assert sum(changed(before, weights_of(model))) > len(before) // 2


def test_defaults_and_reconstruction():
    model = tiny_vae_gan()
    assert (model.alpha1, model.alpha2, model.prior) == (5.0, 1e-4, "normal")
    assert float(model.e_optimizer.learning_rate) == pytest.approx(0.0025)
    z = model.latents(10_000).numpy()
    assert stats.kstest(z.ravel(), stats.norm().cdf).pvalue > 0.01  # the GAN's codes follow p(z)
    shapes = np.asarray(model.reconstruct(views(3)))
    assert shapes.shape == (3, SIZE, SIZE, SIZE, 1) and 0 < shapes.min() and shapes.max() < 1
    mu, _ = model.encode(views(3))
    np.testing.assert_allclose(np.asarray(model.generator(mu, training=False)), shapes, rtol=1e-6)


# --- bad input -------------------------------------------------------------------------------


def test_wrong_image_size_for_the_encoder_is_a_clear_error():
    model = tiny_vae_gan()  # a 32x32 grey encoder
    with pytest.raises(ValueError, match=r"images.*\(batch, 32, 32, 1\).*received"):
        model.fit(boxes(4), views(4, size=64), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"\(batch, 32, 32, 1\).*received"):
        model.fit(boxes(4), views(4, channels=3), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"`images` must be images of the encoder's input shape"):
        model.reconstruct(views(2, size=64))
    with pytest.raises(ValueError, match="`images`"):
        model.reconstruct(views(2)[..., 0])  # rank 3
    with pytest.raises(ValueError, match=r"`images` must have values in \[-1.0, 1.0\]"):
        model.reconstruct(views(2) * 3)


def test_training_needs_voxels_and_images():
    model = tiny_vae_gan()
    with pytest.raises(ValueError, match=r"\(voxels, images\)"):
        model.fit(boxes(4), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"training voxels.*\(batch, 8, 8, 8, 1\)"):
        model.fit(boxes(4)[..., 0], views(4), batch_size=4, verbose=0)


def test_bad_construction_arguments():
    generator, discriminator = tiny_networks()
    wrong_latent = build_encoder(32, channels=1, latent_dim=LATENT + 1, filters=(4,))
    networks = {"generator": generator, "discriminator": discriminator}
    assert_raises_table(
        [
            (VAEGAN3D, {"encoder": wrong_latent, **networks}, "latent_dim 8"),
            *[
                (VAEGAN3D, {"encoder": tiny_encoder(), **networks, name: value}, f"`{name}`")
                for name, value in (("alpha1", -1.0), ("alpha2", float("nan")), ("alpha1", "big"))
            ],
            (VAEGAN3D, {"encoder": tiny_encoder(), **networks, "prior": "laplace"}, "`prior`"),
        ]
    )


def test_mixed_precision_step():
    model, _ = assert_mixed_precision_step(
        lambda: tiny_vae_gan(accuracy_threshold=2.0, compile_kwargs={"run_eagerly": True}),
        boxes(4),
        y=views(4),
        batch_size=4,
        optimizers=("g_optimizer", "d_optimizer", "e_optimizer"),
        float16_layers={"encoder": "conv1"},
        outputs=("encoder",),
        networks=("encoder",),
    )
    assert len(model.encoder.outputs) == 2  # mu and log sigma^2, both float32
