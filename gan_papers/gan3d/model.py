"""Training the 3D-GAN (Wu et al. 2016, Section 3.1, "Training details").

Each step draws codes z ~ U[0, 1]^200 and makes one batch of shapes G(z), then
- D's loss is binary cross-entropy, real = 1, fake = 0 (the negative of the paper's
  L_3D-GAN = log D(x) + log(1 - D(G(z))), eq. 1). D is **updated only if its accuracy is not higher
  than 80 %** ("we only update the discriminator if its accuracy in the last batch is not higher than
  80%"): accuracy is the mean of [D(x) > 0.5] and [D(G(z)) < 0.5], measured before any update;
- G is updated at every step with the non-saturating loss -log D(G(z)) (Goodfellow et al. 2014,
  Section 3), against the D of this step (updated or not), on the same G(z).
Adam with beta_1 = 0.5, learning rates 0.0025 (G) and 1e-5 (D), batch 100.

"The last batch" has two readings, both offered (``accuracy_from``):
- ``"previous_batch"`` (default, the paper's words read literally): the decision of step t uses the
  accuracy measured at step t - 1, kept in the non-trainable variable ``last_accuracy`` (it starts at
  0, so the first step updates D for any threshold >= 0);
- ``"current_batch"`` (the public ports): the accuracy of this step's batch, measured by the same
  forward pass that gives D's loss, before the update.

Two named deviations, off by default, help small CPU runs (notebook 04's ``demo`` profile):
- ``prior="normal"``: z ~ N(0, I) instead of U[0, 1]^200;
- ``instance_noise=sigma``: D sees real and generated shapes with Gaussian noise N(0, sigma^2) added
  to every voxel, during training only (see ``instance_noise``).

The skip is a ``tf.cond`` around D's gradient and optimizer step (``GANModel.descend_if``), not a
zeroed gradient: with a zero gradient Adam still moves the weights (its momentum) and counts a step.
A skipped step leaves D's trainable weights and its optimizer's state (``iterations`` included) as
they were. D's batch-norm moving statistics still follow the batches it sees, as in the authors'
Torch code, where every training-mode forward pass updates them whether or not the optimizer steps.

One forward pass of G serves both steps (as in the public ports): G's tape records it, stops
recording over D's step (which judges the same shapes, and is no part of G's gradient), and records
G's loss from D's judgement after that step. ``voxel_checks`` keeps grids outside [0, 1] out.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_accuracy, discriminator_loss, generator_loss
from gan_papers.common.training import global_mean
from gan_papers.common.validation import check_choice, check_non_negative, check_positive_int
from gan_papers.gan3d.instance_noise import InstanceNoise
from gan_papers.gan3d.latent import PRIORS, sample_latent
from gan_papers.gan3d.voxel_checks import VoxelInputChecks
from gan_papers.gan3d.voxel_checks import check_voxel_values as check_voxel_values

ACCURACY_READINGS = ("previous_batch", "current_batch")
PAPER_ACCURACY_THRESHOLD = 0.8
# Section 3.1: "The learning rate of G is 0.0025, D is 10^-5, and we use a batch size of 100.
# We use ADAM for optimization, with beta = 0.5."
PAPER_G_LEARNING_RATE = 0.0025
PAPER_D_LEARNING_RATE = 1e-5
PAPER_BETA_1 = 0.5
PAPER_BATCH_SIZE = 100
# The codes test_step (evaluate) draws: a fixed stateless seed, so evaluating neither advances the
# training stream nor changes from one call to the next.
EVALUATION_SEED = 0


def _check_threshold(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`accuracy_threshold` must be a number; received {value!r}.") from None
    if not np.isfinite(value):
        raise ValueError(f"`accuracy_threshold` must be finite; received {value!r}.")
    return value


@keras.saving.register_keras_serializable(package="gan_papers")
class GAN3D(InstanceNoise, VoxelInputChecks, GANModel):
    """The 3D-GAN: a generator (``build_generator``) against a discriminator (``build_discriminator``)
    whose updates are gated by its accuracy.

    ``fit`` takes batches of voxel grids (B, R, R, R, 1) in {0, 1} (R the generator's resolution), or
    tuples whose first element they are (labels are ignored), e.g. ``gan_papers.data``'s procedural
    shapes. Calling the model maps codes z to occupancy probabilities; ``sample(n)`` draws n shapes.

    Logs (epoch means): ``d_loss``, ``g_loss``, ``d_accuracy`` (D's accuracy on the batch, before its
    update) and ``d_updated`` (1 when D was updated, 0 when skipped: its mean is the update rate).

    Args:
        generator: z (B, latent_dim) -> voxels (B, R, R, R, 1) in (0, 1).
        discriminator: voxels (B, R, R, R, 1) -> logits (B, 1).
        accuracy_threshold: D is updated when the accuracy read is <= this (0.8 in the paper). Kept
            in the variable ``threshold`` (saved with the weights; ``set_accuracy_threshold``
            changes it between steps without retracing; ``set_weights`` with a whole model's
            weights sets it too). 1 (or more) always updates D; a negative value never does.
        accuracy_from: ``"previous_batch"`` (default, the paper's wording) or ``"current_batch"``
            (public ports); see the module docstring.
        prior: the codes' distribution p(z): ``"uniform"`` (default, U[0, 1]^latent_dim, the
            paper's) or ``"normal"`` (N(0, I), a deviation; see the module docstring).
        instance_noise: the standard deviation of the Gaussian noise added to D's inputs while
            training (default 0: none, the paper's; see the module docstring). Voxels are in
            {0, 1}, so 0.15 is a mild blur of the boundary between them.
        instance_noise_steps: ``None`` (default) keeps the noise constant; an int T decays it
            linearly to 0 over G's first T steps (``instance_noise_level``), so D judges clean
            shapes at the end of training.
        seed: seeds the codes (and the noise) training draws; its state is saved with the
            weights, so a resumed run draws what an uninterrupted one would.
    """

    TRACKERS = ("d_loss", "g_loss", "d_accuracy", "d_updated")

    def __init__(
        self,
        generator,
        discriminator,
        accuracy_threshold=PAPER_ACCURACY_THRESHOLD,
        accuracy_from="previous_batch",
        prior="uniform",
        instance_noise=0.0,
        instance_noise_steps=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        g_shape = tuple(generator.output_shape[1:])
        d_shape = tuple(discriminator.input_shape[1:])
        if g_shape != d_shape or len(g_shape) != 4:
            raise ValueError(
                "`discriminator` must take the voxel grids `generator` makes: generator output "
                f"shape {g_shape}, discriminator input shape {d_shape}."
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(generator.input_shape[-1])
        self.resolution = int(g_shape[0])
        self.accuracy_from = check_choice(accuracy_from, "accuracy_from", ACCURACY_READINGS)
        self.prior = check_choice(prior, "prior", PRIORS)
        self.instance_noise = check_non_negative(instance_noise, "instance_noise")
        if instance_noise_steps is not None:
            instance_noise_steps = check_positive_int(instance_noise_steps, "instance_noise_steps")
        self.instance_noise_steps = instance_noise_steps
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        # Variables, so the threshold and the last accuracy are saved with the weights and restored
        # by BackupAndRestore: a resumed run then takes the decisions an uninterrupted one would.
        self.threshold = keras.Variable(
            _check_threshold(accuracy_threshold),
            dtype="float32",
            trainable=False,
            autocast=False,
            name="accuracy_threshold",
        )
        self.last_accuracy = keras.Variable(
            0.0,
            dtype="float32",
            trainable=False,
            autocast=False,
            # Every replica assigns the same (all-reduced) value.
            aggregation="only_first_replica",
            name="last_d_accuracy",
        )

    # ------------------------------------------------------------------ set-up
    def compile(self, g_optimizer=None, d_optimizer=None, **kwargs):
        """Configure training.

        Args:
            g_optimizer, d_optimizer: default Adam(0.0025, beta_1=0.5) and Adam(1e-5, beta_1=0.5),
                the paper's. Each is wrapped in a ``LossScaleOptimizer`` under ``mixed_float16``.
            **kwargs: passed to ``keras.Model.compile`` (e.g. ``jit_compile``).
        """
        self.compile_gan(
            g_optimizer or keras.optimizers.Adam(PAPER_G_LEARNING_RATE, beta_1=PAPER_BETA_1),
            d_optimizer or keras.optimizers.Adam(PAPER_D_LEARNING_RATE, beta_1=PAPER_BETA_1),
            **kwargs,
        )

    @property
    def accuracy_threshold(self):
        """The current threshold (a float)."""
        return float(ops.convert_to_numpy(self.threshold))

    def set_accuracy_threshold(self, value):
        """Change the threshold; the next step uses it (no retracing)."""
        self.threshold.assign(_check_threshold(value))

    def get_config(self):
        return {
            **super().get_config(),
            "accuracy_threshold": self.accuracy_threshold,
            "accuracy_from": self.accuracy_from,
            "prior": self.prior,
            "instance_noise": self.instance_noise,
            "instance_noise_steps": self.instance_noise_steps,
            "seed": self.seed,
        }

    # ------------------------------------------------------------------ generation
    def call(self, z, training=False):
        """G(z): codes (B, latent_dim) -> occupancy probabilities (B, R, R, R, 1)."""
        return self.generator(z, training=training)

    def sample(self, n, seed=None):
        """``n`` shapes G(z), z ~ p(z), with G in inference mode: probabilities (n, R, R, R, 1).

        ``seed`` (an int) makes the draw repeatable; the codes do not come from the training
        stream, so sampling during training does not change the run.
        """
        n = check_positive_int(n, "n")
        return self.generator(sample_latent(n, self.latent_dim, self.prior, seed), training=False)

    def latents(self, batch_size):
        """The codes z ~ p(z) ``train_step`` uses for a batch of ``batch_size``.

        Drawn from this model's seed generator, which advances; under ``tf.distribute`` each replica
        takes its slice of the codes one device would draw for the global batch
        (``GANModel.draw``).
        """
        if isinstance(batch_size, int):
            batch_size = check_positive_int(batch_size, "batch_size")
        return self.draw(
            lambda n: sample_latent(n, self.latent_dim, self.prior, self.seed_generator),
            batch_size,
        )

    # ------------------------------------------------------------------ training
    def _unpack(self, data):
        # Keras hands (x, y, sample_weight) or (x,) or x; x is the voxels (y, labels, is ignored).
        voxels, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(voxels, tuple | list):
            voxels = voxels[0]
        return self._check_voxel_batch(voxels)

    def _accuracy_read(self, accuracy):
        """The accuracy D's update decision reads: this batch's ``accuracy`` or the last one's."""
        if self.accuracy_from == "current_batch":
            return accuracy
        return ops.convert_to_tensor(self.last_accuracy)

    def _discriminator_step(self, real, fake):
        """D's step on ``real`` and ``fake`` shapes (as D sees them), if D's accuracy allows it.

        Returns ``(d_loss, accuracy, updated)``: scalar tensors, ``updated`` a bool.
        """
        with tf.GradientTape() as d_tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            # -L_3D-GAN = -log D(x) - log(1 - D(G(z))): D's side of eq. 1
            d_loss = discriminator_loss(real_logits, fake_logits)
            d_objective = self.objective(self.d_optimizer, d_loss)
        # The mean of [D(x) > 0.5] and [D(G(z)) < 0.5] over the global batch, before any update.
        accuracy = global_mean(discriminator_accuracy(real_logits, fake_logits))
        # "we only update the discriminator if its accuracy in the last batch is not higher than 80%"
        updated = self._accuracy_read(accuracy) <= ops.convert_to_tensor(self.threshold)
        self.descend_if(updated, self.d_optimizer, d_tape, d_objective, self.discriminator)
        self.last_accuracy.assign(accuracy)
        return d_loss, accuracy, updated

    def train_step(self, data):
        """D's step, only while its accuracy is <= the threshold; then G's, against that D."""
        voxels = self._unpack(data)
        z = self.latents(tf.shape(voxels)[0])  # z ~ p(z)
        with tf.GradientTape() as g_tape:
            fake = self.add_instance_noise(self.generator(z, training=True))  # G(z)
            with g_tape.stop_recording():  # D's step is no part of G's gradient
                d_loss, accuracy, updated = self._discriminator_step(
                    self.add_instance_noise(voxels), ops.stop_gradient(fake)
                )
            # -log D(G(z)): the non-saturating form of G's side of eq. 1, judged by D after its step
            g_loss = generator_loss(self.discriminator(fake, training=True))
            g_objective = self.objective(self.g_optimizer, g_loss)
        self.descend(self.g_optimizer, g_tape, g_objective, self.generator)
        return self.record(
            d_loss=d_loss,
            g_loss=g_loss,
            d_accuracy=accuracy,
            d_updated=ops.cast(updated, "float32"),
        )

    def _evaluation_latents(self, batch_size):
        return sample_latent(batch_size, self.latent_dim, self.prior, EVALUATION_SEED)

    def _inference_d(self, real, fake):
        """D's loss, accuracy and G's loss in inference mode, and the update decision they give."""
        real_logits = self.discriminator(real, training=False)
        fake_logits = self.discriminator(fake, training=False)
        accuracy = discriminator_accuracy(real_logits, fake_logits)
        return {
            "d_loss": discriminator_loss(real_logits, fake_logits),
            "g_loss": generator_loss(fake_logits),
            "d_accuracy": accuracy,
            # What train_step would decide (nothing is updated here).
            "d_updated": ops.cast(
                self._accuracy_read(accuracy) <= ops.convert_to_tensor(self.threshold), "float32"
            ),
        }

    def test_step(self, data):
        """The losses in inference mode, on codes from a fixed seed (``EVALUATION_SEED``): no update,
        no instance noise, and the training stream of codes is left where it was."""
        voxels = self._unpack(data)
        fake = self.generator(self._evaluation_latents(tf.shape(voxels)[0]), training=False)
        return self.record(**self._inference_d(voxels, fake))
