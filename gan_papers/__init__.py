"""gan_papers: four GAN papers re-implemented in Keras 3, one walkthrough notebook each.

Sub-packages (import the one you need; each pulls in TensorFlow only when used):

- ``gan_papers.common``: shared pieces (image ranges, colour spaces, metrics, resizing,
  adversarial losses, plotting, callbacks, run profiles).
- ``gan_papers.data``: offline built-in data and loaders for the real datasets.
- ``gan_papers.srgan``: Ledig et al. 2017, SRGAN.
"""

import os

# TensorFlow turns its oneDNN CPU kernels on by itself only on CPUs with AVX-512-class features; on
# an AVX2-only CPU its default kernels ran the SRGAN demo step 2-3x slower (benchmarks/README.md,
# "CPU kernels"). It is read when TensorFlow is imported, so it only acts if this package is
# imported first (the notebooks set it themselves); a value the user set wins.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

from gan_papers.common.source import show_source  # noqa: E402

__version__ = "0.1.0"
__all__ = ["show_source", "__version__"]
