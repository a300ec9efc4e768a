"""The one place that turns a ``GAN3DConfig`` into compiled models (Wu et al. 2016, Sections 3.1-3.2).

- ``build_networks``: G and D with the config's resolution, widths and convolutions.
- ``build_gan3d``: the 3D-GAN, Adam(beta_1 0.5) with G's and D's learning rates, D's accuracy gate.
- ``build_vae_gan3d``: the 3D-VAE-GAN, the same plus the image encoder and its optimiser.
"""

import dataclasses

import keras

from gan_papers.gan3d.encoder import build_encoder
from gan_papers.gan3d.model import GAN3D
from gan_papers.gan3d.networks import build_discriminator, build_generator
from gan_papers.gan3d.vae_gan import VAEGAN3D


def build_networks(config):
    """``(generator, discriminator)`` with ``config``'s resolution, widths and convolutions."""
    generator = build_generator(
        config.resolution, config.latent_dim, **dataclasses.asdict(config.generator)
    )
    discriminator = build_discriminator(
        config.resolution, **dataclasses.asdict(config.discriminator)
    )
    return generator, discriminator


def _discriminator_gate(config):
    """D's accuracy gate and instance noise, which both models take."""
    return {
        "accuracy_threshold": config.accuracy_threshold,
        "accuracy_from": config.accuracy_from,
        "instance_noise": config.instance_noise,
        "instance_noise_steps": config.instance_noise_steps,
    }


def _adam(config, learning_rate):
    return keras.optimizers.Adam(learning_rate, beta_1=config.beta_1)


def build_gan3d(config, seed=None, **compile_kwargs):
    """A compiled ``GAN3D`` with ``config``'s networks, optimisers and accuracy gate."""
    model = GAN3D(
        *build_networks(config),
        prior=config.gan_prior,
        seed=seed,
        **_discriminator_gate(config),
    )
    model.compile(
        g_optimizer=_adam(config, config.g_learning_rate),
        d_optimizer=_adam(config, config.d_learning_rate),
        **compile_kwargs,
    )
    return model


def build_vae_gan3d(config, seed=None, **compile_kwargs):
    """A compiled ``VAEGAN3D`` with ``config``'s encoder, networks, loss weights and optimisers."""
    model = VAEGAN3D(
        build_encoder(
            config.image_size, latent_dim=config.latent_dim, **dataclasses.asdict(config.encoder)
        ),
        *build_networks(config),
        alpha1=config.alpha1,
        alpha2=config.alpha2,
        prior=config.prior,
        reconstruction_norm=config.reconstruction_norm,
        seed=seed,
        **_discriminator_gate(config),
    )
    model.compile(
        g_optimizer=_adam(config, config.g_learning_rate),
        d_optimizer=_adam(config, config.d_learning_rate),
        e_optimizer=_adam(config, config.e_learning_rate),
        **compile_kwargs,
    )
    return model
