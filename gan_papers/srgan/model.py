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

G's tape records G's forward pass and G's loss; with ``"alternating"`` it stops recording over D's
step in between, which G's gradient does not go through.
"""

import keras
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_loss, generator_loss
from gan_papers.common.validation import check_choice
from gan_papers.srgan.losses import ContentLoss

UPDATES = ("alternating", "simultaneous")


@keras.saving.register_keras_serializable(package="gan_papers")
class SRGAN(GANModel):
    """SRGAN: a generator (``build_generator``) trained against a discriminator (``build_discriminator``).

    Initialise ``generator`` from a trained SRResNet (``recipe.srgan_from_srresnet``): the paper does,
    and GAN training from scratch tends to fail. ``fit`` takes a dataset of ``(lr, hr)`` pairs, LR in
    [0, 1] and HR in [-1, 1] (e.g. ``gan_papers.data.sr_dataset``). Calling the model super-resolves.

    Logs (epoch means): ``content_loss`` (l_X^SR), ``adversarial_loss`` (l_Gen^SR),
    ``perceptual_loss`` (l^SR) and ``d_loss``.

    Args:
        generator: LR -> SR model.
        discriminator: HR-sized image -> logit model.
        adversarial_weight: the weight of l_Gen in eq. 3 (1e-3 in the paper).
        update: ``"alternating"`` (default, the paper's: G's step sees D after D's step) or
            ``"simultaneous"`` (one forward pass, both steps from the same D); see the module
            docstring.
    """

    TRACKERS = ("content_loss", "adversarial_loss", "perceptual_loss", "d_loss")

    def __init__(
        self, generator, discriminator, adversarial_weight=1e-3, update="alternating", **kwargs
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.adversarial_weight = float(adversarial_weight)
        self.update = check_choice(update, "update", UPDATES)

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
        """One D step on eq. 2 and one G step on eq. 3, in the order ``update`` names."""
        lr, hr = self._unpack(data)
        alternating = self.update == "alternating"
        with tf.GradientTape() as g_tape:
            sr = self.generator(lr, training=True)  # I^SR = G(I^LR)
            with tf.GradientTape() as d_tape:
                real_logits = self.discriminator(hr, training=True)
                fake_logits = self.discriminator(sr, training=True)
                # -log D(I^HR) - log(1 - D(G(I^LR))): D's side of eq. 2
                d_loss = discriminator_loss(real_logits, fake_logits)
                d_objective = self.objective(self.d_optimizer, d_loss)
            if alternating:
                # D steps first (no part of G's gradient); G is judged by the updated D.
                with g_tape.stop_recording():
                    self.descend(self.d_optimizer, d_tape, d_objective, self.discriminator)
                fake_logits = self.discriminator(sr, training=True)
            content = ops.mean(self.content_loss.call(hr, sr))  # l_X^SR, eq. 4 (MSE) or 5 (VGG)
            adversarial = generator_loss(fake_logits)  # l_Gen^SR = -log D(G(I^LR)), eq. 6
            perceptual = content + self.adversarial_weight * adversarial  # l^SR, eq. 3
            g_objective = self.objective(self.g_optimizer, perceptual)
        self.descend(self.g_optimizer, g_tape, g_objective, self.generator)
        if not alternating:  # "simultaneous": D steps on the same forward pass, after G
            self.descend(self.d_optimizer, d_tape, d_objective, self.discriminator)
        return self._record(content, adversarial, perceptual, d_loss)

    def test_step(self, data):
        """The losses of ``train_step`` on ``data``, both networks in inference mode, no update."""
        lr, hr = self._unpack(data)
        sr = self.generator(lr, training=False)
        real_logits = self.discriminator(hr, training=False)
        fake_logits = self.discriminator(sr, training=False)
        d_loss = discriminator_loss(real_logits, fake_logits)
        content = ops.mean(self.content_loss.call(hr, sr))
        adversarial = generator_loss(fake_logits)
        return self._record(
            content, adversarial, content + self.adversarial_weight * adversarial, d_loss
        )

    def _record(self, content, adversarial, perceptual, d_loss):
        return self.record(
            content_loss=content,
            adversarial_loss=adversarial,
            perceptual_loss=perceptual,
            d_loss=d_loss,
        )

    def get_config(self):
        return {
            **super().get_config(),
            "adversarial_weight": self.adversarial_weight,
            "update": self.update,
        }
