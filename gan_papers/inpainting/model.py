"""Training the DCGAN prior (Radford et al. 2016, Section 4; Goodfellow et al. 2014, Algorithm 1).

Each step draws one batch of codes z ~ U[-1, 1]^100 (Yeh et al. 2017's prior) and then
- updates D on binary cross-entropy, real = 1, fake = 0 (the negative of D's side of Goodfellow et
  al.'s eq. 1):  L_D = -log D(x) - log(1 - D(G(z)));
- updates G, against the D just updated and on the same z, with the non-saturating loss
  L_G = -log D(G(z)) (Goodfellow et al., Section 3), as DCGAN does.
One D step per G step (Algorithm 1 with k = 1). Adam with lr 2e-4 and beta_1 0.5 (Radford et al.,
Section 4) is the default for both networks.
"""

import keras
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_loss, generator_loss
from gan_papers.common.validation import check_positive_int

# The codes ``test_step`` judges G on: fixed, so that evaluation does not consume training codes.
EVAL_SEED = 1234


def _default_optimizer():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def _mean_probability(logits):
    """D's mean probability sigma(logit) over a batch (float32 under any precision policy)."""
    return ops.mean(ops.sigmoid(ops.cast(logits, "float32")))


@keras.saving.register_keras_serializable(package="gan_papers")
class DCGAN(GANModel):
    """A DCGAN: a generator (``build_generator``) trained against a discriminator (``build_discriminator``).

    ``fit`` takes a dataset of image batches in [-1, 1] (NHWC, the generator's output size), e.g. the
    procedural faces of ``gan_papers.data``; if it yields tuples, the first element is the images
    and the rest (labels) is ignored. Calling the model maps codes z to images; ``sample(n)`` draws
    n images from the prior.

    Logs (epoch means): ``d_loss``, ``g_loss``, and ``d_real`` / ``d_fake``, D's mean probability
    on the real and the generated images before its update (0.5 / 0.5 at equilibrium, 1 / 0 when D
    wins).

    Args:
        generator: z (B, latent_dim) -> images (B, H, W, 3) in [-1, 1].
        discriminator: images (B, H, W, 3) -> logits (B, 1).
        seed: seeds the codes that training draws (``latents``); ``None`` for a random seed.
            The seed generator's state is saved with the weights, so a resumed run draws the same
            codes as an uninterrupted one.
    """

    TRACKERS = ("d_loss", "g_loss", "d_real", "d_fake")

    def __init__(self, generator, discriminator, seed=None, **kwargs):
        super().__init__(**kwargs)
        g_shape = tuple(generator.output_shape[1:])
        d_shape = tuple(discriminator.input_shape[1:])
        if g_shape != d_shape:
            raise ValueError(
                "`discriminator` must take the images `generator` makes: generator output shape "
                f"{g_shape}, discriminator input shape {d_shape}."
            )
        self.generator = generator
        self.discriminator = discriminator
        self.seed = seed
        self.latent_dim = int(generator.input_shape[-1])
        self.image_shape = g_shape
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, z, training=False):
        """G(z): codes (B, latent_dim) -> images (B, H, W, 3) in [-1, 1]."""
        return self.generator(z, training=training)

    def sample(self, n, seed=None):
        """``n`` images G(z), z ~ U[-1, 1]^latent_dim, with G in inference mode.

        ``seed`` (an int) makes the draw repeatable. The codes come from Keras' global random
        stream (or ``seed``), not from the training stream, so sampling during training (e.g. in
        a callback) does not change the run.
        """
        n = check_positive_int(n, "n")
        z = keras.random.uniform((n, self.latent_dim), minval=-1.0, maxval=1.0, seed=seed)
        return self.generator(z, training=False)

    def compile(self, g_optimizer=None, d_optimizer=None, **kwargs):
        """Configure training.

        Args:
            g_optimizer, d_optimizer: default Adam(lr=2e-4, beta_1=0.5) each (Radford et al.,
                Section 4). Each is wrapped in a ``LossScaleOptimizer`` under ``mixed_float16``.
            **kwargs: passed to ``keras.Model.compile`` (e.g. ``jit_compile``).
        """
        self.compile_gan(
            g_optimizer or _default_optimizer(), d_optimizer or _default_optimizer(), **kwargs
        )

    def latents(self, batch_size):
        """The codes z ~ U[-1, 1]^latent_dim that ``train_step`` uses for a batch of ``batch_size``.

        Drawn from this model's seed generator, which advances. Under ``tf.distribute`` every
        replica holds the same seed state, so each draws the codes of the whole global batch and
        keeps its own slice: the replicas get different codes, the same ones a single device
        would draw for the global batch. (An epoch's last batch, if it splits unevenly over the
        replicas, may give two replicas one code in common.) TensorFlow's XLA kernels draw other
        numbers from the same state than its own kernels do, so ``jit_compile`` changes which codes
        a run draws, not their distribution.
        """
        if isinstance(batch_size, int):
            batch_size = check_positive_int(batch_size, "batch_size")
        return self.draw(
            lambda n: keras.random.uniform(
                (n, self.latent_dim), minval=-1.0, maxval=1.0, seed=self.seed_generator
            ),
            batch_size,
        )

    def _check_images(self, images):
        # Static shapes are known when train_step is traced, so this costs nothing per step and
        # turns a shape error deep in the discriminator into one naming the data.
        shape = tuple(images.shape)
        expected = self.image_shape
        if len(shape) != 4 or any(
            s is not None and s != e for s, e in zip(shape[1:], expected, strict=True)
        ):
            raise ValueError(
                f"The training data must be batches of images of shape (batch, {expected[0]}, "
                f"{expected[1]}, {expected[2]}) (the generator's output), in [-1, 1]; received "
                f"batches of shape {shape}."
            )

    def _images(self, data):
        # fit on a dataset of (images, labels) hands a pair, train_on_batch and evaluate hand
        # (x, y, sample_weight): the images are x in every case; labels and weights are ignored.
        images, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        self._check_images(images)
        return ops.cast(images, "float32")

    def train_step(self, data):
        """D's step, then G's step against the updated D, on the same codes z (Algorithm 1, k = 1)."""
        images = self._images(data)
        z = self.latents(tf.shape(images)[0])  # z ~ U[-1, 1]^latent_dim
        fake = self.generator(z, training=True)
        with tf.GradientTape() as d_tape:
            real_logits = self.discriminator(images, training=True)
            fake_logits = self.discriminator(fake, training=True)
            # L_D = -log D(x) - log(1 - D(G(z))): minus D's side of Goodfellow et al.'s eq. 1
            d_loss = discriminator_loss(real_logits, fake_logits)
            d_objective = self.objective(self.d_optimizer, d_loss)
        self.descend(self.d_optimizer, d_tape, d_objective, self.discriminator)

        # D in training mode here too, as in DCGAN: it judges this batch of fakes with the batch's
        # own statistics, as it did in its own step.
        with tf.GradientTape() as g_tape:
            g_logits = self.discriminator(self.generator(z, training=True), training=True)
            # L_G = -log D(G(z)): the non-saturating form of G's side of eq. 1 (Section 3)
            g_loss = generator_loss(g_logits)
            g_objective = self.objective(self.g_optimizer, g_loss)
        self.descend(self.g_optimizer, g_tape, g_objective, self.generator)
        return self.record(
            d_loss=d_loss,
            g_loss=g_loss,
            d_real=_mean_probability(real_logits),
            d_fake=_mean_probability(fake_logits),
        )

    def test_step(self, data):
        """D's and G's losses on ``data`` without an update, both networks in inference mode.

        The codes come from a fixed seed (``EVAL_SEED``), not from the training stream: evaluating
        (e.g. ``fit(validation_data=...)``) never changes which codes training draws, and two
        evaluations of the same weights agree.
        """
        images = self._images(data)
        z = self.draw(
            lambda n: keras.random.uniform(
                (n, self.latent_dim), minval=-1.0, maxval=1.0, seed=EVAL_SEED
            ),
            tf.shape(images)[0],
        )
        real_logits = self.discriminator(images, training=False)
        fake_logits = self.discriminator(self.generator(z, training=False), training=False)
        return self.record(
            d_loss=discriminator_loss(real_logits, fake_logits),
            g_loss=generator_loss(fake_logits),
            d_real=_mean_probability(real_logits),
            d_fake=_mean_probability(fake_logits),
        )

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}
