"""SRResNet (Ledig et al. 2017, Figure 4): parameter count, shapes per scale, output range."""

import numpy as np
import pytest

from gan_papers.srgan import build_generator


def _paper_parameter_count(num_blocks=16, filters=64):
    """Count SRResNet's parameters layer by layer from the paper's Figure 4."""

    def conv(k, c_in, c_out):
        return k * k * c_in * c_out + c_out

    bn = 4 * filters  # gamma, beta, moving mean, moving variance
    prelu = filters  # one slope per channel
    total = conv(9, 3, filters) + prelu
    total += num_blocks * (2 * conv(3, filters, filters) + 2 * bn + prelu)
    total += conv(3, filters, filters) + bn
    total += 2 * (conv(3, filters, 4 * filters) + prelu)  # x4 = two x2 sub-pixel stages
    total += conv(9, filters, 3)
    return total


def test_parameter_count_matches_the_paper():
    generator = build_generator()
    assert generator.count_params() == _paper_parameter_count() == 1_554_883
    trainable = sum(int(np.prod(w.shape)) for w in generator.trainable_weights)
    # BN moving statistics (2 x 64 per BN layer, 33 BN layers) are not trainable.
    assert trainable == 1_554_883 - 33 * 2 * 64 == 1_550_659


@pytest.mark.parametrize("scale", [2, 4, 8])
def test_output_shape_per_scale(scale):
    generator = build_generator(num_blocks=1, scale=scale, filters=8)
    lr = np.random.default_rng(0).uniform(size=(2, 12, 7, 3)).astype("float32")
    sr = np.asarray(generator(lr, training=False))
    assert sr.shape == (2, 12 * scale, 7 * scale, 3)
    assert sr.min() >= -1.0 and sr.max() <= 1.0  # tanh: the HR range


def test_fully_convolutional_any_size():
    generator = build_generator(num_blocks=1, filters=8)
    for size in [(5, 9), (24, 24), (31, 16)]:
        out = generator(np.zeros((1, *size, 3), "float32"), training=False)
        assert tuple(out.shape) == (1, size[0] * 4, size[1] * 4, 3)


def test_prelu_has_one_slope_per_channel():
    generator = build_generator(num_blocks=1, filters=8)
    assert tuple(generator.get_layer("prelu_in").weights[0].shape) == (1, 1, 8)


def test_linear_output_option():
    generator = build_generator(num_blocks=1, filters=8, output_activation=None)
    out = np.asarray(generator(np.full((1, 4, 4, 3), 50.0, "float32")))
    assert np.abs(out).max() > 1.0  # no tanh squashing


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"scale": 3}, "`scale`"),
        ({"num_blocks": 0}, "`num_blocks`"),
        ({"filters": -4}, "`filters`"),
    ],
)
def test_bad_arguments_raise(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        build_generator(**kwargs)
