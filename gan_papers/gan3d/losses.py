"""The 3D-VAE-GAN's extra loss terms (Wu et al. 2016, Section 3.2, eq. 2-4).

The 3D-GAN's own loss (eq. 1) is binary cross-entropy on D's logits, shared with the other papers
(``gan_papers.common.losses``); this module holds what the 3D-VAE-GAN adds to it.

    L = L_3D-GAN + alpha1 * L_KL + alpha2 * L_recon                          (eq. 2)
    L_KL    = D_KL(q(z | y) || p(z))                                         (eq. 3)
    L_recon = || G(E(y)) - x ||_2                                            (eq. 4)

alpha1 = 5 and alpha2 = 1e-4 in the paper, as recalled (an assumption listed in
``gan_papers.gan3d``); they are arguments of ``VAEGAN3D``.

**Which prior the KL term targets.** q(z | y) = N(mu, diag(sigma^2)) is Gaussian. The 3D-GAN's prior
is U[0, 1]^200, and the KL divergence of any Gaussian from a uniform is infinite (the Gaussian puts
mass outside [0, 1]), so eq. 3 cannot be taken literally with the paper's prior. Two consistent
choices, both offered (``prior``):
- ``"normal"`` (default): p(z) = N(0, I), the VAE's prior (Kingma & Welling 2014, Appendix B), with a
  closed-form KL; the VAE-GAN then also draws its GAN codes from N(0, I), so E and G agree on one
  latent space. This is what VAE-GANs (Larsen et al. 2016, on which 3D-VAE-GAN builds) do.
- ``"uniform"``: the GAN keeps the paper's U[0, 1] codes and the KL targets N(1/2, 1/12 I), the
  Gaussian with U[0, 1]'s mean and variance, so E's codes land where G was trained (e.g. to fine-tune
  a generator trained by ``GAN3D``).

Reductions: the KL is summed over the latent dimensions and the reconstruction norm taken over all
voxels of a shape, giving one value per sample; ``reduction="mean"`` averages them over the batch
(the local batch of one replica: a ``train_step`` divides by ``num_replicas_in_sync``).
"""

import math

from keras import ops

from gan_papers.common.validation import check_choice

KL_PRIORS = ("normal", "uniform")
# U[0, 1] has mean 1/2 and variance 1/12.
UNIFORM_MEAN, UNIFORM_VARIANCE = 0.5, 1.0 / 12.0
RECONSTRUCTION_NORMS = ("l2", "squared_l2")
REDUCTIONS = ("mean", None)


def prior_moments(prior):
    """(mean, variance) of the Gaussian the KL term targets for ``prior``."""
    check_choice(prior, "prior", KL_PRIORS)
    return (0.0, 1.0) if prior == "normal" else (UNIFORM_MEAN, UNIFORM_VARIANCE)


def _reduce(per_sample, reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f'`reduction` must be "mean" or None; received {reduction!r}.')
    return ops.mean(per_sample) if reduction == "mean" else per_sample


def kl_divergence(mu, log_var, prior="normal", reduction="mean"):
    """L_KL (eq. 3): KL(N(mu, exp(log_var)) || N(m, s^2 I)), summed over the latent dimensions.

    Per dimension, with sigma^2 = exp(log_var):
        1/2 * (log(s^2 / sigma^2) + (sigma^2 + (mu - m)^2) / s^2 - 1),
    which for N(0, I) is the VAE's -1/2 * (1 + log_var - mu^2 - exp(log_var)).

    Args:
        mu, log_var: E's outputs, (B, latent_dim).
        prior: ``"normal"`` (m = 0, s^2 = 1) or ``"uniform"`` (m = 1/2, s^2 = 1/12); see the module
            docstring.
        reduction: ``"mean"`` over the batch, or ``None`` for one value per sample.
    """
    mean, variance = prior_moments(prior)
    mu = ops.cast(mu, "float32")
    log_var = ops.cast(log_var, "float32")
    per_dim = 0.5 * (
        math.log(variance) - log_var + (ops.exp(log_var) + ops.square(mu - mean)) / variance - 1.0
    )
    return _reduce(ops.sum(per_dim, axis=-1), reduction)


def reconstruction_loss(reconstruction, voxels, norm="l2", reduction="mean"):
    """L_recon (eq. 4): || G(E(y)) - x ||_2 per shape, over all its voxels.

    Args:
        reconstruction: G(E(y)), occupancy probabilities (B, R, R, R, 1).
        voxels: the shapes x, (B, R, R, R, 1) in {0, 1}.
        norm: ``"l2"`` (the paper's ||.||_2, the Euclidean norm) or ``"squared_l2"`` (its square,
            the sum of squared errors, which public ports often use).
        reduction: ``"mean"`` over the batch, or ``None`` for one value per shape.
    """
    check_choice(norm, "norm", RECONSTRUCTION_NORMS)
    difference = ops.cast(reconstruction, "float32") - ops.cast(voxels, "float32")
    rank = len(difference.shape)
    squared = ops.sum(ops.square(difference), axis=tuple(range(1, rank)))
    if norm == "l2":
        # The norm's gradient is infinite at 0 (a perfect reconstruction); below 1e-12 it is 0.
        squared = ops.sqrt(ops.maximum(squared, 1e-12))
    return _reduce(squared, reduction)
