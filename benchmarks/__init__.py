"""Benchmark and probe scripts: ``python -m benchmarks.NAME`` (see README.md here)."""

import os

# The same CPU kernels as the package and the notebooks (see gan_papers/__init__.py); set before
# any script imports TensorFlow, and inherited by the child processes the scripts start.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
