"""The local and global discriminators of Li et al. 2017 (Section 3.2, Figure 2).

- The **local** discriminator sees the patch around the hole (64x64 in a 128x128 face): real patches
  against generated ones at the same place. It judges whether the new content looks like a face part.
- The **global** discriminator sees the whole face (the composite: known pixels plus the generated
  hole) against real faces. It judges whether the new content fits the rest of the face.

Both follow the authors' released code: stages of a 3x3 convolution and a 4x4 stride-2 convolution,
widths 64, 128, 256, 512 (512 again for any further stage), LeakyReLU(0.2), no batch norm, and a
final 4x4 "valid" convolution that turns the last 4x4 map into one logit. A stage halves the side,
so the 64x64 local input takes four stages and the 128x128 global input one more. Both return
**logits** (the paper's sigmoid lives in the losses).
"""

import keras
from keras import layers

from gan_papers.common.validation import check_doublings, check_positive_int

PAPER_WIDTHS = (64, 128, 256, 512)
LEAKY_SLOPE = 0.2


def build_discriminator(input_size, widths=PAPER_WIDTHS, name="discriminator"):
    """Conv stages down to 4x4, then a 4x4 valid convolution: images (B, S, S, 3) -> logits (B, 1).

    ``widths`` are the first stages' widths; further stages repeat the last one.
    """
    stages = check_doublings(
        input_size, "input_size", "each stage halves it down to the final 4x4 convolution"
    )
    widths = tuple(check_positive_int(w, "widths") for w in widths)
    if not widths:
        raise ValueError("`widths` must hold at least one width; received ().")
    images = keras.Input((input_size, input_size, 3), name="images")
    x = images
    for stage in range(stages):
        filters = widths[min(stage, len(widths) - 1)]
        x = layers.Conv2D(filters, 3, padding="same", name=f"stage{stage + 1}_conv3")(x)
        x = layers.LeakyReLU(LEAKY_SLOPE, name=f"stage{stage + 1}_lrelu1")(x)
        x = layers.Conv2D(filters, 4, strides=2, padding="same", name=f"stage{stage + 1}_conv4")(x)
        x = layers.LeakyReLU(LEAKY_SLOPE, name=f"stage{stage + 1}_lrelu2")(x)
    x = layers.Conv2D(1, 4, padding="valid", dtype="float32", name="logit_conv")(x)
    logits = layers.Flatten(dtype="float32", name="logit")(x)
    return keras.Model(images, logits, name=name)


def build_local_discriminator(patch_size=64, widths=PAPER_WIDTHS, name="local_discriminator"):
    """The local discriminator on the ``patch_size`` square around the hole (paper: 64)."""
    return build_discriminator(patch_size, widths, name=name)


def build_global_discriminator(image_size=128, widths=PAPER_WIDTHS, name="global_discriminator"):
    """The global discriminator on the whole ``image_size`` face (paper: 128)."""
    return build_discriminator(image_size, widths, name=name)
