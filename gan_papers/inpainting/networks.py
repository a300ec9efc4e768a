"""The DCGAN prior of Yeh et al. 2017: generator and discriminator of Radford et al. 2016.

Yeh et al. search the latent space of a DCGAN trained on 64x64 faces, with z in R^100 drawn from
U[-1, 1]. The networks follow Radford et al. 2016, Section 3 (the architecture guidelines: strided
convolutions instead of pooling, batch norm, ReLU in G with a tanh output, LeakyReLU in D, no fully
connected hidden layers) and Figure 1 (z projected to a 4x4 map, then 5x5 fractionally-strided
convolutions that double the side and halve the width), with Section 4's details: weights drawn
from N(0, 0.02), LeakyReLU slope 0.2.

At 64x64 (the paper's size):
    G: z (100) -> Dense 4*4*512 -> BN -> ReLU -> [ConvTranspose 5x5 s2 (256, 128, 64) -> BN -> ReLU]
       -> ConvTranspose 5x5 s2 3 -> tanh
    D: image -> Conv 5x5 s2 64 -> LeakyReLU -> [Conv 5x5 s2 (128, 256, 512) -> BN -> LeakyReLU]
       -> Flatten -> Dense 1 (logit)
Other sizes 4 * 2^k keep the 4x4 bottleneck and use k stages; the widths are arguments so the demo
profile can train a smaller prior at 32x32 on a CPU.

A convolution followed by batch norm has no bias: BN's learnt offset (beta) already plays that role,
as in Radford et al.'s reference code. Layers without BN (D's first convolution, G's last, the logit)
keep theirs.
"""

import keras
from keras import layers

from gan_papers.common.layers import LEAKY_SLOPE, batch_norm, dcgan_init, dcgan_stage
from gan_papers.common.validation import check_doublings, check_positive_int

KERNEL_SIZE = 5


def num_stages(image_size):
    """The number k of stride-2 stages between the 4x4 bottleneck and an ``image_size`` image.

    ``image_size`` must be 4 * 2^k with k >= 1 (8, 16, 32, 64, 128, ...); 64 gives the paper's 4.
    """
    return check_doublings(
        image_size, "image_size", "the networks double or halve a 4x4 map k times"
    )


def build_generator(
    image_size=64,
    latent_dim=100,
    base_filters=512,
    bn_momentum=0.9,
    bn_epsilon=1e-5,
    synchronized_bn=False,
    name="dcgan_generator",
):
    """Build the DCGAN generator: z in [-1, 1]^latent_dim -> image in [-1, 1].

    Args:
        image_size: side of the square output, 4 * 2^k (64 in the paper; 32 in the demo profile).
        latent_dim: dimension of z (100 in the paper).
        base_filters: width of the 4x4 map; each upsampling stage halves it (512 in the paper).
        bn_momentum, bn_epsilon: 0.9 and 1e-5, the values of the TensorFlow DCGAN code the public
            inpainting ports build on (neither paper states them; Keras' defaults are 0.99 and 1e-3).
            The faster moving average matters here: the latent search runs G in inference mode, on
            the moving statistics, and a short demo training must leave them up to date.
        synchronized_bn: batch statistics over the global batch under ``tf.distribute`` (each
            replica's own share otherwise, Keras' default). Single-device training is unaffected.

    Returns:
        A functional ``keras.Model``: (B, latent_dim) -> (B, image_size, image_size, 3), float32 (also
        under a mixed-precision policy). At the paper's size it has 5,128,643 parameters
        (5,126,723 trainable).
    """
    k = num_stages(image_size)
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    base_filters = check_positive_int(base_filters, "base_filters")
    if base_filters % 2 ** (k - 1):
        raise ValueError(
            f"`base_filters` must be divisible by 2^{k - 1} = {2 ** (k - 1)} (it is halved at each of "
            f"the {k - 1} hidden upsampling stages for image_size={image_size}); "
            f"received {base_filters}."
        )

    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(
        4 * 4 * base_filters, use_bias=False, kernel_initializer=dcgan_init(), name="project"
    )(z)
    x = layers.Reshape((4, 4, base_filters), name="reshape")(x)
    bn = (bn_momentum, bn_epsilon, synchronized_bn)
    x = batch_norm("bn0", *bn)(x)
    x = layers.ReLU(name="relu0")(x)
    for stage in range(1, k):
        width = base_filters // 2**stage
        x = dcgan_stage(x, layers.Conv2DTranspose, width, KERNEL_SIZE, stage, bn, "relu")
    x = layers.Conv2DTranspose(
        3,
        KERNEL_SIZE,
        strides=2,
        padding="same",
        kernel_initializer=dcgan_init(),
        name=f"deconv{k}",
    )(x)
    # float32 output keeps tanh exact under a mixed-precision policy.
    image = layers.Activation("tanh", dtype="float32", name="image")(x)
    return keras.Model(z, image, name=name)


def build_discriminator(
    image_size=64,
    base_filters=64,
    bn_momentum=0.9,
    bn_epsilon=1e-5,
    synchronized_bn=False,
    name="dcgan_discriminator",
):
    """Build the DCGAN discriminator: image in [-1, 1] -> one logit.

    The paper draws a sigmoid at the end; it lives in the loss (``gan_papers.common.losses``), which
    is numerically safe.

    Args:
        image_size: side of the square input, 4 * 2^k (64 in the paper); k stride-2 convolutions
            bring it to 4x4.
        base_filters: width of the first convolution; each later one doubles it (64 in the paper).
        bn_momentum, bn_epsilon, synchronized_bn: as in ``build_generator``.

    Returns:
        A functional ``keras.Model``: (B, image_size, image_size, 3) -> (B, 1) float32 logits. At the
        paper's size it has 4,317,441 parameters (4,315,649 trainable).
    """
    k = num_stages(image_size)
    base_filters = check_positive_int(base_filters, "base_filters")

    image = keras.Input((image_size, image_size, 3), name="image")
    # Radford et al., Section 3: no batch norm on D's input layer (it made training unstable).
    x = layers.Conv2D(
        base_filters,
        KERNEL_SIZE,
        strides=2,
        padding="same",
        kernel_initializer=dcgan_init(),
        name="conv1",
    )(image)
    x = layers.LeakyReLU(negative_slope=LEAKY_SLOPE, name="lrelu1")(x)
    bn = (bn_momentum, bn_epsilon, synchronized_bn)
    for stage in range(2, k + 1):
        width = base_filters * 2 ** (stage - 1)
        x = dcgan_stage(x, layers.Conv2D, width, KERNEL_SIZE, stage, bn, "lrelu")
    x = layers.Flatten(name="flatten")(x)
    # The Dense layer fixes the input size: Keras' input-spec check names the expected and the
    # received shape when an image of the wrong size comes.
    logits = layers.Dense(1, kernel_initializer=dcgan_init(), dtype="float32", name="logit")(x)
    return keras.Model(image, logits, name=name)
