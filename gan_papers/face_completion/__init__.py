"""Generative face completion — Li, Liu, Yang, Yang, "Generative Face Completion", CVPR 2017
(arXiv 1704.05838).

Read in the paper's order:
1. ``unpooling``: SegNet's pooling indices, an extra idea two networks use.
2. ``networks``: the encoder-decoder generator (Section 3.1), the local and global discriminators
   (Section 3.2).
3. ``parser``: the frozen face-parsing network, an extra idea (Section 3.3).
4. ``losses`` and ``patches``: the reconstruction, adversarial and parsing losses (eq. 1-3), and the
   patch around the hole the local discriminator judges.
5. ``model``: ``FaceCompletionGAN``, the three training stages (Section 4.1); ``completion`` (the
   noise-filled input and the composite), ``objective`` (the weighted sum of eq. 3), ``stages`` and
   ``batches`` are the pieces of its ``train_step``.
6. ``config`` (run profiles) and ``recipe`` (a compiled model from a config).
7. ``evaluate``: the ablation's measurements (Section 4.2).
"""

from gan_papers.face_completion.config import (
    CONFIGS,
    FaceCompletionConfig,
    differences_from_paper,
    get_config,
)
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
from gan_papers.face_completion.networks import (
    build_discriminator,
    build_generator,
    build_global_discriminator,
    build_local_discriminator,
)
from gan_papers.face_completion.parser import (
    WeightedSparseCrossentropy,
    build_parser,
    compile_parser,
    freeze,
    median_frequency_weights,
)
from gan_papers.face_completion.patches import crop_patches, patch_origin, random_hole_masks
from gan_papers.face_completion.recipe import build_face_completion, optimizers
from gan_papers.face_completion.unpooling import MaxPoolingWithIndices, MaxUnpooling

__all__ = [
    "CONFIGS",
    "FaceCompletionConfig",
    "FaceCompletionGAN",
    "MaxPoolingWithIndices",
    "MaxUnpooling",
    "WeightedSparseCrossentropy",
    "build_discriminator",
    "build_face_completion",
    "build_generator",
    "build_global_discriminator",
    "build_local_discriminator",
    "build_parser",
    "compile_parser",
    "composite",
    "crop_patches",
    "differences_from_paper",
    "freeze",
    "get_config",
    "global_input",
    "median_frequency_weights",
    "noise_filled",
    "optimizers",
    "parsing_labels",
    "parsing_loss",
    "patch_origin",
    "random_hole_masks",
    "reconstruction_loss",
]
