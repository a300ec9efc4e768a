"""The 3D-GAN generator and discriminator (Wu et al. 2016, Section 3.1 and Figure 1).

At the paper's 64^3 (the authors' code removes every convolution bias; batch norm's offset plays
that role):

    G: z (200) -> 4^3 x 512 (a 4x4x4 transposed convolution of the 1^3 code, "valid")
       -> 8^3 x 256 -> 16^3 x 128 -> 32^3 x 64 -> 64^3 x 1
       every layer a 4x4x4 transposed convolution (stride 2 after the first), batch norm + ReLU
       between, a sigmoid at the end (occupancy probability).
    D: 64^3 x 1 -> 32^3 x 64 -> 16^3 x 128 -> 8^3 x 256 -> 4^3 x 512 -> 1
       4x4x4 convolutions of stride 2, batch norm + LeakyReLU(0.2), then a 4x4x4 "valid"
       convolution to one logit (no pooling, no linear layer, no batch norm before the output).

Bias-free, G has 17,571,584 parameters and D 11,050,752 (batch norm's moving statistics included).

Other resolutions 4 * 2^k (k >= 1) keep the 4^3 bottleneck and use k stride-2 stages: the
``resolution=32`` variant has one stage fewer, and a feature map of a given side keeps the width it
has at 64^3 (G 512, 256, 128; D 128, 256, 512). The widths are arguments so the demo can train
narrower networks on a CPU.

``implementation`` says how the 3-D convolutions are computed; the weights and maths are the same
either way. ``"native"`` uses Keras's ``Conv3D`` / ``Conv3DTranspose``, and ``"sliced"`` uses
``SlicedConv3D`` / ``SlicedConv3DTranspose`` (2-D convolutions over depth slices,
``gan_papers.common.sliced_conv``). The default ``"auto"`` takes whichever is fast with the kernels
TensorFlow runs on this machine: TensorFlow's own CPU kernels for 3-D backward passes are 16-23x
slower than the sliced form, and oneDNN's are 3-4x faster (``gan_papers.common.conv3d_choice``;
measured: ``benchmarks/README.md``, "3D-GAN").

The paper draws a sigmoid at D's output; here D returns the logit and the sigmoid lives in the loss
(``gan_papers.common.losses``). Weights start from N(0, 0.02) (DCGAN's initialisation; the paper
does not say, nor was the authors' code checked: an assumption listed in ``gan_papers.gan3d``).
"""

import keras
from keras import layers

from gan_papers.common.conv3d_choice import resolve_implementation
from gan_papers.common.layers import dcgan_init, dcgan_stage
from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose
from gan_papers.common.validation import check_doublings, check_positive_int

LATENT_DIM = 200
KERNEL_SIZE = 4
# Widths at 64^3 (Section 3.1): G from the 4^3 bottleneck up, D from the input down.
PAPER_G_FILTERS = (512, 256, 128, 64)
PAPER_D_FILTERS = (64, 128, 256, 512)


def num_stages(resolution):
    """The number k of stride-2 stages between the 4^3 bottleneck and a ``resolution``^3 grid.

    ``resolution`` must be 4 * 2^k with k >= 1 (8, 16, 32, 64, ...); 64 gives the paper's 4.
    """
    return check_doublings(
        resolution, "resolution", "the networks double or halve a 4^3 grid k times"
    )


def default_filters(resolution):
    """The paper's widths for ``resolution``: ``(G's filters, D's filters)``, each of length k.

    A feature map of side s has the width it has at 64^3, so 32^3 gives G (512, 256, 128) and
    D (128, 256, 512). Beyond 64^3 the widths go on halving towards the output (G) / the input (D).
    """
    k = num_stages(resolution)
    g = tuple(max(512 // 2**i, 1) for i in range(k))
    d = tuple(reversed(g))
    return g, d


def _check_filters(filters, k, name, resolution):
    filters = tuple(filters)
    if len(filters) != k or not all(
        isinstance(f, int) and not isinstance(f, bool) and f >= 1 for f in filters
    ):
        raise ValueError(
            f"`{name}` must be {k} positive integers (one per stage at resolution {resolution}); "
            f"received {filters!r}."
        )
    return filters


def _conv_layers(implementation):
    """(Conv3D class, Conv3DTranspose class) for ``implementation``."""
    if resolve_implementation(implementation) == "native":
        return layers.Conv3D, layers.Conv3DTranspose
    return SlicedConv3D, SlicedConv3DTranspose


def build_generator(
    resolution=64,
    latent_dim=LATENT_DIM,
    filters=None,
    bn_momentum=0.9,
    bn_epsilon=1e-5,
    synchronized_bn=False,
    implementation="auto",
    name="gan3d_generator",
):
    """Build the 3D-GAN generator: z in [0, 1]^latent_dim -> occupancy probabilities.

    Args:
        resolution: side of the output grid, 4 * 2^k (64 in the paper; 32 in the demo profile).
        latent_dim: dimension of z (200 in the paper).
        filters: widths of the k hidden layers, from the 4^3 bottleneck up (paper at 64^3:
            512, 256, 128, 64); ``None``: ``default_filters(resolution)``.
        bn_momentum, bn_epsilon: 0.9 and 1e-5, Torch's batch-norm defaults (the authors' code is Torch).
        synchronized_bn: batch statistics over the global batch under ``tf.distribute``.
        implementation: how the 3-D convolutions are computed, the same maths and weights either
            way: ``"native"`` (TensorFlow's 3-D kernels), ``"sliced"`` (2-D convolutions over
            depth slices, ``gan_papers.common.sliced_conv``) or ``"auto"`` (the faster of the two
            with this machine's kernels, measured once per process:
            ``gan_papers.common.conv3d_choice``).

    Returns:
        A functional ``keras.Model``: (B, latent_dim) -> (B, R, R, R, 1) in (0, 1), float32 also
        under a mixed-precision policy. At the paper's size it has 17,571,584 parameters.
    """
    k = num_stages(resolution)
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    if filters is None:
        filters = default_filters(resolution)[0]
    filters = _check_filters(filters, k, "filters", resolution)

    _, conv_transpose = _conv_layers(implementation)

    z = keras.Input((latent_dim,), name="z")
    x = layers.Reshape((1, 1, 1, latent_dim), name="reshape")(z)
    # The code as a 1^3 grid of latent_dim channels; a "valid" 4x4x4 transposed convolution turns
    # it into the 4^3 bottleneck (the paper's first layer, Figure 1).
    bn = (bn_momentum, bn_epsilon, synchronized_bn)
    x = dcgan_stage(
        x, conv_transpose, filters[0], KERNEL_SIZE, 1, bn, "relu", strides=1, padding="valid"
    )
    for stage in range(2, k + 1):
        x = dcgan_stage(x, conv_transpose, filters[stage - 1], KERNEL_SIZE, stage, bn, "relu")
    x = conv_transpose(
        1,
        KERNEL_SIZE,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=dcgan_init(),
        name=f"deconv{k + 1}",
    )(x)
    # Occupancy in {0, 1} calls for a sigmoid (a tanh output on {0, 1} data is a known pitfall of
    # ports). float32 keeps it exact under a mixed-precision policy.
    voxels = layers.Activation("sigmoid", dtype="float32", name="voxels")(x)
    return keras.Model(z, voxels, name=name)


def build_discriminator(
    resolution=64,
    filters=None,
    bn_momentum=0.9,
    bn_epsilon=1e-5,
    synchronized_bn=False,
    implementation="auto",
    name="gan3d_discriminator",
):
    """Build the 3D-GAN discriminator: a voxel grid -> one logit.

    Stage i (1..k) is ``conv{i}`` -> ``bn{i}`` -> ``lrelu{i}`` (the feature layers of Section 4.2 are
    ``lrelu2``..``lrelu4`` at 64^3); the logit is ``conv{k+1}``, a "valid" 4x4x4 convolution of the
    4^3 map.

    Args:
        resolution: side of the input grid, 4 * 2^k (64 in the paper).
        filters: widths of the k stride-2 convolutions, from the input down (paper at 64^3:
            64, 128, 256, 512); ``None``: ``default_filters(resolution)``.
        bn_momentum, bn_epsilon, synchronized_bn, implementation: as in ``build_generator``.

    Returns:
        A functional ``keras.Model``: (B, R, R, R, 1) -> (B, 1) float32 logits. At the paper's size it
        has 11,050,752 parameters.
    """
    k = num_stages(resolution)
    if filters is None:
        filters = default_filters(resolution)[1]
    filters = _check_filters(filters, k, "filters", resolution)

    conv, _ = _conv_layers(implementation)

    voxels = keras.Input((resolution, resolution, resolution, 1), name="voxels")
    x = voxels
    bn = (bn_momentum, bn_epsilon, synchronized_bn)
    for stage in range(1, k + 1):
        x = dcgan_stage(x, conv, filters[stage - 1], KERNEL_SIZE, stage, bn, "lrelu")
    # The paper's last layer: 4^3 -> 1^3, no batch norm right before the output (a known cause of
    # "it always generates a cube").
    x = conv(
        1,
        KERNEL_SIZE,
        padding="valid",
        use_bias=False,
        kernel_initializer=dcgan_init(),
        dtype="float32",
        name=f"conv{k + 1}",
    )(x)
    logits = layers.Reshape((1,), dtype="float32", name="logit")(x)
    return keras.Model(voxels, logits, name=name)
