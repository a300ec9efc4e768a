"""Input checks shared by every public function.

Each check raises ``ValueError`` naming the argument, what was expected and what came,
so a wrong input fails at the call site and never as a NaN or a crash deep in TensorFlow.
Checks run on concrete (NumPy or eager) values; inside a traced function only the static
shape is checked.
"""

import math

import numpy as np


def _shape(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = np.shape(x)
    return tuple(None if d is None else int(d) for d in shape)


def _is_concrete(x):
    if isinstance(x, np.ndarray | np.generic | list | tuple | float | int):
        return True
    try:
        import tensorflow as tf

        return isinstance(x, tf.Tensor) and tf.executing_eagerly() and hasattr(x, "numpy")
    except ImportError:  # pragma: no cover - TensorFlow is a dependency
        return False


def check_rank(x, name, ranks, layout=None):
    """Raise unless ``x`` has one of ``ranks`` (an int or a tuple of ints)."""
    ranks = (ranks,) if isinstance(ranks, int) else tuple(ranks)
    shape = _shape(x)
    if len(shape) not in ranks:
        expected = " or ".join(str(r) for r in ranks)
        hint = f" ({layout})" if layout else ""
        raise ValueError(
            f"`{name}` must have rank {expected}{hint}; received shape {shape} (rank {len(shape)})."
        )
    return shape


def check_channels(x, name, channels):
    """Raise unless the last axis of ``x`` has ``channels`` entries."""
    shape = _shape(x)
    if shape[-1] is not None and shape[-1] != channels:
        raise ValueError(
            f"`{name}` must have {channels} channel(s) in its last axis; received shape {shape}."
        )


def check_float(x, name):
    """Raise unless ``x`` is floating point (catches uint8 images passed by mistake)."""
    dtype = getattr(x, "dtype", None)
    dtype = np.asarray(x).dtype if dtype is None else dtype
    dtype_name = getattr(dtype, "name", str(dtype))
    if not np.issubdtype(np.dtype(dtype_name), np.floating):
        raise ValueError(
            f"`{name}` must be a floating-point array; received dtype {dtype_name}. "
            "Convert uint8 images with gan_papers.common.uint8_to_signed (or to_unit)."
        )


def check_range(x, name, low, high, tolerance=1e-3):
    """Raise if a concrete ``x`` has values outside [low, high] (or any NaN)."""
    if not _is_concrete(x):
        return
    values = np.asarray(x)
    if values.size == 0:
        return
    if not np.all(np.isfinite(values)):
        raise ValueError(f"`{name}` contains NaN or infinite values.")
    vmin, vmax = float(values.min()), float(values.max())
    if vmin < low - tolerance or vmax > high + tolerance:
        raise ValueError(
            f"`{name}` must have values in [{low}, {high}]; received values in "
            f"[{vmin:.4g}, {vmax:.4g}]."
        )


def check_not_empty(x, name):
    """Raise if ``x`` has a zero-sized batch (or any zero-sized axis)."""
    shape = _shape(x)
    if any(d == 0 for d in shape):
        raise ValueError(f"`{name}` must not be empty; received shape {shape}.")


def check_image_batch(x, name, value_range=(-1.0, 1.0), channels=3):
    """Check an NHWC float image batch: rank 4, ``channels`` channels, float, within range."""
    check_rank(x, name, 4, layout="batch, height, width, channels")
    check_not_empty(x, name)
    if channels is not None:
        check_channels(x, name, channels)
    check_float(x, name)
    if value_range is not None:
        check_range(x, name, *value_range)


def check_choice(value, name, choices):
    """Raise unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"`{name}` must be one of {sorted(choices)}; received {value!r}.")
    return value


def check_seed(seed, name="seed"):
    """Raise unless ``seed`` is an int >= 0 (the seeds of the deterministic data and masks)."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"`{name}` must be a non-negative integer; received {seed!r}.")
    return int(seed)


def check_positive_int(value, name):
    """Raise unless ``value`` is an int >= 1."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer; received {value!r}.")
    return int(value)


def check_positive_number(value, name):
    """Raise unless ``value`` is a finite real number > 0 (a scale, a data range); return it as a
    float."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.integer | np.floating)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"`{name}` must be a positive number; received {value!r}.")
    return float(value)


def check_non_negative(value, name):
    """Raise unless ``value`` is a finite number >= 0 (a loss weight, a standard deviation...);
    return it as a float."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a number >= 0; received {value!r}.") from None
    if not 0 <= number < math.inf:
        raise ValueError(f"`{name}` must be a finite number >= 0; received {value!r}.")
    return number


def check_doublings(size, name, why):
    """The k >= 1 with ``size`` = 4 * 2^k (8, 16, 32, 64, 128, ...), or ``ValueError``.

    GAN builders that grow a 4x4 (or 4^3) map by stride-2 stages need it; ``why`` ends the message.
    """
    size = check_positive_int(size, name)
    k = int(round(math.log2(size / 4))) if size >= 8 else 0
    if k < 1 or 4 * 2**k != size:
        raise ValueError(
            f"`{name}` must be 4 * 2^k with k >= 1 (8, 16, 32, 64, 128, ...): {why}; "
            f"received {size}."
        )
    return k
