"""The generator, the two discriminators and the parser (Li et al. 2017, Section 3.1-3.3): parameter
counts at the paper's size counted by hand from the authors' layer list, shapes, bad arguments."""

import itertools

import numpy as np
import pytest

from gan_papers.face_completion import (
    MaxUnpooling,
    build_discriminator,
    build_generator,
    build_global_discriminator,
    build_local_discriminator,
    build_parser,
)
from tests.face_completion.helpers import SIZE, faces, tiny_networks


def _conv(k, c_in, c_out, bias=True):
    return k * k * c_in * c_out + (c_out if bias else 0)


def _dense(n_in, n_out):
    return n_in * n_out + n_out


def _chain(k, widths):
    """Convolutions c0 -> c1 -> c2 ... with biases."""
    return sum(_conv(k, a, b) for a, b in itertools.pairwise(widths))


def test_generator_parameter_count_at_the_papers_size():
    # The authors' code: encoder 3x3 convs 32,32 | 64,64 | 128,128 | 256 x4, a pool after each group
    # (128 -> 8), FC 8*8*256 -> 4096 -> 8*8*256, decoder 64,64,64,128 | 64,64 | 64,32 | 32,32 and a
    # 3x3 conv to 3 channels. Every layer has a bias; pooling and unpooling have no weights.
    encoder = _chain(3, [3, 32, 32, 64, 64, 128, 128, 256, 256, 256, 256])
    fc = _dense(8 * 8 * 256, 4096) + _dense(4096, 8 * 8 * 256)
    decoder = _chain(3, [256, 64, 64, 64, 128, 64, 64, 64, 32, 32, 32, 3])
    generator = build_generator(128, widths=(32, 64, 128, 256), fc_units=4096)
    assert generator.count_params() == encoder + fc + decoder == 137_071_331
    assert generator.input_shape == generator.output_shape == (None, 128, 128, 3)
    assert sum(isinstance(layer, MaxUnpooling) for layer in generator.layers) == 4
    # No batch norm anywhere, a linear output.
    assert not any("normalization" in type(layer).__name__.lower() for layer in generator.layers)
    assert generator.get_layer("output").get_config()["activation"] == "linear"


def _discriminator_count(widths):
    count, c_in = 0, 3
    for width in widths:
        count += _conv(3, c_in, width) + _conv(4, width, width)  # 3x3, then 4x4 stride 2
        c_in = width
    return count + _conv(4, c_in, 1)  # the final 4x4 valid conv to one logit


def test_discriminator_parameter_counts_at_the_papers_size():
    # Model_localD.prototxt: 64 -> 32 -> 16 -> 8 -> 4 at 64, 128, 256, 512. Model_globalD.prototxt:
    # an extra FIRST stage of 32 channels at 128x128, then 64, 128, 256, 512.
    local = build_local_discriminator()
    glob = build_global_discriminator()
    assert local.count_params() == _discriminator_count((64, 128, 256, 512))
    assert glob.count_params() == _discriminator_count((32, 64, 128, 256, 512)) == 7_164_705
    assert local.input_shape == (None, 64, 64, 3) and local.output_shape == (None, 1)
    assert glob.input_shape == (None, 128, 128, 3) and glob.output_shape == (None, 1)
    assert glob.get_layer("stage1_conv3").filters == 32
    assert glob.get_layer("stage5_conv3").filters == 512
    assert local.get_layer("logit_conv").get_config()["activation"] == "linear"  # logits


def _initializer(layer):
    return layer.get_config()["kernel_initializer"]


def test_initialisers_are_the_prototxts_fillers():
    """Both Ds: every weight N(0, 0.02) (Model_localD/globalD.prototxt); G: Caffe's msra filler
    with variance_norm AVERAGE, N(0, 2 / fan_avg), and the output conv N(0, 0.001) (Model_G.prototxt)."""
    networks = tiny_networks()
    for name in ("local_discriminator", "global_discriminator"):
        convs = [layer for layer in networks[name].layers if hasattr(layer, "kernel")]
        assert convs
        for layer in convs:
            init = _initializer(layer)
            assert init["class_name"] == "RandomNormal", layer.name
            assert (init["config"]["mean"], init["config"]["stddev"]) == (0.0, 0.02)
            assert layer.get_config()["bias_initializer"]["class_name"] == "Zeros"
    generator = networks["generator"]
    weighted = [layer for layer in generator.layers if hasattr(layer, "kernel")]
    for layer in weighted:
        init = _initializer(layer)
        if layer.name == "output":
            assert init["class_name"] == "RandomNormal"
            assert init["config"]["stddev"] == 0.001
        else:
            assert init["class_name"] == "VarianceScaling", layer.name
            config = init["config"]
            assert (config["scale"], config["mode"], config["distribution"]) == (
                2.0,
                "fan_avg",
                "untruncated_normal",
            )
    # The drawn weights have that spread: a 3x3 conv 32 -> 32 (fan_in = fan_out = 9 * 32).
    wide = build_generator(16, widths=(32, 32, 32, 32), fc_units=8)
    kernel = wide.get_layer("enc1_conv2").kernel.numpy()
    assert kernel.std() == pytest.approx(np.sqrt(2.0 / (9 * 32)), rel=0.05)


def test_parser_parameter_count():
    # Encoder: two (3x3 conv without bias + batch norm) per stage at 32, 64, 128, 256; decoder
    # mirrored, each stage ending at the next shallower width; a 1x1 conv to the 11 classes.
    # Batch norm holds gamma, beta, moving mean and moving variance.
    def conv_bn(c_in, c_out):
        return _conv(3, c_in, c_out, bias=False) + 4 * c_out

    encoder = sum(
        conv_bn(a, b) + conv_bn(b, b) for a, b in [(3, 32), (32, 64), (64, 128), (128, 256)]
    )
    decoder = sum(
        conv_bn(a, a) + conv_bn(a, b) for a, b in [(256, 128), (128, 64), (64, 32), (32, 32)]
    )
    parser = build_parser(128)
    assert parser.count_params() == encoder + decoder + _conv(1, 32, 11)
    assert parser.output_shape == (None, 128, 128, 11)


def test_output_shapes_of_the_tiny_networks():
    networks = tiny_networks()
    x = faces(2)
    assert tuple(networks["generator"](x).shape) == (2, SIZE, SIZE, 3)
    assert tuple(networks["global_discriminator"](x).shape) == (2, 1)
    assert tuple(networks["local_discriminator"](x[:, :8, :8]).shape) == (2, 1)
    logits = networks["parser"](x, training=False)
    assert tuple(logits.shape) == (2, SIZE, SIZE, 11) and logits.dtype == "float32"
    upsampling = build_generator(SIZE, widths=(4, 4, 8, 8), fc_units=8, unpooling=False)
    assert not any(isinstance(layer, MaxUnpooling) for layer in upsampling.layers)
    assert np.all(np.isfinite(np.asarray(upsampling(x))))
    assert upsampling.output_shape == (None, SIZE, SIZE, 3)


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: build_generator(24), "`image_size` must be a multiple of 16"),
        (lambda: build_generator(0), "`image_size`"),
        (lambda: build_generator(16, widths=(4, 4, 8)), "`widths` must hold 4"),
        (lambda: build_generator(16, widths=(4, 4, 0, 8)), r"`widths\[2\]`"),
        (lambda: build_generator(16, fc_units=0), "`fc_units`"),
        (lambda: build_generator(16, fc_units=2.5), "`fc_units`"),
        (lambda: build_discriminator(12, (8, 8)), "`input_size` must be 4 \\* 2\\^k"),
        (lambda: build_discriminator(4, (8,)), "`input_size`"),
        (lambda: build_local_discriminator(48), "`input_size`"),
        (lambda: build_global_discriminator(True), "`input_size`"),
        (lambda: build_discriminator(16, widths=()), "`widths`"),
        (lambda: build_discriminator(16, widths=(8, -1)), r"`widths\[1\]`"),
        (lambda: build_discriminator(16, widths=(8, 8, 8)), "one width per stage: 2"),
        (lambda: build_parser(20), "`image_size`"),
        (lambda: build_parser(16, widths=(4, 4)), "`widths`"),
        (lambda: build_parser(16, num_classes=0), "`num_classes`"),
    ],
)
def test_bad_builder_arguments_raise(build, match):
    with pytest.raises(ValueError, match=match):
        build()
