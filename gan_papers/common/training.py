"""Pieces every GAN ``train_step`` in the package shares: mixed-precision loss scaling, the replica
count for averaging over a global batch under ``tf.distribute``, per-replica random draws and
conditional optimizer steps. ``gan_papers.common.gan_model.GANModel`` puts them behind its
``objective``, ``draw`` and ``descend_if``, so that no ``train_step`` needs to mention replicas.
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


def global_mean(value):
    """The mean of a per-replica scalar over the replicas (itself outside ``tf.distribute``).

    A decision that must be the same on every replica (e.g. the 3D-GAN's update of D) reads the
    value of the global batch: the mean of the replicas' values, exact when they hold equal shares.
    """
    if replicas_in_sync() == 1:
        return value
    return tf.distribute.get_replica_context().all_reduce("mean", value)


def apply_if(condition, optimizer, grads, variables):
    """``optimizer.apply(grads, variables)`` if ``condition`` (a scalar bool tensor) holds; otherwise
    nothing at all: the weights, the optimizer's slots and its ``iterations`` stay as they are.
    (Multiplying the gradients by zero instead would not: Adam's momentum would still move the
    weights, and ``iterations`` would advance.)

    On one device a ``tf.cond`` around ``apply`` does it (XLA included). Under ``tf.distribute``,
    ``apply`` synchronises the replicas (``merge_call``), which a ``tf.cond`` in a replica context
    must not contain: there the ``tf.cond`` runs in the cross-replica context and applies on every
    replica from it, the way Keras' ``LossScaleOptimizer`` skips its non-finite steps.
    """
    if not tf.distribute.has_strategy() or tf.distribute.in_cross_replica_context():
        tf.cond(condition, lambda: optimizer.apply(grads, variables), lambda: None)
        return

    def cross_replica(distribution, condition, grads):
        def apply():
            distribution.extended.call_for_each_replica(optimizer.apply, args=(grads, variables))

        # The condition must be the same on every replica (compute it from all-reduced values);
        # the first replica's decides.
        tf.cond(distribution.experimental_local_results(condition)[0], apply, lambda: None)

    tf.distribute.get_replica_context().merge_call(cross_replica, args=(condition, grads))
