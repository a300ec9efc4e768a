"""The latent-search objective of Yeh et al. 2017, Section 3.2 (eq. 2-4).

    z_hat = argmin_z  L_c(z | y, M) + L_p(z)                                         (eq. 4)

- Importance weights (eq. 2): a known pixel's weight is the fraction of its w x w neighbourhood
  that is missing, so known pixels at the hole's border count most and far ones not at all:
      W_i = (1 / |N(i)|) * sum_{j in N(i)} (1 - M_j)   if M_i = 1,   else 0.
- Context loss (eq. 2):  L_c(z | y, M) = || W ⊙ (G(z) - y) ||_1, summed per image.
- Prior loss (eq. 3):    L_p(z) = lambda * log(1 - D(G(z))).

Every loss is per image (shape (B,)): summing them over the batch gives each code z_b a gradient
that depends on image b alone, so searching B images at once equals searching them one by one.

Where the constants come from:
- lambda = 0.003 is the paper's (its implementation details, with Adam, z restricted to [-1, 1]
  and 1,500 iterations, as secondary sources record them: an assumption, not checked against the
  paper's text, listed in ``gan_papers.inpainting.config``; the third-party reading in
  KrnTneja/PyTorch-Implementation-of-Semantic-Image-Inpainting-with-Deep-Generative-Models
  ``README.md`` lists the same four values). No public port uses it: the
  authors' release moodoki/semantic_image_inpainting has ``--lambda_p`` 0.1 in its first version
  (``src/inpaint.py``, 2017) and 0.2 in its last (2018); bamos/dcgan-completion.tensorflow has
  ``--lam`` 0.1 (``complete.py``). Both use the non-saturating -log D(G(z)): they add lambda times
  its batch mean (the DCGAN generator-loss node) to every image's context loss and differentiate
  the sum over the batch, which weights each image's own prior term by lambda, as here.
- The window w of eq. 2: w = 7, from the same secondary sources, an assumption like lambda.
  The authors' release uses 7 (``createWeightedMask(mask, nsize=7)`` in ``src/model.py``, 2017,
  and ``src/tools.py``), and 15 in its 2018 ``src/model_inpaint.py`` (``preprocess(..., nsize=15)``).
  Its 2017 version weights the *known* fraction of the window (``convolve2d(mask, ker)``), the
  inverse of eq. 2; the 2018 ``tools.py`` convolves ``1 - mask`` as here. It pads by mirroring
  (``boundary='symm'``) where this module clips the window at the border. bamos's port has no
  importance weights (an unweighted masked L1, ``model.py``); carpedm20/DCGAN-tensorflow has no
  completion at all.
"""

import numbers

from keras import ops

from gan_papers.common.validation import check_choice, check_non_negative

DEFAULT_WINDOW = 7
DEFAULT_LAMBDA = 0.003
PRIORS = ("paper", "nonsaturating")


def check_lambda(lam, name="lam"):
    """Raise ``ValueError`` unless ``lam`` is a finite real number >= 0 (eq. 3's lambda); return it
    as a float. Strings and booleans are refused rather than converted."""
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real):
        raise ValueError(f"`{name}` must be a number >= 0; received {lam!r}.")
    return check_non_negative(lam, name)


def check_window(window):
    """Raise ``ValueError`` unless ``window`` is an odd positive int (eq. 2's w); return it."""
    if isinstance(window, bool) or not isinstance(window, int) or window < 1 or window % 2 == 0:
        raise ValueError(f"`window` must be an odd positive integer; received {window!r}.")
    return window


def importance_weights(mask, window=DEFAULT_WINDOW):
    """Eq. 2's weight map W, shape (B, H, W, 1), from a mask M (1 = known, 0 = missing).

    N(i) is the ``window`` x ``window`` square around pixel i, clipped at the image border: |N(i)|
    counts only the pixels inside the image, so a border pixel is not weighted as if the area
    outside the image were missing.
    """
    window = check_window(window)
    mask = ops.cast(mask, "float32")
    kernel = ops.ones((window, window, 1, 1), dtype="float32")
    missing_nearby = ops.conv(1.0 - mask, kernel, padding="same")
    neighbours = ops.conv(ops.ones_like(mask), kernel, padding="same")
    return mask * missing_nearby / neighbours


def context_loss(generated, corrupted, weights):
    """Eq. 2: L_c = || W ⊙ (G(z) - y) ||_1 per image, shape (B,). ``weights`` broadcasts over channels."""
    weighted = ops.abs(weights * (ops.cast(generated, "float32") - ops.cast(corrupted, "float32")))
    return ops.sum(weighted, axis=(1, 2, 3))


def prior_loss(fake_logits, lam=DEFAULT_LAMBDA, prior="paper"):
    """Eq. 3 per image, shape (B,), from the discriminator's logits on G(z).

    ``prior="paper"``: lambda * log(1 - D(G(z))), as printed in the paper (its minimum pushes D(G(z)) to 1).
    ``prior="nonsaturating"``: -lambda * log D(G(z)), the DCGAN generator loss that public ports use; it
    has the same minimiser and larger gradients while D(G(z)) is small.
    Both are written with softplus: log(1 - sigmoid(l)) = -softplus(l), -log sigmoid(l) = softplus(-l).
    ``lam`` is a finite number >= 0 (0 turns the prior off).
    """
    lam = check_lambda(lam)
    check_choice(prior, "prior", PRIORS)
    logits = ops.reshape(ops.cast(fake_logits, "float32"), (ops.shape(fake_logits)[0], -1))
    per_image = ops.mean(
        -ops.softplus(logits) if prior == "paper" else ops.softplus(-logits), axis=1
    )
    return lam * per_image
