"""Shared test set-up: quiet TensorFlow, the smoke profile, a seed and the float32 policy per test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # as the package and the notebooks
os.environ.setdefault("GAN_PAPERS_PROFILE", "smoke")

import keras  # noqa: E402
import matplotlib  # noqa: E402
import pytest  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _fresh_keras():
    keras.utils.set_random_seed(0)
    yield
    # No clear_session() here: it costs ~0.5 s per test (a full gc) and nothing depends on it.
    keras.mixed_precision.set_global_policy("float32")
