"""Max-pooling that remembers where each maximum was, and the unpooling that puts values back there
(SegNet, Badrinarayanan et al. 2017, Section 3; used by Li et al. 2017's generator and parser).

A 2x2 max-pool keeps one of four values. ``MaxPoolingWithIndices`` also returns, per output value,
which of the four it was (0 = top-left, 1 = top-right, 2 = bottom-left, 3 = bottom-right).
``MaxUnpooling`` takes a decoder feature map and those indices and writes each value into the
remembered position of its 2x2 block, zeros elsewhere: the decoder gets back *where* the encoder's
edges were, which plain upsampling forgets.

Written in ``keras.ops`` with reshapes, ``argmax`` and ``one_hot`` (no scatter and no
``tf.nn.max_pool_with_argmax``), so it compiles under XLA, runs under ``tf.distribute`` and in
mixed precision, and saves in safe mode. On ties ``argmax`` picks the first position, as a
scatter of ``max_pool_with_argmax``'s index would.
"""

import keras
from keras import ops


def _check_even(input_shape, name):
    for axis, label in ((1, "height"), (2, "width")):
        size = input_shape[axis]
        if size is not None and size % 2:
            raise ValueError(
                f"{name}: the input's {label} must be even for 2x2 pooling; received input shape "
                f"{tuple(input_shape)}."
            )


@keras.saving.register_keras_serializable(package="gan_papers")
class MaxPoolingWithIndices(keras.layers.Layer):
    """2x2 max-pooling with stride 2 that returns ``(pooled, indices)``.

    ``indices`` (int32, the pooled shape) says which of the four values in each block was the
    maximum, in row-major order within the block.
    """

    def build(self, input_shape):
        _check_even(input_shape, self.name)
        self.built = True

    def call(self, inputs):
        _, height, width, channels = ops.shape(inputs)
        blocks = ops.reshape(inputs, (-1, height // 2, 2, width // 2, 2, channels))
        # (batch, rows, cols, channels, 2, 2) -> the four values of a block on the last axis.
        blocks = ops.transpose(blocks, (0, 1, 3, 5, 2, 4))
        blocks = ops.reshape(blocks, (-1, height // 2, width // 2, channels, 4))
        return ops.max(blocks, axis=-1), ops.cast(ops.argmax(blocks, axis=-1), "int32")

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        pooled = (b, None if h is None else h // 2, None if w is None else w // 2, c)
        return pooled, pooled

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape(inputs.shape)[0]
        return (
            keras.KerasTensor(shape, dtype=inputs.dtype),
            keras.KerasTensor(shape, dtype="int32"),
        )


@keras.saving.register_keras_serializable(package="gan_papers")
class MaxUnpooling(keras.layers.Layer):
    """Inverse of ``MaxPoolingWithIndices``: ``[values, indices]`` -> twice the height and width.

    ``values`` must have the shape of the pooled map the indices came from (same channels).
    """

    def build(self, input_shape):
        values_shape, indices_shape = input_shape
        if tuple(values_shape[1:]) != tuple(indices_shape[1:]):
            raise ValueError(
                f"{self.name}: `values` must have the shape of the pooled map its indices come "
                f"from; received values {tuple(values_shape)} and indices {tuple(indices_shape)}."
            )
        self.built = True

    def call(self, inputs):
        values, indices = inputs
        _, height, width, channels = ops.shape(values)
        # One-hot over the block's four positions, times the value: (b, h, w, c, 4).
        spread = ops.one_hot(indices, 4, dtype=values.dtype) * ops.expand_dims(values, -1)
        spread = ops.reshape(spread, (-1, height, width, channels, 2, 2))
        spread = ops.transpose(spread, (0, 1, 4, 2, 5, 3))
        return ops.reshape(spread, (-1, height * 2, width * 2, channels))

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape[0]
        return (b, None if h is None else h * 2, None if w is None else w * 2, c)
