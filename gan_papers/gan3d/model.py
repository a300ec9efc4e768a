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
  to every voxel, during training only (Sonderby et al. 2017, "Amortised MAP inference for image
  super-resolution"; Arjovsky & Bottou 2017). Without it, a small D with batch norm and no biases
  barely reacts when G scales a whole batch of shapes down, and G drifts to empty grids; the noise
  makes real and generated shapes overlap, so D's gradient stays informative. It is drawn from the
  model's seed generator (after the codes), so runs stay repeatable; with ``instance_noise_steps``
  it is annealed (linearly) to 0, as Sonderby et al. suggest, so that D ends up judging clean
  shapes (in our short runs the decay did not help, so ``demo`` keeps it constant).

The skip is a ``tf.cond`` around D's gradient and optimizer step, not a zeroed gradient: with a zero
gradient Adam still moves the weights (its momentum) and counts a step. A skipped step leaves D's
trainable weights and its optimizer's state (``iterations`` included) as they were. D's batch-norm
moving statistics still follow the batches it sees, as in the authors' Torch code, where every
training-mode forward pass updates them whether or not the optimizer steps.
"""

import re

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_accuracy, discriminator_loss, generator_loss
from gan_papers.common.training import (
    apply_if,
    draw_per_replica,
    replicas_in_sync,
    scale_loss,
)
from gan_papers.common.validation import check_choice, check_non_negative, check_positive_int
from gan_papers.gan3d.latent import PRIORS, sample_latent

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
_RANGE_MARKER = "gan_papers: voxel values out of [0, 1]"


def _voxel_range_message(low, high, what="The training voxels"):
    hint = " (0/255 grids: divide by 255)" if high > 1 else ""
    return (
        f"{what} must be occupancy values in [0, 1] ({{0, 1}} in the paper: 0 empty, 1 filled); "
        f"received values in [{low:g}, {high:g}]{hint}."
    )


def check_voxel_values(voxels, what="The training voxels"):
    """Raise ``ValueError`` unless the array ``voxels`` holds values in [0, 1] (none NaN)."""
    values = np.asarray(voxels)
    if values.size == 0 or not np.issubdtype(values.dtype, np.number):
        return
    low, high = float(np.min(values)), float(np.max(values))
    if not (low >= 0.0 and high <= 1.0):
        raise ValueError(_voxel_range_message(low, high, what))


def _assert_voxel_range(*element):
    """A tf.data map: ``element`` (voxels, or a tuple whose first element they are, which map
    passes as separate arguments) passes through unchanged once its voxels are checked to lie in
    [0, 1]."""
    voxels = element[0]
    if isinstance(voxels, tuple | list):
        voxels = voxels[0]
    values = tf.cast(voxels, "float32")
    low, high = tf.reduce_min(values), tf.reduce_max(values)
    check = tf.debugging.Assert(
        tf.logical_and(low >= 0.0, high <= 1.0), [_RANGE_MARKER, low, high], summarize=1
    )
    with tf.control_dependencies([check]):
        element = tf.nest.map_structure(tf.identity, element)
    return element[0] if len(element) == 1 else element


def _range_error_or_none(error):
    """The ``ValueError`` for a failed ``_assert_voxel_range`` (None for any other error)."""
    message = str(error)
    if _RANGE_MARKER not in message:
        return None
    numbers = re.findall(r"\[([-+0-9.eEinfa]+)\]", message.split(_RANGE_MARKER, 1)[1])
    low, high = (float(v) for v in numbers[:2])
    return ValueError(_voxel_range_message(low, high))


def _check_threshold(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`accuracy_threshold` must be a number; received {value!r}.") from None
    if not np.isfinite(value):
        raise ValueError(f"`accuracy_threshold` must be finite; received {value!r}.")
    return value


def global_mean(value):
    """The mean of a per-replica scalar over the replicas (itself outside ``tf.distribute``).

    D's update decision must be the same on every replica, so it reads the accuracy of the global
    batch (the mean of the replicas' accuracies; exact when they hold equal shares).
    """
    if replicas_in_sync() == 1:
        return value
    return tf.distribute.get_replica_context().all_reduce("mean", value)


@keras.saving.register_keras_serializable(package="gan_papers")
class GAN3D(GANModel):
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
        self.trackers = {name: keras.metrics.Mean(name=name) for name in self.TRACKERS}
        # The sub-models are built, so this wrapper is too; BackupAndRestore and save_weights need it.
        self.built = True

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
    def metrics(self):
        return list(self.trackers.values())

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
        (``draw_per_replica``).
        """
        if isinstance(batch_size, int):
            batch_size = check_positive_int(batch_size, "batch_size")
        return draw_per_replica(
            lambda n: sample_latent(n, self.latent_dim, self.prior, self.seed_generator),
            batch_size,
        )

    def add_instance_noise(self, voxels):
        """``voxels`` as D sees them while training: plus N(0, instance_noise^2) noise per voxel.

        Returns ``voxels`` itself when ``instance_noise`` is 0 (nothing is drawn, so the seed
        generator advances as without this option). The noise is drawn per replica like the codes.
        """
        if self.instance_noise == 0:
            return voxels
        sigma = self.instance_noise_level()
        shape = tuple(voxels.shape[1:])
        noise = draw_per_replica(
            lambda n: keras.random.normal((n, *shape), seed=self.seed_generator),
            tf.shape(voxels)[0],
        )
        return voxels + ops.cast(sigma * noise, voxels.dtype)

    def instance_noise_level(self):
        """The noise's standard deviation at this step (a float32 scalar tensor).

        ``instance_noise``; with ``instance_noise_steps`` = T, ``instance_noise * max(0, 1 - t / T)``
        at G's optimizer step t (a linear decay to 0). That step count is saved with the model, so
        a resumed run continues the same schedule.
        """
        sigma = ops.convert_to_tensor(self.instance_noise, "float32")
        if self.instance_noise_steps is None:
            return sigma
        step = ops.cast(self.g_optimizer.iterations, "float32")
        return sigma * ops.maximum(0.0, 1.0 - step / self.instance_noise_steps)

    # ------------------------------------------------------------------ training
    def _check_voxel_batch(self, voxels, what="The training data"):
        # Static shapes are known when train_step is traced: this costs nothing per step and turns
        # a shape error deep in a 3-D convolution into one naming the data.
        shape = tuple(voxels.shape)
        expected = (self.resolution,) * 3 + (1,)
        if len(shape) != 5 or any(
            s is not None and s != e for s, e in zip(shape[1:], expected, strict=True)
        ):
            r = self.resolution
            raise ValueError(
                f"{what} must be batches of voxel grids of shape (batch, {r}, {r}, {r}, 1) (the "
                f"generator's output), with values in {{0, 1}}; received batches of shape {shape}."
            )
        return ops.cast(voxels, "float32")

    def _unpack(self, data):
        # Keras hands (x, y, sample_weight) or (x,) or x; x is the voxels (y, labels, is ignored).
        voxels, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(voxels, tuple | list):
            voxels = voxels[0]
        return self._check_voxel_batch(voxels)

    # Value checks. A check inside train_step would run in the compiled step, where XLA drops
    # assertions (and a data-dependent Python `if` cannot run): arrays are checked here, in
    # Python, once per call; a tf.data.Dataset gets a map that checks each batch in the input
    # pipeline, on the host, outside the compiled step (measured in tests/gan3d/test_keras_api.py:
    # a min and a max per batch).
    def _checked_input(self, x):
        if isinstance(x, tf.data.Dataset):
            return x.map(_assert_voxel_range)
        if isinstance(x, tuple | list) and x:
            check_voxel_values(x[0])
        elif isinstance(x, np.ndarray | tf.Tensor):
            check_voxel_values(x)
        return x

    def _run_checked(self, method, x, *args, **kwargs):
        try:
            return method(self._checked_input(x), *args, **kwargs)
        except tf.errors.InvalidArgumentError as error:
            value_error = _range_error_or_none(error)
            if value_error is None:
                raise
            raise value_error from None

    def fit(self, x=None, *args, **kwargs):
        """``keras.Model.fit``; voxels outside [0, 1] (e.g. 0/255 grids) raise ``ValueError``."""
        return self._run_checked(super().fit, x, *args, **kwargs)

    def train_on_batch(self, x, *args, **kwargs):
        return self._run_checked(super().train_on_batch, x, *args, **kwargs)

    def evaluate(self, x=None, *args, **kwargs):
        return self._run_checked(super().evaluate, x, *args, **kwargs)

    def test_on_batch(self, x, *args, **kwargs):
        return self._run_checked(super().test_on_batch, x, *args, **kwargs)

    def _discriminator_step(self, real, fake, replicas):
        """D's loss and accuracy on (real, fake), and D's update if the accuracy read allows it.

        Returns ``(d_loss, accuracy, updated)``: scalar tensors, ``updated`` a bool.
        """
        d_vars = self.discriminator.trainable_variables
        with tf.GradientTape() as tape:
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss = discriminator_loss(real_logits, fake_logits)
            objective = scale_loss(self.d_optimizer, d_loss / replicas)
        accuracy = global_mean(discriminator_accuracy(real_logits, fake_logits))
        if self.accuracy_from == "current_batch":
            reading = accuracy
        else:
            reading = ops.convert_to_tensor(self.last_accuracy)
        updated = reading <= ops.convert_to_tensor(self.threshold)
        if tf.distribute.has_strategy():
            # The backward pass may synchronise the replicas (synchronized batch norm), which a
            # tf.cond in a replica context must not contain: compute it, and skip only the step.
            grads = tape.gradient(objective, d_vars)
        else:
            # On one device the backward pass, too, runs only when D is updated.
            grads = tf.cond(
                updated,
                lambda: tape.gradient(objective, d_vars),
                lambda: [tf.zeros_like(v) for v in d_vars],
            )
        apply_if(updated, self.d_optimizer, grads, d_vars)
        self.last_accuracy.assign(accuracy)
        return d_loss, accuracy, updated

    def _generator_step(self, g_tape, fake, replicas):
        """G's non-saturating loss on ``fake`` (recorded on ``g_tape``) and its update."""
        g_vars = self.generator.trainable_variables
        with g_tape:
            g_loss = generator_loss(self.discriminator(fake, training=True))
            objective = scale_loss(self.g_optimizer, g_loss / replicas)
        self.g_optimizer.apply(g_tape.gradient(objective, g_vars), g_vars)
        return g_loss

    def _log(self, values):
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def _evaluation_latents(self, batch_size):
        return sample_latent(batch_size, self.latent_dim, self.prior, EVALUATION_SEED)

    def _inference_d(self, real, fake):
        """D's loss, accuracy and G's loss in inference mode, and the update decision they give."""
        real_logits = self.discriminator(real, training=False)
        fake_logits = self.discriminator(fake, training=False)
        accuracy = discriminator_accuracy(real_logits, fake_logits)
        reading = accuracy
        if self.accuracy_from == "previous_batch":
            reading = ops.convert_to_tensor(self.last_accuracy)
        return {
            "d_loss": discriminator_loss(real_logits, fake_logits),
            "g_loss": generator_loss(fake_logits),
            "d_accuracy": accuracy,
            # What train_step would decide (nothing is updated here).
            "d_updated": ops.cast(reading <= ops.convert_to_tensor(self.threshold), "float32"),
        }

    def test_step(self, data):
        """The losses in inference mode, on codes from a fixed seed (``EVALUATION_SEED``): no update,
        no instance noise, and the training stream of codes is left where it was."""
        voxels = self._unpack(data)
        fake = self.generator(self._evaluation_latents(tf.shape(voxels)[0]), training=False)
        return self._log(self._inference_d(voxels, fake))

    def train_step(self, data):
        voxels = self._unpack(data)
        # Means over this replica's batch; see replicas_in_sync for why they are divided.
        replicas = replicas_in_sync()
        z = self.latents(tf.shape(voxels)[0])
        # One forward pass of G serves both steps (as in the public ports): G's tape records it,
        # pauses over D's step, and takes up D's judgement of the same shapes afterwards.
        g_tape = tf.GradientTape()
        with g_tape:
            fake = self.add_instance_noise(self.generator(z, training=True))
        d_loss, accuracy, updated = self._discriminator_step(
            self.add_instance_noise(voxels), ops.stop_gradient(fake), replicas
        )
        g_loss = self._generator_step(g_tape, fake, replicas)
        return self._log(
            {
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_accuracy": accuracy,
                "d_updated": ops.cast(updated, "float32"),
            }
        )
