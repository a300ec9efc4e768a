"""What a user of the SRGAN walkthrough can get wrong fails at once, with a message naming it."""

import numpy as np
import pytest

from gan_papers.common.imresize import downscale
from gan_papers.common.metrics import psnr_y
from gan_papers.data import sr_dataset, sr_folder_pairs
from gan_papers.srgan import (
    ContentLoss,
    build_discriminator,
    build_generator,
    get_config,
    super_resolve,
)
from tests.gan_case import assert_raises, raising_cases

LR = np.random.default_rng(0).uniform(0, 1, (1, 6, 6, 3)).astype("float32")


def _generator():
    return build_generator(num_blocks=1, filters=8)


CASES = {
    "lr of rank 2": (
        lambda: super_resolve(_generator(), LR[0, ..., 0]),
        "`lr` must have rank 3 or 4",
    ),
    "uint8 lr": (lambda: super_resolve(_generator(), (LR * 255).astype("uint8")), "floating-point"),
    "lr in 0..255": (lambda: super_resolve(_generator(), LR * 255), r"values in \[0.0, 1.0\]"),
    "NaN in lr": (lambda: super_resolve(_generator(), LR * np.nan), "NaN"),
    "scale 3": (lambda: build_generator(scale=3), "`scale` must be one of"),
    "discriminator on 64x64": (
        lambda: build_discriminator(input_size=32, dense_units=4)(np.zeros((1, 64, 64, 3), "f4")),
        "expected shape",
    ),
    "crop not divisible by 16": (lambda: build_discriminator(input_size=40), "divisible by 16"),
    "HR not divisible by scale": (lambda: downscale(np.zeros((30, 32, 3), "f4"), 4), "`hr`"),
    "crop not divisible by scale": (
        lambda: sr_dataset("train", crop_size=50, scale=4),
        "crop_size",
    ),
    "unknown content loss": (lambda: ContentLoss("vgg33"), "`kind`"),
    "unknown config field": (lambda: get_config("demo", crop=64), "unknown fields"),
    "unknown profile": (lambda: get_config("fast"), "`profile`"),
    "SR and HR sizes differ": (
        lambda: psnr_y(np.zeros((8, 8, 3), "f4"), np.zeros((8, 12, 3), "f4"), border=1),
        "shape",
    ),
}


@pytest.mark.parametrize(
    "call, kwargs, match",
    raising_cases({case: (call, {}, match) for case, (call, match) in sorted(CASES.items())}),
)
def test_bad_input_raises_a_clear_value_error(call, kwargs, match):
    assert_raises(call, kwargs, match)


def test_empty_dataset_folder(tmp_path):
    assert_raises(sr_folder_pairs, {"hr_dir": str(tmp_path)}, str(tmp_path).replace("\\", "\\\\"))
