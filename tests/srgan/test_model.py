"""SRGAN train step (Ledig et al. 2017, eq. 2-3): XLA, mixed precision, saving, resuming."""

import keras
import numpy as np
import pytest

from gan_papers.srgan import SRGAN
from tests.gan_case import (
    assert_mixed_precision_step,
    assert_resumes_exactly,
    assert_safe_mode_round_trip,
    assert_xla_step,
)
from tests.srgan.helpers import batch, dataset, tiny_srgan

NETWORKS = ("generator", "discriminator")


def test_train_step_under_xla_updates_both_networks():
    assert_xla_step(
        tiny_srgan(jit_compile=True),
        dataset(),
        networks=NETWORKS,
        names={"content_loss", "adversarial_loss", "perceptual_loss", "d_loss"},
        iterations={"g_optimizer": 2, "d_optimizer": 2},
    )


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
    assert_mixed_precision_step(
        tiny_srgan,
        dataset(),
        float16_layers={"generator": "res0_conv1"},
        outputs=("generator",),
        networks=("generator",),
    )


def test_keras_file_round_trip_in_safe_mode(tmp_path):
    model = tiny_srgan()
    model.fit(dataset(), epochs=1, verbose=0)
    lr, _ = batch()
    loaded = assert_safe_mode_round_trip(model, tmp_path, lr, atol=1e-6, name="srgan.keras")
    assert isinstance(loaded, SRGAN)
    assert loaded.content_loss.kind == "mse"
    # The optimizers come back with their state, so training can continue where it stopped.
    assert int(loaded.g_optimizer.iterations) == 2
    loaded.fit(dataset(), epochs=1, verbose=0)


def test_generator_alone_saves_and_loads(tmp_path):
    lr, _ = batch()
    generator = tiny_srgan().generator
    assert_safe_mode_round_trip(generator, tmp_path, lr, atol=1e-6, optimizers=(), name="g.keras")


def _session(seed):
    def make():
        keras.utils.set_random_seed(seed)
        return tiny_srgan()

    return make


def test_backup_and_restore_resumes_exactly(tmp_path):
    # A new session (seed 2) resumes: nothing but the backup carries over.
    assert_resumes_exactly(
        _session(1),
        dataset(),
        epochs=4,
        at_epoch=2,
        tmp_path=tmp_path,
        make_resumed=_session(2),
        iterations=8,
    )


def test_bad_content_loss_raises():
    with pytest.raises(ValueError, match="`content_loss`"):
        tiny_srgan(content_loss=123)
