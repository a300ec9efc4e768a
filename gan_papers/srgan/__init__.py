"""SRGAN — Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a Generative
Adversarial Network", CVPR 2017 (arXiv 1609.04802).

Read in the paper's order:
1. ``networks``: SRResNet, the generator with its sub-pixel upsampling, and the discriminator (Sec. 2.2);
   ``icnr``: the sub-pixel convolutions' initialisation without checkerboard (Aitken et al. 2017);
   ``bicubic_skip``: the optional global bicubic skip (VDSR's residual learning; not in the paper).
2. ``losses``: the content losses, pixel MSE and VGG feature MSE (Sec. 2.2.1, eq. 4-5).
3. ``model``: the adversarial training (eq. 2-3, 6).
4. ``config``: the hyper-parameters per run profile (Sec. 3.2).
5. ``recipe``: the two-phase training, SRResNet first, then SRGAN from it (Sec. 3.2).
6. ``evaluate``: Y-channel PSNR/SSIM (Sec. 3.1-3.2).
"""

from gan_papers.srgan.bicubic_skip import BicubicUpsample
from gan_papers.srgan.config import CONFIGS, SRGANConfig, differences_from_paper, get_config
from gan_papers.srgan.evaluate import PAPER_TABLE_2, bicubic_upscale, evaluate_sr, super_resolve
from gan_papers.srgan.icnr import ICNR
from gan_papers.srgan.losses import (
    ContentLoss,
    VGGPreprocess,
    VGGWeightsUnavailableError,
    build_vgg_feature_extractor,
    vgg19_weights_available,
)
from gan_papers.srgan.model import SRGAN
from gan_papers.srgan.networks import PixelShuffle, build_discriminator, build_generator
from gan_papers.srgan.recipe import (
    build_srresnet,
    gan_learning_rate,
    pretrain_learning_rate,
    srgan_from_srresnet,
)

__all__ = [
    "BicubicUpsample",
    "CONFIGS",
    "PAPER_TABLE_2",
    "SRGAN",
    "ContentLoss",
    "ICNR",
    "PixelShuffle",
    "SRGANConfig",
    "VGGPreprocess",
    "VGGWeightsUnavailableError",
    "bicubic_upscale",
    "build_discriminator",
    "build_generator",
    "build_srresnet",
    "build_vgg_feature_extractor",
    "differences_from_paper",
    "evaluate_sr",
    "gan_learning_rate",
    "get_config",
    "pretrain_learning_rate",
    "srgan_from_srresnet",
    "super_resolve",
    "vgg19_weights_available",
]
