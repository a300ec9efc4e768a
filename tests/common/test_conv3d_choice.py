"""``implementation="auto"``: the rule that picks native or sliced 3-D convolutions."""

import pytest

from gan_papers.common import conv3d_choice
from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose


@pytest.fixture
def timed(monkeypatch):
    """Replace the measurement by given seconds per call, by layer kind (no timing in the test)."""

    def use(native_seconds, sliced_seconds):
        def seconds(layer, shape):
            sliced = isinstance(layer, (SlicedConv3D, SlicedConv3DTranspose))
            return sliced_seconds if sliced else native_seconds

        monkeypatch.setattr(conv3d_choice, "_seconds_per_call", seconds)
        conv3d_choice.fastest_3d_implementation.cache_clear()

    yield use
    conv3d_choice.fastest_3d_implementation.cache_clear()


@pytest.mark.parametrize(
    ("native", "sliced", "expected"),
    [
        # oneDNN's kernels: native 3-4x faster (benchmarks/README.md, "3D-GAN").
        (0.005, 0.020, "native"),
        # TensorFlow's own CPU kernels: native backward passes 16-23x slower.
        (0.640, 0.028, "sliced"),
        # Up to SLOWER_BY times slower, native is kept: the margin keeps the choice stable.
        (0.029, 0.010, "native"),
        (0.031, 0.010, "sliced"),
    ],
)
def test_auto_takes_sliced_only_where_native_is_much_slower(timed, native, sliced, expected):
    timed(native, sliced)
    assert conv3d_choice.fastest_3d_implementation() == expected
    assert conv3d_choice.resolve_implementation("auto") == expected


def test_measured_once_per_process(timed, monkeypatch):
    calls = []
    timed(0.005, 0.020)
    measure = conv3d_choice._seconds_per_call
    monkeypatch.setattr(
        conv3d_choice, "_seconds_per_call", lambda *a: calls.append(a) or measure(*a)
    )
    for _ in range(3):
        conv3d_choice.resolve_implementation("auto")
    assert len(calls) == 4  # two layers, each computed both ways, once


def test_the_real_measurement_returns_a_choice():
    # Whatever this machine's kernels, the measurement runs and names one of the two.
    conv3d_choice.fastest_3d_implementation.cache_clear()
    assert conv3d_choice.fastest_3d_implementation() in ("native", "sliced")


def test_explicit_choices_pass_through_and_bad_ones_raise():
    assert conv3d_choice.resolve_implementation("native") == "native"
    assert conv3d_choice.resolve_implementation("sliced") == "sliced"
    with pytest.raises(ValueError, match=r"`implementation` must be one of .*received 'gpu'"):
        conv3d_choice.resolve_implementation("gpu")


def test_measuring_draws_no_random_numbers():
    # The choice is measured when the first network is built: it must not shift the seeded draws
    # that initialise that network's weights.
    import keras

    keras.utils.set_random_seed(3)
    expected = keras.random.normal((4,), seed=None)
    keras.utils.set_random_seed(3)
    conv3d_choice.fastest_3d_implementation.cache_clear()
    conv3d_choice.fastest_3d_implementation()
    assert keras.ops.convert_to_numpy(keras.random.normal((4,))).tolist() == (
        keras.ops.convert_to_numpy(expected).tolist()
    )
