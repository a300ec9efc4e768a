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

**Gradient routing** (the authors' ``demo_GFC_training.m`` and ``gradstack.m``; the paper: the global
discriminator "back-propagates loss gradients across the entire image"). G's output ``o`` reaches the
objective through

- L_r, on ``o`` itself: its gradient covers every pixel;
- the local adversarial term, on the patch of the composite around the hole, and the parsing term, on
  the parse of the composite: autodiff through ``x * M + o * (1 - M)`` keeps their gradients inside
  the hole, as ``gradstack.m`` adds them inside the hole box only;
- the global adversarial term, on the whole composite: ``gradstack.m`` adds its gradient with respect
  to the composite to G's output **everywhere** (``global_gradient="everywhere"``, the default; a
  straight-through estimator). ``global_gradient="hole"`` is plain autodiff through the composite,
  which zeroes it outside the hole (a deviation, kept for comparison).

**The discriminators' batch.** ``demo_GFC_training.m`` updates both discriminators on a freshly drawn
batch (new faces, holes and noise) before each G step. ``discriminator_batch="separate"`` does that
within each incoming batch: its faces at even places (with their holes and noise) train the
discriminators, then G steps on the faces at odd places against the updated discriminators.
``"shared"`` (the default) takes one G step on the whole batch and then trains the discriminators on
the same, pre-update completions: twice the faces per G step for about the same compute, which the
CPU-sized profiles need; every profile uses it (see ``config``).
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_loss, generator_loss
from gan_papers.common.training import apply_if, draw_per_replica, replicas_in_sync, scale_loss
from gan_papers.common.validation import check_choice, check_non_negative
from gan_papers.face_completion.losses import (
    RECONSTRUCTION_KINDS,
    REDUCTIONS,
    parsing_labels,
    parsing_loss,
    reconstruction_loss,
)
from gan_papers.face_completion.patches import crop_patches, patch_origin, random_hole_masks

STAGES = (1, 2, 3)
# gradstack.m, with L_r and L_p summed over each face's pixels (see ``losses``).
PAPER_LAMBDAS = (300.0, 300.0, 0.05)
GLOBAL_GRADIENTS = ("everywhere", "hole")
DISCRIMINATOR_BATCHES = ("shared", "separate")


def noise_filled(images, masks, noise):
    """The generator's input: known pixels, and uniform noise in [-1, 1] in the hole (authors' code)."""
    return images * masks + noise * (1.0 - masks)


def composite(images, masks, output):
    """Known pixels from ``images``, hole pixels from the generator's ``output``."""
    return images * masks + output * (1.0 - masks)


def global_input(output, completed, global_gradient="everywhere"):
    """What the global discriminator judges in G's objective: the composite ``completed``, with its
    gradient routed to G's ``output`` by ``global_gradient``.

    ``"everywhere"`` (``gradstack.m``): the forward value is exactly the composite (``output -
    stop_gradient(output)`` is 0), but the gradient with respect to it goes to G's output at every
    pixel, a straight-through estimator. ``"hole"``: plain autodiff through the composite, which
    zeroes it outside the hole.
    """
    check_choice(global_gradient, "global_gradient", GLOBAL_GRADIENTS)
    if global_gradient == "hole":
        return completed
    return ops.stop_gradient(completed) + (output - ops.stop_gradient(output))


@keras.saving.register_keras_serializable(package="gan_papers")
class FaceCompletionGAN(GANModel):
    """The face completion GAN: ``fit`` on faces in [-1, 1], or on ``(faces, masks)``.

    ``fit``, ``train_on_batch`` and ``evaluate`` (``test_step``: the same losses, no update) take
    faces, or faces and masks as ``x`` and ``y`` (or ``x=[faces, masks]``). Given faces alone, each
    step cuts one ``hole_size`` square at a random place per face (the paper's training masks);
    given masks (B, H, W, 1), 1 = known, it uses those. Calling the model completes
    ``[faces, masks]`` (noise in the hole, the generator, the composite); ``complete`` does the same
    with NumPy in and out.

    Args:
        generator: ``build_generator`` (noise-filled face -> face).
        local_discriminator: ``build_local_discriminator(patch_size)``, on the patch around the hole.
        global_discriminator: ``build_global_discriminator(image_size)``, on the whole composite.
        parser: a trained ``build_parser``; frozen here (it is never updated).
        hole_size: the side of the random training holes (paper: 64 in 128x128 faces).
        lambda_local, lambda_global, lambda_parsing: lambda_1..3 of eq. 3 in the authors'
            convention (L_r and L_p summed over the pixels; ``gradstack.m``: 300, 300, 0.05),
            whatever the reductions below.
        reconstruction: ``"l2"`` (paper) or ``"l1"`` (the authors' ``GFC_L1_loss.m``, Charbonnier).
        reconstruction_reduction, parsing_reduction: ``"sum"`` (summed over each face's pixels,
            ``GFC_L1_loss.m`` / ``GFC_Softmax_loss.m``) or ``"mean"`` (a per-element mean). With
            ``"mean"`` the model rescales the lambdas (see ``_weights``) so that the same numbers
            train the same objective up to a constant factor.
        global_gradient: ``"everywhere"`` (``gradstack.m``: the global term's gradient reaches G's
            output at every pixel) or ``"hole"`` (only inside the hole; a deviation).
        discriminator_batch: ``"shared"`` (the discriminators step on G's completions after G's
            step) or ``"separate"`` (``demo_GFC_training.m``: they step first, on the faces at
            even places of each batch; G on those at odd places). Every profile uses
            ``"shared"``: see ``config``.
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
        parsing_reduction="sum",
        global_gradient="everywhere",
        discriminator_batch="shared",
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
            reconstruction_reduction, "reconstruction_reduction", REDUCTIONS
        )
        self.parsing_reduction = check_choice(parsing_reduction, "parsing_reduction", REDUCTIONS)
        self.global_gradient = check_choice(global_gradient, "global_gradient", GLOBAL_GRADIENTS)
        self.discriminator_batch = check_choice(
            discriminator_batch, "discriminator_batch", DISCRIMINATOR_BATCHES
        )
        self.lambdas = tuple(
            check_non_negative(v, name)
            for v, name in (
                (lambda_local, "lambda_local"),
                (lambda_global, "lambda_global"),
                (lambda_parsing, "lambda_parsing"),
            )
        )
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
            "parsing_reduction": self.parsing_reduction,
            "global_gradient": self.global_gradient,
            "discriminator_batch": self.discriminator_batch,
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
        """lambda_1..3 in the conventions of the two pixel-summed losses (see ``losses``).

        The paper's lambdas go with L_r and L_p both summed over the pixels. A per-element mean L_r is
        that sum over D_r = H*W*3 and a per-pixel mean L_p that sum over D_p = H*W; dividing the whole
        objective by D_r (a constant: the same minimiser) gives
        L_r/D_r + (l1/D_r) L_a1 + (l2/D_r) L_a2 + (l3 D_p/D_r) (L_p/D_p), hence the rescaled lambdas.
        With both means that is l1/(H*W*3), l2/(H*W*3), l3/3.
        """
        pixels = float(self.image_size * self.image_size)
        d_r = pixels * 3.0 if self.reconstruction_reduction == "mean" else 1.0
        d_p = pixels if self.parsing_reduction == "mean" else 1.0
        lambda_local, lambda_global, lambda_parsing = self.lambdas
        return lambda_local / d_r, lambda_global / d_r, lambda_parsing * d_p / d_r

    def _unpack(self, data):
        """``faces``, or ``(faces, masks)`` as ``fit``/``train_on_batch``/``evaluate`` hand them
        (also ``x=[faces, masks]``, the inputs ``call`` takes); masks drawn when not given."""
        x, masks, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if sample_weight is not None:
            raise ValueError(
                "FaceCompletionGAN takes faces, or (faces, masks), and no sample weights; "
                f"received sample weights of shape {tuple(sample_weight.shape)}."
            )
        if masks is None and isinstance(x, tuple | list):
            if len(x) != 2:
                raise ValueError(
                    f"`x` must be faces, or [faces, masks]; received a sequence of {len(x)}."
                )
            x, masks = x
        shape = tuple(x.shape)
        if len(shape) != 4 or shape[1:] != (self.image_size, self.image_size, 3):
            raise ValueError(
                f"The training data must be faces of shape (batch, {self.image_size}, "
                f"{self.image_size}, 3) in [-1, 1], optionally with masks; received {shape}."
            )
        faces = ops.cast(x, "float32")
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

    def _noise(self, batch_size):
        return draw_per_replica(
            lambda n: keras.random.uniform(
                (n, self.image_size, self.image_size, 3), -1.0, 1.0, seed=self.seed_generator
            ),
            batch_size,
        )

    def _complete(self, faces, masks, noise, training):
        """G's output, the composite, and the patches (real, fake) the local discriminator sees."""
        output = ops.cast(
            self.generator(noise_filled(faces, masks, noise), training=training), "float32"
        )
        completed = composite(faces, masks, output)
        rows, cols = patch_origin(masks, self.patch_size)
        real_patches = crop_patches(faces, rows, cols, self.patch_size)
        fake_patches = crop_patches(completed, rows, cols, self.patch_size)
        return output, completed, real_patches, fake_patches

    def _generator_terms(self, faces, masks, noise, training):
        """The four terms of eq. 3 for G (0 before their stage), G's output and the completions."""
        stage = self.stage
        zero = ops.zeros((), "float32")
        output, completed, real_patches, fake_patches = self._complete(
            faces, masks, noise, training
        )
        l_r = reconstruction_loss(output, faces, self.reconstruction, self.reconstruction_reduction)
        l_local = tf.cond(
            stage >= 2,
            lambda: generator_loss(self.local_discriminator(fake_patches, training=training)),
            lambda: zero,
        )
        l_global = tf.cond(
            stage >= 3,
            lambda: generator_loss(
                self.global_discriminator(
                    global_input(output, completed, self.global_gradient), training=training
                )
            ),
            lambda: zero,
        )
        l_p = tf.cond(
            stage >= 3,
            lambda: parsing_loss(
                self.parser(completed, training=False),
                parsing_labels(self.parser(faces, training=False)),
                self.parsing_reduction,
            ),
            lambda: zero,
        )
        terms = {
            "reconstruction_loss": l_r,
            "local_adversarial_loss": l_local,
            "global_adversarial_loss": l_global,
            "parsing_loss": l_p,
        }
        return terms, (output, completed, real_patches, fake_patches)

    def _loss(self, terms):
        lambda_local, lambda_global, lambda_parsing = self._weights()
        return (
            terms["reconstruction_loss"]
            + lambda_local * terms["local_adversarial_loss"]
            + lambda_global * terms["global_adversarial_loss"]
            + lambda_parsing * terms["parsing_loss"]
        )

    def _discriminator_steps(self, faces, completed, real_patches, fake_patches, replicas):
        """One step of each discriminator from its stage on, on these (fixed) completions."""
        local_d_loss = self._discriminator_step(
            self.stage >= 2,
            self.local_discriminator,
            self.local_d_optimizer,
            real_patches,
            ops.stop_gradient(fake_patches),
            replicas,
        )
        global_d_loss = self._discriminator_step(
            self.stage >= 3,
            self.global_discriminator,
            self.global_d_optimizer,
            faces,
            ops.stop_gradient(completed),
            replicas,
        )
        return {"local_d_loss": local_d_loss, "global_d_loss": global_d_loss}

    def _split(self, faces, masks, noise):
        """(D's part, G's part) of the batch for ``discriminator_batch="separate"``: the faces at
        even and at odd places. Interleaved rather than halves so that each replica of a mirrored
        step gives D the same faces as one device does with the global batch."""
        if faces.shape[0] is not None and faces.shape[0] < 2:
            raise ValueError(
                'discriminator_batch="separate" splits each batch into faces for the '
                "discriminators and faces for the generator: it needs batches of at least 2 "
                f"faces (per replica); received {faces.shape[0]}."
            )
        return (
            (faces[0::2], masks[0::2], noise[0::2]),
            (faces[1::2], masks[1::2], noise[1::2]),
        )

    def train_step(self, data):
        faces, masks = self._unpack(data)
        replicas = replicas_in_sync()  # means over this replica's batch, see replicas_in_sync
        noise = self._noise(ops.shape(faces)[0])
        if self.discriminator_batch == "separate":
            # demo_GFC_training.m: the discriminators first step on faces, holes and noise of their
            # own, then G steps on the other faces against the updated discriminators.
            (d_faces, d_masks, d_noise), (faces, masks, noise) = self._split(faces, masks, noise)
            _, d_completed, d_real, d_fake = self._complete(d_faces, d_masks, d_noise, True)
            d_losses = self._discriminator_steps(d_faces, d_completed, d_real, d_fake, replicas)

        g_vars = self.generator.trainable_variables
        with tf.GradientTape() as g_tape:
            terms, (_, completed, real_patches, fake_patches) = self._generator_terms(
                faces, masks, noise, training=True
            )
            loss = self._loss(terms)
            objective = scale_loss(self.g_optimizer, loss / replicas)
        self.g_optimizer.apply(g_tape.gradient(objective, g_vars), g_vars)

        if self.discriminator_batch == "shared":
            # The discriminators learn from the same (pre-update) completions G was judged on.
            d_losses = self._discriminator_steps(
                faces, completed, real_patches, fake_patches, replicas
            )
        return self._log({"loss": loss, **terms, **d_losses})

    def test_step(self, data):
        """The losses of ``train_step`` on ``data`` (the whole batch), without any update."""
        faces, masks = self._unpack(data)
        noise = self._noise(ops.shape(faces)[0])
        terms, (_, completed, real_patches, fake_patches) = self._generator_terms(
            faces, masks, noise, training=False
        )
        zero = ops.zeros((), "float32")

        def d_loss(discriminator, real, fake):
            return discriminator_loss(
                discriminator(real, training=False), discriminator(fake, training=False)
            )

        local_d_loss = tf.cond(
            self.stage >= 2,
            lambda: d_loss(self.local_discriminator, real_patches, fake_patches),
            lambda: zero,
        )
        global_d_loss = tf.cond(
            self.stage >= 3,
            lambda: d_loss(self.global_discriminator, faces, completed),
            lambda: zero,
        )
        return self._log(
            {
                "loss": self._loss(terms),
                **terms,
                "local_d_loss": local_d_loss,
                "global_d_loss": global_d_loss,
            }
        )

    def _log(self, values):
        for name, value in values.items():
            self.trackers[name].update_state(value)
        logs = {name: tracker.result() for name, tracker in self.trackers.items()}
        logs["stage"] = ops.convert_to_tensor(self.stage)
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
