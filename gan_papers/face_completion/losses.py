"""The losses of Li et al. 2017 (Section 3.4, eq. 1-3):

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p

- L_r, the **reconstruction loss**: L2 distance between the generator's output and the original
  face (the paper); the authors' code uses a smooth L1 instead (``kind="smooth_l1"``).
- L_a1, L_a2, the **adversarial losses** of the local and global discriminators (eq. 1): D is trained
  on binary cross-entropy (real = 1, fake = 0) and G on the non-saturating -log D(fake), both from
  ``gan_papers.common.losses``.
- L_p, the **parsing loss**: pixel-wise softmax cross-entropy between the frozen parser's prediction
  on the completed face and the parser's own labels (argmax) on the original face.

**Loss scale convention.** The authors' weights lambda_1 = lambda_2 = 300, lambda_3 = 0.05 go with an
L_r that is **summed over the pixels** of each face and averaged over the batch (Caffe's Euclidean
loss divides by the batch only), while the adversarial and parsing losses are means (per face, and
per pixel for L_p). ``reconstruction_loss(..., reduction="sum")`` is that convention and the default.
With ``reduction="mean"`` (a per-pixel mean, as ``keras.losses.MeanSquaredError`` computes), L_r is
H*W*3 times smaller: to keep the same balance divide the lambdas by H*W*3 as well
(``FaceCompletionGAN`` does this for you when given ``reconstruction_reduction="mean"``).

All in ``keras.ops`` and XLA-clean.
"""

from keras import ops

RECONSTRUCTION_KINDS = ("l2", "smooth_l1")
RECONSTRUCTION_REDUCTIONS = ("sum", "mean")


def _check_choice(value, name, choices):
    if value not in choices:
        raise ValueError(f"`{name}` must be one of {choices}; received {value!r}.")


def reconstruction_loss(output, original, kind="l2", reduction="sum"):
    """L_r: ``"l2"`` = squared error, ``"smooth_l1"`` = Huber loss with delta 1 (the authors' code).

    ``reduction="sum"`` sums over each face's pixels and channels, then averages over the batch (the
    convention the paper's lambdas go with); ``"mean"`` averages over everything.
    """
    _check_choice(kind, "kind", RECONSTRUCTION_KINDS)
    _check_choice(reduction, "reduction", RECONSTRUCTION_REDUCTIONS)
    if tuple(output.shape[1:]) != tuple(original.shape[1:]):
        raise ValueError(
            f"`output` and `original` must have the same shape; received {tuple(output.shape)} "
            f"and {tuple(original.shape)}."
        )
    error = ops.cast(output, "float32") - ops.cast(original, "float32")
    if kind == "l2":
        element = ops.square(error)
    else:
        absolute = ops.abs(error)
        element = ops.where(absolute < 1.0, 0.5 * ops.square(error), absolute - 0.5)
    per_face = ops.sum(element, axis=(1, 2, 3))
    if reduction == "mean":
        per_face = per_face / float(element.shape[1] * element.shape[2] * element.shape[3])
    return ops.mean(per_face)


def parsing_labels(parser_logits):
    """The parser's labels on the original face: the per-pixel argmax (no gradient flows)."""
    return ops.argmax(ops.stop_gradient(parser_logits), axis=-1)


def parsing_loss(completed_logits, original_labels):
    """L_p: mean pixel-wise softmax cross-entropy of the parse of the completed face against the
    labels of the original (``parsing_labels``). Shapes (B, H, W, classes) and (B, H, W)."""
    logits = ops.cast(completed_logits, "float32")
    per_pixel = ops.sparse_categorical_crossentropy(original_labels, logits, from_logits=True)
    return ops.mean(per_pixel)
