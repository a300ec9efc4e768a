"""Tiny SRGAN models and data shared by the SRGAN tests (fast on a CPU)."""

import numpy as np
import tensorflow as tf

from gan_papers.srgan import SRGAN, build_discriminator, build_generator

CROP = 32
SCALE = 4


def tiny_srgan(content_loss="mse", optimizer=None, synchronized_bn=False, **compile_kwargs):
    generator = build_generator(num_blocks=1, filters=8, synchronized_bn=synchronized_bn)
    discriminator = build_discriminator(
        input_size=CROP, dense_units=8, synchronized_bn=synchronized_bn
    )
    model = SRGAN(generator, discriminator)
    kwargs = {}
    if optimizer is not None:
        kwargs = {"g_optimizer": optimizer(), "d_optimizer": optimizer()}
    model.compile(content_loss=content_loss, **kwargs, **compile_kwargs)
    return model


def batch(n=4, seed=0):
    rng = np.random.default_rng(seed)
    hr = rng.uniform(-1, 1, size=(n, CROP, CROP, 3)).astype("float32")
    lr = rng.uniform(0, 1, size=(n, CROP // SCALE, CROP // SCALE, 3)).astype("float32")
    return lr, hr


def dataset(n=4, batches=2, seed=0):
    """A fixed (unshuffled) dataset: every epoch sees the same batches in the same order."""
    lr, hr = batch(n * batches, seed)
    return tf.data.Dataset.from_tensor_slices((lr, hr)).batch(n)
