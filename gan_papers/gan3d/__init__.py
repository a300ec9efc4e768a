"""3D-GAN — Wu, Zhang, Xue, Freeman, Tenenbaum, "Learning a Probabilistic Latent Space of Object Shapes
via 3D Generative-Adversarial Modeling", NIPS 2016 (arXiv 1610.07584).

Read in the paper's order:
1. ``networks``: G and D (Section 3.1); ``gan_papers.common.sliced_conv`` computes their 3-D
   convolutions as 2-D ones where that is faster on a CPU.
2. ``latent``: the codes z ~ U[0, 1]^200 (Section 3.1).
3. ``model``: ``GAN3D``, the training, D updated only while its accuracy is <= 80 % (Section 3.1);
   ``instance_noise`` and ``voxel_checks`` are its helpers.
4. ``encoder``, ``losses`` and ``vae_gan``: the 3D-VAE-GAN (Section 3.2, eq. 2-4).
5. ``features``: D's features and a linear SVM (Section 4.2).
6. ``evaluate``: nearest training shapes; reconstruction scores (Section 4.3).
7. ``interpolation``: the latent space (Section 5).
8. ``voxels``, ``mesh`` and ``plotting``: shape checks, pictures and OBJ files.
9. ``config`` (run profiles) and ``recipe`` (compiled models from a config).

Assumptions (recalled or not in the paper's text, each an argument with that default): the
3D-VAE-GAN's alpha1 = 5 and alpha2 = 1e-4 (``losses``, ``vae_gan``); the image encoder's widths
{64, 128, 256, 512, 400} and its batch norm + ReLU (``encoder``; its kernels and strides are the
paper's); D's features max-pooled by kernels 8, 4, 2, and scaled before the SVM (``features``);
weights drawn from N(0, 0.02), DCGAN's initialisation (``networks``); E's learning rate, G's
(``vae_gan``); and how long ``paper`` trains (``config``).
"""

from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose
from gan_papers.gan3d.config import CONFIGS, GAN3DConfig, differences_from_paper, get_config
from gan_papers.gan3d.encoder import build_encoder, reparameterize
from gan_papers.gan3d.evaluate import nearest_shapes, voxel_average_precision, voxel_iou
from gan_papers.gan3d.features import (
    classification_experiment,
    discriminator_features,
    evaluate_feature_classifier,
    few_label_experiment,
    train_feature_classifier,
    voxel_features,
)
from gan_papers.gan3d.interpolation import interpolate, shape_arithmetic
from gan_papers.gan3d.latent import sample_latent
from gan_papers.gan3d.losses import kl_divergence, reconstruction_loss
from gan_papers.gan3d.mesh import export_obj, voxel_mesh
from gan_papers.gan3d.model import GAN3D
from gan_papers.gan3d.networks import build_discriminator, build_generator, num_stages
from gan_papers.gan3d.plotting import plot_mesh, plot_shapes, plot_voxels
from gan_papers.gan3d.recipe import build_gan3d, build_networks, build_vae_gan3d
from gan_papers.gan3d.vae_gan import VAEGAN3D

__all__ = [
    "CONFIGS",
    "GAN3D",
    "GAN3DConfig",
    "SlicedConv3D",
    "SlicedConv3DTranspose",
    "VAEGAN3D",
    "build_discriminator",
    "build_encoder",
    "build_gan3d",
    "build_networks",
    "build_vae_gan3d",
    "build_generator",
    "classification_experiment",
    "differences_from_paper",
    "discriminator_features",
    "evaluate_feature_classifier",
    "few_label_experiment",
    "get_config",
    "export_obj",
    "interpolate",
    "kl_divergence",
    "nearest_shapes",
    "num_stages",
    "plot_mesh",
    "plot_shapes",
    "plot_voxels",
    "reconstruction_loss",
    "reparameterize",
    "sample_latent",
    "shape_arithmetic",
    "train_feature_classifier",
    "voxel_average_precision",
    "voxel_features",
    "voxel_iou",
    "voxel_mesh",
]
