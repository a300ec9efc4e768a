"""A short 3D-GAN training run that prints whether the generator is collapsing, every few steps.

With the paper's recipe, short CPU runs collapse (notebook 04 explains how, and the two deviations
the `demo` profile takes against it). This probe is the tool those measurements came from: it trains
``GAN3D`` on procedural shapes and, every ``--every`` steps, draws 32 samples (inference mode, a
fixed seed) and prints

- ``occupied``: the fraction of voxels above 0.5 (real shapes: ``real_occupied``);
- ``soft``: the mean of min(p, 1 - p), 0 for binary grids, 0.5 for a grey fog;
- ``spread``: the standard deviation across the samples of each voxel's occupancy, averaged over
  the grid: 0 when every code gives the same shape (mode collapse); ``real_spread`` for 32 real
  shapes;
- ``stray``: the fraction of a sample's occupied voxels outside its largest connected piece (26
  neighbours), averaged: speckle and floating fragments (``real_stray`` for 32 real shapes);
- D's accuracy and update rate since the last row.

``--instance-noise SIGMA`` and ``--prior normal`` are ``GAN3D``'s two named deviations from the paper
(the ``demo`` profile uses both; see ``gan_papers.gan3d.model``).

    python -m benchmarks.gan3d_training_probe [--steps 500] [--every 100] [--classes 0 1 ...]
        [--g-filters 64 32 16] [--d-filters 16 32 64] [--batch 16] [--g-lr 1e-3] [--d-lr 1e-3]
        [--prior uniform|normal] [--instance-noise 0.15] [--implementation auto]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def stray_fraction(occupied):
    """The fraction of a grid's occupied voxels outside its largest 26-connected piece."""
    import numpy as np
    from scipy import ndimage

    pieces, count = ndimage.label(occupied, structure=np.ones((3, 3, 3)))
    if count == 0:
        return 0.0
    return 1.0 - np.bincount(pieces.ravel())[1:].max() / occupied.sum()


def collapse_stats(samples):
    """``(occupied, soft, spread, stray)`` of a batch of occupancy probabilities (see the
    docstring)."""
    import numpy as np

    samples = np.asarray(samples)
    occupied = samples > 0.5
    return (
        float(occupied.mean()),
        float(np.minimum(samples, 1 - samples).mean()),
        float(occupied.std(axis=0).mean()),
        float(np.mean([stray_fraction(grid[..., 0]) for grid in occupied])),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--resolution", type=int, default=32)
    parser.add_argument("--classes", type=int, nargs="+", default=list(range(8)))
    parser.add_argument("--g-filters", type=int, nargs="+", default=[64, 32, 16])
    parser.add_argument("--d-filters", type=int, nargs="+", default=[16, 32, 64])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--g-lr", type=float, default=1e-3)
    parser.add_argument("--d-lr", type=float, default=1e-3)
    parser.add_argument("--prior", choices=["uniform", "normal"], default="uniform")
    parser.add_argument("--instance-noise", type=float, default=0.0)
    parser.add_argument("--instance-noise-steps", type=int, default=None, help="decay to 0 over")
    parser.add_argument("--implementation", choices=["auto", "native", "sliced"], default="auto")
    parser.add_argument("--shapes", type=int, default=2000, help="training shapes drawn")
    parser.add_argument(
        "--save-samples", metavar="PATH", help="save the last row's 32 samples (.npy) here"
    )
    args = parser.parse_args(argv)

    import keras
    import numpy as np
    import tensorflow as tf

    from benchmarks._common import print_table
    from gan_papers.data.shapes import SHAPE_CLASSES, make_shapes
    from gan_papers.gan3d import GAN3D, build_discriminator, build_generator

    keras.utils.set_random_seed(0)
    # Class c holds the indices i with i % 8 == c; take the first `--shapes` of the chosen classes.
    indices = np.array(
        [i for i in range(8 * args.shapes) if i % len(SHAPE_CLASSES) in args.classes]
    )
    voxels, _ = make_shapes(indices[: args.shapes], args.resolution, seed=0)
    model = GAN3D(
        build_generator(
            args.resolution, filters=args.g_filters, implementation=args.implementation
        ),
        build_discriminator(args.resolution, args.d_filters, implementation=args.implementation),
        prior=args.prior,
        instance_noise=args.instance_noise,
        instance_noise_steps=args.instance_noise_steps,
        seed=0,
    )
    model.compile(
        g_optimizer=keras.optimizers.Adam(args.g_lr, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(args.d_lr, beta_1=0.5),
    )
    _, _, real_spread, real_stray = collapse_stats(voxels[:32])
    step = tf.function(model.train_step)
    rng = np.random.default_rng(0)
    rows, start = [], time.perf_counter()
    for i in range(1, args.steps + 1):
        logs = step(tf.constant(voxels[rng.integers(0, len(voxels), args.batch)], "float32"))
        if i % args.every == 0 or i == args.steps:
            samples = np.asarray(model.sample(32, seed=1))
            occupied, soft, spread, stray = collapse_stats(samples)
            rows.append(
                {
                    "step": i,
                    "s": round(time.perf_counter() - start),
                    "d_accuracy": round(float(logs["d_accuracy"]), 2),
                    "d_updated": round(float(logs["d_updated"]), 2),
                    "occupied": round(occupied, 4),
                    "real_occupied": round(float(voxels.mean()), 4),
                    "soft": round(soft, 3),
                    "spread": round(spread, 4),
                    "real_spread": round(real_spread, 4),
                    "stray": round(stray, 3),
                    "real_stray": round(real_stray, 3),
                }
            )
            print(rows[-1], flush=True)
            if args.save_samples:
                np.save(args.save_samples, samples)
            for tracker in model.metrics:
                tracker.reset_state()  # the next row's accuracy and update rate are its own
    print()
    print_table(rows, list(rows[0]))


if __name__ == "__main__":
    main()
