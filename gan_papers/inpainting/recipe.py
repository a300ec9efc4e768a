"""The one place that turns an ``InpaintingConfig`` into a compiled DCGAN prior (Yeh et al. 2017, Sec. 3.1).

- ``build_networks``: G and D of the config's image size, code size and widths.
- ``build_dcgan``: ``DCGAN`` over them, compiled with Radford et al.'s Adam(2e-4, beta_1 0.5) for
  both networks (``DCGAN.compile``'s defaults).
"""

import dataclasses

from gan_papers.inpainting.model import DCGAN
from gan_papers.inpainting.networks import build_discriminator, build_generator


def build_networks(config):
    """``(generator, discriminator)`` with ``config``'s image size, latent size and widths."""
    generator = build_generator(
        image_size=config.image_size,
        latent_dim=config.latent_dim,
        **dataclasses.asdict(config.generator),
    )
    discriminator = build_discriminator(
        image_size=config.image_size, **dataclasses.asdict(config.discriminator)
    )
    return generator, discriminator


def build_dcgan(config, seed=None, **compile_kwargs):
    """A compiled ``DCGAN`` with ``config``'s networks; ``compile_kwargs`` go to ``DCGAN.compile``."""
    model = DCGAN(*build_networks(config), seed=seed)
    model.compile(**compile_kwargs)
    return model
