"""Rendering speed of the procedural faces (gan_papers.data.faces) on one CPU core.

Times ``render_faces`` for a batch at 32, 64 and 128 pixels (images and exact labels together)
and, at 64 pixels, the ``face_dataset`` tf.data pipeline. The target from issue 3 is
>= 1,000 faces/s at 64x64 on one core. Prints a table and writes JSON.

    python -m benchmarks.faces [--batch 256] [--repeats 5] [--out FILE.json]

Run it as ``taskset -c 0 python -m benchmarks.faces`` to hold it to one core: NumPy's
element-wise work runs on one thread, but the tf.data row may use more.
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from benchmarks._common import machine, print_table, time_call, write_json  # noqa: E402
from gan_papers.data.faces import face_dataset, render_faces  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256, help="faces per timed call")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per size")
    parser.add_argument("--out", default="benchmarks/results/faces.json")
    args = parser.parse_args(argv)

    rows = []
    for size in (32, 64, 128):
        indices = np.arange(args.batch)
        best, median = time_call(
            lambda size=size, indices=indices: render_faces(indices, size=size),
            warmup=1,
            repeats=args.repeats,
        )
        rows.append(
            {
                "what": "render_faces",
                "size": size,
                "faces_per_s_best": round(args.batch / best),
                "faces_per_s_median": round(args.batch / median),
            }
        )

    batches = 8
    iterator = iter(face_dataset(batch_size=64, size=64, with_labels=True))
    next(iterator)  # start the pipeline's threads before timing
    best, median = time_call(
        lambda: [next(iterator) for _ in range(batches)], warmup=1, repeats=args.repeats
    )
    rows.append(
        {
            "what": "face_dataset (batch 64, labels)",
            "size": 64,
            "faces_per_s_best": round(64 * batches / best),
            "faces_per_s_median": round(64 * batches / median),
        }
    )

    print_table(rows, list(rows[0]))
    write_json({"machine": machine(), "batch": args.batch, "rows": rows}, args.out)


if __name__ == "__main__":
    main()
