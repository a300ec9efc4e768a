"""Throughput of SRGAN's train step on this machine, with and without XLA.

The paper's setting: batch 16, LR 24x24 -> HR 96x96, SRResNet with B = 16, the VGG54 content loss
(random VGG weights here: the cost is the same and no download is needed). Prints images/s,
achieved FLOP/s and that as a fraction of a measured Conv2D peak; writes JSON.

    python -m benchmarks.srgan_step [--content vgg54|mse] [--steps 5] [--out FILE.json]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from benchmarks._common import (  # noqa: E402
    conv2d_peak,
    graph_flops,
    machine,
    print_table,
    time_call,
    write_json,
)
from gan_papers import srgan  # noqa: E402


def build(content):
    model = srgan.SRGAN(srgan.build_generator(), srgan.build_discriminator())
    loss = srgan.ContentLoss(content, weights=None) if content != "mse" else "mse"
    model.compile(content_loss=loss)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="vgg54", choices=["mse", "vgg22", "vgg54"])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5, help="timed steps per mode")
    parser.add_argument("--out", default="benchmarks/results/srgan_step.json")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    lr = tf.constant(rng.uniform(0, 1, (args.batch, 24, 24, 3)).astype("float32"))
    hr = tf.constant(rng.uniform(-1, 1, (args.batch, 96, 96, 3)).astype("float32"))
    specs = (tf.TensorSpec(lr.shape), tf.TensorSpec(hr.shape))

    peak, peak_shape = conv2d_peak()
    rows = []
    for jit in (False, True):
        keras.utils.set_random_seed(0)
        model = build(args.content)
        step = tf.function(lambda a, b, m=model: m.train_step((a, b)), jit_compile=jit)
        flops = graph_flops(step, *specs)
        best, median = time_call(lambda s=step: s(lr, hr)["d_loss"].numpy(), repeats=args.steps)
        rows.append(
            {
                "xla": jit,
                "content": args.content,
                "batch": args.batch,
                "step_s": round(median, 3),
                "images_per_s": round(args.batch / median, 2),
                "gflop_per_step": round(flops / 1e9, 1),
                "gflop_per_s": round(flops / median / 1e9, 1),
                "fraction_of_conv_peak": round(flops / median / peak, 3),
            }
        )
        keras.backend.clear_session()
    print(f"Conv2D peak ({peak_shape}): {peak / 1e9:.1f} GFLOP/s")
    print_table(rows, list(rows[0]))
    write_json(
        {
            "machine": machine(),
            "conv2d_peak_gflops": peak / 1e9,
            "conv2d_peak_shape": peak_shape,
            "rows": rows,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
