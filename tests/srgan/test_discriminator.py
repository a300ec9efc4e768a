"""SRGAN discriminator (Ledig et al. 2017, Figure 4): parameter count, logits, fixed input size."""

import numpy as np
import pytest

from gan_papers.srgan import build_discriminator


def _paper_parameter_count(size=96, dense=1024):
    def conv(c_in, c_out):
        return 9 * c_in * c_out + c_out

    blocks = [(64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 512), (512, 512)]
    total = conv(3, 64)  # first conv, no BN
    total += sum(conv(a, b) + 4 * b for a, b in blocks)
    side = size // 16  # four stride-2 convolutions
    total += side * side * 512 * dense + dense
    total += dense + 1
    return total


def test_parameter_count_matches_the_paper():
    assert build_discriminator().count_params() == _paper_parameter_count()


def test_returns_one_float32_logit_per_image():
    discriminator = build_discriminator(input_size=32, dense_units=16)
    out = discriminator(np.zeros((3, 32, 32, 3), "float32"), training=False)
    assert tuple(out.shape) == (3, 1)
    assert out.dtype == "float32"
    # A logit, not a probability: nothing squashes it to [0, 1].
    assert discriminator.layers[-1].get_config()["activation"] == "linear"


def test_wrong_input_size_is_a_clear_error():
    discriminator = build_discriminator(input_size=32, dense_units=16)
    with pytest.raises(ValueError, match=r"expected shape=\(None, 32, 32, 3\)"):
        discriminator(np.zeros((1, 64, 64, 3), "float32"))


def test_input_size_must_divide_by_16():
    with pytest.raises(ValueError, match="`input_size` must be divisible by 16"):
        build_discriminator(input_size=100)
