"""SRGAN's two networks (Ledig et al. 2017, Section 2.2 and Figure 4).

- ``build_generator``: SRResNet. LR input in [0, 1], SR output in [-1, 1] (Section 3.2). The network
  is fully convolutional, so it super-resolves images of any size once trained on 96x96 HR crops.
  It upsamples with ``PixelShuffle``, sub-pixel convolution's rearrangement, a registered layer (not
  a ``Lambda``) so that every model loads with ``keras.saving.load_model(path)`` in safe mode.
- ``build_discriminator``: returns a logit; the paper's final sigmoid lives in the loss
  (``gan_papers.common.losses``), which is numerically safe.
"""

import math

import keras
from keras import layers, ops

from gan_papers.common.layers import batch_norm
from gan_papers.common.validation import check_choice, check_positive_int
from gan_papers.srgan.bicubic_skip import BicubicUpsample
from gan_papers.srgan.icnr import ICNR


@keras.saving.register_keras_serializable(package="gan_papers")
class PixelShuffle(keras.layers.Layer):
    """Sub-pixel convolution's rearrangement (Shi et al. 2016): (H, W, C r^2) -> (H r, W r, C).

    SRGAN's generator upsamples with two of these (x2 each) after 256-channel convolutions.
    """

    def __init__(self, block_size=2, **kwargs):
        super().__init__(**kwargs)
        self.block_size = int(block_size)

    def call(self, inputs):
        return ops.depth_to_space(inputs, self.block_size)

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        r = self.block_size
        return (
            b,
            None if h is None else h * r,
            None if w is None else w * r,
            c // (r * r),
        )

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}


def _upsample_initializer(name):
    check_choice(name, "upsample_initializer", ("icnr", "glorot_uniform"))
    return ICNR(2) if name == "icnr" else name


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
    upsample_initializer="glorot_uniform",
    bicubic_skip=False,
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
        upsample_initializer: the sub-pixel convolutions' kernels: ``"glorot_uniform"`` (Keras'
            default; the paper states no initialisation) or ``"icnr"`` (``gan_papers.srgan.icnr``,
            Aitken et al. 2017: nearest-neighbour upsampling at the start, so no checkerboard).
        bicubic_skip: ``False`` (the paper). ``True`` adds the MATLAB bicubic upsampling of the LR
            input to the output (``gan_papers.srgan.bicubic_skip``, VDSR's residual learning), and
            ``output_activation`` then bounds only what the network adds. The last convolution
            starts at zero, so a fresh generator is exactly bicubic.

    Returns:
        A functional ``keras.Model`` (LR (B, h, w, 3) in [0, 1] -> SR (B, h*scale, w*scale, 3) in [-1, 1]).
        With the paper's defaults it has 1,554,883 parameters (1,550,659 trainable).
    """
    num_blocks = check_positive_int(num_blocks, "num_blocks")
    filters = check_positive_int(filters, "filters")
    num_upsamples = _check_scale(scale)
    if not isinstance(bicubic_skip, bool):
        raise ValueError(f"`bicubic_skip` must be True or False; received {bicubic_skip!r}.")

    def conv(x, n, k, name):
        return layers.Conv2D(n, k, padding="same", name=name)(x)

    def bn(x, name):
        return batch_norm(name, bn_momentum, bn_epsilon, synchronized_bn)(x)

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
        x = layers.Conv2D(
            filters * 4,
            3,
            padding="same",
            kernel_initializer=_upsample_initializer(upsample_initializer),
            name=f"up{s}_conv",
        )(x)
        x = PixelShuffle(2, name=f"up{s}_shuffle")(x)
        x = prelu(x, f"up{s}_prelu")

    # With the skip the last convolution starts at zero: training starts from bicubic exactly.
    x = layers.Conv2D(
        3,
        9,
        padding="same",
        kernel_initializer="zeros" if bicubic_skip else "glorot_uniform",
        name="conv_out",
    )(x)
    # float32 output keeps the last activation exact under a mixed-precision policy.
    activation = "residual" if bicubic_skip else "sr"
    x = layers.Activation(output_activation or "linear", dtype="float32", name=activation)(x)
    if not bicubic_skip:
        return keras.Model(lr, x, name=name)
    bicubic = BicubicUpsample(scale, name="bicubic")(lr)
    bicubic = layers.Rescaling(2.0, offset=-1.0, dtype="float32", name="bicubic_signed")(bicubic)
    sr = layers.Add(dtype="float32", name="sr")([bicubic, x])
    return keras.Model(lr, sr, name=name)


# (filters, stride) of the seven conv -> BN -> LeakyReLU blocks after the first conv.
_BLOCKS = ((64, 2), (128, 1), (128, 2), (256, 1), (256, 2), (512, 1), (512, 2))


def build_discriminator(
    input_size=96,
    dense_units=1024,
    bn_momentum=0.99,
    bn_epsilon=1e-3,
    synchronized_bn=False,
    name="srgan_discriminator",
):
    """Build the SRGAN discriminator: 8 conv layers (64 -> 512 filters), Dense 1024, Dense 1 logit.

    conv 3x3 64 s1 -> LeakyReLU(0.2) (no BN); then conv 3x3 with (64, s2), (128, s1), (128, s2),
    (256, s1), (256, s2), (512, s1), (512, s2), each -> BN -> LeakyReLU(0.2); Flatten -> Dense 1024
    -> LeakyReLU(0.2) -> Dense 1.

    Args:
        input_size: side of the square HR crops it judges (96 in the paper); must be divisible by 16.
        dense_units: width of the hidden dense layer (1024 in the paper).
        bn_momentum, bn_epsilon, synchronized_bn: as in ``build_generator``.

    Returns:
        ``keras.Model``: (B, input_size, input_size, 3) in [-1, 1] -> (B, 1) logits (float32).
    """
    input_size = check_positive_int(input_size, "input_size")
    if input_size % 16:
        raise ValueError(
            f"`input_size` must be divisible by 16 (four stride-2 convolutions); received {input_size}."
        )

    def lrelu(x, name):
        return layers.LeakyReLU(negative_slope=0.2, name=name)(x)

    hr = keras.Input((input_size, input_size, 3), name="hr")
    # The Dense layer fixes the input size: Keras' input-spec check raises a ValueError naming the
    # expected and the received shape when a wrong crop size is passed.
    x = lrelu(layers.Conv2D(64, 3, padding="same", name="conv0")(hr), "lrelu0")
    for i, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = layers.Conv2D(filters, 3, strides=stride, padding="same", name=f"conv{i}")(x)
        x = batch_norm(f"bn{i}", bn_momentum, bn_epsilon, synchronized_bn)(x)
        x = lrelu(x, f"lrelu{i}")
    x = layers.Flatten(name="flatten")(x)
    x = lrelu(layers.Dense(dense_units, name="dense")(x), "lrelu_dense")
    logits = layers.Dense(1, dtype="float32", name="logit")(x)
    return keras.Model(hr, logits, name=name)
