"""SRGAN hyper-parameters per run profile (Ledig et al. 2017, Section 3.2).

``paper`` is the paper's recipe. ``demo`` and ``smoke`` shrink it so it runs on a laptop CPU; each
deviation is a field below, and the notebook prints the table of differences.

Assumptions (not in the paper's text): G's tanh output (the paper draws no output activation; tanh
bounds the [-1, 1] HR range, ``gan_papers.srgan.networks``), batch norm's momentum and epsilon
(Keras' defaults; the paper gives neither), and the ``"gaussian"`` degradation's blur (the paper
gives no sigma; ``gan_papers.data.sr_training``).
"""

import dataclasses

from gan_papers.common.profiles import config_for, differences_from


@dataclasses.dataclass(frozen=True)
class GeneratorConfig:
    """``networks.build_generator``'s depth and width (its ``scale``: the config's)."""

    num_blocks: int = 16  # B residual blocks.
    filters: int = 64
    upsample_initializer: str = "glorot_uniform"
    bicubic_skip: bool = False


@dataclasses.dataclass(frozen=True)
class SRGANConfig:
    """Every number the SRGAN recipe needs. Defaults are the paper's.

    ``generator`` holds the keyword arguments of the SRResNet's builder (``recipe.build_srresnet``);
    override it with a dict, e.g. ``get_config("demo", generator={"num_blocks": 8})``. The
    discriminator's ``input_size`` is ``crop_size``, which the data pipeline reads as well."""

    scale: int = 4
    crop_size: int = 96  # HR crop side; LR crops are crop_size // scale.
    batch_size: int = 16
    generator: GeneratorConfig = GeneratorConfig()
    # Phase 1, SRResNet-MSE: Adam(1e-4, beta_1=0.9), 10^6 update iterations.
    pretrain_lr: float = 1e-4
    pretrain_steps: int = 1_000_000
    # None keeps the rate constant (the paper); a value decays it to that rate along a cosine.
    pretrain_final_lr: float | None = None
    # Phase 2, SRGAN: 10^5 updates at 1e-4, then 10^5 at 1e-5.
    gan_lr: float = 1e-4
    gan_lr_after_decay: float = 1e-5
    gan_steps: int = 200_000
    content_loss: str = "vgg54"
    adversarial_weight: float = 1e-3
    # SRGAN.update: "alternating" (the paper: G steps against the D of after D's step) or
    # "simultaneous" (both steps from one forward pass through the same D).
    update: str = "alternating"
    degradation: str = "bicubic"
    # Evaluation on whole images; None keeps them at full size.
    eval_max_size: int | None = None
    steps_per_epoch: int = 1000  # how often fit() reports and callbacks run
    # gan_papers.common.precision: "float32" (the paper), a mixed policy, or "auto" (mixed_bfloat16
    # on a CPU with native bfloat16, where it is faster; float32 elsewhere).
    precision: str = "float32"


CONFIGS = {
    "paper": SRGANConfig(),
    # Minutes on 2 CPU cores: a thinner, shallower SRResNet on 48x48 crops with a 10x learning rate
    # decayed along a cosine, so SRResNet-MSE beats bicubic on the held-out photos in the time budget.
    "demo": SRGANConfig(
        crop_size=48,
        batch_size=16,
        # The global bicubic skip (gan_papers.srgan.bicubic_skip): without it the demo's SRResNet
        # lost to bicubic on one held-out photo on every seed (benchmarks/README.md, SRGAN).
        generator=GeneratorConfig(num_blocks=4, filters=32, bicubic_skip=True),
        pretrain_lr=1e-3,
        pretrain_final_lr=1e-5,
        # With the skip, 3,000 steps score within 0.1 dB of 6,000 in half the time (benchmarks/README.md).
        pretrain_steps=3000,
        gan_lr=1e-4,
        gan_lr_after_decay=1e-5,
        gan_steps=300,
        # One D pass fewer per step; the demo's measured numbers (benchmarks/README.md, "Claims at
        # the demo profile", SRGAN) assume it. See SRGAN's docstring.
        update="simultaneous",
        # eval_max_size stays None: the held-out photos are scored whole, as the paper scores its
        # benchmark images. Their centre 256-pixel windows flatter SRResNet: before the skip, seed
        # 0's demo model beat bicubic by 0.81 dB on them, by 0.48 on the whole photos
        # (benchmarks/README.md, SRGAN).
        steps_per_epoch=100,
        # bfloat16 where the CPU has it: a faster SRResNet step (measured: benchmarks/README.md,
        # "Claims at the demo profile", SRGAN).
        precision="auto",
    ),
    # Seconds: exercises every code path, measures nothing.
    "smoke": SRGANConfig(
        crop_size=32,
        batch_size=4,
        generator=GeneratorConfig(num_blocks=1, filters=8, bicubic_skip=True),
        pretrain_lr=1e-3,
        pretrain_steps=4,
        gan_steps=4,
        gan_lr=1e-4,
        gan_lr_after_decay=1e-5,
        eval_max_size=64,
        steps_per_epoch=2,
    ),
}


# The recipe of the shipped reference SRResNet and SRGAN generator (``gan_papers.reference``;
# ``python -m benchmarks.reference_weights srgan``): demo's networks without the bicubic skip (the
# paper's SRResNet, thinner and shallower), 24,000 SRResNet and 1,200 SRGAN steps (about 70 minutes
# on 2 CPU cores: benchmarks/README.md, "Reference weights").
CONFIGS["reference"] = dataclasses.replace(
    CONFIGS["demo"],
    generator=GeneratorConfig(num_blocks=4, filters=32),
    pretrain_steps=24_000,
    gan_steps=1200,
    steps_per_epoch=400,
)


def get_config(profile=None, **overrides):
    """The ``SRGANConfig`` for ``profile`` (default: ``$GAN_PAPERS_PROFILE`` or ``"demo"``)."""
    return config_for(CONFIGS, profile, **overrides)


def differences_from_paper(config):
    """Rows (field, paper value, this config's value) where ``config`` deviates from the paper."""
    return differences_from(config, CONFIGS["paper"])
