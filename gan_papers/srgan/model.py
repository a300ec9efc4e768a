"""SRGAN's adversarial training (Ledig et al. 2017, Section 2.1, eq. 2, and Section 2.2, eq. 3).

The generator minimises the perceptual loss  l^SR = l_X^SR + 1e-3 * l_Gen^SR  (eq. 3), a content loss
(``ContentLoss``, eq. 4/5) plus the non-saturating adversarial loss l_Gen = -log D(G(I^LR)) (eq. 6);
the discriminator minimises binary cross-entropy with real = 1, fake = 0 (eq. 2). One D step per G
step, in one of two orders (``update``):
- ``"alternating"`` (default, the paper's): "we alternate" D and G updates as Goodfellow et al. 2014
  (Algorithm 1) do: D takes its step on (I^HR, G(I^LR)), then G takes its step against the **updated**
  D. G's forward pass is computed once: G's weights do not change during D's step and its batch
  norm uses batch statistics, so a second pass would give the same I^SR (and update G's moving
  statistics twice); D judges it again after its update, which is what G's gradient sees;
- ``"simultaneous"`` (a deviation): both gradients come from one forward pass through the same D,
  then both networks step; one D pass fewer per step.
"""

import keras
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_loss, generator_loss
from gan_papers.common.training import replicas_in_sync, scale_loss
from gan_papers.common.validation import check_choice
from gan_papers.srgan.content_loss import ContentLoss

UPDATES = ("alternating", "simultaneous")


@keras.saving.register_keras_serializable(package="gan_papers")
class SRGAN(GANModel):
    """SRGAN: a generator (``build_generator``) trained against a discriminator (``build_discriminator``).

    Initialise ``generator`` from a trained SRResNet (``recipe.srgan_from_srresnet``): the paper does,
    and GAN training from scratch tends to fail. ``fit`` takes a dataset of ``(lr, hr)`` pairs, LR in
    [0, 1] and HR in [-1, 1] (e.g. ``gan_papers.data.sr_dataset``). Calling the model super-resolves.

    Args:
        generator: LR -> SR model.
        discriminator: HR-sized image -> logit model.
        adversarial_weight: the weight of l_Gen in eq. 3 (1e-3 in the paper).
        update: ``"alternating"`` (default, the paper's: G's step sees D after D's step) or
            ``"simultaneous"`` (one forward pass, both steps from the same D); see the module
            docstring.
    """

    def __init__(
        self, generator, discriminator, adversarial_weight=1e-3, update="alternating", **kwargs
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.adversarial_weight = float(adversarial_weight)
        self.update = check_choice(update, "update", UPDATES)
        self.content_tracker = keras.metrics.Mean(name="content_loss")
        self.adversarial_tracker = keras.metrics.Mean(name="adversarial_loss")
        self.perceptual_tracker = keras.metrics.Mean(name="perceptual_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        # The sub-models are built, so this wrapper is too; BackupAndRestore and save_weights need it.
        self.built = True

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def compile(self, g_optimizer=None, d_optimizer=None, content_loss="vgg54", **kwargs):
        """Configure training.

        Args:
            g_optimizer, d_optimizer: default Adam(lr=1e-4, beta_1=0.9), as in the paper. Each is wrapped in
                a ``LossScaleOptimizer`` under a ``mixed_float16`` policy.
            content_loss: ``"mse"``, ``"vgg22"``, ``"vgg54"`` (the paper's SRGAN) or a ``ContentLoss``.
            **kwargs: passed to ``keras.Model.compile`` (e.g. ``jit_compile``).
        """
        if g_optimizer is None:
            g_optimizer = keras.optimizers.Adam(1e-4, beta_1=0.9)
        if d_optimizer is None:
            d_optimizer = keras.optimizers.Adam(1e-4, beta_1=0.9)
        if isinstance(content_loss, str):
            content_loss = ContentLoss(content_loss)
        if not isinstance(content_loss, ContentLoss):
            raise ValueError(
                "`content_loss` must be 'mse', 'vgg22', 'vgg54' or a ContentLoss; "
                f"received {content_loss!r}."
            )
        self.content_loss = content_loss
        self.compile_gan(
            g_optimizer, d_optimizer, compile_arguments={"content_loss": content_loss}, **kwargs
        )

    @property
    def metrics(self):
        return [
            self.content_tracker,
            self.adversarial_tracker,
            self.perceptual_tracker,
            self.d_loss_tracker,
        ]

    def _generator_losses(self, hr, sr, fake_logits):
        content = ops.mean(self.content_loss.call(hr, sr))
        adversarial = generator_loss(fake_logits)
        perceptual = content + self.adversarial_weight * adversarial
        return content, adversarial, perceptual

    def _compute_losses(self, lr, hr, training):
        sr = self.generator(lr, training=training)
        real_logits = self.discriminator(hr, training=training)
        fake_logits = self.discriminator(sr, training=training)
        d_loss = discriminator_loss(real_logits, fake_logits)
        return (d_loss, *self._generator_losses(hr, sr, fake_logits))

    def _log(self, d_loss, content, adversarial, perceptual):
        self.content_tracker.update_state(content)
        self.adversarial_tracker.update_state(adversarial)
        self.perceptual_tracker.update_state(perceptual)
        self.d_loss_tracker.update_state(d_loss)
        return {m.name: m.result() for m in self.metrics}

    @staticmethod
    def _unpack(data):
        # Keras hands (x, y, sample_weight) (train_on_batch, fit on arrays) or (x, y) (a dataset).
        lr, hr, _ = keras.utils.unpack_x_y_sample_weight(data)
        if hr is None:
            raise ValueError(
                "SRGAN trains on (lr, hr) pairs: fit(lr, hr) or a dataset of (lr, hr) tuples; "
                "received only one tensor."
            )
        return lr, hr

    def train_step(self, data):
        lr, hr = self._unpack(data)
        if self.update == "alternating":
            return self._alternating_step(lr, hr)
        return self._simultaneous_step(lr, hr)

    def _alternating_step(self, lr, hr):
        replicas = replicas_in_sync()
        g_vars = self.generator.trainable_variables
        d_vars = self.discriminator.trainable_variables
        # G's tape records its forward pass, pauses over D's step, and takes up D's new judgement.
        g_tape = tf.GradientTape()
        with g_tape:
            sr = self.generator(lr, training=True)
        with tf.GradientTape() as d_tape:
            real_logits = self.discriminator(hr, training=True)
            fake_logits = self.discriminator(ops.stop_gradient(sr), training=True)
            d_loss = discriminator_loss(real_logits, fake_logits)
            d_objective = scale_loss(self.d_optimizer, d_loss / replicas)
        self.d_optimizer.apply(d_tape.gradient(d_objective, d_vars), d_vars)
        with g_tape:
            content, adversarial, perceptual = self._generator_losses(
                hr, sr, self.discriminator(sr, training=True)
            )
            g_objective = scale_loss(self.g_optimizer, perceptual / replicas)
        self.g_optimizer.apply(g_tape.gradient(g_objective, g_vars), g_vars)
        return self._log(d_loss, content, adversarial, perceptual)

    def _simultaneous_step(self, lr, hr):
        # Means over this replica's batch; see replicas_in_sync for why they are divided.
        replicas = replicas_in_sync()
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            d_loss, content, adversarial, perceptual = self._compute_losses(lr, hr, training=True)
            g_objective = scale_loss(self.g_optimizer, perceptual / replicas)
            d_objective = scale_loss(self.d_optimizer, d_loss / replicas)
        g_vars = self.generator.trainable_variables
        d_vars = self.discriminator.trainable_variables
        self.g_optimizer.apply(g_tape.gradient(g_objective, g_vars), g_vars)
        self.d_optimizer.apply(d_tape.gradient(d_objective, d_vars), d_vars)
        return self._log(d_loss, content, adversarial, perceptual)

    def test_step(self, data):
        lr, hr = self._unpack(data)
        return self._log(*self._compute_losses(lr, hr, training=False))

    def get_config(self):
        return {
            **super().get_config(),
            "adversarial_weight": self.adversarial_weight,
            "update": self.update,
        }
