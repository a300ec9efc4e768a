"""The global bicubic skip: a fixed MATLAB-bicubic layer, and a generator that starts as bicubic."""

import keras
import numpy as np
import pytest

from gan_papers.common.imresize import imresize
from gan_papers.srgan import SRGAN, BicubicUpsample, build_discriminator, build_generator
from gan_papers.srgan.bicubic_skip import phase_weights
from tests.gan_case import assert_safe_mode_round_trip
from tests.srgan.helpers import CROP, batch


@pytest.mark.parametrize("scale", [2, 4, 8])
@pytest.mark.parametrize("size", [(2, 2), (5, 7), (12, 12)])
def test_layer_equals_matlab_imresize_borders_included(scale, size):
    lr = np.random.default_rng(scale).uniform(size=(2, *size, 3)).astype("float32")
    expected = imresize(lr.astype("float64"), scale=scale)
    np.testing.assert_allclose(np.asarray(BicubicUpsample(scale)(lr)), expected, atol=1e-6)


def test_phase_weights_are_keys_kernel_at_the_phase_offsets():
    # Output phase a of input pixel i sits at i + (a + 0.5) / r - 0.5; Keys' a = -0.5 weights it.
    def keys(t):
        t = abs(t)
        return 1.5 * t**3 - 2.5 * t**2 + 1 if t <= 1 else (-0.5 * t**3 + 2.5 * t**2 - 4 * t + 2)

    weights = phase_weights(4)
    for a, offset in enumerate((-0.375, -0.125, 0.125, 0.375)):
        expected = [keys(offset - tap) if abs(offset - tap) < 2 else 0.0 for tap in range(-2, 3)]
        np.testing.assert_allclose(weights[a], expected, atol=1e-12)
        assert weights[a].sum() == pytest.approx(1.0)


def test_fresh_generator_with_the_skip_is_exactly_bicubic():
    generator = build_generator(num_blocks=1, filters=8, bicubic_skip=True)
    lr = np.random.default_rng(0).uniform(size=(1, 9, 6, 3)).astype("float32")
    expected = 2.0 * imresize(lr.astype("float64"), scale=4) - 1.0
    np.testing.assert_allclose(np.asarray(generator(lr, training=False)), expected, atol=1e-6)
    # Without the skip a fresh network's output is nowhere near it.
    plain = build_generator(num_blocks=1, filters=8)
    assert np.abs(np.asarray(plain(lr, training=False)) - expected).mean() > 0.1


def test_skip_keeps_bicubic_in_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        generator = build_generator(num_blocks=1, filters=8, bicubic_skip=True)
        assert generator.get_layer("bicubic").compute_dtype == "float32"
        lr = np.random.default_rng(1).uniform(size=(1, 8, 8, 3)).astype("float32")
        sr = generator(lr, training=False)
        assert keras.backend.standardize_dtype(sr.dtype) == "float32"
        # bfloat16 would round the baseline by up to 2^-8 relative; float32 keeps it exact.
        expected = 2.0 * imresize(lr.astype("float64"), scale=4) - 1.0
        np.testing.assert_allclose(np.asarray(sr), expected, atol=1e-6)
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_the_residual_trains_under_xla():
    keras.utils.set_random_seed(0)
    generator = build_generator(num_blocks=1, filters=8, bicubic_skip=True)
    generator.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", jit_compile=True)
    lr, hr = batch(4)
    before = generator.evaluate(lr, hr, verbose=0)
    generator.fit(lr, hr, epochs=20, batch_size=4, verbose=0)
    assert generator.evaluate(lr, hr, verbose=0) < before
    assert np.abs(generator.get_layer("conv_out").kernel.numpy()).max() > 0


def test_srgan_trains_a_generator_with_the_skip():
    generator = build_generator(num_blocks=1, filters=8, bicubic_skip=True)
    model = SRGAN(generator, build_discriminator(input_size=CROP, dense_units=8))
    model.compile(content_loss="mse", jit_compile=True)
    logs = model.train_on_batch(*batch(4), return_dict=True)
    assert all(np.isfinite(v) for v in logs.values())


def test_generator_with_the_skip_round_trips_in_safe_mode(tmp_path):
    generator = build_generator(num_blocks=1, filters=8, bicubic_skip=True)
    conv_out = generator.get_layer("conv_out")
    conv_out.kernel.assign(np.random.default_rng(0).normal(0, 0.01, conv_out.kernel.shape))
    lr = np.random.default_rng(0).uniform(size=(1, 6, 6, 3)).astype("float32")
    loaded = assert_safe_mode_round_trip(generator, tmp_path, lr, optimizers=())
    assert isinstance(loaded.get_layer("bicubic"), BicubicUpsample)


def test_layer_config_round_trip():
    layer = BicubicUpsample.from_config(BicubicUpsample(8, name="up").get_config())
    assert (layer.scale, layer.name, layer.compute_dtype) == (8, "up", "float32")


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: BicubicUpsample(3), "`scale` must be one of"),
        (lambda: build_generator(num_blocks=1, bicubic_skip="yes"), "`bicubic_skip` must be"),
    ],
)
def test_bad_input_raises_naming_the_argument(build, message):
    with pytest.raises(ValueError, match=message):
        build()
