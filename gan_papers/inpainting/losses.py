"""The latent-search objective of Yeh et al. 2017, Section 3.2 (eq. 2-4).

    z_hat = argmin_z  L_c(z | y, M) + L_p(z)                                         (eq. 4)

- Importance weights (eq. 2): a known pixel's weight is the fraction of its w x w neighbourhood
  that is missing, so known pixels at the hole's border count most and far ones not at all:
      W_i = (1 / |N(i)|) * sum_{j in N(i)} (1 - M_j)   if M_i = 1,   else 0.
- Context loss (eq. 2):  L_c(z | y, M) = || W ⊙ (G(z) - y) ||_1, summed per image.
- Prior loss (eq. 3):    L_p(z) = lambda * log(1 - D(G(z))), lambda = 0.003.

Every loss is per image (shape (B,)): summing them over the batch gives each code z_b a gradient
that depends on image b alone, so searching B images at once equals searching them one by one.
"""

from keras import ops

from gan_papers.common.validation import check_choice

# The window w and lambda are not stated in the paper's text; w = 7 and lambda = 0.003 are the
# values its public re-implementations use. Both are arguments.
DEFAULT_WINDOW = 7
DEFAULT_LAMBDA = 0.003
PRIORS = ("paper", "nonsaturating")


def importance_weights(mask, window=DEFAULT_WINDOW):
    """Eq. 2's weight map W, shape (B, H, W, 1), from a mask M (1 = known, 0 = missing).

    N(i) is the ``window`` x ``window`` square around pixel i, clipped at the image border: |N(i)|
    counts only the pixels inside the image, so a border pixel is not weighted as if the area
    outside the image were missing.
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 1 or window % 2 == 0:
        raise ValueError(f"`window` must be an odd positive integer; received {window!r}.")
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
    """
    check_choice(prior, "prior", PRIORS)
    logits = ops.reshape(ops.cast(fake_logits, "float32"), (ops.shape(fake_logits)[0], -1))
    per_image = ops.mean(
        -ops.softplus(logits) if prior == "paper" else ops.softplus(-logits), axis=1
    )
    return lam * per_image
