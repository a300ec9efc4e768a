"""The SRGAN discriminator (Ledig et al. 2017, Section 2.2 and Figure 4).

Returns a logit: the paper's final sigmoid lives in the loss
(``gan_papers.common.losses``), which is numerically safe.
"""

import keras
from keras import layers

from gan_papers.common.validation import check_positive_int

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
        x = layers.BatchNormalization(
            momentum=bn_momentum, epsilon=bn_epsilon, synchronized=synchronized_bn, name=f"bn{i}"
        )(x)
        x = lrelu(x, f"lrelu{i}")
    x = layers.Flatten(name="flatten")(x)
    x = lrelu(layers.Dense(dense_units, name="dense")(x), "lrelu_dense")
    logits = layers.Dense(1, dtype="float32", name="logit")(x)
    return keras.Model(hr, logits, name=name)
