"""Shared input checks: what passes, and the message of what does not."""

import math

import numpy as np
import pytest

from gan_papers.common.validation import check_non_negative, check_positive_number


@pytest.mark.parametrize("value", [0, 0.15, 5, np.float32(1e-4), "2.5"])
def test_check_non_negative_returns_a_float(value):
    result = check_non_negative(value, "alpha1")
    assert isinstance(result, float) and result == pytest.approx(float(value))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-0.1, "finite number >= 0; received -0.1"),
        (math.inf, "finite number >= 0; received inf"),
        (math.nan, "finite number >= 0; received nan"),
        ("much", "number >= 0; received 'much'"),
        (None, "number >= 0; received None"),
    ],
)
def test_check_non_negative_names_the_argument_and_the_value(value, message):
    with pytest.raises(ValueError, match=f"`instance_noise` must be a {message}"):
        check_non_negative(value, "instance_noise")


@pytest.mark.parametrize("value", [2, 0.25, np.float32(1e-4), np.int64(3)])
def test_check_positive_number_returns_a_float(value):
    result = check_positive_number(value, "scale")
    assert isinstance(result, float) and result == pytest.approx(float(value))


@pytest.mark.parametrize("value", [0, -1.5, math.inf, math.nan, True, "2", None])
def test_check_positive_number_names_the_argument_and_the_value(value):
    with pytest.raises(
        ValueError, match=f"`data_range` must be a positive number; received {value!r}"
    ):
        check_positive_number(value, "data_range")
