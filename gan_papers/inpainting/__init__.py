"""Semantic image inpainting — Yeh, Chen, Lim, Schwing, Hasegawa-Johnson, Do, "Semantic Image
Inpainting with Deep Generative Models", CVPR 2017 (arXiv 1607.07539).

Read in the paper's order: ``dcgan`` and ``dcgan_model`` (the generative prior, Section 3.1, trained
as in Radford et al. 2016), ``losses`` (importance-weighted context loss and prior loss, Section 3.2,
eq. 2-3), ``latent_search`` (z_hat = argmin_z L_c + L_p, eq. 4), ``blending`` (Poisson blending,
Section 3.3, eq. 5), ``inpainter`` (all of it in one call). ``calibration`` recomputes D's batch-norm
statistics for the prior loss, which reads D in inference mode.
"""

from gan_papers.inpainting.blending import poisson_blend
from gan_papers.inpainting.calibration import (
    calibrate_discriminator,
    recompute_batch_norm_statistics,
)
from gan_papers.inpainting.dcgan import build_discriminator, build_generator, num_stages
from gan_papers.inpainting.dcgan_model import DCGAN
from gan_papers.inpainting.inpainter import InpaintingResult, SemanticInpainter
from gan_papers.inpainting.latent_search import LatentSearch
from gan_papers.inpainting.losses import context_loss, importance_weights, prior_loss

__all__ = [
    "DCGAN",
    "InpaintingResult",
    "LatentSearch",
    "SemanticInpainter",
    "build_discriminator",
    "build_generator",
    "calibrate_discriminator",
    "context_loss",
    "importance_weights",
    "num_stages",
    "poisson_blend",
    "prior_loss",
    "recompute_batch_norm_statistics",
]
