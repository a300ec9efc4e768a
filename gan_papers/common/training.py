"""Pieces every GAN ``train_step`` in the package shares: mixed-precision loss scaling and the
replica count for averaging over a global batch under ``tf.distribute``.
"""

import keras
import tensorflow as tf


def loss_scale_wrap(optimizer):
    """Wrap ``optimizer`` in a ``LossScaleOptimizer`` when the global policy computes in float16.

    ``Model.compile(auto_scale_loss=True)`` only wraps ``model.optimizer``; a GAN has one optimizer per
    network, so it wraps each itself.
    """
    needs_scaling = keras.mixed_precision.global_policy().compute_dtype == "float16"
    if needs_scaling and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


def scale_loss(optimizer, loss):
    """The loss to differentiate: scaled up under a ``LossScaleOptimizer`` (whose ``apply`` unscales
    the gradients and skips non-finite steps), unchanged otherwise."""
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer.scale_loss(loss)
    return loss


def replicas_in_sync():
    """How many replicas share the global batch (1 outside ``tf.distribute``).

    Losses computed as means over a replica's batch are divided by this before differentiating:
    gradients are summed over replicas, so the result is the gradient of the global-batch mean.
    """
    return tf.distribute.get_strategy().num_replicas_in_sync


def draw_per_replica(draw, batch_size):
    """``draw(n)`` for this replica's ``batch_size`` items, different on every replica.

    Under ``tf.distribute`` every replica holds the same ``SeedGenerator`` state and so would draw
    the same numbers. Instead each draws for the whole global batch and keeps its own slice: the
    replicas get different numbers, the same ones a single device would draw for the global batch.
    """
    replicas = replicas_in_sync()
    if replicas == 1:
        return draw(batch_size)
    replica = tf.distribute.get_replica_context()
    index = 0 if replica is None else replica.replica_id_in_sync_group
    return draw(batch_size * replicas)[index * batch_size : (index + 1) * batch_size]
