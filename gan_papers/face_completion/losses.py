"""The losses of Li et al. 2017 (Section 3.4, eq. 1-3):

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p

- L_r, the **reconstruction loss** between the generator's whole output and the original face:
  ``kind="l2"``, the squared error (the paper, the default); ``kind="l1"``, the authors' code
  (``GFC_L1_loss.m``): sqrt(d^2 + eps^2) with eps = 1e-12, a Charbonnier loss equal to L1 within 1e-12.
- L_a1, L_a2, the **adversarial losses** of the local and global discriminators (eq. 1): D is trained
  on binary cross-entropy (real = 1, fake = 0) and G on the non-saturating -log D(fake)
  (``GFC_BCE_loss1.m`` / ``GFC_BCE_loss2.m``), both from ``gan_papers.common.losses``.
- L_p, the **parsing loss**: pixel-wise softmax cross-entropy between the frozen parser's prediction
  on the completed face and the parser's own labels (argmax) on the original face
  (``GFC_Softmax_loss.m``).

**Loss scale convention.** The authors' weights lambda_1 = lambda_2 = 300, lambda_3 = 0.05
(``gradstack.m``) go with an L_r **and** an L_p **summed over the pixels** of each face and divided by
the batch (``GFC_L1_loss.m``, ``GFC_Softmax_loss.m``: the gradient per pixel is d/|d| / batch and
(p - y) / batch), while the adversarial losses are one number per face averaged over the batch.
``reduction="sum"`` is that convention and the default of both losses. With ``reduction="mean"`` (a
per-element mean, as ``keras.losses.MeanSquaredError`` computes) L_r is H*W*3 and L_p H*W times
smaller; ``FaceCompletionGAN`` rescales the lambdas so that either choice trains the same objective.

Because both sums grow with the number of pixels while the adversarial terms do not, faces with a
quarter of the pixels keep the paper's balance with a quarter of lambda_1 and lambda_2 and the same
lambda_3 (see ``config``).

All in ``keras.ops`` and XLA-clean.
"""

from keras import ops

from gan_papers.common.validation import check_choice

RECONSTRUCTION_KINDS = ("l2", "l1")
REDUCTIONS = ("sum", "mean")
RECONSTRUCTION_REDUCTIONS = REDUCTIONS  # the name earlier versions exported
CHARBONNIER_EPSILON = 1e-12  # GFC_L1_loss.m


def _reduce(element, reduction):
    """Sum over every axis but the batch, then the batch mean ("sum"); or the mean of all ("mean")."""
    per_face = ops.sum(element, axis=tuple(range(1, len(element.shape))))
    if reduction == "mean":
        count = 1
        for extent in element.shape[1:]:
            count *= int(extent)
        per_face = per_face / float(count)
    return ops.mean(per_face)


def reconstruction_loss(output, original, kind="l2", reduction="sum"):
    """L_r between the generator's ``output`` and the ``original`` faces, both (B, H, W, 3).

    ``kind="l2"``: the squared error (the paper). ``kind="l1"``: sqrt(d^2 + 1e-24), the authors'
    ``GFC_L1_loss.m`` (Charbonnier with eps = 1e-12, L1 within 1e-12; its gradient d / sqrt(d^2 + eps^2)
    is the sign of d wherever |d| >> eps).

    ``reduction="sum"`` sums over each face's pixels and channels, then averages over the batch (the
    convention the paper's lambdas go with); ``"mean"`` averages over everything.
    """
    check_choice(kind, "kind", RECONSTRUCTION_KINDS)
    check_choice(reduction, "reduction", REDUCTIONS)
    if tuple(output.shape[1:]) != tuple(original.shape[1:]):
        raise ValueError(
            f"`output` and `original` must have the same shape; received {tuple(output.shape)} "
            f"and {tuple(original.shape)}."
        )
    error = ops.cast(output, "float32") - ops.cast(original, "float32")
    if kind == "l2":
        element = ops.square(error)
    else:
        element = ops.sqrt(ops.square(error) + CHARBONNIER_EPSILON**2)
    return _reduce(element, reduction)


def parsing_labels(parser_logits):
    """The parser's labels on the original face: the per-pixel argmax (no gradient flows)."""
    return ops.argmax(ops.stop_gradient(parser_logits), axis=-1)


def parsing_loss(completed_logits, original_labels, reduction="sum"):
    """L_p: pixel-wise softmax cross-entropy of the parse of the completed face, logits
    (B, H, W, classes), against the labels of the original (``parsing_labels``), (B, H, W).

    ``reduction="sum"`` (``GFC_Softmax_loss.m``, the convention of lambda_3 = 0.05) sums over each
    face's pixels and averages over the batch; ``"mean"`` is the per-pixel mean, H*W times smaller.
    """
    check_choice(reduction, "reduction", REDUCTIONS)
    if tuple(completed_logits.shape[1:-1]) != tuple(original_labels.shape[1:]):
        raise ValueError(
            "`completed_logits` (B, H, W, classes) and `original_labels` (B, H, W) must share "
            f"H and W; received {tuple(completed_logits.shape)} and {tuple(original_labels.shape)}."
        )
    logits = ops.cast(completed_logits, "float32")
    per_pixel = ops.sparse_categorical_crossentropy(original_labels, logits, from_logits=True)
    return _reduce(per_pixel, reduction)
