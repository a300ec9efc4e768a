"""3D-GAN hyper-parameters per run profile (Wu et al. 2016, Sections 3.1-3.2 and 4).

``paper``: 64^3 shapes, the paper's networks, optimisers (Adam beta_1 0.5, lr G 0.0025, lr D 1e-5),
batch 100 and D's 80 % accuracy gate; the 3D-VAE-GAN on 256x256 images with alpha1 = 5,
alpha2 = 1e-4 (recalled: an assumption listed in ``gan_papers.gan3d``); D's features pooled by
8, 4, 2 for the linear SVM; ModelNet10's split sizes. The paper does not say how long it trains:
``train_steps`` / ``vae_train_steps`` of ``paper`` are our choice for a GPU. ``demo`` and
``smoke`` shrink everything for a CPU.
"""

import dataclasses

from gan_papers.common.profiles import config_for, differences_from


@dataclasses.dataclass(frozen=True)
class GeneratorConfig:
    """``networks.build_generator``'s widths and convolutions (``resolution``, ``latent_dim``: the
    config's)."""

    filters: tuple = (512, 256, 128, 64)  # from the 4^3 bottleneck up
    implementation: str = "auto"  # or "native" / "sliced": same maths (common.conv3d_choice)


@dataclasses.dataclass(frozen=True)
class DiscriminatorConfig:
    """``networks.build_discriminator``'s widths and convolutions (``resolution``: the config's)."""

    filters: tuple = (64, 128, 256, 512)  # from the input down
    implementation: str = "auto"  # or "native" / "sliced": same maths (common.conv3d_choice)


@dataclasses.dataclass(frozen=True)
class EncoderConfig:
    """``encoder.build_encoder``'s image channels and widths (``image_size``, ``latent_dim``: the
    config's)."""

    channels: int = 3
    filters: tuple = (64, 128, 256, 512)


@dataclasses.dataclass(frozen=True)
class GAN3DConfig:
    """Every number the 3D-GAN walkthrough needs. Defaults are the paper's.

    ``generator``, ``discriminator`` and ``encoder`` hold the keyword arguments of the builder of
    that network (``recipe``); override one with a dict, e.g.
    ``get_config("demo", generator={"implementation": "native"})``."""

    resolution: int = 64
    latent_dim: int = 200
    generator: GeneratorConfig = GeneratorConfig()
    discriminator: DiscriminatorConfig = DiscriminatorConfig()
    batch_size: int = 100
    g_learning_rate: float = 0.0025
    d_learning_rate: float = 1e-5
    beta_1: float = 0.5
    accuracy_threshold: float = 0.8
    accuracy_from: str = "previous_batch"  # the paper's "last batch"; "current_batch": the ports
    gan_prior: str = "uniform"  # GAN3D's codes: U[0, 1]^200; "normal": N(0, I) (a deviation)
    instance_noise: float = 0.0  # std of the noise on D's inputs; 0: none (see gan3d.model)
    instance_noise_steps: int | None = None  # decay the noise to 0 over these steps; None: constant
    train_steps: int = 50_000  # not in the paper: our choice for a GPU
    steps_per_epoch: int = 500
    # 3D-VAE-GAN (Section 3.2): image encoder, loss weights, latent prior of the KL term.
    image_size: int = 256
    encoder: EncoderConfig = EncoderConfig()
    e_learning_rate: float = 0.0025  # not in the paper: G's
    alpha1: float = 5.0
    alpha2: float = 1e-4
    prior: str = "normal"  # see gan_papers.gan3d.losses
    reconstruction_norm: str = "l2"
    vae_train_steps: int = 50_000  # not in the paper: our choice for a GPU
    # Classification with D's features (Section 4.2): pooling, SVM, shapes (ModelNet10's split).
    feature_pool_sizes: tuple = (8, 4, 2)
    svm_c: float = 1.0
    classification_train_shapes: int = 3991
    classification_test_shapes: int = 908
    # Latent-space pictures (Section 5).
    interpolation_steps: int = 8
    samples: int = 16
    # Samples per class (notebook 04): samples drawn, and training shapes searched for the nearest.
    class_samples: int = 64
    nearest_pool: int = 2000
    # gan_papers.common.precision: "float32" (the paper), a mixed policy, or "auto" (mixed_bfloat16
    # on a CPU with native bfloat16).
    precision: str = "float32"


CONFIGS = {
    "paper": GAN3DConfig(),
    # A few minutes of training on 2 CPU cores: 32^3 shapes, networks an eighth as wide (G 64, 32,
    # 16; D 16, 32, 64), batch 16: 0.07 s per train step with oneDNN's 3-D kernels, which
    # implementation="auto" takes (benchmarks/gan3d.py), so 4,800 steps. Learning rates 1e-3 for
    # both G and D: with the paper's 0.0025 / 1e-5, D's accuracy stays below 0.4 for hundreds of
    # steps and the 80 % gate never acts; with 1e-3 / 1e-3 D is updated in about 30 % of the
    # steps, as the gate intends. Codes from N(0, I) and instance
    # noise 0.15 on D's inputs: without them the generator faded to empty grids within 300 steps
    # (0.0 % of voxels occupied at step 400, real shapes 6.1 %); with them its samples keep about
    # the real occupancy and differ from each other (benchmarks/gan3d_training_probe.py; notebook
    # 04 explains both). D's three feature maps at 32^3 are 16^3, 8^3, 4^3, so the paper's pools
    # 8, 4, 2 still give 2^3 each. The 3D-VAE-GAN's reconstruction term is the squared Euclidean
    # distance (a sum over voxels) with alpha1 = alpha2 = 1: with the paper's alpha2 = 1e-4 on the
    # (unsquared) norm, the KL term alone moved the encoder, every view decoded to the same shape
    # and the IoU after 100 steps was 0.000; with these, 0.30 after 100 steps and 0.42 after 150
    # (benchmarks/gan3d_vae_probe.py; alpha1 = 5 gave 0.22 and 0.25 after 100 and 150).
    "demo": GAN3DConfig(
        resolution=32,
        generator=GeneratorConfig(filters=(64, 32, 16)),
        discriminator=DiscriminatorConfig(filters=(16, 32, 64)),
        batch_size=16,
        g_learning_rate=1e-3,
        d_learning_rate=1e-3,
        gan_prior="normal",
        instance_noise=0.15,
        train_steps=4800,
        steps_per_epoch=200,
        image_size=64,
        encoder=EncoderConfig(channels=1, filters=(32, 64)),
        e_learning_rate=1e-3,
        alpha1=1.0,
        alpha2=1.0,
        reconstruction_norm="squared_l2",
        vae_train_steps=150,
        classification_train_shapes=320,
        classification_test_shapes=160,
        samples=8,
        # bfloat16 where the CPU has it: the train step 1.25x (Intel Xeon, AMX) and 1.18x (AMD EPYC)
        # as fast, and every claim of notebook 04 held on three seeds (benchmarks/README.md).
        precision="auto",
    ),
    "smoke": GAN3DConfig(
        resolution=16,
        latent_dim=16,
        generator=GeneratorConfig(filters=(16, 8)),
        discriminator=DiscriminatorConfig(filters=(8, 16)),
        batch_size=4,
        gan_prior="normal",  # as demo, so the notebook's smoke run takes the same code paths
        instance_noise=0.15,
        train_steps=4,
        steps_per_epoch=2,
        image_size=32,
        encoder=EncoderConfig(channels=1, filters=(8,)),
        alpha1=1.0,  # as demo
        alpha2=1.0,
        reconstruction_norm="squared_l2",
        vae_train_steps=2,
        feature_pool_sizes=(4, 2),
        classification_train_shapes=16,
        classification_test_shapes=16,
        interpolation_steps=3,
        samples=2,
        class_samples=4,
        nearest_pool=16,
    ),
}


# The shipped reference 3D-GAN (``gan_papers.reference``): demo's networks, four times the training
# (about 25 minutes on 2 CPU cores), in float32 as it was trained.
CONFIGS["reference"] = dataclasses.replace(
    CONFIGS["demo"], train_steps=19_200, steps_per_epoch=800, precision="float32"
)


def get_config(profile=None, **overrides):
    """The ``GAN3DConfig`` for ``profile`` (default: ``$GAN_PAPERS_PROFILE`` or ``"demo"``)."""
    return config_for(CONFIGS, profile, **overrides)


def differences_from_paper(config):
    """Rows (field, paper value, this config's value) where ``config`` deviates from the paper."""
    return differences_from(config, CONFIGS["paper"])
