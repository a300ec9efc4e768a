"""Layer helpers the DCGAN-style builders share (Radford et al. 2016; used by 3D-GAN and Yeh et al.).

- ``dcgan_init``: weights from N(0, 0.02), DCGAN's initialisation, a fresh initializer per layer
  (one shared instance would be a single random stream, which Keras warns about reusing);
- ``batch_norm``: batch normalisation with the momentum / epsilon a paper's framework used and,
  under ``tf.distribute``, statistics over the global batch when ``synchronized``; computed by
  TensorFlow's fused kernel while training (``FusedBatchNormalization``, the same maths);
- ``dcgan_stage``: a hidden stage of those networks, convolution -> batch norm -> (Leaky)ReLU.
"""

import keras
from keras import layers

from gan_papers.common.fused_batch_norm import FusedBatchNormalization

# Radford et al. 2016, Section 4: "All weights were initialized from a zero-centered Normal
# distribution with standard deviation 0.02."
DCGAN_INIT_STDDEV = 0.02
# Section 4: "In the LeakyReLU, the slope of the leak was set to 0.2 in all models."
LEAKY_SLOPE = 0.2
ACTIVATIONS = ("relu", "lrelu")


def dcgan_init(stddev=DCGAN_INIT_STDDEV):
    """A new ``RandomNormal(0, stddev)`` initializer (DCGAN: stddev 0.02)."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=stddev)


def batch_norm(name, momentum=0.99, epsilon=1e-3, synchronized=False):
    """A named ``FusedBatchNormalization`` layer, a ``keras.layers.BatchNormalization`` that trains
    with TensorFlow's fused kernel (defaults: Keras's momentum and epsilon)."""
    return FusedBatchNormalization(
        momentum=momentum, epsilon=epsilon, synchronized=synchronized, name=name
    )


def dcgan_stage(x, conv, filters, kernel_size, stage, bn, activation, strides=2, padding="same"):
    """A hidden stage of a DCGAN-style network (Radford et al. 2016, Section 3), applied to ``x``.

    ``conv`` (a 2-D or 3-D, plain or transposed convolution class) with N(0, 0.02) weights and no
    bias (batch norm's learnt offset plays that role), then ``batch_norm(*bn)``, then ``activation``:
    ``"relu"`` (generators, encoders) or ``"lrelu"`` (discriminators, LeakyReLU with slope 0.2).
    The layers are named ``deconv{stage}`` (transposed) or ``conv{stage}``, ``bn{stage}`` and
    ``relu{stage}`` / ``lrelu{stage}``; ``bn`` is ``(momentum, epsilon, synchronized)``.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"`activation` must be one of {ACTIVATIONS}; received {activation!r}.")
    kind = "deconv" if "Transpose" in conv.__name__ else "conv"
    x = conv(
        filters,
        kernel_size,
        strides=strides,
        padding=padding,
        use_bias=False,
        kernel_initializer=dcgan_init(),
        name=f"{kind}{stage}",
    )(x)
    x = batch_norm(f"bn{stage}", *bn)(x)
    if activation == "relu":
        return layers.ReLU(name=f"relu{stage}")(x)
    return layers.LeakyReLU(negative_slope=LEAKY_SLOPE, name=f"lrelu{stage}")(x)
