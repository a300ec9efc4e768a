"""The face-parsing network of Li et al. 2017 (Section 3.3): a frozen judge of facial structure.

Li et al. pretrain a SegNet-like encoder-decoder on Helen's face-parsing labels (11 classes:
background, skin, left/right brow, left/right eye, nose, upper lip, inner mouth, lower lip, hair),
then freeze it. During completion training it parses the completed face, and the parsing loss asks
that parse to agree with the parse of the original face: a completion that draws the mouth in the
wrong place is penalised even if its pixels are plausible.

This builder: SegNet's pattern (Badrinarayanan et al. 2017) at four scales, each encoder stage two
3x3 convolutions with batch norm and ReLU then a 2x2 max-pool that keeps its indices, each decoder
stage an unpooling with those indices then two convolutions; a 1x1 convolution gives per-pixel class
logits. It is trained with plain ``compile``/``fit`` (``compile_parser``) on label maps, e.g. the
procedural faces' exact labels, and used frozen (``trainable = False``, ``training=False``).
"""

import keras
import numpy as np
from keras import layers, ops

from gan_papers.common.validation import check_positive_int
from gan_papers.data.faces import FACE_CLASSES
from gan_papers.face_completion.networks import check_image_size, check_widths
from gan_papers.face_completion.unpooling import MaxPoolingWithIndices, MaxUnpooling

NUM_CLASSES = len(FACE_CLASSES)  # 11, Helen's classes
DEFAULT_WIDTHS = (32, 64, 128, 256)


def _conv_bn_relu(x, filters, name):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def build_parser(image_size=128, widths=DEFAULT_WIDTHS, num_classes=NUM_CLASSES, name="parser"):
    """SegNet-like parser: faces (B, S, S, 3) in [-1, 1] -> class logits (B, S, S, num_classes).

    Args:
        image_size: S, a multiple of 16.
        widths: the four encoder stages' widths (the decoder mirrors them).
        num_classes: 11 for Helen's classes (``gan_papers.data.FACE_CLASSES``).
    """
    image_size = check_image_size(image_size, 16)
    widths = check_widths(widths)
    num_classes = check_positive_int(num_classes, "num_classes")
    faces = keras.Input((image_size, image_size, 3), name="faces")
    x = faces
    indices = []
    for stage, filters in enumerate(widths, start=1):
        x = _conv_bn_relu(x, filters, f"enc{stage}a")
        x = _conv_bn_relu(x, filters, f"enc{stage}b")
        x, index = MaxPoolingWithIndices(name=f"enc{stage}_pool")(x)
        indices.append(index)
    for stage, filters in enumerate(reversed(widths), start=1):
        x = MaxUnpooling(name=f"dec{stage}_unpool")([x, indices[-stage]])
        x = _conv_bn_relu(x, filters, f"dec{stage}a")
        # Each stage ends with the next (shallower) encoder stage's width, for its unpooling.
        following = widths[-stage - 1] if stage < len(widths) else filters
        x = _conv_bn_relu(x, following, f"dec{stage}b")
    logits = layers.Conv2D(num_classes, 1, dtype="float32", name="logits")(x)
    return keras.Model(faces, logits, name=name)


def median_frequency_weights(labels, num_classes=NUM_CLASSES):
    """SegNet's class balancing (Badrinarayanan et al. 2017, Section 4, after Eigen & Fergus 2015):
    weight_c = median_freq / freq_c, where freq_c is class c's share of the pixels of the label maps
    in which c appears. Rare classes (eyes, brows, lips: a few pixels each) weigh more than
    background and skin. ``labels``: int array (N, H, W). A class that never appears gets weight 0.
    """
    labels = np.asarray(labels)
    if labels.ndim != 3:
        raise ValueError(
            f"`labels` must have shape (N, H, W); received shape {labels.shape} (rank {labels.ndim})."
        )
    counts = np.stack([np.bincount(m.ravel(), minlength=num_classes) for m in labels])
    pixels_where_present = ((counts > 0) * counts.sum(axis=1, keepdims=True)).sum(axis=0)
    frequency = counts.sum(axis=0) / np.maximum(pixels_where_present, 1)
    present = frequency > 0
    weights = np.zeros(num_classes)
    weights[present] = np.median(frequency[present]) / frequency[present]
    return weights.astype(np.float32)


@keras.saving.register_keras_serializable(package="gan_papers")
class WeightedSparseCrossentropy(keras.losses.Loss):
    """Per-pixel softmax cross-entropy on logits, each pixel weighted by its true class's weight."""

    def __init__(self, class_weights, name="weighted_sparse_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.class_weights = [float(w) for w in class_weights]

    def call(self, y_true, y_pred):
        labels = ops.cast(y_true, "int32")
        per_pixel = ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=True)
        return per_pixel * ops.take(ops.convert_to_tensor(self.class_weights), labels)

    def get_config(self):
        return {**super().get_config(), "class_weights": self.class_weights}


def compile_parser(
    parser, learning_rate=1e-3, num_classes=NUM_CLASSES, class_weights=None, **kwargs
):
    """Compile ``parser`` for ``fit`` on ``(faces, labels)`` with int labels (B, S, S).

    Loss: per-pixel softmax cross-entropy, weighted per class with ``class_weights`` (e.g.
    ``median_frequency_weights``, as SegNet trains) or unweighted. Metrics: pixel accuracy and mean
    intersection-over-union over the classes. ``kwargs`` go to ``compile`` (e.g. ``jit_compile``).
    """
    if class_weights is None:
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    else:
        if len(class_weights) != num_classes:
            raise ValueError(
                f"`class_weights` must hold one weight per class ({num_classes}); received "
                f"{len(class_weights)}."
            )
        loss = WeightedSparseCrossentropy(class_weights)
    parser.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=loss,
        metrics=[
            keras.metrics.SparseCategoricalAccuracy(name="pixel_accuracy"),
            keras.metrics.MeanIoU(num_classes, sparse_y_pred=False, name="mean_iou"),
        ],
        **kwargs,
    )
    return parser


def freeze(parser):
    """Make ``parser`` a fixed judge: no trainable weights, so no optimiser will ever touch it.

    Its training state goes too (``compile_parser``'s optimiser and compile settings): a frozen
    parser is only called, and without this a model holding it would save the parser's optimiser
    slots and warn, when loaded, that they do not fit the fresh, unbuilt optimiser.
    """
    parser.trainable = False
    parser.optimizer = None
    parser.compiled = False
    return parser
