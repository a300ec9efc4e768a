"""MATLAB bicubic upsampling as a fixed layer, for SRResNet's optional global bicubic skip.

With ``build_generator(bicubic_skip=True)`` the generator outputs ``bicubic(LR) + residual``: the
network learns only what bicubic interpolation misses, the residual learning of VDSR (Kim, Lee and
Lee, "Accurate Image Super-Resolution Using Very Deep Convolutional Networks", CVPR 2016). SRGAN's
paper has no such skip; it is a named deviation that the ``demo`` profile uses, because a network
that starts as bicubic beats bicubic after far fewer steps than one that must first learn to copy
its input (measured: benchmarks/README.md, "SRGAN: the global bicubic skip").

Upsampling by an integer factor ``r`` with MATLAB's rules (``gan_papers.common.imresize``: Keys'
kernel, pixel centres aligned, mirrored borders) gives output pixel ``(r i + a, r j + b)`` as a fixed
5x5 weighting of the input pixels around ``(i, j)``, the weights depending only on the phase
``(a, b)``. So the layer is a mirror pad of 2 pixels, one constant 5x5 convolution with ``r^2``
outputs per channel and ``depth_to_space``: it runs on images of any size (at least 2x2 pixels),
inside ``fit`` and under XLA, and equals ``imresize(lr, r)`` to float32 rounding.
"""

import keras
import numpy as np
from keras import ops

from gan_papers.common.imresize import weight_matrices
from gan_papers.common.validation import check_choice

_TAPS = 5  # input pixels i-2 .. i+2 cover Keys' 4-pixel support at every phase
_PAD = _TAPS // 2


def phase_weights(scale):
    """``(scale, 5)`` float64: row ``a`` weights input pixels ``i-2 .. i+2`` for output ``r i + a``.

    Read off the interior of ``imresize``'s own weight matrix, so the two cannot disagree.
    """
    size = 4 * _TAPS
    (matrix, _) = weight_matrices((size, size), scale=scale)
    centre = size // 2
    return np.array(
        matrix[centre * scale : (centre + 1) * scale, centre - _PAD : centre + _PAD + 1]
    )


def bicubic_kernel(scale, channels=3):
    """The ``(5, 5, C, C r^2)`` convolution kernel whose output ``depth_to_space(r)`` reorders.

    Output channel ``(a r + b) C + c`` (``ops.depth_to_space``'s order) is phase ``(a, b)`` of
    input channel ``c``: the outer product of the row and column phase weights.
    """
    w = phase_weights(scale)
    kernel = np.zeros((_TAPS, _TAPS, channels, channels * scale * scale))
    for a in range(scale):
        for b in range(scale):
            for c in range(channels):
                kernel[:, :, c, (a * scale + b) * channels + c] = np.outer(w[a], w[b])
    return kernel


@keras.saving.register_keras_serializable(package="gan_papers")
class BicubicUpsample(keras.layers.Layer):
    """Upsample by ``scale`` (2, 4 or 8) exactly as MATLAB's ``imresize(x, scale)`` (bicubic).

    No trainable weights; runs in float32 by default, so a mixed-precision policy does not round
    the baseline the network adds its residual to. Values are not clipped (bicubic rings at edges).
    """

    def __init__(self, scale=4, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        check_choice(scale, "scale", (2, 4, 8))
        self.scale = int(scale)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(
                "BicubicUpsample needs a known number of channels; received input shape "
                f"{tuple(input_shape)}."
            )
        self._kernel = ops.convert_to_tensor(
            bicubic_kernel(self.scale, int(channels)), dtype=self.compute_dtype
        )

    def call(self, inputs):
        # MATLAB mirrors with the edge pixel repeated: NumPy's and TensorFlow's "symmetric".
        padded = ops.pad(inputs, [[0, 0], [_PAD, _PAD], [_PAD, _PAD], [0, 0]], mode="symmetric")
        phases = ops.conv(padded, ops.cast(self._kernel, padded.dtype), padding="valid")
        return ops.depth_to_space(phases, self.scale)

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        r = self.scale
        return (b, None if h is None else h * r, None if w is None else w * r, c)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}
