"""Semantic inpainting in one call (Yeh et al. 2017, Section 3): latent search, then Poisson blending.

inpainter = SemanticInpainter(generator, discriminator)
result = inpainter.inpaint(images, masks)      # result.blended, result.generated, result.codes, ...
"""

import dataclasses

import keras
import numpy as np
import tensorflow as tf

from gan_papers.common.masks import check_mask
from gan_papers.common.progress import TqdmProgress
from gan_papers.common.validation import check_image_batch, check_positive_int
from gan_papers.inpainting.blending import poisson_blend
from gan_papers.inpainting.latent_search import LatentSearch
from gan_papers.inpainting.losses import DEFAULT_LAMBDA, DEFAULT_WINDOW

# 1500 Adam steps at learning rate 0.01 (beta_1 0.9) are what public re-implementations of the
# paper use; the paper's text gives neither. Both are arguments of ``inpaint``.
DEFAULT_ITERATIONS = 1500
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
        lam: lambda, the prior loss weight (eq. 3); 0 turns the prior off.
        prior: ``"paper"`` (lambda log(1 - D(G(z)))) or ``"nonsaturating"`` (-lambda log D(G(z))).
        window: the importance-weight window w (eq. 2).
    """

    def __init__(
        self, generator, discriminator, lam=DEFAULT_LAMBDA, prior="paper", window=DEFAULT_WINDOW
    ):
        self.generator = generator
        self.discriminator = discriminator
        self.lam, self.prior, self.window = lam, prior, window
        self.image_shape = tuple(int(d) for d in generator.output_shape[1:])

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
        check_image_batch(images, "images")
        check_mask(masks, "masks", like=images)
        if tuple(np.shape(images)[1:]) != self.image_shape:
            raise ValueError(
                f"`images` must be of the generator's size {self.image_shape}; received shape "
                f"{tuple(np.shape(images))}."
            )
        if np.shape(masks)[0] != np.shape(images)[0]:
            raise ValueError(
                f"`masks` must have one mask per image; received {np.shape(masks)[0]} masks "
                f"for {np.shape(images)[0]} images."
            )
        iterations = check_positive_int(iterations, "iterations")
        log_every = min(check_positive_int(log_every, "log_every"), iterations)
        epochs = -(
            -iterations // log_every
        )  # the search runs epochs * log_every >= iterations steps
        images = np.asarray(images, dtype=np.float32)
        masks = np.asarray(masks, dtype=np.float32)
        corrupted = images * masks  # the search never sees the hole's content

        search = LatentSearch(
            self.generator,
            self.discriminator,
            batch_size=len(images),
            restarts=restarts,
            lam=self.lam,
            prior=self.prior,
            window=self.window,
            seed=seed,
        )
        search.compile(
            optimizer=keras.optimizers.Adam(learning_rate, beta_1=0.9), jit_compile=jit_compile
        )
        data = tf.data.Dataset.from_tensors((corrupted, masks)).repeat()
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
