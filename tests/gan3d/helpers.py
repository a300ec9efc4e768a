"""Tiny 3D-GAN networks and voxel fixtures for the tests (no procedural-shape data module needed)."""

import numpy as np

from gan_papers.gan3d import GAN3D, VAEGAN3D, build_discriminator, build_encoder, build_generator

LATENT = 8
SIZE = 8  # one stride-2 stage: batch norm in G and D, seconds to compile with XLA


def tiny_networks(resolution=SIZE, synchronized_bn=False):
    k = {8: 1, 16: 2, 32: 3}[resolution]
    generator = build_generator(
        resolution,
        latent_dim=LATENT,
        filters=(8, 8, 4)[:k],
        synchronized_bn=synchronized_bn,
    )
    discriminator = build_discriminator(
        resolution, filters=(4, 8, 8)[-k:], synchronized_bn=synchronized_bn
    )
    return generator, discriminator


def tiny_gan(
    resolution=SIZE, seed=3, optimizer=None, synchronized_bn=False, compile_kwargs=None, **kwargs
):
    generator, discriminator = tiny_networks(resolution, synchronized_bn)
    model = GAN3D(generator, discriminator, seed=seed, **kwargs)
    optimizers = {}
    if optimizer is not None:
        optimizers = {"g_optimizer": optimizer(), "d_optimizer": optimizer()}
    model.compile(**optimizers, **(compile_kwargs or {}))
    return model


def tiny_encoder(image_size=32, channels=1):
    return build_encoder(
        image_size, channels=channels, latent_dim=LATENT, filters=(4,) * {32: 1, 64: 2}[image_size]
    )


def tiny_vae_gan(seed=3, optimizer=None, compile_kwargs=None, image_size=32, **kwargs):
    generator, discriminator = tiny_networks()
    model = VAEGAN3D(tiny_encoder(image_size), generator, discriminator, seed=seed, **kwargs)
    optimizers = {}
    if optimizer is not None:
        optimizers = {n: optimizer() for n in ("g_optimizer", "d_optimizer", "e_optimizer")}
    model.compile(**optimizers, **(compile_kwargs or {}))
    return model


def boxes(n=8, resolution=SIZE, seed=0):
    """Binary shapes: one random axis-aligned box per grid, (n, R, R, R, 1) float32 in {0, 1}."""
    rng = np.random.default_rng(seed)
    voxels = np.zeros((n, resolution, resolution, resolution, 1), "float32")
    for grid in voxels:
        lo = rng.integers(0, resolution // 2, 3)
        hi = lo + rng.integers(2, resolution // 2 + 1, 3)
        grid[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]] = 1.0
    return voxels


def views(n=8, size=32, channels=1, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype("float32")
