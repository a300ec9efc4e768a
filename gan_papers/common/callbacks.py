"""A live image grid during ``fit``: the generator's samples every few epochs.

Not a paper's equation: every paper's notebook watches its generator improve while it
trains. The callback runs in Python between epochs, after ``fit`` has left the compiled
``train_step``, so it works the same with ``jit_compile=True`` and under ``tf.distribute``.
"""

import io
import uuid
from pathlib import Path

import keras
import matplotlib.pyplot as plt

from gan_papers.common.plotting import image_grid, save_figure
from gan_papers.common.plotting.images import check_value_range
from gan_papers.common.validation import check_positive_int


def _in_notebook():
    """True inside a Jupyter kernel (where a display can be updated in place)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class ImageGridCallback(keras.callbacks.Callback):
    """Draw the generator's samples every ``every`` epochs and at the end of training.

    Give either ``sample_fn(model) -> images`` (any NHWC batch or list that ``image_grid``
    accepts), or fixed ``inputs`` (e.g. a batch of z or of LR images), which are fed to
    ``generator(inputs, training=False)``; ``generator`` defaults to ``model.generator``
    (the GAN models of this package) or, if the model has none, to the model itself (e.g.
    an SRResNet trained with a plain ``compile(loss="mse")``). Fixed inputs show the same
    samples every time, so the grids show progress rather than sampling noise.

    Each grid is saved to ``out_dir/epoch_{n:03d}.png`` (``n`` counts from 1, as ``fit``
    prints epochs) when ``out_dir`` is given; the paths are kept in ``self.paths``. In
    Jupyter (``show=True``) the grid is displayed once and replaced in place each time, so
    the notebook shows one live grid; elsewhere nothing is displayed. At the end of training
    the last epoch is drawn unless it already was.
    """

    def __init__(
        self,
        sample_fn=None,
        inputs=None,
        generator=None,
        every=1,
        out_dir=None,
        value_range=(-1, 1),
        nrows=None,
        titles=None,
        show=True,
        dpi=100,
    ):
        super().__init__()
        if (sample_fn is None) == (inputs is None):
            raise ValueError(
                "Give exactly one of `sample_fn` (a function model -> images) or `inputs` "
                f"(fed to the generator); received sample_fn={sample_fn!r} and "
                f"inputs of type {type(inputs).__name__}."
            )
        if sample_fn is not None and not callable(sample_fn):
            raise ValueError(
                f"`sample_fn` must be callable as sample_fn(model); received {sample_fn!r}."
            )
        if generator is not None and not callable(generator):
            raise ValueError(f"`generator` must be a callable model; received {generator!r}.")
        self.sample_fn = sample_fn
        self.inputs = inputs
        self.generator = generator
        self.every = check_positive_int(every, "every")
        self.out_dir = None if out_dir is None else Path(out_dir)
        self.value_range = check_value_range(value_range)
        if nrows is not None:
            check_positive_int(nrows, "nrows")
        self.nrows = nrows
        self.titles = titles
        self.show = bool(show)
        self.dpi = check_positive_int(dpi, "dpi")
        self.paths = []
        self.epochs_drawn = []
        self._last_epoch = None
        self._display_id = None

    def _samples(self):
        if self.sample_fn is not None:
            return self.sample_fn(self.model)
        generator = self.generator
        if generator is None:
            generator = getattr(self.model, "generator", None)
        if generator is None:
            generator = self.model
        return generator(self.inputs, training=False)

    def _draw(self, epoch_number):
        fig = image_grid(
            self._samples(), nrows=self.nrows, titles=self.titles, value_range=self.value_range
        )
        fig.suptitle(f"epoch {epoch_number}", fontsize=10)
        fig.tight_layout()  # again, to make room for the title
        try:
            if self.out_dir is not None:
                path = self.out_dir / f"epoch_{epoch_number:03d}.png"
                self.paths.append(save_figure(fig, path, dpi=self.dpi))
            if self.show and _in_notebook():
                self._display(fig)
        finally:
            # Closed, so pyplot neither keeps every grid in memory nor shows it again at
            # the end of the notebook cell.
            plt.close(fig)
        self.epochs_drawn.append(epoch_number)

    def _display(self, fig):
        from IPython.display import Image, display

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=self.dpi, bbox_inches="tight")
        image = Image(data=buffer.getvalue())
        if self._display_id is None:
            self._display_id = uuid.uuid4().hex
            display(image, display_id=self._display_id)
        else:
            display(image, display_id=self._display_id, update=True)

    def on_train_begin(self, logs=None):
        # A new fit() call gets a new display cell; saved paths accumulate across calls.
        self._display_id = None
        self._last_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        self._last_epoch = epoch + 1
        if self._last_epoch % self.every == 0:
            self._draw(self._last_epoch)

    def on_train_end(self, logs=None):
        drawn = self.epochs_drawn[-1] if self.epochs_drawn else None
        if self._last_epoch is not None and drawn != self._last_epoch:
            self._draw(self._last_epoch)
