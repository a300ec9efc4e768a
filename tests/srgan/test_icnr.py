"""ICNR (Aitken et al. 2017): sub-pixel convolutions start as nearest-neighbour upsampling."""

import keras
import numpy as np
import pytest

from gan_papers.srgan import ICNR, build_generator
from tests.gan_case import assert_safe_mode_round_trip


def test_the_four_sub_pixel_kernels_are_one_draw():
    kernel = np.asarray(ICNR(2)((3, 3, 5, 4 * 6)))
    copies = [kernel[..., g * 6 : (g + 1) * 6] for g in range(4)]
    for copy in copies[1:]:
        np.testing.assert_array_equal(copy, copies[0])
    assert np.abs(copies[0]).max() > 0


def test_seeded_inner_initializer_is_reproducible():
    first = ICNR(2, keras.initializers.HeNormal(seed=3))((3, 3, 4, 8))
    second = ICNR(2, keras.initializers.HeNormal(seed=3))((3, 3, 4, 8))
    np.testing.assert_array_equal(np.asarray(first), np.asarray(second))


def _constant_image_pattern(upsample_initializer):
    """Largest per-channel spread of a fresh SRResNet's output on a constant LR image, away from the
    zero-padded border: 0 means no periodic (checkerboard) pattern."""
    keras.utils.set_random_seed(0)
    generator = build_generator(num_blocks=1, filters=8, upsample_initializer=upsample_initializer)
    lr = np.full((1, 32, 32, 3), 0.5, "float32")
    sr = np.asarray(generator(lr, training=False))[0, 48:-48, 48:-48]
    return float((sr.max(axis=(0, 1)) - sr.min(axis=(0, 1))).max())


def test_icnr_generator_has_no_checkerboard_at_initialisation():
    assert _constant_image_pattern("icnr") < 1e-5
    # Independent draws per sub-pixel position: a 4x4 periodic pattern on a flat image.
    assert _constant_image_pattern("glorot_uniform") > 1e-3


def test_generator_with_icnr_round_trips_in_safe_mode(tmp_path):
    generator = build_generator(num_blocks=1, filters=8, upsample_initializer="icnr")
    lr = np.random.default_rng(0).uniform(size=(1, 6, 6, 3)).astype("float32")
    loaded = assert_safe_mode_round_trip(generator, tmp_path, lr, optimizers=())
    assert isinstance(loaded.get_layer("up0_conv").kernel_initializer, ICNR)


def test_get_config_round_trip():
    initializer = ICNR(3, "he_normal")
    clone = ICNR.from_config(initializer.get_config())
    assert clone.block_size == 3
    assert isinstance(clone.initializer, keras.initializers.HeNormal)


def test_channels_not_a_multiple_of_r_squared_raise():
    with pytest.raises(ValueError, match="multiple of block_size"):
        ICNR(2)((3, 3, 4, 6))


def test_bad_block_size_raises():
    with pytest.raises(ValueError, match="block_size"):
        ICNR(0)


def test_bad_upsample_initializer_raises():
    with pytest.raises(ValueError, match="upsample_initializer"):
        build_generator(num_blocks=1, filters=8, upsample_initializer="orthogonal")
