"""Importing gan_papers turns TensorFlow's oneDNN kernels on unless the user chose (gan_papers/__init__)."""

import os
import subprocess
import sys

import pytest

_PRINT = "import os, gan_papers; print(os.environ['TF_ENABLE_ONEDNN_OPTS'])"


@pytest.mark.parametrize(("user_value", "expected"), [(None, "1"), ("0", "0"), ("1", "1")])
def test_import_sets_onednn_unless_the_user_did(user_value, expected):
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    if user_value is not None:
        env["TF_ENABLE_ONEDNN_OPTS"] = user_value
    out = subprocess.run(
        [sys.executable, "-c", _PRINT], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected
