"""The networks of Li et al. 2017 (Section 3.1-3.2, Figure 2): the generator and two discriminators.

**The generator** (Section 3.1) is an encoder-decoder.

The paper describes the encoder as VGG-19's conv1 to pool3 plus two convolutions, a pooling layer and
a fully connected layer, and a symmetric decoder with unpooling. The authors' released code fixes the
details, which are this builder's defaults (128x128 faces): 3x3 convolutions with ReLU and **no batch
norm anywhere**, and

    encoder: conv 32, 32 -> pool -> 64, 64 -> pool -> 128, 128 -> pool -> 256 x4 -> pool   (8x8x256)
             -> FC 4096
    decoder: FC 16384 -> 8x8x256 -> unpool -> 64, 64, 64, 128 -> unpool -> 64, 64 -> unpool -> 64, 32
             -> unpool -> 32, 32 -> conv 3 (linear)

Each unpooling reuses the indices of the encoder's pooling at the same scale (SegNet), which is why
every decoder stage ends with the channel count of that pooling. The input is the masked face with
its hole filled with uniform noise in [-1, 1] (the authors' code; ``FaceCompletionGAN`` does it); the
output is linear, and only its hole pixels are kept (the composite).

Initialisation as in ``Model_G.prototxt``: every convolution and fully connected layer draws its
weights from Caffe's ``msra`` filler with ``variance_norm: AVERAGE``, i.e. N(0, 2 / ((fan_in + fan_out)
/ 2)) (Keras' ``VarianceScaling(2.0, "fan_avg", "untruncated_normal")``), except the output
convolution, ``gaussian`` with std 0.001 (the first completions are near 0, mid-grey); biases 0.

``widths`` scales the encoder (the decoder follows it) and ``fc_units`` the bottleneck, so the demo
profile can train a thinner network on smaller faces; ``unpooling=False`` replaces unpooling with
nearest-neighbour upsampling (a deviation, for comparison).

**The discriminators** (Section 3.2):
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

from gan_papers.common.validation import check_doublings, check_positive_int
from gan_papers.face_completion.unpooling import MaxPoolingWithIndices, MaxUnpooling

PAPER_WIDTHS = (32, 64, 128, 256)
PAPER_FC_UNITS = 4096
STAGES = 4  # four poolings: the image size must be a multiple of 16


def check_widths(widths, name="widths", count=4, what=None):
    """``widths`` as a tuple of ``count`` positive ints, or ``ValueError``.

    ``what``: how the error states the expected count (default: "{count} layer widths").
    """
    try:
        widths = tuple(widths)
    except TypeError:
        widths = (widths,)
    if len(widths) != count:
        what = what or f"{count} layer widths"
        raise ValueError(f"`{name}` must hold {what}; received {widths!r} ({len(widths)}).")
    return tuple(check_positive_int(w, f"{name}[{i}]") for i, w in enumerate(widths))


def check_image_size(image_size, multiple, name="image_size"):
    """``image_size`` as an int that is a positive multiple of ``multiple``, or ``ValueError``."""
    image_size = check_positive_int(image_size, name)
    if image_size % multiple:
        raise ValueError(
            f"`{name}` must be a multiple of {multiple} (the networks halve it that many "
            f"times); received {image_size}."
        )
    return image_size


OUTPUT_INIT_STDDEV = 0.001  # Model_G.prototxt, reconstruction_new


def _msra():
    """Caffe's ``msra`` filler with ``variance_norm: AVERAGE`` (Model_G.prototxt)."""
    return keras.initializers.VarianceScaling(2.0, "fan_avg", "untruncated_normal")


def _conv(filters, name):
    return layers.Conv2D(
        filters, 3, padding="same", activation="relu", kernel_initializer=_msra(), name=name
    )


def build_generator(
    image_size=128, widths=PAPER_WIDTHS, fc_units=PAPER_FC_UNITS, unpooling=True, name="generator"
):
    """The encoder-decoder generator: noise-filled face (B, S, S, 3) -> completed face (linear).

    Args:
        image_size: S, a multiple of 16 (128 in the paper).
        widths: the encoder's four stage widths (paper: 32, 64, 128, 256); the decoder's inner
            width is ``widths[1]``, and each decoder stage ends with its encoder stage's width.
        fc_units: the fully connected bottleneck (paper: 4096).
        unpooling: ``True`` (the paper) unpools with the encoder's max-pooling indices;
            ``False`` upsamples by repetition instead (a deviation).
    """
    image_size = check_image_size(image_size, 2**STAGES)
    w1, w2, w3, w4 = check_widths(widths)
    fc_units = check_positive_int(fc_units, "fc_units")
    bottleneck = image_size // 2**STAGES

    faces = keras.Input((image_size, image_size, 3), name="noisy_faces")
    x = faces
    indices = []
    for stage, convs in enumerate(((w1, w1), (w2, w2), (w3, w3), (w4, w4, w4, w4)), start=1):
        for i, filters in enumerate(convs, start=1):
            x = _conv(filters, f"enc{stage}_conv{i}")(x)
        x, index = MaxPoolingWithIndices(name=f"enc{stage}_pool")(x)
        indices.append(index)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(fc_units, activation="relu", kernel_initializer=_msra(), name="fc_encode")(x)
    x = layers.Dense(
        bottleneck * bottleneck * w4,
        activation="relu",
        kernel_initializer=_msra(),
        name="fc_decode",
    )(x)
    x = layers.Reshape((bottleneck, bottleneck, w4), name="reshape")(x)

    decoder = ((w2, w2, w2, w3), (w2, w2), (w2, w1), (w1, w1))
    for stage, convs in enumerate(decoder, start=1):
        index = indices[STAGES - stage]
        if unpooling:
            x = MaxUnpooling(name=f"dec{stage}_unpool")([x, index])
        else:
            x = layers.UpSampling2D(2, name=f"dec{stage}_upsample")(x)
        for i, filters in enumerate(convs, start=1):
            x = _conv(filters, f"dec{stage}_conv{i}")(x)
    # Linear output (the authors' code); float32 so that mixed precision keeps the losses exact.
    outputs = layers.Conv2D(
        3,
        3,
        padding="same",
        kernel_initializer=keras.initializers.RandomNormal(0.0, OUTPUT_INIT_STDDEV),
        dtype="float32",
        name="output",
    )(x)
    return keras.Model(faces, outputs, name=name)


LOCAL_PAPER_WIDTHS = (64, 128, 256, 512)  # Model_localD.prototxt
GLOBAL_PAPER_WIDTHS = (32, 64, 128, 256, 512)  # Model_globalD.prototxt
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
