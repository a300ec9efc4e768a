"""A short 3D-VAE-GAN run that prints how well shapes are reconstructed from held-out views.

It builds the ``demo`` profile's ``VAEGAN3D`` (optionally starting from a saved ``GAN3D``, e.g.
notebook 04's ``runs/04_3d_gan/gan3d.keras``), trains it on procedural (shape, view) pairs and,
every ``--every`` steps, prints the mean voxel IoU of G(mu(y)) against the true shapes of 160
held-out views, with the occupied fraction of those reconstructions and the loss terms (means
since the last row). The loss
weights and the norm are options, to compare the paper's alpha1 = 5, alpha2 = 1e-4 with others.

    python -m benchmarks.gan3d_vae_probe [--gan runs/04_3d_gan/gan3d.keras] [--steps 200]
        [--every 50] [--alpha1 5] [--alpha2 1e-4] [--norm l2|squared_l2] [--e-lr 1e-3]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gan", help="a saved GAN3D (.keras) whose G and D to start from")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--alpha1", type=float, default=5.0)
    parser.add_argument("--alpha2", type=float, default=1e-4)
    parser.add_argument("--norm", choices=["l2", "squared_l2"], default="l2")
    parser.add_argument("--e-lr", type=float, default=1e-3)
    args = parser.parse_args(argv)

    import keras
    import numpy as np
    import tensorflow as tf

    from benchmarks._common import print_table
    from gan_papers.data import SHAPE_SPLITS, make_shapes, render_views, shape_dataset
    from gan_papers.gan3d import voxel_iou
    from gan_papers.gan3d.config import get_config
    from gan_papers.gan3d.recipe import build_vae_gan3d

    keras.utils.set_random_seed(0)
    config = get_config(
        "demo",
        alpha1=args.alpha1,
        alpha2=args.alpha2,
        reconstruction_norm=args.norm,
        e_learning_rate=args.e_lr,
    )
    model = build_vae_gan3d(config, seed=0)
    if args.gan:
        gan = keras.saving.load_model(args.gan)
        model.generator.set_weights(gan.generator.get_weights())
        model.discriminator.set_weights(gan.discriminator.get_weights())
    pairs = iter(
        shape_dataset(
            batch_size=config.batch_size,
            resolution=config.resolution,
            seed=0,
            with_views=True,
            view_size=config.image_size,
            view_channels=config.encoder.channels,
        )
    )
    test_voxels, _ = make_shapes(
        SHAPE_SPLITS["heldout"][0] + np.arange(160), resolution=config.resolution
    )
    test_views = render_views(test_voxels, size=config.image_size, channels=config.encoder.channels)
    step = tf.function(model.train_step)
    rows, start = [], time.perf_counter()
    for i in range(1, args.steps + 1):
        logs = step(next(pairs))
        if i % args.every == 0 or i == args.steps:
            reconstructed = np.asarray(model.reconstruct(test_views))
            rows.append(
                {
                    "step": i,
                    "s": round(time.perf_counter() - start),
                    "iou": round(float(voxel_iou(reconstructed, test_voxels).mean()), 3),
                    "occupied": round(float((reconstructed > 0.5).mean()), 4),
                    "real_occupied": round(float(test_voxels.mean()), 4),
                    "kl": round(float(logs["kl_loss"]), 2),
                    "recon": round(float(logs["reconstruction_loss"]), 2),
                    "g_loss": round(float(logs["g_loss"]), 2),
                }
            )
            print(rows[-1], flush=True)
            for tracker in model.metrics:
                tracker.reset_state()  # the next row's losses are its own
    print()
    print_table(rows, list(rows[0]))


if __name__ == "__main__":
    main()
