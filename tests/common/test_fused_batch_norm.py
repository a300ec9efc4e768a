"""FusedBatchNormalization computes what keras.layers.BatchNormalization computes."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_papers.common.fused_batch_norm import FusedBatchNormalization

SHAPES = [(4, 6, 5, 3), (2, 4, 3, 5, 3)]  # 2-D and 3-D feature maps, channels last


def _pair(shape, **kwargs):
    keras_bn = keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, **kwargs)
    fused = FusedBatchNormalization(momentum=0.9, epsilon=1e-5, **kwargs)
    for layer in (keras_bn, fused):
        layer.build(shape)
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=w.shape).astype("float32") for w in keras_bn.weights]
    weights[-1] = np.abs(weights[-1])  # a moving variance is positive
    keras_bn.set_weights(weights)
    fused.set_weights(weights)
    return keras_bn, fused


def _step(layer, x, training, jit=False):
    @tf.function(jit_compile=jit)
    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x, training=training)
            loss = tf.reduce_sum(y * tf.cos(y))  # a loss with a non-trivial gradient
        return y, tape.gradient(loss, [x, *layer.trainable_weights])

    y, grads = run(x)
    return [np.asarray(t) for t in (y, *grads, *layer.non_trainable_weights)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("jit", [False, True])
@pytest.mark.parametrize("training", [True, False])
def test_outputs_gradients_and_moving_statistics_match_keras(shape, jit, training):
    keras_bn, fused = _pair(shape)
    x = tf.constant(np.random.default_rng(1).normal(2.0, 3.0, shape).astype("float32"))
    for _ in range(2):  # the second call sees the moving statistics the first one updated
        expected = _step(keras_bn, x, training, jit)
        got = _step(fused, x, training, jit)
        for e, g in zip(expected, got, strict=True):
            np.testing.assert_allclose(g, e, rtol=2e-4, atol=2e-4)


def test_no_center_no_scale_and_the_fallbacks_match_keras():
    shape = SHAPES[0]
    x = tf.constant(np.random.default_rng(2).normal(size=shape).astype("float32"))
    for kwargs in ({"center": False, "scale": False}, {"synchronized": True}, {"axis": 1}):
        keras_bn, fused = _pair(shape, **kwargs)
        for e, g in zip(_step(keras_bn, x, True), _step(fused, x, True), strict=True):
            np.testing.assert_allclose(g, e, rtol=2e-4, atol=2e-4)
    # Rank 2 (dense features) takes Keras's own path.
    keras_bn, fused = _pair((8, 3))
    x = tf.constant(np.random.default_rng(3).normal(size=(8, 3)).astype("float32"))
    for e, g in zip(_step(keras_bn, x, True), _step(fused, x, True), strict=True):
        np.testing.assert_allclose(g, e, rtol=2e-4, atol=2e-4)


def test_mixed_precision_keeps_the_layers_dtypes():
    shape = SHAPES[1]
    keras.mixed_precision.set_dtype_policy("mixed_bfloat16")
    try:
        keras_bn, fused = _pair(shape)
    finally:
        keras.mixed_precision.set_dtype_policy("float32")
    x = tf.constant(np.random.default_rng(4).normal(size=shape), "bfloat16")
    y = fused(x, training=True)
    assert y.dtype == tf.bfloat16 and fused.moving_mean.dtype == "float32"
    np.testing.assert_allclose(
        np.asarray(tf.cast(y, "float32")),
        np.asarray(tf.cast(keras_bn(x, training=True), "float32")),
        atol=0.05,
    )


def test_saves_and_loads_in_safe_mode(tmp_path):
    inputs = keras.Input((4, 4, 2))
    model = keras.Model(inputs, FusedBatchNormalization(name="bn")(inputs))
    path = str(tmp_path / "bn.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded.get_layer("bn"), FusedBatchNormalization)
    x = np.random.default_rng(5).normal(size=(2, 4, 4, 2)).astype("float32")
    np.testing.assert_allclose(loaded(x), model(x), atol=1e-6)
