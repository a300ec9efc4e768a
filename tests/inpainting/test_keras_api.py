"""DCGAN and LatentSearch as a Keras user calls them: fit, train_on_batch and evaluate.

Keras hands ``train_step``/``test_step`` an (x, y) pair from ``fit`` on a dataset of pairs and an
(x, y, sample_weight) triple from ``train_on_batch`` and ``evaluate``; both models unpack with
``keras.utils.unpack_x_y_sample_weight``.
"""

import keras
import numpy as np
import tensorflow as tf

from gan_papers.common.masks import center_mask
from gan_papers.inpainting.latent_search import LatentSearch
from gan_papers.inpainting.model import DCGAN
from gan_papers.inpainting.networks import build_discriminator, build_generator
from tests.gan_case import weights_of

SIZE, LATENT, BATCH = 16, 8, 4
KEYS = {"d_loss", "g_loss", "d_real", "d_fake"}


def _dcgan(seed=3):
    keras.utils.set_random_seed(seed)
    model = DCGAN(
        build_generator(SIZE, latent_dim=LATENT, base_filters=16),
        build_discriminator(SIZE, base_filters=8),
        seed=seed,
    )
    model.compile()
    return model


def _faces(n=BATCH, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, SIZE, SIZE, 3)).astype("float32")


def test_dcgan_fit_train_on_batch_and_evaluate():
    model = _dcgan()
    x = _faces()
    labels = np.zeros((BATCH,), "int32")
    history = model.fit(
        tf.data.Dataset.from_tensors((x, labels)).repeat(2), epochs=1, verbose=0
    )  # (images, labels) pairs
    assert KEYS <= set(history.history)
    logs = model.train_on_batch(x, labels, return_dict=True)  # (x, y, None)
    assert KEYS <= set(logs) and all(np.isfinite(v) for v in logs.values())
    assert set(model.train_on_batch(x, return_dict=True)) >= KEYS  # images alone
    logs = model.evaluate(x, labels, batch_size=BATCH, verbose=0, return_dict=True)
    assert KEYS <= set(logs) and all(np.isfinite(v) for v in logs.values())


def test_dcgan_evaluate_changes_nothing_and_repeats():
    model = _dcgan()
    x = _faces()
    before = weights_of(model)
    state = model.seed_generator.state.numpy()
    first = model.evaluate(x, batch_size=BATCH, verbose=0, return_dict=True)
    second = model.evaluate(x, batch_size=BATCH, verbose=0, return_dict=True)
    for a, b in zip(before, weights_of(model), strict=True):
        np.testing.assert_array_equal(a, b)  # no update, BN moving statistics included
    # Evaluation draws its codes from a fixed seed, not from the training stream.
    np.testing.assert_array_equal(state, model.seed_generator.state.numpy())
    for key in KEYS:
        assert first[key] == second[key]


def test_dcgan_evaluate_reads_both_networks_in_inference_mode():
    model = _dcgan()
    x = _faces()
    logs = model.evaluate(x, batch_size=BATCH, verbose=0, return_dict=True)
    real = model.discriminator(x, training=False)
    expected = float(np.mean(keras.ops.sigmoid(real)))
    np.testing.assert_allclose(logs["d_real"], expected, rtol=1e-5)


def _networks():
    keras.utils.set_random_seed(1)
    return (
        build_generator(SIZE, latent_dim=LATENT, base_filters=16),
        build_discriminator(SIZE, base_filters=8),
    )


def test_latent_search_fit_train_on_batch_and_evaluate():
    generator, discriminator = _networks()
    corrupted = _faces() * center_mask(SIZE, BATCH)
    masks = center_mask(SIZE, BATCH)
    search = LatentSearch(generator, discriminator, batch_size=BATCH, seed=0)
    search.compile(optimizer=keras.optimizers.Adam(0.05))
    keys = {"context_loss", "prior_loss", "loss"}

    start = search.evaluate(corrupted, masks, batch_size=BATCH, verbose=0, return_dict=True)
    assert keys <= set(start)
    z0 = search.z.numpy()
    search.evaluate(corrupted, masks, batch_size=BATCH, verbose=0)
    np.testing.assert_array_equal(z0, search.z.numpy())  # evaluate takes no step

    search.fit(tf.data.Dataset.from_tensors((corrupted, masks)).repeat(10), verbose=0)
    logs = search.train_on_batch(corrupted, masks, return_dict=True)  # (x, y, None)
    assert keys <= set(logs)
    assert not np.array_equal(z0, search.z.numpy())
    end = search.evaluate(corrupted, masks, batch_size=BATCH, verbose=0, return_dict=True)
    assert end["loss"] < start["loss"]
    # evaluate reports the objective of the current codes: the per-image mean of L_c + L_p.
    l_c, l_p = search.objective(corrupted, masks)
    np.testing.assert_allclose(end["loss"], float(np.mean(l_c + l_p)), rtol=1e-5)
