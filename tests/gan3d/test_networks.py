"""3D-GAN's bias-free volumetric G and D (Wu et al. 2016, Section 3.1): sizes, shapes, outputs."""

import keras
import numpy as np
import pytest

from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose
from gan_papers.gan3d import build_discriminator, build_generator, num_stages
from gan_papers.gan3d.networks import default_filters


def _conv(c_in, c_out):
    return 4**3 * c_in * c_out  # 4x4x4 kernels, no bias


def _bn(c):
    return 4 * c  # gamma, beta, moving mean, moving variance


def _generator_count(latent, widths):
    count = _conv(latent, widths[0]) + _bn(widths[0])  # 1^3 -> 4^3
    count += sum(_conv(a, b) + _bn(b) for a, b in zip(widths, widths[1:], strict=False))
    return count + _conv(widths[-1], 1)  # -> R^3 x 1, sigmoid, no BN


def _discriminator_count(widths):
    count = sum(_conv(a, b) + _bn(b) for a, b in zip((1, *widths), widths, strict=False))
    return count + _conv(widths[-1], 1)  # 4^3 -> 1 logit, no BN


def test_generator_parameter_count_at_the_papers_size():
    # 200 -> 4^3 x 512 -> 8^3 x 256 -> 16^3 x 128 -> 32^3 x 64 -> 64^3 x 1.
    generator = build_generator()
    expected = _generator_count(200, (512, 256, 128, 64))
    assert generator.count_params() == expected == 17_571_584
    assert generator.input_shape == (None, 200)
    assert generator.output_shape == (None, 64, 64, 64, 1)
    assert not any(getattr(layer, "use_bias", False) for layer in generator.layers)


def test_discriminator_parameter_count_at_the_papers_size():
    discriminator = build_discriminator()
    expected = _discriminator_count((64, 128, 256, 512))
    assert discriminator.count_params() == expected == 11_050_752
    assert discriminator.output_shape == (None, 1)
    assert not any(getattr(layer, "use_bias", False) for layer in discriminator.layers)


def test_resolution_32_has_one_stage_fewer_with_the_widths_of_its_map_sides():
    generator_filters, discriminator_filters = default_filters(32)
    assert (generator_filters, discriminator_filters) == ((512, 256, 128), (128, 256, 512))
    generator, discriminator = build_generator(32), build_discriminator(32)
    assert generator.count_params() == _generator_count(200, generator_filters) == 17_051_136
    assert discriminator.count_params() == _discriminator_count(discriminator_filters) == 10_530_304
    assert generator.output_shape == (None, 32, 32, 32, 1)
    assert discriminator.input_shape == (None, 32, 32, 32, 1)
    assert num_stages(32) == 3 and num_stages(64) == 4


def test_narrow_widths_are_arguments():
    generator = build_generator(16, latent_dim=8, filters=(8, 4))
    discriminator = build_discriminator(16, filters=(4, 8))
    assert generator.count_params() == _generator_count(8, (8, 4))
    assert discriminator.count_params() == _discriminator_count((4, 8))
    assert generator.get_layer("deconv1").output.shape[1:] == (4, 4, 4, 8)
    assert discriminator.get_layer("lrelu2").output.shape[1:] == (4, 4, 4, 8)


def test_outputs_are_float32_probabilities_and_logits():
    generator = build_generator(16, latent_dim=8, filters=(8, 4))
    discriminator = build_discriminator(16, filters=(4, 8))
    z = np.random.default_rng(0).uniform(0, 1, (3, 8)).astype("float32")
    voxels = np.asarray(generator(z, training=False))
    assert voxels.shape == (3, 16, 16, 16, 1) and voxels.dtype == np.float32
    assert voxels.min() > 0.0 and voxels.max() < 1.0  # sigmoid
    logits = discriminator(voxels, training=False)
    assert tuple(logits.shape) == (3, 1) and logits.dtype == "float32"
    # A logit: D's last layer has no activation (the sigmoid lives in the loss) and no BN before it.
    assert discriminator.get_layer("conv3").get_config()["activation"] == "linear"
    assert [layer.name for layer in discriminator.layers][-3:] == ["lrelu2", "conv3", "logit"]


@pytest.mark.parametrize("resolution", [0, 4, 24, 48, 65, "64", True])
def test_resolution_must_be_4_times_a_power_of_2(resolution):
    with pytest.raises(ValueError, match="`resolution`"):
        build_generator(resolution)
    with pytest.raises(ValueError, match="`resolution`"):
        build_discriminator(resolution)


@pytest.mark.parametrize("filters", [(8,), (8, 4, 2), (8, 0), (8, 2.5)])
def test_filters_need_one_positive_width_per_stage(filters):
    with pytest.raises(ValueError, match="`filters` must be 2 positive integers"):
        build_generator(16, filters=filters)
    with pytest.raises(ValueError, match="`filters` must be 2 positive integers"):
        build_discriminator(16, filters=filters)


def test_sliced_and_native_convolutions_give_the_same_networks():
    # The implementation changes how the convolutions are computed, not the model: same weights,
    # same outputs (gan_papers.common.sliced_conv).
    z = np.random.default_rng(0).uniform(0, 1, (2, 8)).astype("float32")
    outputs = {}
    for implementation in ("sliced", "native"):
        keras.utils.set_random_seed(1)
        generator = build_generator(16, 8, (8, 4), implementation=implementation)
        discriminator = build_discriminator(16, (4, 8), implementation=implementation)
        voxels = generator(z, training=True)
        outputs[implementation] = (np.asarray(voxels), np.asarray(discriminator(voxels)))
        assert isinstance(generator.get_layer("deconv2"), SlicedConv3DTranspose) == (
            implementation == "sliced"
        )
        assert isinstance(discriminator.get_layer("conv1"), SlicedConv3D) == (
            implementation == "sliced"
        )
    for sliced, native in zip(outputs["sliced"], outputs["native"], strict=True):
        np.testing.assert_allclose(sliced, native, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match=r"`implementation` must be one of \('auto'.*'cuda'"):
        build_generator(16, 8, (8, 4), implementation="cuda")
    with pytest.raises(ValueError, match="`implementation`"):
        build_discriminator(16, (4, 8), implementation="Native")
