"""SRGAN's update order (Ledig et al. 2017, Section 2.1; Goodfellow et al. 2014, Algorithm 1).

``"alternating"``: D steps, then G steps against the updated D. ``"simultaneous"``: both from one D.
Checked against steps written by hand with plain SGD, so each update is exactly -lr * gradient.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers import srgan
from gan_papers.common.losses import discriminator_loss, generator_loss
from gan_papers.srgan import SRGAN
from tests.gan_case import (
    assert_mixed_precision_step,
    assert_safe_mode_round_trip,
    assert_xla_step,
    weights_of,
)
from tests.srgan.helpers import batch, dataset, tiny_srgan

RATE = 0.05


def _sgd():
    return keras.optimizers.SGD(RATE)


def _clone(network):
    copy = keras.models.clone_model(network)
    copy.set_weights(network.get_weights())
    return copy


def _sgd_step(network, grads):
    for v, g in zip(network.trainable_variables, grads, strict=True):
        v.assign(v - RATE * g)


def _hand_step(model, lr, hr, alternating):
    """One step by hand on copies of the model's networks: the (G, D) weights it should reach."""
    g, d = _clone(model.generator), _clone(model.discriminator)
    lr, hr = tf.constant(lr), tf.constant(hr)
    # One G forward pass (G's weights do not change during D's step, and a second pass would move
    # G's batch-norm moving statistics twice); its tape is resumed for G's loss.
    tape = tf.GradientTape()
    with tape:
        sr = g(lr, training=True)
    with tf.GradientTape() as d_tape:
        d_loss = discriminator_loss(d(hr, training=True), d(tf.stop_gradient(sr), training=True))
    d_grads = d_tape.gradient(d_loss, d.trainable_variables)
    judge = d
    if not alternating:
        judge = _clone(d)  # G's gradient sees D as it was before D's step
    _sgd_step(d, d_grads)
    with tape:
        content = tf.reduce_mean(model.content_loss.call(hr, sr))
        loss = content + 1e-3 * generator_loss(judge(sr, training=True))
    _sgd_step(g, tape.gradient(loss, g.trainable_variables))
    return weights_of(g), weights_of(d)


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_step_equals_a_hand_written_step(update):
    keras.utils.set_random_seed(0)
    model = tiny_srgan(optimizer=_sgd)
    model.update = update
    lr, hr = batch()
    expected = {
        order: _hand_step(model, lr, hr, order == "alternating")
        for order in ("alternating", "simultaneous")
    }
    model.train_on_batch(lr, hr)
    got_g, got_d = weights_of(model.generator), weights_of(model.discriminator)
    want_g, want_d = expected[update]
    other_g, _ = expected[{"alternating": "simultaneous", "simultaneous": "alternating"}[update]]
    for a, b in zip(got_d, want_d, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(got_g, want_g, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # The two orders give G different weights here, so the comparison above tells them apart.
    gap = max(np.max(np.abs(a - b)) for a, b in zip(want_g, other_g, strict=True))
    tol = max(np.max(np.abs(a - b)) for a, b in zip(got_g, want_g, strict=True))
    assert gap > 10 * tol


def test_default_is_the_papers_alternating_order():
    g, d = tiny_srgan().generator, tiny_srgan().discriminator
    assert SRGAN(g, d).update == "alternating"
    assert srgan.get_config("paper").update == "alternating"
    demo = srgan.get_config("demo")
    assert ("update", "alternating", "simultaneous") in srgan.differences_from_paper(demo)


def test_unknown_update_is_a_clear_error():
    model = tiny_srgan()
    with pytest.raises(ValueError, match="`update`"):
        SRGAN(model.generator, model.discriminator, update="both")


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_step_under_xla(update):
    model = tiny_srgan(jit_compile=True)
    model.update = update
    assert_xla_step(
        model,
        dataset(),
        networks=("generator", "discriminator"),
        iterations={"g_optimizer": 2, "d_optimizer": 2},
    )


def test_alternating_step_under_mixed_precision():
    model, _ = assert_mixed_precision_step(tiny_srgan, dataset(), networks=("generator",))
    assert model.update == "alternating"


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_update_survives_a_keras_file_round_trip(tmp_path, update):
    model = tiny_srgan()
    model.update = update
    model.fit(dataset(), epochs=1, verbose=0)
    loaded = assert_safe_mode_round_trip(model, tmp_path)
    assert loaded.update == update
    loaded.fit(dataset(), epochs=1, verbose=0)
    assert int(loaded.g_optimizer.iterations) == 4
