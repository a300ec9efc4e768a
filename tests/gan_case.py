"""What every paper's tests check the same way: exact resume after an interruption.

``interrupted_fit`` stops a ``fit`` with ``BackupAndRestore`` the way a killed session stops; the
test then fits a fresh model with the returned callback and compares it with an uninterrupted run
(``assert_same_weights``).
"""

import keras
import numpy as np
import pytest


class Interrupt(keras.callbacks.Callback):
    """Raises ``KeyboardInterrupt`` as epoch ``at_epoch`` begins."""

    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt


def interrupted_fit(model, data, *, epochs, at_epoch, backup_dir):
    """Fit ``model`` on ``data`` with a backup in ``backup_dir``, interrupted as epoch ``at_epoch``
    begins; returns the ``BackupAndRestore`` callback that a resuming ``fit`` passes on."""
    backup = keras.callbacks.BackupAndRestore(str(backup_dir))
    with pytest.raises(KeyboardInterrupt):
        model.fit(data, epochs=epochs, verbose=0, callbacks=[backup, Interrupt(at_epoch)])
    return backup


def weights_of(model):
    """Every variable of ``model`` (weights, optimizer-free) as NumPy arrays."""
    return [np.array(w) for w in model.weights]


def assert_same_weights(model, other, rtol=1e-5, atol=1e-6):
    """``model`` and ``other`` hold the same weights (up to float round-off)."""
    for a, b in zip(weights_of(model), weights_of(other), strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
