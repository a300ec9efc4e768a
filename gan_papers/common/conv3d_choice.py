"""``implementation="auto"``: TensorFlow's 3-D convolution kernels, or the sliced form where they are slow.

Which of the two ways to compute a 3-D convolution is faster depends on the kernel library that
TensorFlow runs, not on the network:

- with oneDNN's kernels (``TF_ENABLE_ONEDNN_OPTS=1``, which ``gan_papers`` sets before TensorFlow is
  imported) the native ``Conv3D`` / ``Conv3DTranspose`` are 3-4x faster than the sliced form, forward
  and backward, at every width and batch measured;
- with TensorFlow's default CPU kernels (oneDNN off: TensorFlow imported before ``gan_papers`` with
  the variable unset on a CPU without AVX-512, or ``TF_ENABLE_ONEDNN_OPTS=0``), the backward passes
  of a 3-D convolution are 16-23x *slower* than the sliced form (``benchmarks/README.md``, "3D-GAN").

So ``"auto"`` measures once per process: one small convolution and one small transposed
convolution (batch 2, the 3D-GAN demo's middle layers), forward and both gradients, computed both
ways, median of 3 calls after one warm-up. Native wins unless it is more than ``SLOWER_BY`` times
slower than the sliced form. The two cases differ by a factor of 50 or more (0.3x against
16x), so the choice does not flip with machine load. On a GPU the native kernels are used
without measuring (cuDNN has no such cliff). Under ``jit_compile=True`` XLA compiles its own
kernels whichever layers were chosen.
"""

import functools
import time

import numpy as np

IMPLEMENTATIONS = ("auto", "native", "sliced")
SLOWER_BY = 3.0


def resolve_implementation(implementation):
    """``"native"`` or ``"sliced"`` for ``implementation`` (one of ``IMPLEMENTATIONS``)."""
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(
            f"`implementation` must be one of {IMPLEMENTATIONS}; received {implementation!r}."
        )
    return fastest_3d_implementation() if implementation == "auto" else implementation


def _seconds_per_call(layer, shape):
    import tensorflow as tf

    x = tf.random.stateless_normal(shape, seed=(0, 0))
    layer.build(shape)

    def call():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        for gradient in tape.gradient(y, [x, layer.kernel]):
            gradient.numpy()

    call()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


@functools.cache
def fastest_3d_implementation():
    """``"native"`` or ``"sliced"``: measured once per process (see the module docstring)."""
    import tensorflow as tf
    from keras import layers

    from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose

    if tf.config.list_logical_devices("GPU"):
        return "native"
    with tf.device("/CPU:0"):
        native = sliced = 0.0
        for native_cls, sliced_cls, shape, filters in (
            (layers.Conv3D, SlicedConv3D, (2, 16, 16, 16, 16), 32),
            (layers.Conv3DTranspose, SlicedConv3DTranspose, (2, 8, 8, 8, 32), 16),
        ):
            # Constant weights: timing needs no random draws, and the global seed stays untouched
            # (the networks built next get the same weights whether or not this ran).
            kwargs = dict(
                filters=filters,
                kernel_size=4,
                strides=2,
                padding="same",
                kernel_initializer="ones",
                dtype="float32",
            )
            native += _seconds_per_call(native_cls(**kwargs), shape)
            sliced += _seconds_per_call(sliced_cls(**kwargs), shape)
    return "sliced" if native > SLOWER_BY * sliced else "native"
