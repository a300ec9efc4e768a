"""Semantic image inpainting — Yeh, Chen, Lim, Schwing, Hasegawa-Johnson, Do, "Semantic Image
Inpainting with Deep Generative Models", CVPR 2017 (arXiv 1607.07539).

Read in the paper's order:
1. ``networks`` and ``model``: the generative prior, a DCGAN (Section 3.1), trained as in Radford et
   al. 2016.
2. ``losses``: the importance-weighted context loss and the prior loss (Section 3.2, eq. 2-3).
3. ``latent_search``: z_hat = argmin_z L_c + L_p (eq. 4), an extra idea.
4. ``blending``: Poisson blending (Section 3.3, eq. 5), an extra idea.
5. ``inpainter``: all of it in one call; ``calibration`` recomputes D's batch-norm statistics for the
   prior loss, which reads D in inference mode.
6. ``config`` (run profiles) and ``recipe`` (a compiled DCGAN from a config).
7. ``evaluate``: PSNR in and around the hole, and the classical baselines (Section 4.2).
"""

from gan_papers.inpainting.blending import poisson_blend
from gan_papers.inpainting.calibration import (
    calibrate_discriminator,
    recompute_batch_norm_statistics,
)
from gan_papers.inpainting.config import (
    CONFIGS,
    InpaintingConfig,
    differences_from_paper,
    get_config,
)
from gan_papers.inpainting.inpainter import InpaintingResult, SemanticInpainter
from gan_papers.inpainting.latent_search import LatentSearch
from gan_papers.inpainting.losses import context_loss, importance_weights, prior_loss
from gan_papers.inpainting.model import DCGAN
from gan_papers.inpainting.networks import build_discriminator, build_generator, num_stages
from gan_papers.inpainting.recipe import build_dcgan, build_networks

__all__ = [
    "CONFIGS",
    "DCGAN",
    "InpaintingConfig",
    "InpaintingResult",
    "LatentSearch",
    "SemanticInpainter",
    "build_dcgan",
    "build_discriminator",
    "build_generator",
    "build_networks",
    "calibrate_discriminator",
    "context_loss",
    "differences_from_paper",
    "get_config",
    "importance_weights",
    "num_stages",
    "poisson_blend",
    "prior_loss",
    "recompute_batch_norm_statistics",
]
