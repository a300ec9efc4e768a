"""Adversarial losses on discriminator logits (Goodfellow et al. 2014, equation 1).

The GAN value function is

    min_G max_D  V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))],   D(.) = sigmoid(logit).

Discriminators in this package return logits and the sigmoid lives here, written with
softplus so no probability is ever rounded to 0 or 1 before its logarithm is taken:

    -log sigmoid(l)       = softplus(-l)
    -log(1 - sigmoid(l))  = softplus(l)

Both stay finite, with finite gradients, for logits of any size (+-1000 included), where
``log(sigmoid(l))`` in float32 would give ``-inf``.

Reductions. A loss is first averaged over every non-batch axis of the logits (a PatchGAN
map or a ``(batch, 1)`` column gives one value per image), then ``reduction`` decides:
``"mean"`` (default) averages over the batch, ``"sum"`` sums over it, ``None`` returns the
per-sample vector of shape ``(batch,)`` (the inpainting paper needs one loss per image).

Distribution. These functions reduce over the batch they are given, i.e. the *local*
batch of one replica. Under ``tf.distribute`` gradients are summed across replicas, so a
``train_step`` must divide a ``"mean"`` loss by ``num_replicas_in_sync`` before taking
gradients (Keras loss objects do this themselves; a hand-written mean does not).

Everything is written in ``keras.ops`` and runs under ``jit_compile=True``.
"""

import keras
from keras import ops

from gan_papers.common.validation import check_not_empty

REDUCTIONS = ("mean", "sum", None)


def _check_logits(logits, name):
    """Check a logits tensor and return it as float32 (mixed-precision logits may be float16)."""
    if not hasattr(logits, "shape"):
        logits = ops.convert_to_tensor(logits)
    shape = tuple(logits.shape)
    if len(shape) < 1:
        raise ValueError(
            f"`{name}` must have a batch axis (rank >= 1, e.g. shape (batch, 1)); "
            f"received shape {shape} (rank 0)."
        )
    check_not_empty(logits, name)
    dtype = keras.backend.standardize_dtype(logits.dtype)
    if not keras.backend.is_float_dtype(dtype):
        raise ValueError(
            f"`{name}` must be floating-point logits (the discriminator's output before any "
            f"sigmoid); received dtype {dtype}."
        )
    return ops.cast(logits, "float32")


def _check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f'`reduction` must be "mean", "sum" or None; received {reduction!r}.')


def _per_sample(element_loss):
    """Average over every axis but the first: one value per image."""
    rank = len(element_loss.shape)
    if rank == 1:
        return element_loss
    return ops.mean(element_loss, axis=tuple(range(1, rank)))


def _reduce(per_sample, reduction):
    if reduction == "mean":
        return ops.mean(per_sample)
    if reduction == "sum":
        return ops.sum(per_sample)
    return per_sample


def discriminator_loss(real_logits, fake_logits, reduction="mean"):
    """Discriminator loss: BCE(D(x), 1) + BCE(D(G(z)), 0) on logits.

    This is the negative of D's side of Goodfellow et al. 2014, equation 1:
    ``-log D(x) - log(1 - D(G(z)))`` = ``softplus(-real_logits) + softplus(fake_logits)``.
    With ``reduction="mean"`` it equals
    ``BinaryCrossentropy(from_logits=True)(1, real) + BinaryCrossentropy(from_logits=True)(0, fake)``
    over the local batch. With ``reduction=None`` the two batches must have the same size and
    the result is one value per pair ``(real_i, fake_i)``.
    """
    _check_reduction(reduction)
    real_logits = _check_logits(real_logits, "real_logits")
    fake_logits = _check_logits(fake_logits, "fake_logits")
    real_term = _per_sample(ops.softplus(-real_logits))
    fake_term = _per_sample(ops.softplus(fake_logits))
    if reduction is None:
        n_real, n_fake = real_logits.shape[0], fake_logits.shape[0]
        if n_real is not None and n_fake is not None and n_real != n_fake:
            raise ValueError(
                "`real_logits` and `fake_logits` must have the same batch size for "
                f"reduction=None; received {n_real} and {n_fake}."
            )
        return real_term + fake_term
    return _reduce(real_term, reduction) + _reduce(fake_term, reduction)


def generator_loss(fake_logits, reduction="mean"):
    """Non-saturating generator loss ``-log D(G(z))`` = ``softplus(-fake_logits)``.

    Goodfellow et al. 2014 (Section 3) replace ``log(1 - D(G(z)))`` by ``-log D(G(z))``
    because early in training D rejects fakes confidently and the paper's form has almost
    no gradient there. SRGAN's l_Gen (Ledig et al. 2017, equation 6) is this loss.
    """
    _check_reduction(reduction)
    fake_logits = _check_logits(fake_logits, "fake_logits")
    return _reduce(_per_sample(ops.softplus(-fake_logits)), reduction)


def generator_loss_saturating(fake_logits, reduction="mean"):
    """The paper-form minimax generator loss ``log(1 - D(G(z)))`` = ``-softplus(fake_logits)``.

    G minimises it (Goodfellow et al. 2014, equation 1). It is always <= 0 and saturates:
    its gradient with respect to the logit is ``-sigmoid(l)``, close to 0 when D rejects
    the fakes (``l`` very negative). Kept to show why ``generator_loss`` is used instead.
    """
    _check_reduction(reduction)
    fake_logits = _check_logits(fake_logits, "fake_logits")
    return _reduce(_per_sample(-ops.softplus(fake_logits)), reduction)


def discriminator_accuracy(real_logits, fake_logits):
    """Fraction of D's decisions that are right: real logits > 0 and fake logits < 0.

    Counted over every element of both batches together (a logit of exactly 0, i.e.
    D(.) = 0.5, counts as wrong). 3D-GAN (Wu et al. 2016, training details) updates D only while
    this is <= 0.8. Like the losses, it is the accuracy on the local batch of one replica.
    Returns a float32 scalar tensor.
    """
    real_logits = _check_logits(real_logits, "real_logits")
    fake_logits = _check_logits(fake_logits, "fake_logits")
    correct = ops.concatenate(
        [ops.reshape(real_logits > 0, (-1,)), ops.reshape(fake_logits < 0, (-1,))], axis=0
    )
    return ops.mean(ops.cast(correct, "float32"))
