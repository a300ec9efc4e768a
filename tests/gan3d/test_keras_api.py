"""GAN3D and VAEGAN3D under Keras' entry points (fit, train_on_batch, evaluate, test_on_batch), and
the voxel-value check that refuses grids outside [0, 1] (e.g. 0/255) in each of them."""

import numpy as np
import pytest
import tensorflow as tf

from tests.gan3d.helpers import boxes, tiny_gan, tiny_vae_gan, views
from tests.gan_case import changed, weights_of

GAN_LOGS = {"d_loss", "g_loss", "d_accuracy", "d_updated"}
VAE_LOGS = GAN_LOGS | {"loss", "kl_loss", "reconstruction_loss"}


def _finite(logs, names):
    assert set(logs) == names
    assert all(np.isfinite(v) for v in logs.values())


def _evaluations_change_nothing(model, evaluations):
    before = weights_of(model)
    first = None
    for evaluate in evaluations:
        logs = evaluate()
        first = first or logs
        # Codes from a fixed seed: the same data gives the same losses every time.
        for name, value in first.items():
            assert logs[name] == pytest.approx(value, rel=1e-5)
    # No update, and the training stream of codes (the seed generator's state) has not moved.
    assert not any(changed(before, weights_of(model)))
    return first


@pytest.mark.parametrize("jit_compile", [False, True])
def test_gan3d_fit_train_on_batch_and_evaluate(jit_compile):
    model = tiny_gan(compile_kwargs={"jit_compile": jit_compile})
    x, labels = boxes(8), np.arange(8) % 2
    _finite(model.train_on_batch(x, return_dict=True), GAN_LOGS)
    _finite(model.train_on_batch(x, labels, return_dict=True), GAN_LOGS)
    model.fit(x, batch_size=4, epochs=1, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((x, labels)).batch(4)
    history = model.fit(dataset, epochs=1, verbose=0)
    assert set(history.history) == GAN_LOGS
    assert int(model.g_optimizer.iterations) == 2 + 2 + 2
    logs = _evaluations_change_nothing(
        model,
        [
            lambda: model.evaluate(x, batch_size=8, return_dict=True, verbose=0),
            lambda: model.evaluate(
                tf.data.Dataset.from_tensor_slices((x, labels)).batch(8),
                return_dict=True,
                verbose=0,
            ),
            lambda: model.test_on_batch(x, labels, return_dict=True),
        ],
    )
    _finite(logs, GAN_LOGS)


def test_gan3d_evaluate_is_d_and_g_in_inference_mode_by_hand():
    model = tiny_gan()
    x = boxes(8)
    logs = model.evaluate(x, batch_size=8, return_dict=True, verbose=0)
    z = model._evaluation_latents(8)
    real = np.asarray(model.discriminator(x, training=False), "float64")
    fake = np.asarray(model.discriminator(model.generator(z, training=False), training=False))
    fake = fake.astype("float64")
    assert logs["d_loss"] == pytest.approx(
        np.mean(np.log1p(np.exp(-real))) + np.mean(np.log1p(np.exp(fake))), rel=1e-4
    )
    assert logs["g_loss"] == pytest.approx(np.mean(np.log1p(np.exp(-fake))), rel=1e-4)
    assert logs["d_accuracy"] == pytest.approx((np.mean(real > 0) + np.mean(fake < 0)) / 2)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_vae_gan_fit_train_on_batch_and_evaluate(jit_compile):
    model = tiny_vae_gan(compile_kwargs={"jit_compile": jit_compile})
    x, images, labels = boxes(8), views(8), np.arange(8) % 2
    _finite(model.train_on_batch(x, images, return_dict=True), VAE_LOGS)
    model.fit(x, images, batch_size=4, epochs=1, verbose=0)
    triples = tf.data.Dataset.from_tensor_slices((x, labels, images)).batch(4)
    history = model.fit(triples, epochs=1, verbose=0)
    assert set(history.history) == VAE_LOGS
    assert int(model.g_optimizer.iterations) == 1 + 2 + 2
    logs = _evaluations_change_nothing(
        model,
        [
            lambda: model.evaluate(x, images, batch_size=8, return_dict=True, verbose=0),
            lambda: model.evaluate(
                tf.data.Dataset.from_tensor_slices((x, labels, images)).batch(8),
                return_dict=True,
                verbose=0,
            ),
            lambda: model.test_on_batch(x, images, return_dict=True),
        ],
    )
    _finite(logs, VAE_LOGS)
    assert logs["loss"] == pytest.approx(
        logs["g_loss"]
        + model.alpha1 * logs["kl_loss"]
        + model.alpha2 * logs["reconstruction_loss"],
        rel=1e-5,
    )


def _gan_calls(model, bad):
    dataset = tf.data.Dataset.from_tensor_slices((bad, np.zeros(len(bad)))).batch(4)
    return [
        lambda: model.fit(bad, batch_size=4, verbose=0),
        lambda: model.fit(dataset, verbose=0),
        lambda: model.train_on_batch(bad),
        lambda: model.evaluate(bad, batch_size=4, verbose=0),
        lambda: model.evaluate(dataset, verbose=0),
        lambda: model.test_on_batch(bad),
    ]


def _vae_calls(model, bad):
    images = views(len(bad))
    dataset = tf.data.Dataset.from_tensor_slices((bad, np.zeros(len(bad)), images)).batch(4)
    return [
        lambda: model.fit(bad, images, batch_size=4, verbose=0),
        lambda: model.fit(dataset, verbose=0),
        lambda: model.train_on_batch(bad, images),
        lambda: model.evaluate(dataset, verbose=0),
    ]


@pytest.mark.parametrize("which", ["gan", "vae_gan"])
def test_voxels_outside_zero_one_are_refused_everywhere(which):
    model = tiny_gan(compile_kwargs={"jit_compile": True}) if which == "gan" else tiny_vae_gan()
    calls = _gan_calls if which == "gan" else _vae_calls
    before = weights_of(model)
    for call in calls(model, boxes(8) * 255):
        with pytest.raises(ValueError, match=r"in \[0, 1\].*received values in \[0, 255\].*255"):
            call()
    # Refused before any step: nothing was trained on them.
    assert not any(changed(before, weights_of(model)))
    bad = boxes(8)
    bad[0, 0, 0, 0, 0] = -0.5
    with pytest.raises(ValueError, match=r"received values in \[-0.5, 1\]"):
        calls(model, bad)[1]()


def test_soft_occupancies_in_zero_one_are_accepted():
    model = tiny_gan()
    soft = np.clip(boxes(4) * 0.9 + 0.05, 0, 1).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices(soft).batch(4)
    assert np.isfinite(model.fit(dataset, verbose=0).history["d_loss"][-1])
