"""Face-completion hyper-parameters per run profile (Li et al. 2017, Section 4.1, and the authors' code).

``paper``: 128x128 faces with a 64x64 hole, the networks at the authors' widths, their optimisers and
lambdas. ``demo`` and ``smoke`` shrink everything for a CPU.

Assumptions (not in the paper's text or the authors' code): the paper does not state how many
iterations each stage trains, so the ``*_steps`` of ``paper`` are our choice for a GPU; and the
authors' batch of 2 (a face and its mirror image) is replaced by batches of 16 procedural or CelebA
faces.

The lambdas weight adversarial losses (one number per face) against a reconstruction and a parsing
loss both summed over the pixels (``GFC_L1_loss.m``, ``GFC_Softmax_loss.m``; see
``gan_papers.face_completion.losses``). On faces with a quarter of the pixels both sums are a quarter
as large, so the same balance needs a quarter of lambda_1 and lambda_2 and the same lambda_3:
75, 75, 0.05 at 64x64; ``smoke`` (16x16) uses 300/64, 300/64, 0.05.

``demo`` keeps lambda_1 and lambda_3 at those values and divides lambda_2 by ``DEMO_GLOBAL_DIVISOR``
= 5 (75, 15, 0.05), a deviation for its short run with small networks: with lambda_2 = 75, L_p
lowered the hole's parsing accuracy against a stage 3 trained without it on one seed of three; with
15 it raised it on all three (``benchmarks/README.md``, section "Face completion", "L_p against a
fork without it"). ``reference`` is the profile that trained the shipped model, with all three
divided by 5 (15, 15, 0.01), in float32. ``demo`` trains in ``mixed_bfloat16`` where the CPU has
native bfloat16 (``precision="auto"``), another deviation, for time: on a 2-core AMD EPYC the steps
were about 1.2 times as fast, and with it and 5,000 stage-1 steps the notebook took 8.5-9.1 minutes
instead of 12.3 (float32, 6,000 steps).

``g_ema_momentum`` (G's weights replaced by their moving average at the end of each stage) is off
in every profile: at 0.995 it raised stage 3's hole PSNR by 0.6-1.8 dB on three seeds but held no
more of the notebook's claims (``benchmarks/README.md``, "A moving average of G's weights").

The discriminators: the local one has one width per stage down from the hole's patch to 4x4
(``Model_localD.prototxt``: 64, 128, 256, 512 at 64x64), the global one one more stage, first
(``Model_globalD.prototxt``: 32, 64, 128, 256, 512 at 128x128).

``discriminator_batch``: every profile uses ``"shared"`` (the discriminators step on the completions
G was just judged on) rather than the authors' ``"separate"`` (``demo_GFC_training.m``: a batch of
their own): with ``"separate"`` each G step sees half the batch, so the CPU-sized profiles would need
twice the steps for the same number of faces through G. ``global_gradient`` is the authors'
``"everywhere"`` in every profile.
"""

import dataclasses

from gan_papers.common.profiles import config_for, differences_from


@dataclasses.dataclass(frozen=True)
class GeneratorConfig:
    """``networks.build_generator``'s widths (its ``image_size``: the config's)."""

    widths: tuple = (32, 64, 128, 256)
    fc_units: int = 4096
    unpooling: bool = True  # the paper; False upsamples by repetition (a deviation)


@dataclasses.dataclass(frozen=True)
class LocalDiscriminatorConfig:
    """``networks.build_local_discriminator``'s widths (its ``patch_size``: the config's
    ``hole_size``)."""

    widths: tuple = (64, 128, 256, 512)  # Model_localD.prototxt


@dataclasses.dataclass(frozen=True)
class GlobalDiscriminatorConfig:
    """``networks.build_global_discriminator``'s widths (its ``image_size``: the config's)."""

    widths: tuple = (32, 64, 128, 256, 512)  # Model_globalD.prototxt


@dataclasses.dataclass(frozen=True)
class ParserConfig:
    """``parser.build_parser``'s widths (its ``image_size``: the config's)."""

    widths: tuple = (32, 64, 128, 256)


@dataclasses.dataclass(frozen=True)
class FaceCompletionConfig:
    """Every number the face-completion walkthrough needs. Defaults are the paper's.

    ``generator``, ``local_discriminator``, ``global_discriminator`` and ``parser`` hold the keyword
    arguments of the builder of that network (``recipe``); override one with a dict, e.g.
    ``get_config("demo", generator={"fc_units": 512})``."""

    image_size: int = 128
    hole_size: int = 64  # the random training hole; the local discriminator sees this patch
    generator: GeneratorConfig = GeneratorConfig()
    local_discriminator: LocalDiscriminatorConfig = LocalDiscriminatorConfig()
    global_discriminator: GlobalDiscriminatorConfig = GlobalDiscriminatorConfig()
    parser: ParserConfig = ParserConfig()
    lambda_local: float = 300.0
    lambda_global: float = 300.0
    lambda_parsing: float = 0.05
    reconstruction: str = "l2"  # the paper; the authors' code: "l1" (Charbonnier, GFC_L1_loss.m)
    global_gradient: str = "everywhere"  # gradstack.m
    discriminator_batch: str = "shared"  # the authors': "separate" (see the module docstring)
    batch_size: int = 16
    g_learning_rate: float = 1e-4  # Adam beta_1 0.9 (authors' code)
    d_learning_rate: float = 2e-4  # Adam beta_1 0.5 (authors' code)
    # None: the paper (G is its last iterate). A momentum: G's weights are replaced by their
    # exponential moving average at the end of each stage (Adam's ``use_ema``; a deviation).
    g_ema_momentum: float | None = None
    parser_learning_rate: float = 1e-3
    parser_steps: int = 20_000
    stage_steps: tuple = (100_000, 50_000, 50_000)  # not in the paper: our choice (see above)
    steps_per_epoch: int = 1000
    test_faces: int = 64  # held-out faces per evaluation mask
    # gan_papers.common.precision: "float32" (the paper), a mixed policy, or "auto" (mixed_bfloat16
    # on a CPU with native bfloat16). It covers the parser and the three stages.
    precision: str = "float32"


DEMO_GLOBAL_DIVISOR = 5.0  # lambda_2 only; see the module docstring

CONFIGS = {
    "paper": FaceCompletionConfig(),
    # Minutes on 2 CPU cores: 64x64 faces with a 32x32 hole, every network about a quarter as wide.
    "demo": FaceCompletionConfig(
        image_size=64,
        hole_size=32,
        generator=GeneratorConfig(widths=(8, 16, 32, 64), fc_units=256),
        local_discriminator=LocalDiscriminatorConfig(widths=(16, 32, 64)),
        # The extra first stage at half the width, as the paper's.
        global_discriminator=GlobalDiscriminatorConfig(widths=(8, 16, 32, 64)),
        parser=ParserConfig(widths=(8, 16, 32, 32)),
        lambda_local=75.0,
        lambda_global=75.0 / DEMO_GLOBAL_DIVISOR,
        lambda_parsing=0.05,
        g_learning_rate=1e-3,
        d_learning_rate=2e-4,
        parser_learning_rate=3e-3,
        parser_steps=600,
        # 5,000 stage-1 steps: with 2,000 the L2 fill was still speckled and stage 3 lost up to
        # 2.1 dB to its fork without L_p (benchmarks/README.md, face completion); 6,000 took the
        # notebook past 10 minutes on a 2-core AMD EPYC.
        stage_steps=(5000, 600, 600),
        steps_per_epoch=50,
        test_faces=64,
        precision="auto",
    ),
    "smoke": FaceCompletionConfig(
        image_size=16,
        hole_size=8,
        generator=GeneratorConfig(widths=(4, 4, 8, 8), fc_units=16),
        local_discriminator=LocalDiscriminatorConfig(widths=(4,)),
        global_discriminator=GlobalDiscriminatorConfig(widths=(4, 8)),
        parser=ParserConfig(widths=(4, 4, 8, 8)),
        lambda_local=300.0 / 64,
        lambda_global=300.0 / 64,
        lambda_parsing=0.05,
        batch_size=4,
        parser_steps=2,
        stage_steps=(2, 2, 2),
        steps_per_epoch=1,
        test_faces=2,
    ),
}


REFERENCE_LAMBDA_DIVISOR = 5.0

# The shipped reference model (``gan_papers.reference``): demo's networks, 2,400 parser steps and
# stages of 8,000 / 2,400 / 2,400 steps (about 25 minutes on 2 CPU cores), and the lambdas it was
# trained with: the 64x64 ones all divided by 5, and 16 evaluation faces per mask.
CONFIGS["reference"] = dataclasses.replace(
    CONFIGS["demo"],
    lambda_local=75.0 / REFERENCE_LAMBDA_DIVISOR,
    lambda_global=75.0 / REFERENCE_LAMBDA_DIVISOR,
    lambda_parsing=0.05 / REFERENCE_LAMBDA_DIVISOR,
    parser_steps=2400,
    stage_steps=(8000, 2400, 2400),
    steps_per_epoch=200,
    test_faces=16,
    precision="float32",
)


def get_config(profile=None, **overrides):
    """The ``FaceCompletionConfig`` for ``profile`` (default: ``$GAN_PAPERS_PROFILE`` or ``"demo"``)."""
    return config_for(CONFIGS, profile, **overrides)


def differences_from_paper(config):
    """Rows (field, paper value, this config's value) where ``config`` deviates from the paper."""
    return differences_from(config, CONFIGS["paper"])
