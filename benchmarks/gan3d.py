"""Throughput and peak memory of the 3D-GAN train step at 32^3 and 64^3, with and without XLA.

The paper's networks (Wu et al. 2016, Section 3.1: G 17.6 M and D 11.1 M parameters at 64^3; the
32^3 variant has one stage fewer) and optimisers, with D's accuracy threshold set to 1 so that every
step updates D (the gate can only make a step cheaper: a skipped step skips D's backward pass and
optimizer). Random binary voxels stand in for data. Batch 8 by default, a CPU's size (the paper: 100).

Each configuration runs in a fresh child process, so that its memory is its own:
- on CPU, peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (the process's peak resident
  set), read once the model and data exist (``rss_before_mb``) and after the timed steps
  (``peak_rss_mb``); ``step_rss_mb`` is the growth, i.e. what the train step itself needs;
- on a GPU, ``tf.config.experimental.get_memory_info("GPU:0")["peak"]`` is reported as well.
``first_step_s`` includes tracing (and XLA compilation); ``step_s`` is the median of the timed steps.

A configuration that does not finish within ``--timeout`` seconds is reported as such (XLA's CPU
compilation of these 3-D convolutions can take many minutes).

``--implementations`` compares TensorFlow's 3-D convolution kernels (``native``) with the same
convolutions computed over depth slices (``sliced``, ``gan_papers.common.sliced_conv``) and with the
builders' default ``auto`` (``gan_papers.common.conv3d_choice``: the column ``chosen`` says which of
the two it took in that process). ``--g-filters`` / ``--d-filters`` replace the paper's widths (e.g.
the demo profile's ``--g-filters 64 32 16 --d-filters 16 32 64 --resolutions 32 --batch 16``);
``--width-scales`` multiplies them and ``--batch`` takes several sizes, for a sweep that shows
whether a step is much slower than its neighbours in width or batch (a kernel cliff).

    python -m benchmarks.gan3d [--batch 8 ...] [--steps 3] [--resolutions 32 64] [--timeout 900]
                               [--implementations auto native sliced] [--xla 0 1]
                               [--g-filters ...] [--d-filters ...] [--width-scales 1 ...]
                               [--out FILE.json]
"""

import argparse
import itertools
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _rss_mb():
    import resource

    # Linux reports kilobytes, macOS bytes.
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def worker(resolution, xla, implementation, batch, steps, g_filters=None, d_filters=None):
    """One configuration, in this process: prints a JSON row."""
    import keras
    import numpy as np
    import tensorflow as tf

    from benchmarks._common import time_call
    from gan_papers.common.conv3d_choice import resolve_implementation
    from gan_papers.gan3d import GAN3D, build_discriminator, build_generator

    keras.utils.set_random_seed(0)
    model = GAN3D(
        build_generator(resolution, filters=g_filters, implementation=implementation),
        build_discriminator(resolution, filters=d_filters, implementation=implementation),
        accuracy_threshold=1.0,
    )
    model.compile()
    rng = np.random.default_rng(0)
    voxels = tf.constant((rng.uniform(size=(batch,) + (resolution,) * 3 + (1,)) > 0.7), "float32")
    step = tf.function(lambda v: model.train_step(v), jit_compile=xla)
    rss_before = _rss_mb()
    start = time.perf_counter()
    step(voxels)["d_loss"].numpy()
    first = time.perf_counter() - start
    _, median = time_call(lambda: step(voxels)["d_loss"].numpy(), warmup=0, repeats=steps)
    row = {
        "resolution": resolution,
        "xla": xla,
        "conv": implementation,
        "chosen": resolve_implementation(implementation),
        "g_filters": list(g_filters or []),
        "batch": batch,
        "params_g": model.generator.count_params(),
        "params_d": model.discriminator.count_params(),
        "first_step_s": round(first, 2),
        "step_s": round(median, 3),
        "shapes_per_s": round(batch / median, 2),
        "rss_before_mb": round(rss_before),
        "peak_rss_mb": round(_rss_mb()),
        "step_rss_mb": round(_rss_mb() - rss_before),
        "d_updates": int(model.d_optimizer.iterations),
    }
    if tf.config.list_physical_devices("GPU"):
        row["gpu_peak_mb"] = round(tf.config.experimental.get_memory_info("GPU:0")["peak"] / 2**20)
    print("ROW " + json.dumps(row))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[8])
    parser.add_argument("--steps", type=int, default=3, help="timed steps per configuration")
    parser.add_argument("--resolutions", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--out", default="benchmarks/results/gan3d.json")
    parser.add_argument(
        "--timeout", type=int, default=900, help="seconds per configuration (XLA compiles slowly)"
    )
    parser.add_argument(
        "--implementations",
        nargs="+",
        default=["native", "sliced"],
        choices=["auto", "native", "sliced"],
    )
    parser.add_argument("--xla", nargs="+", type=int, default=[0, 1], choices=[0, 1])
    parser.add_argument(
        "--g-filters", type=int, nargs="+", help="G's widths (default: the paper's)"
    )
    parser.add_argument(
        "--d-filters", type=int, nargs="+", help="D's widths (default: the paper's)"
    )
    parser.add_argument(
        "--width-scales",
        type=float,
        nargs="+",
        default=[1.0],
        help="multiply G's and D's widths (given or the paper's) by each of these",
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("RESOLUTION", "XLA", "CONV"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        resolution, xla, implementation = args.worker
        worker(
            int(resolution),
            bool(int(xla)),
            implementation,
            args.batch[0],
            args.steps,
            args.g_filters,
            args.d_filters,
        )
        return

    from benchmarks._common import machine, print_table, write_json
    from gan_papers.gan3d.networks import default_filters

    rows = []
    for resolution, scale, batch, xla, conv in itertools.product(
        args.resolutions, args.width_scales, args.batch, map(bool, args.xla), args.implementations
    ):
        g_default, d_default = default_filters(resolution)
        widths = []
        for flag, value in (
            ("--g-filters", args.g_filters or g_default),
            ("--d-filters", args.d_filters or d_default),
        ):
            widths += [flag, *(str(max(1, round(f * scale))) for f in value)]
        label = {"resolution": resolution, "xla": xla, "conv": conv, "batch": batch, "scale": scale}
        command = [sys.executable, "-m", "benchmarks.gan3d", "--worker", str(resolution)]
        command += [str(int(xla)), conv, "--batch", str(batch), "--steps", str(args.steps)]
        try:
            done = subprocess.run(
                command + widths, capture_output=True, text=True, timeout=args.timeout
            )
        except subprocess.TimeoutExpired:
            rows.append(label | {"note": f"not done in {args.timeout} s"})
            print(f"{label}: not done in {args.timeout} s")
            continue
        lines = [line for line in done.stdout.splitlines() if line.startswith("ROW ")]
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"benchmark {label} failed:\n{done.stderr[-3000:]}")
        rows.append(json.loads(lines[-1][4:]) | {"scale": scale})
        print(json.dumps(rows[-1]))
    print()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    print_table([{c: row.get(c, "") for c in columns} for row in rows], columns)
    write_json({"machine": machine(), "rows": rows}, args.out)


if __name__ == "__main__":
    main()
