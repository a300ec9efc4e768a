"""The ``tf.data`` settings of the built-in pipelines: no autotuning, fixed parallelism.

With ``tf.data``'s autotuning, ``fit`` on a 2-core CPU waited for its batches in multiples of about
51 ms, in some runs and not others: the 3D-GAN demo's step took 205 ms instead of 99, face
completion's stage-1 step 55 instead of 48, and SRResNet's 103 instead of 55 (``benchmarks/
README.md``, "tf.data's autotuning on 2 cores"). The procedural faces and shapes are rendered in
NumPy (``tf.numpy_function``) while the train step runs, on the same few cores: a fixed pool of one
render per core and two batches prefetched keep the step fed. The SR crops (``sr_training``,
built-in photos and image folders alike) keep their pipeline, with autotuning off, and so does
the latent search's one repeated batch (``SemanticInpainter.inpaint``). The batches are the same
either way.
"""

import os

PREFETCH_BATCHES = 2


def render_calls():
    """Batches rendered in parallel: one per core the process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def without_autotuning(dataset):
    """``dataset`` with ``tf.data``'s autotuning off (its ``AUTOTUNE`` settings then take fixed
    defaults)."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


def parallel_render(batches, render):
    """``batches.map(render)``, ``render_calls()`` at a time, in order, ``PREFETCH_BATCHES``
    ahead of the consumer, with autotuning off."""
    rendered = batches.map(render, num_parallel_calls=render_calls(), deterministic=True)
    return without_autotuning(rendered.prefetch(PREFETCH_BATCHES))
