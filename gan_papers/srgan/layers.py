"""Small registered layers for SRResNet (Ledig et al. 2017, Section 2.2, Figure 4).

Written as layers (not ``Lambda``) so that every model loads with
``keras.saving.load_model(path)`` in safe mode.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="gan_papers")
class PixelShuffle(keras.layers.Layer):
    """Sub-pixel convolution's rearrangement (Shi et al. 2016): (H, W, C r^2) -> (H r, W r, C).

    SRGAN's generator upsamples with two of these (x2 each) after 256-channel convolutions.
    """

    def __init__(self, block_size=2, **kwargs):
        super().__init__(**kwargs)
        self.block_size = int(block_size)

    def call(self, inputs):
        return ops.depth_to_space(inputs, self.block_size)

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        r = self.block_size
        return (
            b,
            None if h is None else h * r,
            None if w is None else w * r,
            c // (r * r),
        )

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}


@keras.saving.register_keras_serializable(package="gan_papers")
class VGGPreprocess(keras.layers.Layer):
    """[-1, 1] RGB -> the input VGG-19 was trained on (Simonyan & Zisserman 2015).

    Same arithmetic as ``keras.applications.vgg19.preprocess_input((x + 1) * 127.5)``: RGB in
    0..255, reordered to BGR, minus the ImageNet channel means ("caffe" mode).
    """

    BGR_MEAN = (103.939, 116.779, 123.68)

    def call(self, inputs):
        rgb255 = (inputs + 1.0) * 127.5
        bgr = ops.flip(rgb255, axis=-1)
        return bgr - ops.convert_to_tensor(self.BGR_MEAN, dtype=bgr.dtype)
