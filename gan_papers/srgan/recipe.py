"""The paper's two-phase recipe (Ledig et al. 2017, Section 3.2).

1. Train SRResNet alone with the MSE content loss (plain ``compile(loss="mse")`` + ``fit``).
2. Initialise SRGAN's generator from that SRResNet and train it against the discriminator with the
   perceptual loss. The paper stresses the initialisation: it avoids undesired local optima.
"""

import dataclasses

import keras

from gan_papers.srgan.config import SRGANConfig
from gan_papers.srgan.model import SRGAN
from gan_papers.srgan.networks import build_discriminator, build_generator


def pretrain_learning_rate(config=None):
    """Phase 1 rate: constant ``pretrain_lr`` (the paper), or a cosine decay to ``pretrain_final_lr``
    over ``pretrain_steps`` when that is set (the short CPU profiles)."""
    config = config or SRGANConfig()
    if config.pretrain_final_lr is None:
        return config.pretrain_lr
    return keras.optimizers.schedules.CosineDecay(
        config.pretrain_lr,
        decay_steps=config.pretrain_steps,
        alpha=config.pretrain_final_lr / config.pretrain_lr,
    )


def build_srresnet(config=None, **compile_kwargs):
    """SRResNet with the config's depth, width and scale, compiled for phase 1 (MSE, Adam).

    ``config`` is an ``SRGANConfig`` (default: the paper's); ``compile_kwargs`` go to ``compile``
    (e.g. ``jit_compile=True``).
    """
    config = config or SRGANConfig()
    generator = build_generator(scale=config.scale, **dataclasses.asdict(config.generator))
    generator.compile(
        optimizer=keras.optimizers.Adam(pretrain_learning_rate(config), beta_1=0.9),
        loss="mse",
        **compile_kwargs,
    )
    return generator


def gan_learning_rate(config=None):
    """Phase 2 schedule: ``gan_lr`` for the first half of ``gan_steps``, then ``gan_lr_after_decay``."""
    config = config or SRGANConfig()
    return keras.optimizers.schedules.PiecewiseConstantDecay(
        [max(config.gan_steps // 2, 1)], [config.gan_lr, config.gan_lr_after_decay]
    )


def srgan_from_srresnet(srresnet, config=None, content_loss=None, **compile_kwargs):
    """A compiled ``SRGAN`` whose generator starts as a copy of ``srresnet`` (left untouched).

    Args:
        srresnet: a trained SRResNet (phase 1).
        config: an ``SRGANConfig``; its ``content_loss`` is used unless ``content_loss`` is given.
        content_loss: override, e.g. ``"mse"`` when the ImageNet VGG weights are unavailable.
    """
    config = config or SRGANConfig()
    generator = keras.models.clone_model(srresnet)
    generator.set_weights(srresnet.get_weights())
    generator.name = "srgan_generator"
    discriminator = build_discriminator(input_size=config.crop_size)
    model = SRGAN(
        generator,
        discriminator,
        adversarial_weight=config.adversarial_weight,
        update=config.update,
    )
    model.compile(
        g_optimizer=keras.optimizers.Adam(gan_learning_rate(config), beta_1=0.9),
        d_optimizer=keras.optimizers.Adam(gan_learning_rate(config), beta_1=0.9),
        content_loss=content_loss or config.content_loss,
        **compile_kwargs,
    )
    return model
