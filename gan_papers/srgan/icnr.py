"""ICNR: sub-pixel convolution initialised to nearest-neighbour upsampling (Aitken et al. 2017).

Aitken, Ledig, Theis, Caballero, Wang and Shi, "Checkerboard artifact free sub-pixel convolution: A
note on sub-pixel convolution, resize convolution and convolution resize" (arXiv 1707.02937), by
SRGAN's authors. A convolution with ``C r^2`` outputs followed by ``depth_to_space(r)`` gives every
output pixel one of ``r^2`` different kernels, by its position in the ``r x r`` block. Drawn
independently, as any standard initialiser does, the ``r^2`` kernels differ from the start, and the
network's output carries an ``r x r`` periodic pattern, a checkerboard, that training must undo.
ICNR draws one kernel per output channel and copies it to all ``r^2`` positions: at the start the
layer is a convolution followed by nearest-neighbour upsampling, with no checkerboard, and training
moves the copies apart only as far as the data asks.

The SRGAN paper does not state its initialisation. ``build_generator(upsample_initializer="icnr")``
uses ICNR for its upsampling convolutions; the default stays Keras' ``glorot_uniform``.
"""

import keras
from keras import ops

from gan_papers.common.validation import check_positive_int


@keras.saving.register_keras_serializable(package="gan_papers")
class ICNR(keras.initializers.Initializer):
    """A conv kernel ``(..., in, C r^2)`` whose ``r^2`` sub-pixel kernels are equal copies.

    Output channel ``g C + c`` (``g`` the position in the ``r x r`` block, as
    ``ops.depth_to_space`` reads it) is kernel ``c`` of one draw of ``initializer`` with ``C``
    output channels.

    Args:
        block_size: r, the ``PixelShuffle`` factor that follows the convolution.
        initializer: draws the ``C`` distinct kernels (any Keras initializer or its name).
    """

    def __init__(self, block_size=2, initializer="glorot_uniform"):
        self.block_size = check_positive_int(block_size, "block_size")
        self.initializer = keras.initializers.get(initializer)

    def __call__(self, shape, dtype=None):
        copies = self.block_size**2
        *window, fan_in, channels = shape
        if channels % copies:
            raise ValueError(
                f"ICNR: the kernel's output channels must be a multiple of block_size ** 2 = "
                f"{copies}; received shape {tuple(shape)}."
            )
        kernel = self.initializer((*window, fan_in, channels // copies), dtype=dtype)
        return ops.tile(kernel, [1] * (len(window) + 1) + [copies])

    def get_config(self):
        return {
            "block_size": self.block_size,
            "initializer": keras.initializers.serialize(self.initializer),
        }
