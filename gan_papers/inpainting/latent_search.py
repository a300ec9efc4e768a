"""Searching the DCGAN's latent space for the code that best explains the known pixels
(Yeh et al. 2017, Section 3.2, eq. 4):  z_hat = argmin_z  L_c(z | y, M) + L_p(z).

``LatentSearch`` is a ``keras.Model`` whose only trainable weight is the batch of codes z; its
``train_step`` evaluates the frozen generator and discriminator in inference mode (so batch-norm
uses its moving statistics and the images of a batch do not influence each other), takes one
optimiser step on z and clips z back into the prior's support [-1, 1]. ``fit`` over the same
(corrupted images, masks) batch runs the search.
"""

import keras
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import StepModel
from gan_papers.common.training import scale_loss
from gan_papers.common.validation import check_choice, check_positive_int, check_seed
from gan_papers.inpainting.losses import (
    DEFAULT_LAMBDA,
    DEFAULT_WINDOW,
    PRIORS,
    check_lambda,
    check_window,
    context_loss,
    importance_weights,
    prior_loss,
)


class _Frozen:
    """Holds the prior networks outside Keras' layer tracking, so that z is the model's only
    trainable weight and the caller's networks are neither modified nor saved with the search."""

    def __init__(self, generator, discriminator):
        self.generator = generator
        self.discriminator = discriminator


class LatentSearch(StepModel):
    """The latent search for one batch of ``batch_size`` corrupted images.

    Args:
        generator: the trained DCGAN generator, z (B, latent_dim) -> images in [-1, 1].
        discriminator: the trained DCGAN discriminator, images -> logits.
        batch_size: how many images are searched together.
        restarts: random starting codes per image; all are searched at once and ``best_codes``
            keeps, per image, the one with the lowest final objective.
        lam, prior, window: lambda and the form of the prior loss, and the importance-weight window
            (see ``gan_papers.inpainting.losses``).
        seed: seeds the starting codes z ~ U[-1, 1] (the DCGAN's prior).

    Compile with an optimiser for z (``compile(optimizer=keras.optimizers.Adam(0.01))``), then
    ``fit`` a dataset that repeats one ``(corrupted, mask)`` batch (or call
    ``train_on_batch(corrupted, mask)``); ``evaluate`` reports the objective without a step.
    ``discriminator`` is read in inference mode: pass one whose batch-norm statistics are
    calibrated (``gan_papers.inpainting.calibration``), as ``SemanticInpainter`` does when given
    ``calibration_images``. Logs: ``context_loss``, ``prior_loss`` and their sum ``loss``.
    """

    TRACKERS = ("context_loss", "prior_loss", "loss")

    def __init__(
        self,
        generator,
        discriminator,
        batch_size,
        restarts=1,
        lam=DEFAULT_LAMBDA,
        prior="paper",
        window=DEFAULT_WINDOW,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.batch_size = check_positive_int(batch_size, "batch_size")
        self.restarts = check_positive_int(restarts, "restarts")
        self.lam = check_lambda(lam)
        self.prior = check_choice(prior, "prior", PRIORS)
        self.window = check_window(window)
        self._networks = _Frozen(generator, discriminator)
        self.latent_dim = int(generator.input_shape[-1])
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._fresh_optimizer = None  # the optimiser's starting state, kept by compile
        self.z = self.add_weight(
            shape=(self.restarts * self.batch_size, self.latent_dim),
            initializer=keras.initializers.RandomUniform(-1.0, 1.0, seed=seed),
            name="z",
        )

    def call(self, z=None, training=False):
        """G(z) for the current codes (or for ``z``)."""
        return self._networks.generator(self.z if z is None else z, training=False)

    def objective(self, corrupted, mask, z=None):
        """Per-code (context loss, prior loss), each of shape (restarts * batch_size,)."""
        corrupted = ops.tile(ops.cast(corrupted, "float32"), (self.restarts, 1, 1, 1))
        mask = ops.tile(ops.cast(mask, "float32"), (self.restarts, 1, 1, 1))
        generated = self(z)
        # training=False: BN uses its moving averages; in training mode the batch statistics would
        # couple the images of a batch (and a batch of one would normalise to nothing).
        logits = self._networks.discriminator(generated, training=False)
        weights = importance_weights(mask, self.window)
        return context_loss(generated, corrupted, weights), prior_loss(logits, self.lam, self.prior)

    def train_step(self, data):
        """One projected descent step on z for the objective of eq. 4."""
        # fit on a dataset of pairs hands (x, y); train_on_batch and evaluate hand (x, y, None).
        corrupted, mask, _ = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            # L_c(z | y, M) (eq. 2) and L_p(z) (eq. 3), one per code
            l_c, l_p = self.objective(corrupted, mask)
            # A sum over images, not a mean: each z's gradient is that of its own image's loss,
            # whatever the batch size, as when images are searched one at a time (eq. 4).
            total = ops.sum(l_c + l_p)
            # Scaled up under mixed_float16's LossScaleOptimizer (whose apply scales back).
            scaled = scale_loss(self.optimizer, total)
        self.optimizer.apply(tape.gradient(scaled, [self.z]), [self.z])
        # Projected descent: keep z in the support of its U[-1, 1] prior.
        self.z.assign(ops.clip(self.z, -1.0, 1.0))
        return self.record(context_loss=l_c, prior_loss=l_p, loss=l_c + l_p)

    def test_step(self, data):
        """The objective for the current codes, without a step (``evaluate``)."""
        corrupted, mask, _ = keras.utils.unpack_x_y_sample_weight(data)
        l_c, l_p = self.objective(corrupted, mask)
        return self.record(context_loss=l_c, prior_loss=l_p, loss=l_c + l_p)

    def compile(self, optimizer="adam", **kwargs):
        """``keras.Model.compile``; the optimiser's variables are also built at once and their
        starting values kept, so that ``restart`` can put them back."""
        super().compile(optimizer=optimizer, **kwargs)
        self.optimizer.build([self.z])
        self._fresh_optimizer = [v.numpy() for v in self.optimizer.variables]

    def restart(self, seed=None):
        """Start the search over, as a new ``LatentSearch`` built with ``seed`` would start it: the
        codes z ~ U[-1, 1] drawn from ``seed``, and the optimiser's state (its step count and
        moments) as it was after ``compile``. ``fit`` then runs the step it compiled before, so
        searching many batches of one shape traces the step once (``SemanticInpainter`` does it)."""
        if self._fresh_optimizer is None:
            raise ValueError("`restart` needs a compiled search: call `compile` first.")
        if seed is not None:
            seed = check_seed(seed)
        initializer = keras.initializers.RandomUniform(-1.0, 1.0, seed=seed)
        self.z.assign(initializer(ops.shape(self.z), dtype=self.z.dtype))
        for variable, value in zip(self.optimizer.variables, self._fresh_optimizer, strict=True):
            variable.assign(value)

    def reset(self):
        """Draw fresh starting codes z ~ U[-1, 1] (the optimiser's state is not reset)."""
        shape = (self.restarts * self.batch_size, self.latent_dim)
        self.z.assign(keras.random.uniform(shape, -1.0, 1.0, seed=self.seed_generator))

    def best_codes(self, corrupted, mask):
        """Per image, the code with the lowest objective among its restarts: (codes, losses)."""
        l_c, l_p = self.objective(corrupted, mask)
        losses = ops.reshape(l_c + l_p, (self.restarts, self.batch_size))
        best = ops.argmin(losses, axis=0)
        codes = ops.reshape(self.z, (self.restarts, self.batch_size, self.latent_dim))
        index = best * self.batch_size + ops.arange(self.batch_size)
        flat = ops.reshape(codes, (-1, self.latent_dim))
        return ops.take(flat, index, axis=0), ops.min(losses, axis=0)
