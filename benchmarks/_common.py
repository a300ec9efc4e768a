"""Shared benchmark helpers: timing, FLOP counting, a measured Conv2D peak, JSON output."""

import json
import os
import platform
import time

import numpy as np


def time_call(fn, warmup=2, repeats=5):
    """Best and median seconds per call of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.min(times)), float(np.median(times))


def graph_flops(tf_function, *input_specs):
    """Floating-point operations of one call of a ``tf.function``, counted on its graph.

    Uses TensorFlow's graph profiler, which knows the FLOP cost of convolutions, their two
    gradient kernels and matrix multiplies (the ops that dominate these networks).
    """
    from tensorflow.python.profiler import model_analyzer, option_builder

    graph = tf_function.get_concrete_function(*input_specs).graph
    options = option_builder.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return int(model_analyzer.profile(graph, options=options).total_float_ops)


def conv2d_peak(repeats=5):
    """A practical FLOP/s peak: the fastest forward 3x3 Conv2D among a few shapes, with and without XLA.

    Returns ``(flop_per_s, description)``.
    """
    import keras
    import tensorflow as tf

    best = (0.0, "")
    for batch, size, channels in ((16, 96, 64), (16, 48, 256), (16, 24, 512)):
        layer = keras.layers.Conv2D(channels, 3, padding="same", use_bias=False)
        x = tf.random.normal((batch, size, size, channels))
        layer.build(x.shape)
        flops = 2 * 9 * channels * channels * size * size * batch
        for jit in (False, True):
            step = tf.function(lambda layer=layer, x=x: layer(x), jit_compile=jit)
            seconds, _ = time_call(lambda step=step: step().numpy(), warmup=2, repeats=repeats)
            if flops / seconds > best[0]:
                best = (flops / seconds, f"{batch}x{size}x{size}x{channels}, 3x3, xla={jit}")
    return best


def machine():
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def write_json(results, path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {path}")


def print_table(rows, columns):
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True)))
