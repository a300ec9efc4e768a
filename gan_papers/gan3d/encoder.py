"""The 3D-VAE-GAN's image encoder E and its sampler (Wu et al. 2016, Section 3.2 and Section 4.3).

The paper: "The image encoder consists of five spatial convolution layers with numbers of channels
{64, 128, 256, 512, 400}, kernel sizes {11, 5, 5, 5, 8}, and strides {4, 2, 2, 2, 1}, respectively.
There are batch normalization and ReLU layers in between, and a sampler at the end to sample a 200
dimensional vector from the 400 dimensional output." (The widths and the BN + ReLU are recalled,
not checked against the paper's text: assumptions listed in ``gan_papers.gan3d``.)

On a 256x256 image: 11x11/4 -> 64^2 x 64, 5x5/2 -> 32^2 x 128 -> 16^2 x 256 -> 8^2 x 512, and an
8x8 "valid" convolution -> 1^2 x 400 = (mu, log sigma^2) of q(z | y), 200 each. The last layer is
written as two 8x8 convolutions of 200 channels (``mu`` and ``log_var``), which is the same layer
(same parameter count) without a split.

Smaller images (a deviation for CPU runs; the paper only uses 256x256): ``image_size`` = 32 * 2^m
keeps the 11x11/4 input layer and the 8x8 read-out and uses m of the 5x5/2 layers, so 64x64 has
kernels {11, 5, 8} and strides {4, 2, 1} (16^2 -> 8^2 -> 1^2), 128x128 {11, 5, 5, 8}.

The sampler is the reparameterisation z = mu + exp(log sigma^2 / 2) * eps, eps ~ N(0, I)
(Kingma & Welling 2014), so gradients reach mu and sigma.
"""

import math

import keras
from keras import layers, ops

from gan_papers.common.layers import dcgan_init, dcgan_stage
from gan_papers.common.validation import check_positive_int

PAPER_IMAGE_SIZE = 256
PAPER_E_FILTERS = (64, 128, 256, 512)
FIRST_KERNEL, FIRST_STRIDE = 11, 4
MIDDLE_KERNEL = 5
READOUT_KERNEL = 8


def encoder_stages(image_size):
    """The number m of 5x5 stride-2 layers for ``image_size`` = 32 * 2^m (256 -> 3, the paper's)."""
    image_size = check_positive_int(image_size, "image_size")
    m = int(round(math.log2(image_size / 32))) if image_size >= 32 else -1
    if m < 0 or 32 * 2**m != image_size:
        raise ValueError(
            "`image_size` must be 32 * 2^m (32, 64, 128, 256 = the paper's, ...): the encoder "
            "divides it by 4, then by 2 m times, down to the 8x8 map its last 8x8 convolution "
            f"reads; received {image_size}."
        )
    return m


def default_encoder_filters(image_size):
    """The paper's widths (64, 128, 256, 512) cut to the m + 1 hidden layers of ``image_size``."""
    m = encoder_stages(image_size)
    return tuple(min(64 * 2**i, 512) for i in range(m + 1))


def build_encoder(
    image_size=PAPER_IMAGE_SIZE,
    channels=3,
    latent_dim=200,
    filters=None,
    bn_momentum=0.9,
    bn_epsilon=1e-5,
    name="gan3d_encoder",
):
    """Build E: an image y in [-1, 1] -> (mu, log_var) of q(z | y).

    Args:
        image_size: side of the square input, 32 * 2^m (256 in the paper; 64 in the demo profile).
        channels: 3 for RGB views, 1 for grey or silhouettes.
        latent_dim: dimension of z (200 in the paper; the last layer has 2 * latent_dim channels).
        filters: widths of the m + 1 hidden layers (paper: 64, 128, 256, 512); ``None``:
            ``default_encoder_filters(image_size)``.
        bn_momentum, bn_epsilon: as the generator's (Torch defaults).

    Returns:
        A functional ``keras.Model``: (B, S, S, channels) -> ``[mu, log_var]``, each (B, latent_dim)
        float32. Hidden convolutions are bias-free (batch norm follows); the read-out has biases.
    """
    m = encoder_stages(image_size)
    channels = check_positive_int(channels, "channels")
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    if filters is None:
        filters = default_encoder_filters(image_size)
    filters = tuple(filters)
    if len(filters) != m + 1 or not all(
        isinstance(f, int) and not isinstance(f, bool) and f >= 1 for f in filters
    ):
        raise ValueError(
            f"`filters` must be {m + 1} positive integers (the 11x11 layer and {m} 5x5 layers for "
            f"image_size={image_size}); received {filters!r}."
        )

    image = keras.Input((image_size, image_size, channels), name="image")
    x = image
    kernels = (FIRST_KERNEL,) + (MIDDLE_KERNEL,) * m
    strides = (FIRST_STRIDE,) + (2,) * m
    bn = (bn_momentum, bn_epsilon)
    for i, (width, kernel, stride) in enumerate(zip(filters, kernels, strides, strict=True), 1):
        x = dcgan_stage(x, layers.Conv2D, width, kernel, i, bn, "relu", strides=stride)
    outputs = []
    for head in ("mu", "log_var"):
        y = layers.Conv2D(
            latent_dim,
            READOUT_KERNEL,
            padding="valid",
            kernel_initializer=dcgan_init(),
            dtype="float32",
            name=f"conv_{head}",
        )(x)
        outputs.append(layers.Reshape((latent_dim,), dtype="float32", name=head)(y))
    return keras.Model(image, outputs, name=name)


def reparameterize(mu, log_var, eps):
    """The sampler: z = mu + exp(log_var / 2) * eps, with eps ~ N(0, I) drawn by the caller."""
    mu = ops.cast(mu, "float32")
    log_var = ops.cast(log_var, "float32")
    return mu + ops.exp(0.5 * log_var) * ops.cast(eps, "float32")
