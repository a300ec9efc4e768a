"""The three training stages of Li et al. 2017 (Section 4.1): the objective is built up term by term.

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p          (paper, eq. 3)

    stage 1: L_r                         (the generator learns blurry but well-placed content)
    stage 2: L_r + lambda_1 L_a1         (+ the local discriminator: sharper parts)
    stage 3: all four terms              (+ the global discriminator and the parsing loss)

A discriminator is trained only from the stage that uses it. The stage is a variable of the model,
so it is saved with the weights (``BackupAndRestore`` resumes a stage-3 run in stage 3) and changing
it neither retraces the step nor rebuilds an optimiser: the step switches with ``tf.cond`` on it
(``from_stage``, ``discriminator_steps``), and a branch that is not taken costs nothing and
leaves its optimiser untouched.
"""

import numpy as np
import tensorflow as tf
from keras import ops

from gan_papers.common.losses import discriminator_loss
from gan_papers.common.training import apply_if

STAGES = (1, 2, 3)


def check_stage(stage):
    """Raise ``ValueError`` unless ``stage`` is 1, 2 or 3; return it as an int."""
    if isinstance(stage, bool) or not isinstance(stage, int | np.integer) or stage not in STAGES:
        raise ValueError(f"`stage` must be 1, 2 or 3; received {stage!r}.")
    return int(stage)


def from_stage(stage, first, term):
    """``term()``, a scalar loss, from stage ``first`` on (``stage``: the model's stage variable);
    0 before it, without computing it."""
    zero = ops.zeros((), "float32")
    return tf.cond(stage >= first, term, lambda: zero)


def discriminator_step_from(stage, first, discriminator, optimizer, real, fake, objective):
    """From stage ``first`` on, one step of ``discriminator`` on its binary cross-entropy (real = 1,
    fake = 0; D's side of eq. 1), whose loss it returns; before it, 0 and nothing at all: no forward
    pass, no update, ``optimizer.iterations`` unchanged.

    ``objective(optimizer, loss)``: what to differentiate for the loss (``GANModel.objective``).
    """
    active = stage >= first
    variables = discriminator.trainable_variables

    def step():
        with tf.GradientTape() as tape:
            d_loss = discriminator_loss(
                discriminator(real, training=True), discriminator(fake, training=True)
            )
            d_objective = objective(optimizer, d_loss)
        return d_loss, tape.gradient(d_objective, variables)

    def skipped():
        return ops.zeros((), "float32"), [ops.zeros_like(v) for v in variables]

    d_loss, grads = tf.cond(active, step, skipped)
    apply_if(active, optimizer, grads, variables)
    return d_loss


def discriminator_steps(model, faces, c):
    """One step of each discriminator of ``model`` (a ``FaceCompletionGAN``) from its stage on, on
    the faces and G's (fixed) ``Completion`` ``c`` of them: ``{"local_d_loss", "global_d_loss"}``."""
    return {
        "local_d_loss": discriminator_step_from(
            model.stage,
            2,
            model.local_discriminator,
            model.local_d_optimizer,
            c.real_patches,
            ops.stop_gradient(c.fake_patches),
            model.objective,
        ),
        "global_d_loss": discriminator_step_from(
            model.stage,
            3,
            model.global_discriminator,
            model.global_d_optimizer,
            faces,
            ops.stop_gradient(c.completed),
            model.objective,
        ),
    }
