"""Conversions between the image value ranges used in the package.

The package's convention (DESIGN.md) is NHWC float32 in [-1, 1]; SRGAN's LR input is
[0, 1] as in Ledig et al. 2017, Section 3.2; files on disk are uint8 in [0, 255].
Every function works on NumPy arrays and on tensors (it only uses arithmetic).
"""

import numpy as np


def to_unit(x):
    """[-1, 1] -> [0, 1]."""
    return (x + 1.0) * 0.5


def to_signed(x):
    """[0, 1] -> [-1, 1]."""
    return x * 2.0 - 1.0


def uint8_to_unit(x):
    """uint8 [0, 255] -> float32 [0, 1]."""
    return np.asarray(x, dtype=np.float32) / 255.0


def uint8_to_signed(x):
    """uint8 [0, 255] -> float32 [-1, 1]."""
    return to_signed(uint8_to_unit(x))


def unit_to_uint8(x):
    """float [0, 1] -> uint8 [0, 255], rounded and clipped (for saving and display)."""
    return np.clip(np.round(np.asarray(x, dtype=np.float64) * 255.0), 0, 255).astype(np.uint8)


def signed_to_uint8(x):
    """float [-1, 1] -> uint8 [0, 255]."""
    return unit_to_uint8(to_unit(np.asarray(x, dtype=np.float64)))
