"""gan_papers: four GAN papers re-implemented in Keras 3, one walkthrough notebook each.

Sub-packages (import the one you need; each pulls in TensorFlow only when used):

- ``gan_papers.common``: shared pieces (image ranges, colour spaces, metrics, resizing,
  adversarial losses, plotting, callbacks, run profiles).
- ``gan_papers.data``: offline built-in data and loaders for the real datasets.
- ``gan_papers.srgan``: Ledig et al. 2017, SRGAN.
"""

from gan_papers.common.source import show_source

__version__ = "0.1.0"
__all__ = ["show_source", "__version__"]
