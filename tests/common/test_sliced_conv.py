"""The sliced 3-D convolutions compute exactly what Keras's Conv3D / Conv3DTranspose compute."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose

# (input shape, kernel, strides, padding, filters): the networks' layers (4^3 kernels, stride 2
# "same", stride 1 "valid" from and to a 1^3 grid) and odd cases (odd sizes, mixed strides).
CONV_CASES = [
    ((2, 8, 8, 8, 3), 4, 2, "same", 5),
    ((2, 4, 4, 4, 6), 4, 1, "valid", 1),
    ((2, 7, 7, 7, 2), 4, 2, "same", 3),
    ((2, 6, 6, 6, 2), 4, 2, "valid", 3),
    ((2, 5, 6, 7, 3), 3, (2, 1, 2), "same", 2),
]
TRANSPOSE_CASES = [
    ((2, 8, 8, 8, 3), 4, 2, "same", 5),
    ((2, 1, 1, 1, 7), 4, 1, "valid", 4),
    ((2, 4, 4, 4, 6), 4, 1, "valid", 1),
    ((2, 7, 7, 7, 2), 4, 2, "same", 3),
    ((2, 3, 5, 4, 2), 4, (2, 1, 2), "valid", 3),
]


def _pair(native_cls, sliced_cls, shape, kernel, strides, padding, filters):
    native = native_cls(filters, kernel, strides=strides, padding=padding, use_bias=True)
    native.build(shape)
    native.bias.assign(np.random.default_rng(1).normal(size=filters))
    sliced = sliced_cls(filters, kernel, strides=strides, padding=padding, use_bias=True)
    sliced.build(shape)
    sliced.set_weights(native.get_weights())
    return native, sliced


def _outputs_and_gradients(layer, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        # A non-uniform weighting, so the gradients see where each output went.
        loss = tf.reduce_sum(y * tf.reshape(tf.range(tf.size(y), dtype=y.dtype), y.shape) / 100)
    return [y.numpy()] + [g.numpy() for g in tape.gradient(loss, [x, *layer.trainable_weights])]


@pytest.mark.parametrize(
    "native_cls, sliced_cls, case",
    [(layers.Conv3D, SlicedConv3D, c) for c in CONV_CASES]
    + [(layers.Conv3DTranspose, SlicedConv3DTranspose, c) for c in TRANSPOSE_CASES],
)
def test_outputs_and_gradients_equal_kerass_layer(native_cls, sliced_cls, case):
    native, sliced = _pair(native_cls, sliced_cls, *case)
    x = np.random.default_rng(0).normal(size=case[0]).astype("float32")
    expected = _outputs_and_gradients(native, x)
    received = _outputs_and_gradients(sliced, x)
    assert [r.shape for r in received] == [e.shape for e in expected]
    for r, e in zip(received, expected, strict=True):
        np.testing.assert_allclose(r, e, rtol=1e-4, atol=1e-4)


def test_same_result_under_xla():
    native, sliced = _pair(layers.Conv3DTranspose, SlicedConv3DTranspose, *TRANSPOSE_CASES[0])
    x = tf.constant(np.random.default_rng(0).normal(size=TRANSPOSE_CASES[0][0]), "float32")
    compiled = tf.function(sliced, jit_compile=True)
    np.testing.assert_allclose(compiled(x).numpy(), native(x).numpy(), rtol=1e-4, atol=1e-5)


def test_mixed_precision_computes_in_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    layer = SlicedConv3D(4, 4, strides=2, padding="same")
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 8, 1)).astype("float32")
    y = layer(x)
    assert y.dtype == "float16" and layer.kernel.dtype == "float32"
    reference = layers.Conv3D(4, 4, strides=2, padding="same", dtype="float32")
    reference.build(x.shape)
    reference.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(y, "float32"), reference(x).numpy(), atol=2e-2)


def test_config_round_trips():
    layer = SlicedConv3DTranspose(3, 4, strides=2, padding="same", use_bias=False)
    clone = SlicedConv3DTranspose.from_config(layer.get_config())
    assert clone.strides == (2, 2, 2) and clone.kernel_size == (4, 4, 4) and not clone.use_bias
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(restored) is SlicedConv3DTranspose


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="channels_last"):
        SlicedConv3D(2, 4, data_format="channels_first")
    with pytest.raises(ValueError, match="groups=2"):
        SlicedConv3D(2, 4, groups=2)
    with pytest.raises(ValueError, match="output_padding"):
        SlicedConv3DTranspose(2, 4, strides=2, output_padding=1)
    layer = SlicedConv3DTranspose(2, 3, strides=2, padding="same")
    with pytest.raises(ValueError, match="multiple of the depth stride.*3.*2"):
        layer(np.zeros((1, 4, 4, 4, 1), "float32"))
