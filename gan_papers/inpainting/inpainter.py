"""Semantic inpainting in one call (Yeh et al. 2017, Section 3): latent search, then Poisson blending.

inpainter = SemanticInpainter(generator, discriminator)
result = inpainter.inpaint(images, masks)      # result.blended, result.generated, result.codes, ...
"""

import dataclasses

import keras
import numpy as np
import tensorflow as tf

from gan_papers.common.masks import check_images_and_masks
from gan_papers.common.progress import TqdmProgress
from gan_papers.common.validation import (
    check_choice,
    check_non_negative,
    check_positive_int,
    check_seed,
)
from gan_papers.data.tuning import without_autotuning
from gan_papers.inpainting.blending import poisson_blend
from gan_papers.inpainting.calibration import CALIBRATIONS, calibrate_discriminator
from gan_papers.inpainting.latent_search import LatentSearch
from gan_papers.inpainting.losses import (
    DEFAULT_LAMBDA,
    DEFAULT_WINDOW,
    PRIORS,
    check_lambda,
    check_window,
)

# The paper's implementation details give Adam and 1,500 iterations (as the spec records them, with
# KrnTneja/PyTorch-Implementation-of-Semantic-Image-Inpainting-with-Deep-Generative-Models
# README.md), not a learning rate. 0.01 with beta_1 0.9 is bamos/dcgan-completion.tensorflow's Adam
# (complete.py: --lr 0.01 --beta1 0.9, --nIter 1000); the authors' release uses Nesterov momentum
# 0.9 instead, lr 0.01 for 1,000 iterations in 2017 and lr 0.0003 for 3,000 in 2018
# (moodoki/semantic_image_inpainting src/inpaint.py, src/model.py backprop_to_input).
DEFAULT_ITERATIONS = 1500
D_STATISTICS = ("as_trained", *CALIBRATIONS)
DEFAULT_LEARNING_RATE = 0.01


# Compiled once (it retraces only for a new batch shape): with XLA the conjugate-gradient loop runs
# several times faster than eagerly.
_compiled_blend = tf.function(poisson_blend, jit_compile=True)


@dataclasses.dataclass
class InpaintingResult:
    """What ``SemanticInpainter.inpaint`` returns (NumPy arrays; images in [-1, 1])."""

    blended: np.ndarray  # x_hat: G(z_hat) Poisson-blended into the known pixels (eq. 5)
    generated: np.ndarray  # G(z_hat), the raw completion
    codes: np.ndarray  # z_hat, (B, latent_dim)
    losses: np.ndarray  # the final objective L_c + L_p per image
    history: dict  # context_loss, prior_loss, loss: batch means every ``log_every`` steps
    frames: list  # G(z) at the start and every ``log_every`` steps, with ``keep_frames``


class _Frames(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.frames = []

    def on_train_begin(self, logs=None):
        self.frames.append(np.asarray(self.model(training=False)))  # the random starting codes

    def on_epoch_end(self, epoch, logs=None):
        self.frames.append(np.asarray(self.model(training=False)))


class SemanticInpainter:
    """Fill the missing pixels of images with a trained DCGAN (Yeh et al. 2017).

    Args:
        generator, discriminator: the trained DCGAN prior (``DCGAN.generator``/``.discriminator``).
        lam: lambda, the prior loss weight (eq. 3), a number >= 0; 0 turns the prior off.
        prior: ``"paper"`` (lambda log(1 - D(G(z)))) or ``"nonsaturating"`` (-lambda log D(G(z))).
        window: the importance-weight window w (eq. 2), an odd positive int.
        d_statistics: the batch-norm statistics D reads in the prior loss (it runs in inference
            mode). ``"generated"`` (the default): recomputed over ``calibration_samples`` samples
            G(z), the population the search shows D (``calibrate_discriminator``; D was trained
            on real and generated batches apart, and the moving averages training leaves are a
            mixture of the two that depends on the last batches). ``"as_trained"``: those moving
            averages, as the public ports read them. ``"mixed"``, ``"separate"``, ``"real"``: see
            ``calibrate_discriminator``; they need ``calibration_images``. The prior reads a
            calibrated copy: the caller's networks are never modified.
        calibration_images: real training images (N, H, W, 3) in [-1, 1], or None.
        calibration_samples: how many samples G(z) calibrate D (default: as many as
            ``calibration_images``, or 512).
        calibration_seed: seeds the calibration samples.
    """

    def __init__(
        self,
        generator,
        discriminator,
        lam=DEFAULT_LAMBDA,
        prior="paper",
        window=DEFAULT_WINDOW,
        d_statistics="generated",
        calibration_images=None,
        calibration_samples=None,
        calibration_seed=0,
    ):
        self.generator = generator
        self.lam = check_lambda(lam)
        self.prior = check_choice(prior, "prior", PRIORS)
        self.window = check_window(window)
        self.d_statistics = check_choice(d_statistics, "d_statistics", D_STATISTICS)
        self.image_shape = tuple(int(d) for d in generator.output_shape[1:])
        if d_statistics != "as_trained":
            if d_statistics != "generated" and calibration_images is None:
                raise ValueError(
                    f'`calibration_images` (real training images) are needed for d_statistics="'
                    f'{d_statistics}"; received None.'
                )
            trained = discriminator
            discriminator = keras.models.clone_model(trained)
            discriminator.set_weights(trained.get_weights())
            calibrate_discriminator(
                discriminator,
                generator,
                calibration_images,
                d_statistics,
                samples=calibration_samples,
                seed=calibration_seed,
            )
        self.discriminator = discriminator
        # One LatentSearch per batch shape and search setting, restarted on each call, so that
        # inpainting batch after batch traces the search step once (0.4 s a call at the demo's size).
        self._searches = {}

    def _search(self, batch_size, restarts, jit_compile, seed):
        """A compiled ``LatentSearch`` for this call, starting as a new one would (``restart``)."""
        key = (batch_size, restarts, self.lam, self.prior, self.window, jit_compile)
        search = self._searches.get(key)
        if search is None:
            search = LatentSearch(
                self.generator,
                self.discriminator,
                batch_size=batch_size,
                restarts=restarts,
                lam=self.lam,
                prior=self.prior,
                window=self.window,
                seed=seed,
            )
            optimizer = keras.optimizers.Adam(DEFAULT_LEARNING_RATE, beta_1=0.9)
            search.compile(optimizer=optimizer, jit_compile=jit_compile)
            self._searches[key] = search
        else:
            search.restart(seed)
        return search

    def inpaint(
        self,
        images,
        masks,
        iterations=DEFAULT_ITERATIONS,
        learning_rate=DEFAULT_LEARNING_RATE,
        restarts=1,
        blend=True,
        log_every=50,
        keep_frames=False,
        progress=True,
        jit_compile="auto",
        seed=0,
    ):
        """Complete ``images`` (B, H, W, 3) in [-1, 1] where ``masks`` (B, H, W, 1) is 0.

        Pixels under the hole may hold anything: only known pixels are read. Returns an
        ``InpaintingResult``. ``blend=False`` skips Poisson blending (``blended`` then pastes G(z)
        into the hole unchanged).

        ``jit_compile`` is the search's ``compile`` argument: ``"auto"`` (Keras' default) uses XLA on
        a GPU only, because on a CPU XLA makes DCGAN's transposed convolutions 2-4 times slower
        (``benchmarks/inpainting.py``). The blending is compiled with XLA unless it is ``False``:
        its conjugate-gradient loop is several times faster so, on any device.
        """
        check_images_and_masks(images, masks, self.image_shape)
        images = np.asarray(images, dtype=np.float32)
        masks = np.asarray(masks, dtype=np.float32)
        known = masks.reshape(len(masks), -1).sum(axis=1)
        if not known.all():
            empty = np.flatnonzero(known == 0)
            raise ValueError(
                "`masks` must mark some known pixels in every image (1 = known, 0 = missing): the "
                "search fits G(z) to the known pixels, and with none it has nothing to fit. "
                f"Received masks with no known pixel for {len(empty)} of {len(masks)} images "
                f"(indices {empty[:8].tolist()}{', ...' if len(empty) > 8 else ''}); an inverted "
                "mask (1 = missing) does this: pass 1 - mask."
            )
        iterations = check_positive_int(iterations, "iterations")
        log_every = min(check_positive_int(log_every, "log_every"), iterations)
        restarts = check_positive_int(restarts, "restarts")
        seed = None if seed is None else check_seed(seed)
        if not check_non_negative(learning_rate, "learning_rate") > 0:
            raise ValueError(f"`learning_rate` must be a number > 0; received {learning_rate!r}.")
        for flag, name in ((blend, "blend"), (keep_frames, "keep_frames"), (progress, "progress")):
            if not isinstance(flag, bool | np.bool_):
                raise ValueError(f"`{name}` must be True or False; received {flag!r}.")
        if jit_compile not in ("auto", True, False):
            raise ValueError(
                f"`jit_compile` must be 'auto', True or False; received {jit_compile!r}."
            )
        # The search runs epochs * log_every >= iterations steps.
        epochs = -(-iterations // log_every)
        corrupted = images * masks  # the search never sees the hole's content

        search = self._search(len(images), restarts, jit_compile, seed)
        search.optimizer.learning_rate = learning_rate
        # Nothing to tune in one repeated batch; with tf.data's autotuning on, fit stalled for 0.5 s
        # as it returned, in about half the calls (against 0.8 s for 50 steps at the demo's size).
        data = without_autotuning(tf.data.Dataset.from_tensors((corrupted, masks)).repeat())
        frames = _Frames()
        callbacks = [
            keras.callbacks.TerminateOnNaN(),
            TqdmProgress(
                epochs * log_every, desc="latent search", keys=["loss"], disable=not progress
            ),
        ]
        if keep_frames:
            callbacks.append(frames)
        history = search.fit(
            data,
            steps_per_epoch=log_every,
            epochs=epochs,
            callbacks=callbacks,
            verbose=0,
            shuffle=False,  # one repeated batch; Keras warns that shuffle=True is ignored for it
        )
        codes, losses = search.best_codes(corrupted, masks)
        generated = np.asarray(self.generator(codes, training=False), dtype=np.float32)
        if blend:
            solve = _compiled_blend if jit_compile is not False else poisson_blend
            blended = np.asarray(solve(generated, corrupted, masks))
        else:
            blended = corrupted + (1.0 - masks) * generated
        return InpaintingResult(
            blended=blended,
            generated=generated,
            codes=np.asarray(codes),
            losses=np.asarray(losses),
            history=history.history,
            frames=frames.frames,
        )
