"""SRResNet, the SRGAN generator (Ledig et al. 2017, Section 2.2 and Figure 4).

LR input in [0, 1], SR output in [-1, 1] (Section 3.2). The network is fully convolutional,
so it super-resolves images of any size once trained on 96x96 HR crops.
"""

import math

import keras
from keras import layers

from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.srgan.layers import PixelShuffle


def _check_scale(scale):
    check_choice(scale, "scale", (2, 4, 8))
    return int(math.log2(scale))


def build_generator(
    num_blocks=16,
    scale=4,
    filters=64,
    bn_momentum=0.99,
    bn_epsilon=1e-3,
    output_activation="tanh",
    synchronized_bn=False,
    name="srresnet",
):
    """Build SRResNet: B residual blocks + sub-pixel upsampling.

    Architecture (paper, Figure 4): conv 9x9 ``filters`` -> PReLU (kept as the long skip ``u``);
    ``num_blocks`` x [conv 3x3 -> BN -> PReLU -> conv 3x3 -> BN -> + input]; conv 3x3 -> BN -> + ``u``;
    log2(``scale``) x [conv 3x3 256 -> pixel shuffle x2 -> PReLU]; conv 9x9 -> 3 channels.

    Args:
        num_blocks: B, the number of residual blocks (16 in the paper).
        scale: upscaling factor, 2, 4 (the paper) or 8.
        filters: feature maps in the residual trunk (64 in the paper).
        bn_momentum, bn_epsilon: Keras BatchNormalization defaults (0.99, 1e-3). PyTorch ports use
            0.9 / 1e-5 (PyTorch's momentum 0.1 means Keras' 0.9); the paper gives neither.
        output_activation: ``"tanh"`` (default). The paper draws no output activation; tanh bounds the
            output to the HR range [-1, 1] it is trained against. ``None`` gives the linear output.
        synchronized_bn: batch statistics over the global batch under ``tf.distribute`` (each
            replica's own half-batch otherwise, Keras' default). Single-device training is unaffected.

    Returns:
        A functional ``keras.Model`` (LR (B, h, w, 3) in [0, 1] -> SR (B, h*scale, w*scale, 3) in [-1, 1]).
        With the paper's defaults it has 1,554,883 parameters (1,550,659 trainable).
    """
    num_blocks = check_positive_int(num_blocks, "num_blocks")
    filters = check_positive_int(filters, "filters")
    num_upsamples = _check_scale(scale)

    def conv(x, n, k, name):
        return layers.Conv2D(n, k, padding="same", name=name)(x)

    def bn(x, name):
        return layers.BatchNormalization(
            momentum=bn_momentum, epsilon=bn_epsilon, synchronized=synchronized_bn, name=name
        )(x)

    def prelu(x, name):
        # One learnable slope per channel, shared over height and width (He et al. 2015).
        return layers.PReLU(shared_axes=[1, 2], name=name)(x)

    lr = keras.Input((None, None, 3), name="lr")
    u = prelu(conv(lr, filters, 9, "conv_in"), "prelu_in")

    x = u
    for b in range(num_blocks):
        y = prelu(bn(conv(x, filters, 3, f"res{b}_conv1"), f"res{b}_bn1"), f"res{b}_prelu")
        y = bn(conv(y, filters, 3, f"res{b}_conv2"), f"res{b}_bn2")
        x = layers.Add(name=f"res{b}_add")([x, y])

    x = bn(conv(x, filters, 3, "conv_mid"), "bn_mid")
    x = layers.Add(name="long_skip")([x, u])

    for s in range(num_upsamples):
        x = conv(x, filters * 4, 3, f"up{s}_conv")
        x = PixelShuffle(2, name=f"up{s}_shuffle")(x)
        x = prelu(x, f"up{s}_prelu")

    x = conv(x, 3, 9, "conv_out")
    # float32 output keeps the last activation exact under a mixed-precision policy.
    sr = layers.Activation(output_activation or "linear", dtype="float32", name="sr")(x)
    return keras.Model(lr, sr, name=name)
