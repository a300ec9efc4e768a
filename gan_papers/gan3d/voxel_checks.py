"""Checking the 3D-GAN's training voxels before they reach the compiled step.

Voxels must be occupancy values in [0, 1] ({0, 1} in Wu et al. 2016): a 0/255 grid, say, would train
without an error and learn nothing. A check inside ``train_step`` would run in the compiled step,
where XLA drops assertions (and a data-dependent Python ``if`` cannot run): so arrays are checked in
Python, once per ``fit``/``evaluate`` call, and a ``tf.data.Dataset`` gets a map that checks each
batch in the input pipeline, on the host, outside the compiled step (measured in
tests/gan3d/test_keras_api.py: a min and a max per batch). Shapes are checked when the step is traced.
"""

import re

import numpy as np
import tensorflow as tf
from keras import ops

_RANGE_MARKER = "gan_papers: voxel values out of [0, 1]"


def _voxel_range_message(low, high, what="The training voxels"):
    hint = " (0/255 grids: divide by 255)" if high > 1 else ""
    return (
        f"{what} must be occupancy values in [0, 1] ({{0, 1}} in the paper: 0 empty, 1 filled); "
        f"received values in [{low:g}, {high:g}]{hint}."
    )


def check_voxel_values(voxels, what="The training voxels"):
    """Raise ``ValueError`` unless the array ``voxels`` holds values in [0, 1] (none NaN)."""
    values = np.asarray(voxels)
    if values.size == 0 or not np.issubdtype(values.dtype, np.number):
        return
    low, high = float(np.min(values)), float(np.max(values))
    if not (low >= 0.0 and high <= 1.0):
        raise ValueError(_voxel_range_message(low, high, what))


def _assert_voxel_range(*element):
    """A tf.data map: ``element`` (voxels, or a tuple whose first element they are, which map
    passes as separate arguments) passes through unchanged once its voxels are checked to lie in
    [0, 1]."""
    voxels = element[0]
    if isinstance(voxels, tuple | list):
        voxels = voxels[0]
    values = tf.cast(voxels, "float32")
    low, high = tf.reduce_min(values), tf.reduce_max(values)
    check = tf.debugging.Assert(
        tf.logical_and(low >= 0.0, high <= 1.0), [_RANGE_MARKER, low, high], summarize=1
    )
    with tf.control_dependencies([check]):
        element = tf.nest.map_structure(tf.identity, element)
    return element[0] if len(element) == 1 else element


def _range_error_or_none(error):
    """The ``ValueError`` for a failed ``_assert_voxel_range`` (None for any other error)."""
    message = str(error)
    if _RANGE_MARKER not in message:
        return None
    numbers = re.findall(r"\[([-+0-9.eEinfa]+)\]", message.split(_RANGE_MARKER, 1)[1])
    low, high = (float(v) for v in numbers[:2])
    return ValueError(_voxel_range_message(low, high))


class VoxelInputChecks:
    """Mixed into a ``keras.Model`` with a ``resolution``: ``fit``, ``train_on_batch``,
    ``evaluate`` and ``test_on_batch`` raise ``ValueError`` for voxels outside [0, 1]."""

    def _check_voxel_batch(self, voxels, what="The training data"):
        # Static shapes are known when train_step is traced: this costs nothing per step and turns
        # a shape error deep in a 3-D convolution into one naming the data.
        shape = tuple(voxels.shape)
        expected = (self.resolution,) * 3 + (1,)
        if len(shape) != 5 or any(
            s is not None and s != e for s, e in zip(shape[1:], expected, strict=True)
        ):
            r = self.resolution
            raise ValueError(
                f"{what} must be batches of voxel grids of shape (batch, {r}, {r}, {r}, 1) (the "
                f"generator's output), with values in {{0, 1}}; received batches of shape {shape}."
            )
        return ops.cast(voxels, "float32")

    def _checked_input(self, x):
        if isinstance(x, tf.data.Dataset):
            return x.map(_assert_voxel_range)
        if isinstance(x, tuple | list) and x:
            check_voxel_values(x[0])
        elif isinstance(x, np.ndarray | tf.Tensor):
            check_voxel_values(x)
        return x

    def _run_checked(self, method, x, *args, **kwargs):
        try:
            return method(self._checked_input(x), *args, **kwargs)
        except tf.errors.InvalidArgumentError as error:
            value_error = _range_error_or_none(error)
            if value_error is None:
                raise
            raise value_error from None

    def fit(self, x=None, *args, **kwargs):
        """``keras.Model.fit``; voxels outside [0, 1] (e.g. 0/255 grids) raise ``ValueError``."""
        return self._run_checked(super().fit, x, *args, **kwargs)

    def train_on_batch(self, x, *args, **kwargs):
        return self._run_checked(super().train_on_batch, x, *args, **kwargs)

    def evaluate(self, x=None, *args, **kwargs):
        return self._run_checked(super().evaluate, x, *args, **kwargs)

    def test_on_batch(self, x, *args, **kwargs):
        return self._run_checked(super().test_on_batch, x, *args, **kwargs)
