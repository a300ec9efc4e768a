"""Saving and resuming: the threshold, the accuracy reading and the last batch's accuracy are part of
the model's state, so a loaded or resumed model takes the decisions an uninterrupted one would."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.gan3d import GAN3D, VAEGAN3D
from tests.gan3d.helpers import LATENT, boxes, tiny_gan, tiny_vae_gan, views
from tests.gan_case import assert_resumes_exactly, assert_safe_mode_round_trip


def test_gan3d_keras_file_round_trip_in_safe_mode(tmp_path):
    model = tiny_gan(
        accuracy_threshold=0.6,
        accuracy_from="current_batch",
        prior="normal",
        instance_noise=0.1,
        instance_noise_steps=50,
        compile_kwargs={"run_eagerly": True},
    )
    model.fit(boxes(8), batch_size=4, verbose=0)
    model.set_accuracy_threshold(0.7)  # changed after construction: the file keeps the new value
    z = np.random.default_rng(1).uniform(0, 1, (2, LATENT)).astype("float32")
    # Weights, G(z), optimizers (with their state) and the seed stream come back: training goes on.
    loaded = assert_safe_mode_round_trip(model, tmp_path, z, name="gan3d.keras")
    assert isinstance(loaded, GAN3D)
    assert loaded.accuracy_threshold == pytest.approx(0.7)
    assert loaded.accuracy_from == "current_batch"
    assert (loaded.prior, loaded.instance_noise, loaded.instance_noise_steps) == ("normal", 0.1, 50)
    assert float(loaded.instance_noise_level()) == pytest.approx(0.1 * (1 - 2 / 50))
    assert float(loaded.last_accuracy.numpy()) == float(model.last_accuracy.numpy())
    assert int(loaded.g_optimizer.iterations) == 2


def test_vae_gan_keras_file_round_trip_in_safe_mode(tmp_path):
    model = tiny_vae_gan(
        alpha1=0.5,
        alpha2=0.25,
        prior="uniform",
        accuracy_from="current_batch",
        compile_kwargs={"run_eagerly": True},
    )
    model.fit(boxes(4), views(4), batch_size=4, verbose=0)
    loaded = assert_safe_mode_round_trip(
        model,
        tmp_path,
        views(2, seed=5),
        call=lambda m, images: m.reconstruct(images),
        optimizers=("g_optimizer", "d_optimizer", "e_optimizer"),
        name="vae_gan.keras",
    )
    assert isinstance(loaded, VAEGAN3D)
    assert (loaded.alpha1, loaded.alpha2, loaded.prior) == (0.5, 0.25, "uniform")
    assert loaded.reconstruction_norm == "l2" and loaded.accuracy_from == "current_batch"
    assert int(loaded.e_optimizer.iterations) == 1


class _RecordAtStart(keras.callbacks.Callback):
    """The last batch's accuracy as training (re)starts, after BackupAndRestore restored it."""

    def on_train_begin(self, logs=None):
        self.last_accuracy = float(self.model.last_accuracy.numpy())


class _RecordPerEpoch(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.values = []

    def on_epoch_end(self, epoch, logs=None):
        self.values.append(float(self.model.last_accuracy.numpy()))


def _tiny(**kwargs):
    # Adam at a high rate makes D's accuracy move, so the decisions differ from step to step.
    return tiny_gan(
        accuracy_threshold=0.5,
        optimizer=lambda: keras.optimizers.Adam(0.02, beta_1=0.5),
        compile_kwargs={"run_eagerly": True},  # the traced step is tested in test_model
        **kwargs,
    )


def test_backup_and_restore_resumes_exactly_with_the_previous_batch_accuracy(tmp_path):
    data = tf.data.Dataset.from_tensor_slices(boxes(4)).batch(4)  # one step per epoch
    per_epoch, start = _RecordPerEpoch(), _RecordAtStart()
    # A new session resumes: only the backup carries over; a fresh model's stored accuracy is 0.
    # Both optimizers' steps, the seed stream and the weights match (checked by the helper).
    run = assert_resumes_exactly(
        _tiny,
        data,
        epochs=4,
        at_epoch=2,
        tmp_path=tmp_path,
        reference_callbacks=[per_epoch],
        resumed_callbacks=[start],
    )
    history, resumed = run.reference_history, run.resumed
    assert start.last_accuracy == per_epoch.values[1]  # restored, not the initial 0
    assert start.last_accuracy != 0.0
    # The two epochs after resuming take the reference's decisions and reach its state.
    for name in ("d_updated", "d_accuracy", "d_loss", "g_loss"):
        np.testing.assert_allclose(
            run.resumed_history[name], history[name][2:], rtol=1e-5, atol=1e-6
        )
    assert float(resumed.last_accuracy.numpy()) == pytest.approx(per_epoch.values[-1], abs=1e-6)
