"""The local and global discriminators of Li et al. 2017 (Section 3.2, Figure 2).

- The **local** discriminator sees the patch around the hole (64x64 in a 128x128 face): real patches
  against generated ones at the same place. It judges whether the new content looks like a face part.
- The **global** discriminator sees the whole face (the composite: known pixels plus the generated
  hole) against real faces. It judges whether the new content fits the rest of the face.

Both follow the authors' ``Model_localD.prototxt`` and ``Model_globalD.prototxt``: stages of a 3x3
convolution and a 4x4 stride-2 convolution (biases on, weights drawn from N(0, 0.02), biases 0),
LeakyReLU(0.2), no batch norm, and a final 4x4 "valid" convolution that turns the last 4x4 map into one
logit. A stage halves the side, so the 64x64 local input takes four stages, widths 64, 128, 256, 512,
and the 128x128 global input five: an extra **first** stage of 32 channels, then 64, 128, 256, 512
(7,164,705 parameters). Both return **logits** (the prototxts' final sigmoid lives in the losses).
"""

import keras
from keras import layers

from gan_papers.common.validation import check_doublings
from gan_papers.face_completion.generator import check_widths

LOCAL_PAPER_WIDTHS = (64, 128, 256, 512)  # Model_localD.prototxt
GLOBAL_PAPER_WIDTHS = (32, 64, 128, 256, 512)  # Model_globalD.prototxt
PAPER_WIDTHS = LOCAL_PAPER_WIDTHS
LEAKY_SLOPE = 0.2
INIT_STDDEV = 0.02  # every weight_filler of both prototxts: gaussian, std 0.02


def _initializer():
    return keras.initializers.RandomNormal(0.0, INIT_STDDEV)


def build_discriminator(input_size, widths, name="discriminator"):
    """Conv stages down to 4x4, then a 4x4 valid convolution: images (B, S, S, 3) -> logits (B, 1).

    ``widths``: one width per stage, and ``input_size`` = 4 * 2^len(widths) (each stage halves it).
    """
    stages = check_doublings(
        input_size, "input_size", "each stage halves it down to the final 4x4 convolution"
    )
    widths = check_widths(
        widths,
        count=stages,
        what=f"one width per stage: {stages} for a {input_size}x{input_size} input (4 * 2^{stages})",
    )
    images = keras.Input((input_size, input_size, 3), name="images")
    x = images
    for stage, filters in enumerate(widths, start=1):
        for kind, kernel, strides in (("conv3", 3, 1), ("conv4", 4, 2)):
            x = layers.Conv2D(
                filters,
                kernel,
                strides=strides,
                padding="same",  # = the prototxts' pad 1 for both kernels at even sizes
                kernel_initializer=_initializer(),
                name=f"stage{stage}_{kind}",
            )(x)
            x = layers.LeakyReLU(LEAKY_SLOPE, name=f"stage{stage}_lrelu{1 + (kind == 'conv4')}")(x)
    x = layers.Conv2D(
        1, 4, padding="valid", kernel_initializer=_initializer(), dtype="float32", name="logit_conv"
    )(x)
    logits = layers.Flatten(dtype="float32", name="logit")(x)
    return keras.Model(images, logits, name=name)


def build_local_discriminator(patch_size=64, widths=None, name="local_discriminator"):
    """The local discriminator on the ``patch_size`` square around the hole (paper: 64).

    ``widths`` default: the paper's 64, 128, 256, 512 at 64x64 (``Model_localD.prototxt``).
    """
    return build_discriminator(patch_size, LOCAL_PAPER_WIDTHS if widths is None else widths, name)


def build_global_discriminator(image_size=128, widths=None, name="global_discriminator"):
    """The global discriminator on the whole ``image_size`` face (paper: 128).

    ``widths`` default: the paper's 32, 64, 128, 256, 512 at 128x128 (``Model_globalD.prototxt``).
    """
    return build_discriminator(image_size, GLOBAL_PAPER_WIDTHS if widths is None else widths, name)
