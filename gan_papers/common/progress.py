"""A tqdm progress bar for ``fit`` that counts steps across epochs (one bar for the whole run)."""

import keras
from tqdm.auto import tqdm


class TqdmProgress(keras.callbacks.Callback):
    """Advance one tqdm bar per training step and show the latest logs beside it.

    Keras' own progress bar restarts every epoch; searches and short GAN runs that use epochs as
    logging intervals read better with one bar for all ``total`` steps.
    """

    def __init__(self, total, desc=None, keys=None, disable=False):
        super().__init__()
        self.total, self.desc, self.keys, self.disable = total, desc, keys, disable
        self.bar = None

    def on_train_begin(self, logs=None):
        self.bar = tqdm(total=self.total, desc=self.desc, disable=self.disable, leave=True)

    def on_train_batch_end(self, batch, logs=None):
        self.bar.update(1)

    def on_epoch_end(self, epoch, logs=None):
        if logs:
            keys = self.keys or list(logs)
            self.bar.set_postfix({k: f"{float(logs[k]):.4g}" for k in keys if k in logs})

    def on_train_end(self, logs=None):
        self.bar.close()
