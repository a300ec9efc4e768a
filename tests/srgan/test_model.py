"""SRGAN train step (Ledig et al. 2017, eq. 2-3): XLA, mixed precision, saving, resuming."""

import keras
import numpy as np
import pytest

from gan_papers.srgan import SRGAN
from tests.gan_case import assert_same_weights, interrupted_fit
from tests.srgan.helpers import batch, dataset, tiny_srgan, weights_of


def _changed(before, after):
    return [not np.array_equal(a, b) for a, b in zip(before, after, strict=True)]


def test_train_step_under_xla_updates_both_networks():
    model = tiny_srgan(jit_compile=True)
    g_before = weights_of(model.generator)
    d_before = weights_of(model.discriminator)
    history = model.fit(dataset(), epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert set(history.history) == {"content_loss", "adversarial_loss", "perceptual_loss", "d_loss"}
    assert any(_changed(g_before, weights_of(model.generator)))
    assert any(_changed(d_before, weights_of(model.discriminator)))
    assert int(model.g_optimizer.iterations) == int(model.d_optimizer.iterations) == 2


def test_perceptual_loss_is_content_plus_weighted_adversarial():
    model = tiny_srgan()
    logs = model.evaluate(*batch(), return_dict=True, verbose=0)
    expected = logs["content_loss"] + 1e-3 * logs["adversarial_loss"]
    assert logs["perceptual_loss"] == pytest.approx(expected, rel=1e-5)


def test_discriminator_loss_is_bce_on_real_and_fake():
    model = tiny_srgan()
    lr, hr = batch()
    real = np.asarray(model.discriminator(hr, training=False), dtype="float64")
    fake = np.asarray(
        model.discriminator(model.generator(lr, training=False), training=False), dtype="float64"
    )
    # -log sigmoid(real) - log(1 - sigmoid(fake)), written with log1p(exp) by hand.
    expected = np.mean(np.log1p(np.exp(-real))) + np.mean(np.log1p(np.exp(fake)))
    logs = model.evaluate(lr, hr, return_dict=True, verbose=0)
    assert logs["d_loss"] == pytest.approx(expected, rel=1e-4)


def test_mixed_precision_step():
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = tiny_srgan()
    assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(model.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert model.generator.get_layer("res0_conv1").compute_dtype == "float16"
    assert model.generator.output.dtype == "float32"
    g_before = weights_of(model.generator)
    history = model.fit(dataset(), epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert any(_changed(g_before, weights_of(model.generator)))


def test_keras_file_round_trip_in_safe_mode(tmp_path):
    model = tiny_srgan()
    model.fit(dataset(), epochs=1, verbose=0)
    path = tmp_path / "srgan.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded, SRGAN)
    lr, _ = batch()
    np.testing.assert_allclose(np.asarray(loaded(lr)), np.asarray(model(lr)), atol=1e-6)
    assert loaded.content_loss.kind == "mse"
    # The optimizers come back with their state, so training can continue where it stopped.
    assert int(loaded.g_optimizer.iterations) == int(model.g_optimizer.iterations) == 2
    loaded.fit(dataset(), epochs=1, verbose=0)


def test_generator_alone_saves_and_loads(tmp_path):
    model = tiny_srgan()
    path = tmp_path / "generator.keras"
    model.generator.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    lr, _ = batch()
    np.testing.assert_allclose(np.asarray(loaded(lr)), np.asarray(model.generator(lr)), atol=1e-6)


def test_backup_and_restore_resumes_exactly(tmp_path):
    keras.utils.set_random_seed(1)
    reference = tiny_srgan()
    initial = reference.get_weights()
    reference.fit(dataset(), epochs=4, verbose=0)

    keras.utils.set_random_seed(1)
    interrupted = tiny_srgan()
    interrupted.set_weights(initial)
    backup = interrupted_fit(
        interrupted, dataset(), epochs=4, at_epoch=2, backup_dir=tmp_path / "backup"
    )

    keras.utils.set_random_seed(2)  # a new session: nothing but the backup carries over
    resumed = tiny_srgan()
    resumed.fit(dataset(), epochs=4, verbose=0, callbacks=[backup])
    assert int(resumed.g_optimizer.iterations) == int(reference.g_optimizer.iterations) == 8
    assert_same_weights(resumed, reference)


def test_bad_content_loss_raises():
    with pytest.raises(ValueError, match="`content_loss`"):
        tiny_srgan(content_loss=123)
