"""The latent search (Yeh et al. 2017, eq. 4): per-image objective, frozen prior, z in [-1, 1]."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.inpainting.latent_search import LatentSearch
from gan_papers.inpainting.losses import context_loss, importance_weights, prior_loss

SIZE, LATENT = 8, 6


def _prior_networks():
    """A tiny generator and discriminator with batch norm (to prove inference mode is used)."""
    keras.utils.set_random_seed(3)
    z = keras.Input((LATENT,))
    x = keras.layers.Dense(SIZE * SIZE * 3)(z)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Activation("tanh")(keras.layers.Reshape((SIZE, SIZE, 3))(x))
    generator = keras.Model(z, x)
    image = keras.Input((SIZE, SIZE, 3))
    y = keras.layers.BatchNormalization()(keras.layers.Conv2D(4, 3, strides=2)(image))
    discriminator = keras.Model(image, keras.layers.Dense(1)(keras.layers.Flatten()(y)))
    return generator, discriminator


def _problem(batch, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1, 1, (batch, SIZE, SIZE, 3)).astype("float32")
    masks = np.ones((batch, SIZE, SIZE, 1), "float32")
    masks[:, 2:6, 2:6] = 0.0
    return images * masks, masks


def _search(generator, discriminator, corrupted, masks, steps=20, z0=None, **kwargs):
    search = LatentSearch(generator, discriminator, batch_size=len(corrupted), seed=1, **kwargs)
    if z0 is not None:
        search.z.assign(z0)
    search.compile(optimizer=keras.optimizers.Adam(0.05), jit_compile=kwargs.pop("jit", True))
    data = tf.data.Dataset.from_tensors((corrupted, masks)).repeat()
    history = search.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
    return search, history


def test_only_z_is_trainable_and_the_prior_is_untouched():
    generator, discriminator = _prior_networks()
    before = [w.numpy() for w in generator.weights + discriminator.weights]
    corrupted, masks = _problem(3)
    search, _ = _search(generator, discriminator, corrupted, masks)
    assert [v.path for v in search.trainable_variables] == [search.z.path]
    after = [w.numpy() for w in generator.weights + discriminator.weights]
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)  # BN moving statistics included: inference mode


def test_search_lowers_the_objective_and_keeps_z_in_the_prior():
    generator, discriminator = _prior_networks()
    corrupted, masks = _problem(4)
    search = LatentSearch(generator, discriminator, batch_size=4, seed=1)
    l_c, l_p = search.objective(corrupted, masks)
    start = np.asarray(l_c + l_p)
    search, _ = _search(generator, discriminator, corrupted, masks, steps=60, z0=search.z.numpy())
    l_c, l_p = search.objective(corrupted, masks)
    assert np.all(np.asarray(l_c + l_p) < start)
    z = search.z.numpy()
    assert z.min() >= -1.0 and z.max() <= 1.0
    assert np.isclose(np.abs(z).max(), 1.0)  # lr 0.05 drives some codes to the clip


def test_objective_is_the_papers_per_image_sum():
    generator, discriminator = _prior_networks()
    corrupted, masks = _problem(2)
    search = LatentSearch(generator, discriminator, batch_size=2, lam=0.1, prior="nonsaturating")
    g = generator(search.z, training=False)
    weights = importance_weights(masks)
    expected_c = context_loss(g, corrupted, weights)
    expected_p = prior_loss(discriminator(g, training=False), 0.1, "nonsaturating")
    l_c, l_p = search.objective(corrupted, masks)
    np.testing.assert_allclose(l_c, expected_c, rtol=1e-5)
    np.testing.assert_allclose(l_p, expected_p, rtol=1e-5)


def test_batch_search_equals_one_image_at_a_time():
    generator, discriminator = _prior_networks()
    corrupted, masks = _problem(3)
    z0 = np.random.default_rng(5).uniform(-1, 1, (3, LATENT)).astype("float32")
    together, _ = _search(generator, discriminator, corrupted, masks, z0=z0)
    for i in range(3):
        alone, _ = _search(
            generator, discriminator, corrupted[i : i + 1], masks[i : i + 1], z0=z0[i : i + 1]
        )
        np.testing.assert_allclose(alone.z.numpy()[0], together.z.numpy()[i], atol=1e-5)


def test_restarts_keep_the_best_code():
    generator, discriminator = _prior_networks()
    corrupted, masks = _problem(2)
    search = LatentSearch(generator, discriminator, batch_size=2, restarts=3, seed=4)
    l_c, l_p = search.objective(corrupted, masks)
    losses = np.asarray(l_c + l_p).reshape(3, 2)
    codes, best = search.best_codes(corrupted, masks)
    np.testing.assert_allclose(best, losses.min(axis=0), rtol=1e-6)
    for i in range(2):
        expected = search.z.numpy().reshape(3, 2, LATENT)[losses[:, i].argmin(), i]
        np.testing.assert_array_equal(np.asarray(codes)[i], expected)


def test_restart_searches_again_as_a_new_search_would():
    generator, discriminator = _prior_networks()
    corrupted, masks = _problem(3)
    search, _ = _search(generator, discriminator, corrupted, masks)
    first = search.z.numpy()
    search.restart(1)
    np.testing.assert_array_equal(
        search.z.numpy(), LatentSearch(generator, discriminator, batch_size=3, seed=1).z.numpy()
    )
    assert int(search.optimizer.iterations) == 0
    # Same codes again, bit for bit: Adam's moments were reset too, not only z.
    data = tf.data.Dataset.from_tensors((corrupted, masks)).repeat()
    search.fit(data, steps_per_epoch=20, epochs=1, verbose=0)
    np.testing.assert_array_equal(search.z.numpy(), first)


def test_restart_needs_a_compiled_search():
    generator, discriminator = _prior_networks()
    with pytest.raises(ValueError, match="call `compile` first"):
        LatentSearch(generator, discriminator, batch_size=2).restart(0)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"batch_size": 0}, "`batch_size`"),
        ({"restarts": 0}, "`restarts`"),
        ({"prior": "wgan"}, "`prior`"),
        ({"lam": "0.1"}, "`lam`"),
        ({"lam": -1}, "`lam`"),
        ({"window": 2}, "`window`"),
    ],
)
def test_bad_arguments(kwargs, fragment):
    generator, discriminator = _prior_networks()
    args = {"batch_size": 2, **kwargs}
    with pytest.raises(ValueError, match=fragment):
        LatentSearch(generator, discriminator, **args)
