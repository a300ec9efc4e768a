"""Training the face completion GAN (Li et al. 2017, Section 3.4 and 4.1): one generator, two
discriminators and a frozen parser, with the objective built up over three stages.

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p          (paper, eq. 3)

    stage 1: L_r                         (the generator learns blurry but well-placed content)
    stage 2: L_r + lambda_1 L_a1         (+ the local discriminator: sharper parts)
    stage 3: all four terms              (+ the global discriminator and the parsing loss)

A discriminator is trained only from the stage that uses it. The stage is a variable of the model,
so it is saved with the weights (``BackupAndRestore`` resumes a stage-3 run in stage 3) and changing
it (``set_stage``) neither retraces the step nor rebuilds an optimiser: the step switches with
``tf.cond`` on it, and a branch that is not taken costs nothing and leaves its optimiser untouched.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_loss, generator_loss
from gan_papers.common.training import apply_if, draw_per_replica, replicas_in_sync, scale_loss
from gan_papers.common.validation import check_choice
from gan_papers.face_completion.losses import (
    RECONSTRUCTION_KINDS,
    RECONSTRUCTION_REDUCTIONS,
    parsing_labels,
    parsing_loss,
    reconstruction_loss,
)
from gan_papers.face_completion.patches import crop_patches, patch_origin, random_hole_masks

STAGES = (1, 2, 3)
# The authors' code (see ``losses``): with L_r summed over each face's pixels.
PAPER_LAMBDAS = (300.0, 300.0, 0.05)


def noise_filled(images, masks, noise):
    """The generator's input: known pixels, and uniform noise in [-1, 1] in the hole (authors' code)."""
    return images * masks + noise * (1.0 - masks)


def composite(images, masks, output):
    """Known pixels from ``images``, hole pixels from the generator's ``output``."""
    return images * masks + output * (1.0 - masks)


@keras.saving.register_keras_serializable(package="gan_papers")
class FaceCompletionGAN(GANModel):
    """The face completion GAN: ``fit`` on faces in [-1, 1], or on ``(faces, masks)``.

    Given faces alone, each step cuts one ``hole_size`` square at a random place per face (the paper's
    training masks); given masks (B, H, W, 1), 1 = known, it uses those. Calling the model completes
    ``[faces, masks]`` (noise in the hole, the generator, the composite); ``complete`` does the same
    with NumPy in and out.

    Args:
        generator: ``build_generator`` (noise-filled face -> face).
        local_discriminator: ``build_local_discriminator(patch_size)``, on the patch around the hole.
        global_discriminator: ``build_global_discriminator(image_size)``, on the whole composite.
        parser: a trained ``build_parser``; frozen here (it is never updated).
        hole_size: the side of the random training holes (paper: 64 in 128x128 faces).
        lambda_local, lambda_global, lambda_parsing: lambda_1..3 of eq. 3, in the convention of
            ``reconstruction_reduction`` (the paper's 300, 300, 0.05 go with ``"sum"``).
        reconstruction: ``"l2"`` (paper) or ``"smooth_l1"`` (authors' code).
        reconstruction_reduction: ``"sum"`` (L_r summed over each face's pixels, the convention of
            the lambdas) or ``"mean"`` (a per-pixel mean; the lambdas you give are then divided by
            H*W*3, so the same numbers keep the same balance).
        stage: the stage to start in (1, 2 or 3).
        seed: seeds the noise fill and the random holes.
    """

    SUBMODELS = ("generator", "local_discriminator", "global_discriminator", "parser")

    def __init__(
        self,
        generator,
        local_discriminator,
        global_discriminator,
        parser,
        hole_size=64,
        lambda_local=PAPER_LAMBDAS[0],
        lambda_global=PAPER_LAMBDAS[1],
        lambda_parsing=PAPER_LAMBDAS[2],
        reconstruction="l2",
        reconstruction_reduction="sum",
        stage=1,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.local_discriminator = local_discriminator
        self.global_discriminator = global_discriminator
        self.parser = parser
        self.parser.trainable = False  # the paper's parser is pretrained and frozen
        self.image_size = int(generator.input_shape[1])
        self.patch_size = int(local_discriminator.input_shape[1])
        self.hole_size = int(hole_size)
        if not 0 < self.hole_size <= self.patch_size:
            raise ValueError(
                f"`hole_size` must be in [1, {self.patch_size}] (the local discriminator's patch "
                f"must hold the hole); received {hole_size}."
            )
        self.reconstruction = check_choice(reconstruction, "reconstruction", RECONSTRUCTION_KINDS)
        self.reconstruction_reduction = check_choice(
            reconstruction_reduction, "reconstruction_reduction", RECONSTRUCTION_REDUCTIONS
        )
        self.lambdas = tuple(float(v) for v in (lambda_local, lambda_global, lambda_parsing))
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.stage = keras.Variable(
            _check_stage(stage), dtype="int32", trainable=False, name="stage"
        )
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in (
                "loss",  # L, what the generator minimises
                "reconstruction_loss",
                "local_adversarial_loss",
                "global_adversarial_loss",
                "parsing_loss",
                "local_d_loss",
                "global_d_loss",
            )
        }
        self.built = True

    # ------------------------------------------------------------------ set-up
    def compile(self, g_optimizer=None, local_d_optimizer=None, global_d_optimizer=None, **kwargs):
        """Configure training. Defaults (authors' code): G Adam(1e-4, beta_1=0.9), each
        discriminator Adam(2e-4, beta_1=0.5). ``kwargs`` go to ``keras.Model.compile``."""
        self.compile_networks(
            {
                "g_optimizer": (
                    g_optimizer or keras.optimizers.Adam(1e-4, beta_1=0.9),
                    self.generator,
                ),
                "local_d_optimizer": (
                    local_d_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5),
                    self.local_discriminator,
                ),
                "global_d_optimizer": (
                    global_d_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5),
                    self.global_discriminator,
                ),
            },
            **kwargs,
        )

    def set_stage(self, stage):
        """Switch to training stage 1, 2 or 3 (takes effect at the next step)."""
        self.stage.assign(_check_stage(stage))

    @property
    def current_stage(self):
        return int(self.stage.numpy())

    @property
    def metrics(self):
        return list(self.trackers.values())

    def get_config(self):
        return {
            **super().get_config(),
            "hole_size": self.hole_size,
            "lambda_local": self.lambdas[0],
            "lambda_global": self.lambdas[1],
            "lambda_parsing": self.lambdas[2],
            "reconstruction": self.reconstruction,
            "reconstruction_reduction": self.reconstruction_reduction,
            "seed": self.seed,
        }

    # ------------------------------------------------------------------ completion
    def call(self, inputs, training=False):
        """``[faces, masks]`` -> the composite completion (known pixels kept)."""
        faces, masks = inputs
        faces, masks = ops.cast(faces, "float32"), ops.cast(masks, "float32")
        noise = keras.random.uniform(ops.shape(faces), -1.0, 1.0, seed=self.seed_generator)
        output = self.generator(noise_filled(faces, masks, noise), training=training)
        return composite(faces, masks, ops.cast(output, "float32"))

    def complete(self, faces, masks):
        """NumPy faces (B, S, S, 3) in [-1, 1] and masks (B, S, S, 1) -> completed faces (NumPy).

        The generator's output is linear (the authors' code), so the hole may hold values outside
        [-1, 1]; here they are clipped to the image range, as saving an image would.
        """
        from gan_papers.common.masks import check_mask
        from gan_papers.common.validation import check_image_batch

        check_image_batch(faces, "faces")
        check_mask(masks, "masks", like=faces)
        expected = (self.image_size, self.image_size, 3)
        if tuple(np.shape(faces)[1:]) != expected:
            raise ValueError(
                f"`faces` must be of the generator's size {expected}; received shape "
                f"{tuple(np.shape(faces))}."
            )
        if np.shape(masks)[0] != np.shape(faces)[0]:
            raise ValueError(
                f"`masks` must have one mask per face; received {np.shape(masks)[0]} masks for "
                f"{np.shape(faces)[0]} faces."
            )
        completed = ops.convert_to_numpy(self([faces, masks], training=False))
        return np.clip(completed, -1.0, 1.0)

    # ------------------------------------------------------------------ training
    def _weights(self):
        """lambda_1..3 in the convention of the reconstruction loss (see ``losses``)."""
        if self.reconstruction_reduction == "mean":
            pixels = float(self.image_size * self.image_size * 3)
            return tuple(v / pixels for v in self.lambdas)
        return self.lambdas

    def _unpack(self, data):
        if isinstance(data, tuple | list):
            faces, masks = data[0], data[1] if len(data) > 1 else None
        else:
            faces, masks = data, None
        shape = tuple(faces.shape)
        if len(shape) != 4 or shape[1:] != (self.image_size, self.image_size, 3):
            raise ValueError(
                f"The training data must be faces of shape (batch, {self.image_size}, "
                f"{self.image_size}, 3) in [-1, 1], optionally with masks; received {shape}."
            )
        faces = ops.cast(faces, "float32")
        if masks is None:
            masks = draw_per_replica(
                lambda n: random_hole_masks(
                    n, self.image_size, self.hole_size, self.seed_generator
                ),
                ops.shape(faces)[0],
            )
        elif tuple(masks.shape[1:]) != (self.image_size, self.image_size, 1):
            raise ValueError(
                f"Training masks must have shape (batch, {self.image_size}, {self.image_size}, 1); "
                f"received {tuple(masks.shape)}."
            )
        return faces, ops.cast(masks, "float32")

    def train_step(self, data):
        faces, masks = self._unpack(data)
        replicas = replicas_in_sync()  # means over this replica's batch, see replicas_in_sync
        lambda_local, lambda_global, lambda_parsing = self._weights()
        stage = self.stage
        zero = ops.zeros((), "float32")
        noise = draw_per_replica(
            lambda n: keras.random.uniform(
                (n, self.image_size, self.image_size, 3), -1.0, 1.0, seed=self.seed_generator
            ),
            ops.shape(faces)[0],
        )
        rows, cols = patch_origin(masks, self.patch_size)
        real_patches = crop_patches(faces, rows, cols, self.patch_size)

        g_vars = self.generator.trainable_variables
        with tf.GradientTape() as g_tape:
            output = ops.cast(
                self.generator(noise_filled(faces, masks, noise), training=True), "float32"
            )
            completed = composite(faces, masks, output)
            fake_patches = crop_patches(completed, rows, cols, self.patch_size)
            l_r = reconstruction_loss(
                output, faces, self.reconstruction, self.reconstruction_reduction
            )
            l_local = tf.cond(
                stage >= 2,
                lambda: generator_loss(self.local_discriminator(fake_patches, training=True)),
                lambda: zero,
            )
            l_global = tf.cond(
                stage >= 3,
                lambda: generator_loss(self.global_discriminator(completed, training=True)),
                lambda: zero,
            )
            l_p = tf.cond(
                stage >= 3,
                lambda: parsing_loss(
                    self.parser(completed, training=False),
                    parsing_labels(self.parser(faces, training=False)),
                ),
                lambda: zero,
            )
            loss = l_r + lambda_local * l_local + lambda_global * l_global + lambda_parsing * l_p
            objective = scale_loss(self.g_optimizer, loss / replicas)
        self.g_optimizer.apply(g_tape.gradient(objective, g_vars), g_vars)

        # The discriminators learn from the same (pre-update) completions, each from its stage on.
        local_d_loss = self._discriminator_step(
            stage >= 2,
            self.local_discriminator,
            self.local_d_optimizer,
            real_patches,
            ops.stop_gradient(fake_patches),
            replicas,
        )
        global_d_loss = self._discriminator_step(
            stage >= 3,
            self.global_discriminator,
            self.global_d_optimizer,
            faces,
            ops.stop_gradient(completed),
            replicas,
        )
        values = {
            "loss": loss,
            "reconstruction_loss": l_r,
            "local_adversarial_loss": l_local,
            "global_adversarial_loss": l_global,
            "parsing_loss": l_p,
            "local_d_loss": local_d_loss,
            "global_d_loss": global_d_loss,
        }
        for name, value in values.items():
            self.trackers[name].update_state(value)
        logs = {name: tracker.result() for name, tracker in self.trackers.items()}
        logs["stage"] = ops.convert_to_tensor(stage)
        return logs

    @staticmethod
    def _discriminator_step(active, discriminator, optimizer, real, fake, replicas):
        """One step of ``discriminator`` if ``active`` (a bool tensor): its loss, or 0 without a step."""
        d_vars = discriminator.trainable_variables

        def gradients():
            with tf.GradientTape() as tape:
                d_loss = discriminator_loss(
                    discriminator(real, training=True), discriminator(fake, training=True)
                )
                objective = scale_loss(optimizer, d_loss / replicas)
            return d_loss, tape.gradient(objective, d_vars)

        def skipped():
            return ops.zeros((), "float32"), [ops.zeros_like(v) for v in d_vars]

        d_loss, grads = tf.cond(active, gradients, skipped)
        apply_if(active, optimizer, grads, d_vars)
        return d_loss


def _check_stage(stage):
    if isinstance(stage, bool) or not isinstance(stage, int | np.integer) or stage not in STAGES:
        raise ValueError(f"`stage` must be 1, 2 or 3; received {stage!r}.")
    return int(stage)
