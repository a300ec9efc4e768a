"""Semantic-inpainting hyper-parameters per run profile (Yeh et al. 2017, Section 4).

``paper`` is the paper's setting (a 64x64 DCGAN prior). ``demo`` and ``smoke`` shrink it for a CPU.

Assumptions (the paper's text could not be read here): lambda = 0.003 (eq. 3), Adam on z with z
kept in [-1, 1] and 1,500 search iterations are the values the ports quote from the paper's
implementation details (e.g. KrnTneja/PyTorch-Implementation-of-Semantic-Image-Inpainting-with-Deep-
Generative-Models, README.md); the window w = 7 (eq. 2) comes from the ports' code
(``gan_papers.inpainting.losses``); the search's learning rate 0.01 is not in the paper
(bamos/dcgan-completion.tensorflow's, ``.inpainter``); nor is the DCGAN's training length, 25 CelebA
epochs of 64 images (``train_steps``).
"""

import dataclasses

from gan_papers.common.profiles import config_for, differences_from


@dataclasses.dataclass(frozen=True)
class GeneratorConfig:
    """``networks.build_generator``'s width (its ``image_size`` and ``latent_dim``: the config's)."""

    base_filters: int = 512  # the widest layer (4x4x512 in DCGAN)


@dataclasses.dataclass(frozen=True)
class DiscriminatorConfig:
    """``networks.build_discriminator``'s width (its ``image_size``: the config's)."""

    base_filters: int = 64  # the first layer


@dataclasses.dataclass(frozen=True)
class ParserConfig:
    """``face_completion.build_parser``'s widths (its ``image_size``: the config's)."""

    widths: tuple = (32, 64, 128, 256)


@dataclasses.dataclass(frozen=True)
class InpaintingConfig:
    """Every number the inpainting walkthrough needs. Defaults are the paper's.

    ``generator``, ``discriminator`` and ``parser`` hold the keyword arguments of the builder of that
    network (``recipe.build_networks``); override one with a dict, e.g.
    ``get_config("demo", generator={"base_filters": 64})``."""

    image_size: int = 64
    latent_dim: int = 100
    generator: GeneratorConfig = GeneratorConfig()
    discriminator: DiscriminatorConfig = DiscriminatorConfig()
    batch_size: int = 64
    # DCGAN training: Adam(2e-4, beta_1=0.5); 25 CelebA epochs of 64 images ~ 63,000 steps.
    train_steps: int = 63_000
    steps_per_epoch: int = 1000
    # Latent search (eq. 4): Adam on z; lambda and w of eq. 2-3.
    search_iterations: int = 1500
    search_learning_rate: float = 0.01
    lam: float = 0.003
    window: int = 7
    restarts: int = 1
    test_images: int = 64  # held-out faces per mask type
    # Evaluation only, not part of Yeh et al.'s method: how many samples and faces the sliced
    # Wasserstein distance compares (``gan_papers.common.swd``), and the face parser that judges
    # whether a filled hole holds the right facial parts (``face_completion.build_parser``, trained
    # on the procedural faces' exact labels).
    swd_images: int = 1024
    parser: ParserConfig = ParserConfig()
    parser_learning_rate: float = 1e-3
    parser_steps: int = 5000
    # gan_papers.common.precision: "float32" (the paper), a mixed policy, or "auto" (mixed_bfloat16
    # on a CPU with native bfloat16). It covers the DCGAN's training and the latent search.
    precision: str = "float32"


CONFIGS = {
    "paper": InpaintingConfig(),
    # Minutes on 2 CPU cores: a 32x32 prior a quarter as wide, trained for 4,000 steps of 32 faces;
    # 32 held-out faces per mask, so that one seed's mean is not decided by a few faces
    # (benchmarks/README.md, "Semantic inpainting", "The demo prior's batch and steps").
    "demo": InpaintingConfig(
        image_size=32,
        generator=GeneratorConfig(base_filters=128),
        discriminator=DiscriminatorConfig(base_filters=32),
        batch_size=32,
        train_steps=4000,
        steps_per_epoch=100,
        search_iterations=400,
        search_learning_rate=0.03,
        window=5,
        test_images=32,
        swd_images=256,
        parser=ParserConfig(widths=(16, 32, 64, 64)),
        parser_learning_rate=3e-3,
        parser_steps=600,
    ),
    "smoke": InpaintingConfig(
        image_size=16,
        latent_dim=16,
        generator=GeneratorConfig(base_filters=16),
        discriminator=DiscriminatorConfig(base_filters=8),
        batch_size=8,
        train_steps=4,
        steps_per_epoch=2,
        search_iterations=4,
        window=3,
        test_images=4,
        swd_images=16,
        parser=ParserConfig(widths=(4, 4, 8, 8)),
        parser_steps=2,
    ),
}


# The shipped reference DCGAN (``gan_papers.reference``): demo's networks and search, five times the
# training (about 20 minutes on 2 CPU cores).
CONFIGS["reference"] = dataclasses.replace(CONFIGS["demo"], train_steps=20_000, steps_per_epoch=500)


def get_config(profile=None, **overrides):
    """The ``InpaintingConfig`` for ``profile`` (default: ``$GAN_PAPERS_PROFILE`` or ``"demo"``)."""
    return config_for(CONFIGS, profile, **overrides)


def differences_from_paper(config):
    """Rows (field, paper value, this config's value) where ``config`` deviates from the paper."""
    return differences_from(config, CONFIGS["paper"])
