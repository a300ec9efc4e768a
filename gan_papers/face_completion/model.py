"""Training the face completion GAN (Li et al. 2017, Section 3.4 and 4.1): one generator, two
discriminators and a frozen parser, with the objective built up over three stages.

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p          (paper, eq. 3)

Read with it: ``stages`` (which terms and discriminators each stage trains, switched by a ``tf.cond``
on the stage variable), ``completion`` (what G completes, what each network sees, and how each term's
gradient reaches G's output), ``objective`` (the four terms on G's completion, and eq. 3's weights
for either loss reduction) and ``batches`` (the faces a step trains on, and the discriminators'
share of them).
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from gan_papers.common.gan_model import GANModel
from gan_papers.common.losses import discriminator_loss
from gan_papers.common.masks import check_images_and_masks
from gan_papers.common.validation import check_choice, check_non_negative
from gan_papers.face_completion.batches import DISCRIMINATOR_BATCHES, split_batch, unpack_faces
from gan_papers.face_completion.completion import GLOBAL_GRADIENTS as GLOBAL_GRADIENTS
from gan_papers.face_completion.completion import complete
from gan_papers.face_completion.completion import composite as composite
from gan_papers.face_completion.completion import global_input as global_input
from gan_papers.face_completion.completion import noise_filled as noise_filled
from gan_papers.face_completion.losses import RECONSTRUCTION_KINDS, REDUCTIONS
from gan_papers.face_completion.objective import PAPER_LAMBDAS as PAPER_LAMBDAS
from gan_papers.face_completion.objective import generator_terms, loss_weights, total_loss
from gan_papers.face_completion.patches import random_hole_masks
from gan_papers.face_completion.stages import STAGES as STAGES
from gan_papers.face_completion.stages import check_stage, discriminator_steps, from_stage


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
        stage: the stage to start in (1, 2 or 3); see ``stages``.
        seed: seeds the noise fill and the random holes.

    Logs (epoch means): ``loss`` (L of eq. 3), its four terms, each discriminator's loss (0 before
    its stage) and ``stage``.
    """

    SUBMODELS = ("generator", "local_discriminator", "global_discriminator", "parser")
    TRACKERS = (
        "loss",  # L, what the generator minimises
        "reconstruction_loss",
        "local_adversarial_loss",
        "global_adversarial_loss",
        "parsing_loss",
        "local_d_loss",
        "global_d_loss",
    )

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
        self.lambdas = _checked_lambdas(lambda_local, lambda_global, lambda_parsing)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.stage = keras.Variable(
            check_stage(stage), dtype="int32", trainable=False, name="stage"
        )

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
        self.stage.assign(check_stage(stage))

    def set_lambdas(self, lambda_local=None, lambda_global=None, lambda_parsing=None):
        """Change lambda_1..3 of eq. 3 (``None`` keeps one); the next step retraces with them.

        For ablations on one trained model: e.g. stage 3 without L_p, forked from the same stage-2
        model as the real stage 3 (notebook 02), is the paper's M3 against its full model.
        """
        given = (lambda_local, lambda_global, lambda_parsing)
        self.lambdas = _checked_lambdas(
            *(old if new is None else new for old, new in zip(self.lambdas, given, strict=True))
        )
        # The lambdas are Python numbers in the traced steps: drop them so they retrace.
        self.train_function = self.test_function = self.predict_function = None

    @property
    def current_stage(self):
        return int(self.stage.numpy())

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
        check_images_and_masks(faces, masks, (self.image_size, self.image_size, 3), "faces", "face")
        completed = ops.convert_to_numpy(self([faces, masks], training=False))
        return np.clip(completed, -1.0, 1.0)

    # ------------------------------------------------------------------ training
    def _weights(self):
        """lambda_1..3 for this model's reductions (``objective.loss_weights``)."""
        return loss_weights(
            self.lambdas, self.image_size, self.reconstruction_reduction, self.parsing_reduction
        )

    def _unpack(self, data):
        """``(faces, masks)`` of a step (``batches.unpack_faces``), masks drawn when not given."""
        faces, masks = unpack_faces(data, self.image_size)
        if masks is None:
            masks = self.draw(
                lambda n: random_hole_masks(
                    n, self.image_size, self.hole_size, self.seed_generator
                ),
                ops.shape(faces)[0],
            )
        return faces, ops.cast(masks, "float32")

    def _noise(self, batch_size):
        return self.draw(
            lambda n: keras.random.uniform(
                (n, self.image_size, self.image_size, 3), -1.0, 1.0, seed=self.seed_generator
            ),
            batch_size,
        )

    def _complete(self, faces, masks, noise, training):
        return complete(self.generator, faces, masks, noise, self.patch_size, training)

    def train_step(self, data):
        """G's step on eq. 3 with the terms of its stage; each discriminator's from its stage on."""
        faces, masks = self._unpack(data)
        noise = self._noise(ops.shape(faces)[0])
        if self.discriminator_batch == "separate":
            # demo_GFC_training.m: the discriminators first step on faces, holes and noise of their
            # own, then G steps on the other faces against the updated discriminators.
            (d_faces, d_masks, d_noise), (faces, masks, noise) = split_batch(faces, masks, noise)
            d_completion = self._complete(d_faces, d_masks, d_noise, training=True)
            d_losses = discriminator_steps(self, d_faces, d_completion)

        with tf.GradientTape() as g_tape:
            c = self._complete(faces, masks, noise, training=True)  # G's completion
            terms = generator_terms(self, faces, c, training=True)  # L_r, L_a1, L_a2 (eq. 1), L_p
            loss = total_loss(terms, self._weights())  # L, eq. 3
            g_objective = self.objective(self.g_optimizer, loss)
        self.descend(self.g_optimizer, g_tape, g_objective, self.generator)

        if self.discriminator_batch == "shared":
            # The discriminators learn from the same (pre-update) completions G was judged on.
            d_losses = discriminator_steps(self, faces, c)
        return self.record(loss=loss, **terms, **d_losses)

    def test_step(self, data):
        """The losses of ``train_step`` on ``data`` (the whole batch), without any update."""
        faces, masks = self._unpack(data)
        c = self._complete(faces, masks, self._noise(ops.shape(faces)[0]), training=False)
        terms = generator_terms(self, faces, c, training=False)

        def d_loss(discriminator, real, fake):
            return discriminator_loss(
                discriminator(real, training=False), discriminator(fake, training=False)
            )

        return self.record(
            loss=total_loss(terms, self._weights()),
            **terms,
            local_d_loss=from_stage(
                self.stage,
                2,
                lambda: d_loss(self.local_discriminator, c.real_patches, c.fake_patches),
            ),
            global_d_loss=from_stage(
                self.stage, 3, lambda: d_loss(self.global_discriminator, faces, c.completed)
            ),
        )

    def record(self, **values):
        """``GANModel.record``, and the stage the step trained in (``stage``)."""
        logs = super().record(**values)
        logs["stage"] = ops.convert_to_tensor(self.stage)
        return logs


def _checked_lambdas(lambda_local, lambda_global, lambda_parsing):
    return tuple(
        check_non_negative(v, name)
        for v, name in (
            (lambda_local, "lambda_local"),
            (lambda_global, "lambda_global"),
            (lambda_parsing, "lambda_parsing"),
        )
    )
