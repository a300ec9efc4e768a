"""SRGAN and SRResNet under Keras' own entry points: fit, train_on_batch, evaluate, test_on_batch."""

import numpy as np
import pytest

from gan_papers import srgan
from tests.srgan.helpers import batch, dataset, tiny_srgan

NAMES = {"content_loss", "adversarial_loss", "perceptual_loss", "d_loss"}


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_fit_train_on_batch_and_evaluate(update):
    model = tiny_srgan()
    model.update = update
    lr, hr = batch()
    # Keras hands train_step (x, y, sample_weight) here: the step must unpack it, not assume pairs.
    logs = model.train_on_batch(lr, hr, return_dict=True)
    assert set(logs) == NAMES and all(np.isfinite(v) for v in logs.values())
    history = model.fit(lr, hr, batch_size=2, epochs=1, verbose=0)
    assert set(history.history) == NAMES
    model.fit(dataset(), epochs=1, verbose=0)
    assert int(model.g_optimizer.iterations) == 1 + 2 + 2
    before = [w.numpy() for w in model.weights]
    for logs in (
        model.evaluate(lr, hr, return_dict=True, verbose=0),
        model.evaluate(dataset(), return_dict=True, verbose=0),
        model.test_on_batch(lr, hr, return_dict=True),
    ):
        assert set(logs) == NAMES and all(np.isfinite(v) for v in logs.values())
    # Evaluating updates nothing.
    for a, b in zip(before, [w.numpy() for w in model.weights], strict=True):
        np.testing.assert_array_equal(a, b)


def test_training_on_lr_alone_is_a_clear_error():
    model = tiny_srgan()
    lr, _ = batch()
    with pytest.raises(ValueError, match=r"\(lr, hr\) pairs"):
        model.train_on_batch(lr)


def test_srresnet_fit_train_on_batch_and_evaluate():
    config = srgan.get_config("smoke")
    model = srgan.build_srresnet(config)
    lr, hr = batch()
    assert np.isfinite(model.train_on_batch(lr, hr))
    model.fit(dataset(), epochs=1, verbose=0)
    assert np.isfinite(model.evaluate(lr, hr, verbose=0))
