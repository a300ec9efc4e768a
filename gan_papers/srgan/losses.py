"""Content losses of SRGAN (Ledig et al. 2017, Section 2.2.1, equations 4 and 5).

- ``"mse"``: pixel-wise MSE on the [-1, 1] images (eq. 4), the SRResNet-MSE objective.
- ``"vgg22"`` / ``"vgg54"``: MSE between VGG-19 feature maps phi_{i,j} (eq. 5), the feature map of the
  j-th convolution (after its ReLU) before the i-th max-pool: Keras layers ``block2_conv2`` and
  ``block5_conv4``. Feature maps are multiplied by 1/12.75 first (Section 3.2), which brings the VGG loss
  to the scale of the MSE loss (a factor of about 0.006 on the loss).

SRGAN's default content loss is ``"vgg54"``. Eq. 5 normalises by the feature map's width and height; here the
squared differences are averaged over channels too (a constant factor the 1/12.75 rescale absorbs in the
paper's recipe). The optional total-variation term (weight 2e-8 for SRResNet-VGG22 in the paper's Table 1
experiments) is ``total_variation_weight``.
"""

import os

import keras
from keras import ops

from gan_papers.common.validation import check_choice

VGG_LAYERS = {"vgg22": "block2_conv2", "vgg54": "block5_conv4"}
CONTENT_LOSSES = ("mse", *VGG_LAYERS)
VGG19_WEIGHTS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"


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


class VGGWeightsUnavailableError(FileNotFoundError):
    """The ImageNet VGG-19 weights are neither cached nor downloadable (e.g. offline)."""


def keras_models_dir():
    """Where Keras caches application weights: ``$KERAS_HOME/models`` or ``~/.keras/models``."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "models")


def vgg19_weights_available():
    """True when the ImageNet VGG-19 (no top) weights file is in Keras' cache (no download needed)."""
    return os.path.isfile(os.path.join(keras_models_dir(), VGG19_WEIGHTS_FILE))


def _load_vgg19(weights):
    try:
        return keras.applications.VGG19(
            include_top=False, weights=weights, input_shape=(None, None, 3)
        )
    except Exception as error:  # Keras raises a bare Exception on a failed download.
        if weights != "imagenet":
            raise
        raise VGGWeightsUnavailableError(
            f"Could not load the ImageNet VGG-19 weights needed by the VGG content loss ({error}). "
            f"Keras looks for the file {VGG19_WEIGHTS_FILE!r} in {keras_models_dir()!r} and downloads "
            "it there when online. Offline, copy that file into that folder (or pass "
            "`weights='/path/to/file.h5'`), or use content='mse' (the SRGAN-MSE variant)."
        ) from None


def build_vgg_feature_extractor(layer="block5_conv4", weights="imagenet"):
    """Frozen VGG-19 up to ``layer``, taking [-1, 1] RGB images (the preprocessing is inside).

    Args:
        layer: a VGG-19 layer name (``"block2_conv2"`` for phi_2,2, ``"block5_conv4"`` for phi_5,4).
        weights: ``"imagenet"`` (Keras downloads and caches them), a path to a weights file, or
            ``None`` (random weights: for tests only; the loss is then not perceptual).
    """
    vgg = _load_vgg19(weights)
    names = [lyr.name for lyr in vgg.layers]
    check_choice(layer, "layer", names)
    features = keras.Model(vgg.input, vgg.get_layer(layer).output, name=f"vgg19_{layer}")
    images = keras.Input((None, None, 3), name="images")
    extractor = keras.Model(images, features(VGGPreprocess(name="vgg_preprocess")(images)))
    extractor.trainable = False
    return extractor


@keras.saving.register_keras_serializable(package="gan_papers")
class ContentLoss(keras.losses.Loss):
    """SRGAN content loss l_X^SR: ``"mse"`` (eq. 4), ``"vgg22"`` or ``"vgg54"`` (eq. 5).

    Use it as any Keras loss, e.g. ``generator.compile(loss=ContentLoss("vgg22"))`` for
    SRResNet-VGG22, or pass it to ``SRGAN.compile(content_loss=...)``. Both arguments are
    images in [-1, 1] (``y_true`` the HR image, ``y_pred`` the SR image). The VGG network is held
    outside Keras' layer tracking, so it is not saved with a model that uses this loss.
    """

    def __init__(
        self,
        kind="vgg54",
        weights="imagenet",
        feature_scale=1.0 / 12.75,
        total_variation_weight=0.0,
        name="content_loss",
        reduction="sum_over_batch_size",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.kind = check_choice(kind, "kind", CONTENT_LOSSES)
        self.weights = weights
        self.feature_scale = float(feature_scale)
        self.total_variation_weight = float(total_variation_weight)
        self.extractor = (
            None if kind == "mse" else build_vgg_feature_extractor(VGG_LAYERS[kind], weights)
        )

    def call(self, y_true, y_pred):
        """Per-image loss, shape (B,)."""
        y_true = ops.cast(y_true, "float32")
        y_pred = ops.cast(y_pred, "float32")
        if self.extractor is None:
            per_image = ops.mean(ops.square(y_true - y_pred), axis=(1, 2, 3))
        else:
            phi_hr = (
                ops.cast(self.extractor(y_true, training=False), "float32") * self.feature_scale
            )
            phi_sr = (
                ops.cast(self.extractor(y_pred, training=False), "float32") * self.feature_scale
            )
            per_image = ops.mean(ops.square(phi_hr - phi_sr), axis=(1, 2, 3))
        if self.total_variation_weight:
            per_image = per_image + self.total_variation_weight * total_variation(y_pred)
        return per_image

    def get_config(self):
        weights = self.weights if self.weights is None or isinstance(self.weights, str) else None
        return {
            **super().get_config(),
            "kind": self.kind,
            "weights": weights,
            "feature_scale": self.feature_scale,
            "total_variation_weight": self.total_variation_weight,
        }


def total_variation(images):
    """Anisotropic total variation per image: sum of absolute neighbour differences, shape (B,)."""
    dy = ops.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
    dx = ops.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
    return ops.sum(dy, axis=(1, 2, 3)) + ops.sum(dx, axis=(1, 2, 3))
