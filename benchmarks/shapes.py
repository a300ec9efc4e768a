"""Speed of the procedural 3-D shapes (gan_papers.data.shapes) on one CPU core.

Times ``make_shapes`` (voxel grids and labels) at 32^3 and 64^3, ``render_views`` of those grids
(64x64 shaded views, the 3D-VAE-GAN's input) and, at 32^3, the ``shape_dataset`` tf.data pipeline
with views. The target from the issue is >= 500 shapes/s at 32^3 on one core. Prints a table and
writes JSON.

    python -m benchmarks.shapes [--batch 256] [--repeats 5] [--out FILE.json]

Run it as ``taskset -c 0 python -m benchmarks.shapes`` to hold it to one core: the NumPy work runs
on one thread, but the tf.data row may use more.
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from benchmarks._common import machine, print_table, time_call, write_json  # noqa: E402
from gan_papers.data.shapes import make_shapes, render_views, shape_dataset  # noqa: E402


def _row(what, resolution, count, best, median):
    return {
        "what": what,
        "resolution": resolution,
        "per_s_best": round(count / best),
        "per_s_median": round(count / median),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256, help="shapes per timed call")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per row")
    parser.add_argument("--view-size", type=int, default=64, help="side of the rendered views")
    parser.add_argument("--out", default="benchmarks/results/shapes.json")
    args = parser.parse_args(argv)

    rows = []
    indices = np.arange(args.batch)
    for resolution in (32, 64):
        best, median = time_call(
            lambda r=resolution: make_shapes(indices, resolution=r), warmup=1, repeats=args.repeats
        )
        rows.append(_row("make_shapes", resolution, args.batch, best, median))
        voxels, _ = make_shapes(indices, resolution=resolution)
        best, median = time_call(
            lambda v=voxels: render_views(v, size=args.view_size), warmup=1, repeats=args.repeats
        )
        what = f"render_views ({args.view_size}x{args.view_size})"
        rows.append(_row(what, resolution, args.batch, best, median))

    batches = 8
    dataset = shape_dataset(batch_size=32, resolution=32, with_labels=True, with_views=True)
    iterator = iter(dataset)
    next(iterator)  # start the pipeline's threads before timing
    best, median = time_call(
        lambda: [next(iterator) for _ in range(batches)], warmup=1, repeats=args.repeats
    )
    rows.append(_row("shape_dataset (batch 32, labels, views)", 32, 32 * batches, best, median))

    print_table(rows, list(rows[0]))
    write_json({"machine": machine(), "batch": args.batch, "rows": rows}, args.out)


if __name__ == "__main__":
    main()
