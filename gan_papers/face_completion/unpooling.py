"""Max-pooling that remembers where each maximum was, and the unpooling that puts values back there
(SegNet, Badrinarayanan et al. 2017, Section 3; used by Li et al. 2017's generator and parser).

A 2x2 max-pool keeps one of four values. ``MaxPoolingWithIndices`` also returns, per output value,
which of the four it was (0 = top-left, 1 = top-right, 2 = bottom-left, 3 = bottom-right).
``MaxUnpooling`` takes a decoder feature map and those indices and writes each value into the
remembered position of its 2x2 block, zeros elsewhere: the decoder gets back *where* the encoder's
edges were, which plain upsampling forgets.

Written in ``keras.ops``: the pooled values come from ``max_pool``; the indices compare each
block's four values with its maximum, and the unpooling masks the values by index and interleaves
them (no argmax, transpose or scatter, and no ``tf.nn.max_pool_with_argmax``), so it compiles under
XLA, runs under ``tf.distribute`` and in mixed precision, and saves in safe mode. On ties the index
is the first position, and ``max_pool``'s gradient goes to that same position only, as in Caffe,
where the authors' networks ran (BVLC/caffe ``src/caffe/layers/pooling_layer.cpp``: the mask keeps
the first maximum, and ``Backward_cpu`` sends the whole gradient there). A ``max`` over the block
would split it between tied positions instead; ties are common here, in the flat regions of faces
and where ReLU gives 0. Comparisons instead of an ``argmax`` over a block axis, and stacking instead
of a one-hot and a transpose, make a pooling and unpooling pair's forward and backward pass about
30 % faster on 2 CPU cores (``benchmarks/README.md``, face completion).
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
        pooled = ops.max_pool(inputs, 2, 2)
        # The indices carry no gradient: it flows through max_pool, to the first maximum only.
        blocks = ops.reshape(
            ops.stop_gradient(inputs), (-1, height // 2, 2, width // 2, 2, channels)
        )
        maximum = ops.stop_gradient(pooled)

        def below(row, col):  # 1 where the block's value at (row, col) is not its maximum
            return ops.cast(ops.not_equal(blocks[:, :, row, :, col, :], maximum), "int32")

        # The first maximum in row-major order: 0 if top-left is one, else 1 if top-right is, ...
        indices = below(0, 0) * (1 + below(0, 1) * (1 + below(1, 0)))
        return pooled, indices

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

        def at(position):  # the values whose maximum was at ``position``, zeros elsewhere
            return values * ops.cast(ops.equal(indices, position), values.dtype)

        # (b, h, 2, w, 2, c): block row, then block column, as the input's 2x2 blocks.
        rows = [ops.stack([at(2 * row), at(2 * row + 1)], axis=3) for row in (0, 1)]
        return ops.reshape(ops.stack(rows, axis=2), (-1, height * 2, width * 2, channels))

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape[0]
        return (b, None if h is None else h * 2, None if w is None else w * 2, c)
