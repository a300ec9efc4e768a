"""Generative face completion — Li, Liu, Yang, Yang, "Generative Face Completion", CVPR 2017
(arXiv 1704.05838).

Read in the paper's order: ``unpooling`` (SegNet's pooling indices, used by two networks), ``generator``
(the encoder-decoder, Section 3.1), ``discriminators`` (local and global, Section 3.2), ``parser`` (the
frozen face-parsing network, Section 3.3), ``losses`` and ``patches`` (eq. 1-3), ``model`` (the
three training stages, Section 4.1), ``evaluate`` (the ablation's measurements).
"""

from gan_papers.face_completion.discriminators import (
    build_discriminator,
    build_global_discriminator,
    build_local_discriminator,
)
from gan_papers.face_completion.generator import build_generator
from gan_papers.face_completion.losses import (
    parsing_labels,
    parsing_loss,
    reconstruction_loss,
)
from gan_papers.face_completion.model import (
    FaceCompletionGAN,
    composite,
    global_input,
    noise_filled,
)
from gan_papers.face_completion.parser import (
    WeightedSparseCrossentropy,
    build_parser,
    compile_parser,
    freeze,
    median_frequency_weights,
)
from gan_papers.face_completion.patches import crop_patches, patch_origin, random_hole_masks
from gan_papers.face_completion.unpooling import MaxPoolingWithIndices, MaxUnpooling

__all__ = [
    "FaceCompletionGAN",
    "MaxPoolingWithIndices",
    "MaxUnpooling",
    "WeightedSparseCrossentropy",
    "build_discriminator",
    "build_generator",
    "build_global_discriminator",
    "build_local_discriminator",
    "build_parser",
    "compile_parser",
    "composite",
    "crop_patches",
    "freeze",
    "global_input",
    "median_frequency_weights",
    "noise_filled",
    "parsing_labels",
    "parsing_loss",
    "patch_origin",
    "random_hole_masks",
    "reconstruction_loss",
]
