"""3-D convolutions computed as 2-D ones over depth slices: the same maths, fast on a CPU.

TensorFlow's own CPU kernels for the *backward* passes of a 3-D convolution (``Conv3DBackpropInput``,
``Conv3DBackpropFilter``; the forward pass of a transposed convolution is the first of them), used
when oneDNN is off, are tens of times slower than these 2-D ones (measured: ``benchmarks/README.md``,
section "3D-GAN", "3-D convolutions on a CPU"; ``python -m benchmarks.gan3d`` compares whole train
steps). oneDNN's 3-D kernels are faster than both.
Both layers here keep the Keras layer's weights, shapes and configuration and change only how the
output is computed:

- a convolution with a depth-k kernel of stride s sums k 2-D convolutions, slice kd of the kernel
  applied to input slices kd, kd + s, kd + 2s, ...: stacking those k inputs along the channels
  makes it one 2-D convolution of (batch x output depth) images;
- a transposed convolution is one 2-D transposed convolution of every input slice with all k kernel
  slices at once (k x filters output channels); slice kd of input slice i lands at output depth
  i * s + kd, so the result is a sum of k / s shifted copies, interleaved over the s phases, then
  cropped as ``padding`` asks.

The 3D-GAN's builders take these layers when asked (``implementation="sliced"``) or when their
default ``"auto"`` measures the native kernels as much slower (``gan_papers.common.conv3d_choice``).
On a GPU, use the native kernels. Channels-last only, no dilation, no groups (the 3D-GAN needs none).
"""

import keras
from keras import layers, ops


def _depth_padding(depth, kernel, stride, padding):
    """(output depth, pad before, pad after) of a convolution along depth, TensorFlow's rule."""
    if padding == "valid":
        return (depth - kernel) // stride + 1, 0, 0
    out = -(-depth // stride)
    total = max((out - 1) * stride + kernel - depth, 0)
    return out, total // 2, total - total // 2


def _fold_depth(kernel):
    # (kd, kh, kw, a, b) -> (kh, kw, kd * a, b): depth slice kd becomes channel block kd.
    kd, kh, kw, a, b = kernel.shape
    return ops.reshape(ops.transpose(kernel, (1, 2, 0, 3, 4)), (kh, kw, kd * a, b))


def conv3d_by_slices(x, kernel, strides, padding):
    """``ops.conv(x, kernel, strides, padding)`` for 3-D channels-last ``x``, via one 2-D conv.

    Args:
        x: (B, D, H, W, C_in) with static D, H, W, C_in.
        kernel: (kd, kh, kw, C_in, C_out), a ``Conv3D`` kernel.
        strides: three ints.
        padding: ``"same"`` or ``"valid"``.
    """
    depth, height, width, channels = x.shape[1:]
    kd = kernel.shape[0]
    sd = strides[0]
    out_depth, before, after = _depth_padding(depth, kd, sd, padding)
    x = ops.pad(x, [[0, 0], [before, after], [0, 0], [0, 0], [0, 0]])
    # Output slice o sees input slices o * sd + t, t = 0..kd-1: stack them along the channels.
    span = sd * (out_depth - 1) + 1
    x = ops.concatenate([x[:, t : t + span : sd] for t in range(kd)], axis=-1)
    x = ops.reshape(x, (-1, height, width, kd * channels))
    y = ops.conv(x, _fold_depth(kernel), strides=tuple(strides[1:]), padding=padding)
    return ops.reshape(y, (-1, out_depth, *y.shape[1:]))


def conv3d_transpose_by_slices(x, kernel, strides, padding):
    """``ops.conv_transpose(x, kernel, strides, padding)`` for 3-D channels-last ``x``.

    Args:
        x: (B, D, H, W, C_in) with static D, H, W, C_in.
        kernel: (kd, kh, kw, C_out, C_in), a ``Conv3DTranspose`` kernel; kd a multiple of the
            depth stride.
        strides: three ints.
        padding: ``"same"`` or ``"valid"``.
    """
    depth, height, width, channels = x.shape[1:]
    kd, filters = kernel.shape[0], kernel.shape[3]
    sd = strides[0]
    if kd % sd:
        raise ValueError(
            f"the sliced transposed convolution needs a kernel depth that is a multiple of the "
            f"depth stride; received kernel depth {kd} and stride {sd}."
        )
    shifts = kd // sd
    y = ops.conv_transpose(
        ops.reshape(x, (-1, height, width, channels)),
        _fold_depth(kernel),
        strides=tuple(strides[1:]),
        padding=padding,
    )
    out_h, out_w = y.shape[1:3]
    # Kernel slice kd = q * sd + r of input slice i lands at depth (i + q) * sd + r.
    y = ops.reshape(y, (-1, depth, out_h, out_w, shifts, sd, filters))
    z = 0
    for q in range(shifts):
        pad = [[0, 0], [q, shifts - 1 - q], [0, 0], [0, 0], [0, 0], [0, 0]]
        z = z + ops.pad(y[:, :, :, :, q], pad)
    full = (depth + shifts - 1) * sd  # = (depth - 1) * sd + kd
    z = ops.reshape(ops.transpose(z, (0, 1, 4, 2, 3, 5)), (-1, full, out_h, out_w, filters))
    if padding == "valid":
        return z
    before = max(kd - sd, 0) // 2
    return z[:, before : before + depth * sd]


def _check_layer(layer):
    if layer.data_format != "channels_last" or max(layer.dilation_rate) != 1:
        raise ValueError(
            f"`{type(layer).__name__}` supports data_format='channels_last' and dilation_rate=1; "
            f"received data_format={layer.data_format!r}, dilation_rate={layer.dilation_rate}."
        )


@keras.saving.register_keras_serializable(package="gan_papers")
class SlicedConv3D(layers.Conv3D):
    """``keras.layers.Conv3D`` (same weights, arguments and outputs) computed as one 2-D
    convolution over stacked depth slices (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check_layer(self)
        if self.groups != 1:
            raise ValueError(f"`SlicedConv3D` supports groups=1; received groups={self.groups}.")

    def convolution_op(self, inputs, kernel):
        return conv3d_by_slices(inputs, kernel, self.strides, self.padding)


@keras.saving.register_keras_serializable(package="gan_papers")
class SlicedConv3DTranspose(layers.Conv3DTranspose):
    """``keras.layers.Conv3DTranspose`` (same weights, arguments and outputs) computed as a 2-D
    transposed convolution of every depth slice (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check_layer(self)
        if self.output_padding is not None:
            raise ValueError(
                "`SlicedConv3DTranspose` supports output_padding=None; "
                f"received output_padding={self.output_padding}."
            )

    def call(self, inputs):
        outputs = conv3d_transpose_by_slices(inputs, self.kernel, self.strides, self.padding)
        if self.use_bias:
            outputs = outputs + ops.cast(self.bias, outputs.dtype)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs
