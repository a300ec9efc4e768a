"""The ``tf.data`` settings of the built-in procedural pipelines: fixed parallelism, no autotuning.

The procedural faces and shapes are rendered in NumPy (``tf.numpy_function``) while the train step
runs, on the same few cores. With ``tf.data``'s autotuning, ``fit`` on a 2-core CPU waited for
its batches in multiples of about 51 ms: the 3D-GAN demo's step took 205 ms instead of 99, and
face completion's stage-1 step 55 instead of 48 (``benchmarks/README.md``, "tf.data autotuning on
2 cores"). A fixed pool of one render per core and two batches prefetched keep the step fed
without it. The batches are the same either way (``deterministic=True``).
"""

import os

PREFETCH_BATCHES = 2


def render_calls():
    """Batches rendered in parallel: one per core the process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def parallel_render(batches, render):
    """``batches.map(render)``, ``render_calls()`` at a time, in order, ``PREFETCH_BATCHES``
    ahead of the consumer, with autotuning off."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    rendered = batches.map(render, num_parallel_calls=render_calls(), deterministic=True)
    return rendered.prefetch(PREFETCH_BATCHES).with_options(options)
