"""Layer helpers the DCGAN-style builders share (Radford et al. 2016; used by 3D-GAN and Yeh et al.).

- ``dcgan_init``: weights from N(0, 0.02), DCGAN's initialisation, a fresh initializer per layer
  (one shared instance would be a single random stream, which Keras warns about reusing);
- ``batch_norm``: ``BatchNormalization`` with the momentum / epsilon a paper's framework used and,
  under ``tf.distribute``, statistics over the global batch when ``synchronized``.
"""

import keras
from keras import layers

# Radford et al. 2016, Section 4: "All weights were initialized from a zero-centered Normal
# distribution with standard deviation 0.02."
DCGAN_INIT_STDDEV = 0.02


def dcgan_init(stddev=DCGAN_INIT_STDDEV):
    """A new ``RandomNormal(0, stddev)`` initializer (DCGAN: stddev 0.02)."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=stddev)


def batch_norm(name, momentum=0.99, epsilon=1e-3, synchronized=False):
    """A named ``BatchNormalization`` layer (defaults: Keras's momentum and epsilon)."""
    return layers.BatchNormalization(
        momentum=momentum, epsilon=epsilon, synchronized=synchronized, name=name
    )
