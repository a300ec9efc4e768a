"""The one place that turns a ``FaceCompletionConfig`` into a compiled model (Li et al. 2017, Section 4.1).

``build_face_completion``: the generator, the local and global discriminators and the frozen parser
of the config's sizes, ``FaceCompletionGAN`` with the config's lambdas, and its three Adam optimisers
(``optimizers``).
"""

import dataclasses

import keras

from gan_papers.face_completion.model import FaceCompletionGAN
from gan_papers.face_completion.networks import (
    build_generator,
    build_global_discriminator,
    build_local_discriminator,
)
from gan_papers.face_completion.parser import build_parser, freeze


def optimizers(config):
    """``FaceCompletionGAN.compile``'s three Adam optimisers for ``config`` (authors' code: G's
    beta_1 0.9, the discriminators' 0.5), G's with a weight average if ``config.g_ema_momentum``."""
    averaged = config.g_ema_momentum is not None
    return {
        "g_optimizer": keras.optimizers.Adam(
            config.g_learning_rate,
            beta_1=0.9,
            use_ema=averaged,
            ema_momentum=config.g_ema_momentum if averaged else 0.99,  # 0.99: Keras' default
        ),
        "local_d_optimizer": keras.optimizers.Adam(config.d_learning_rate, beta_1=0.5),
        "global_d_optimizer": keras.optimizers.Adam(config.d_learning_rate, beta_1=0.5),
    }


def build_face_completion(config, parser=None, seed=None, **compile_kwargs):
    """A compiled ``FaceCompletionGAN`` with ``config``'s networks, lambdas and optimisers.

    ``parser``: a trained parser (frozen here); ``None`` builds an untrained one of ``config``'s
    widths (for timing, or to be trained and loaded later).
    """
    if parser is None:
        parser = build_parser(config.image_size, **dataclasses.asdict(config.parser))
    model = FaceCompletionGAN(
        build_generator(config.image_size, **dataclasses.asdict(config.generator)),
        build_local_discriminator(
            config.hole_size, **dataclasses.asdict(config.local_discriminator)
        ),
        build_global_discriminator(
            config.image_size, **dataclasses.asdict(config.global_discriminator)
        ),
        freeze(parser),
        hole_size=config.hole_size,
        lambda_local=config.lambda_local,
        lambda_global=config.lambda_global,
        lambda_parsing=config.lambda_parsing,
        reconstruction=config.reconstruction,
        global_gradient=config.global_gradient,
        discriminator_batch=config.discriminator_batch,
        seed=seed,
    )
    model.compile(**optimizers(config), **compile_kwargs)
    return model
