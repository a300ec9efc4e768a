"""Tiny face completion models and data shared by the face completion tests (fast on a CPU).

16x16 faces, an 8x8 local patch and a 4x4 hole: the smallest sizes every network accepts (the
generator and the parser pool four times, a discriminator needs at least one stage down to 4x4).
"""

import keras
import numpy as np

from gan_papers.face_completion import (
    FaceCompletionGAN,
    build_generator,
    build_global_discriminator,
    build_local_discriminator,
    build_parser,
    freeze,
)

SIZE = 16
PATCH = 8
HOLE = 4
PIXELS = SIZE * SIZE * 3
# Distinct lambdas, so that a term weighted by the wrong one shows.
LAMBDAS = {"lambda_local": 2.0, "lambda_global": 3.0, "lambda_parsing": 0.5}


def tiny_networks():
    return {
        "generator": build_generator(SIZE, widths=(4, 4, 8, 8), fc_units=8),
        "local_discriminator": build_local_discriminator(PATCH, widths=(4,)),
        "global_discriminator": build_global_discriminator(SIZE, widths=(4, 8)),
        "parser": freeze(build_parser(SIZE, widths=(4, 4, 4, 4))),
    }


def tiny_gan(stage=1, learning_rates=None, seed=3, compile_kwargs=None, **kwargs):
    """A compiled tiny model. ``learning_rates``: (g, local d, global d) for SGD; default Adam."""
    model = FaceCompletionGAN(
        **tiny_networks(), hole_size=HOLE, stage=stage, seed=seed, **{**LAMBDAS, **kwargs}
    )
    optimizers = {}
    if learning_rates is not None:
        names = ("g_optimizer", "local_d_optimizer", "global_d_optimizer")
        optimizers = {
            n: keras.optimizers.SGD(lr) for n, lr in zip(names, learning_rates, strict=True)
        }
    model.compile(**optimizers, **(compile_kwargs or {}))
    return model


def faces(n=4, seed=0, size=SIZE):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 3)).astype("float32")


def hole_masks(corners, size=SIZE, hole=HOLE):
    """(B, S, S, 1) masks, 1 = known, with a ``hole`` square missing at each (row, col) corner."""
    masks = np.ones((len(corners), size, size, 1), "float32")
    for mask, (row, col) in zip(masks, corners, strict=True):
        mask[row : row + hole, col : col + hole] = 0.0
    return masks


def changed(before, after):
    """Whether any tensor differs."""
    return any(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))
