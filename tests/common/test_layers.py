"""The DCGAN stage helper: the layers it adds, their names and settings, and bad input."""

import keras
import pytest
from keras import layers

from gan_papers.common.layers import dcgan_stage


@pytest.mark.parametrize(
    ("conv", "activation", "names"),
    [
        (layers.Conv2DTranspose, "relu", ["deconv3", "bn3", "relu3"]),
        (layers.Conv2D, "lrelu", ["conv3", "bn3", "lrelu3"]),
    ],
)
def test_dcgan_stage_is_a_bias_free_conv_batch_norm_and_activation(conv, activation, names):
    inputs = keras.Input((8, 8, 4))
    outputs = dcgan_stage(inputs, conv, 6, 5, 3, (0.9, 1e-5, False), activation)
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in model.layers[1:]] == names
    conv_layer, bn_layer, act_layer = model.layers[1:]
    assert not conv_layer.use_bias and conv_layer.kernel_size == (5, 5)
    assert conv_layer.strides == (2, 2) and conv_layer.padding == "same"
    assert conv_layer.kernel_initializer.stddev == 0.02
    assert (bn_layer.momentum, bn_layer.epsilon) == (0.9, 1e-5)
    expected_side = 16 if conv is layers.Conv2DTranspose else 4
    assert tuple(outputs.shape) == (None, expected_side, expected_side, 6)
    if activation == "lrelu":
        assert act_layer.negative_slope == pytest.approx(0.2)


def test_dcgan_stage_rejects_an_unknown_activation():
    with pytest.raises(ValueError, match=r"`activation` must be one of .*received 'tanh'"):
        dcgan_stage(keras.Input((8, 8, 4)), layers.Conv2D, 6, 5, 1, (0.9, 1e-5), "tanh")
