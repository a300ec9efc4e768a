"""Inpainting speed (Yeh et al. 2017): latent search batched with XLA vs one image at a time; blending.

The latent-search table comes first, then Poisson blending's (``benchmarks.poisson_blend``).

Latent search: the paper's 64x64 DCGAN (``build_generator(64)``, 5.1 M parameters, and
``build_discriminator(64)``, 4.3 M) with random weights (a step costs the same whatever the weights),
random images in [-1, 1] with the centre mask, the objective of eq. 4 (context loss with importance
weights, window 7, plus the prior loss, lambda 0.003) and Adam(0.01, beta_1 0.9) on z, clipped to
[-1, 1] after each step. Throughput is image-iterations per second (images x search steps / seconds),
compile time and the first steps apart:

- ``LatentSearch`` for the whole batch (one Adam step on the (B, 100) codes per ``train_step``),
  compiled with ``jit_compile=True``, timed over ``--iterations`` steps of ``fit`` (how
  ``SemanticInpainter.inpaint`` runs it; ``fit``'s own overhead is included);
- the same without XLA (``jit_compile=False``, still a ``tf.function``): separates what batching
  gives from what XLA gives;
- the loop of the public ports: one image at a time, eagerly: a ``tf.Variable`` z of shape (1, 100)
  and an Adam per image, ``tf.GradientTape`` over G and D called eagerly, with the package's
  ``importance_weights``, ``context_loss`` and ``prior_loss`` (so the objective is the same). It is
  slow, so only ``--eager-images`` images are searched for ``--eager-iterations`` steps each and the
  rate per image-iteration is extrapolated to the batch.

Adam is elementwise and the batched loss is a sum of per-image losses, so from the same starting
codes the eager loop and the batched search take the same steps: the table's ``z_max_diff`` is the
largest difference between the eager loop's codes and the batched search's after
``--eager-iterations`` steps (float rounding, and XLA's different kernels, alone).

On a CPU (TensorFlow 2.21, 2 cores) XLA is the slowest: its transposed convolutions (all of G's
layers, and the input gradient of D's strided convolutions) ran about 5x slower than TensorFlow's own
kernels, while D's forward pass took the same time; see jax-ml/jax#23783 for the same on XLA's CPU
backend. Batching alone gains little there, since one 64x64 image's step already keeps two cores busy.

Then ``benchmarks.poisson_blend`` runs with the same ``--batch`` and ``--size`` (``--skip-blend``
leaves it out) and writes its JSON beside ``--out``.

    python -m benchmarks.inpainting [--batch 64] [--size 64] [--iterations 20]
        [--eager-images 2] [--eager-iterations 5] [--skip-blend] [--out FILE.json]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from benchmarks import poisson_blend  # noqa: E402
from benchmarks._common import machine, print_table, write_json  # noqa: E402
from gan_papers.common.masks import make_masks  # noqa: E402
from gan_papers.inpainting.inpainter import DEFAULT_LEARNING_RATE  # noqa: E402
from gan_papers.inpainting.latent_search import LatentSearch  # noqa: E402
from gan_papers.inpainting.losses import (  # noqa: E402
    DEFAULT_LAMBDA,
    DEFAULT_WINDOW,
    context_loss,
    importance_weights,
    prior_loss,
)
from gan_papers.inpainting.networks import build_discriminator, build_generator  # noqa: E402

SEED = 0


def make_problem(batch, size, seed=SEED):
    """Random images in [-1, 1], centre masks and the corrupted images y = x * M."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1.0, 1.0, (batch, size, size, 3)).astype(np.float32)
    masks = make_masks("center", size, batch)
    return images * masks, masks


def adam():
    return keras.optimizers.Adam(DEFAULT_LEARNING_RATE, beta_1=0.9)


def batched_search(generator, discriminator, corrupted, masks, jit, iterations, check_steps):
    """Time ``LatentSearch.fit`` on the whole batch.

    Runs ``check_steps`` untimed steps first (the first one compiles) and returns the starting codes
    and the codes after them (to compare with the eager loop) with the timings.
    """
    search = LatentSearch(generator, discriminator, batch_size=len(corrupted), seed=SEED)
    search.compile(optimizer=adam(), jit_compile=jit)
    z0 = search.z.numpy().copy()
    data = tf.data.Dataset.from_tensors((corrupted, masks)).repeat()

    def fit(steps):
        start = time.perf_counter()
        search.fit(data, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
        search.z.numpy()  # wait for the last step
        return time.perf_counter() - start

    first_s = fit(1)
    if check_steps > 1:
        fit(check_steps - 1)
    z_checked = search.z.numpy().copy()
    seconds = fit(iterations)
    return {"z0": z0, "z_checked": z_checked, "first_s": first_s, "seconds": seconds}


def eager_search(generator, discriminator, corrupted, masks, z0, images, iterations):
    """The public ports' loop: each image on its own, eagerly. Returns (seconds, final codes).

    Only the search steps are timed: making the variable, the optimiser and the weight map per image
    is not (it is small next to the steps).
    """

    def objective(z, y, weights):
        generated = generator(z, training=False)
        logits = discriminator(generated, training=False)
        return context_loss(generated, y, weights) + prior_loss(logits, DEFAULT_LAMBDA, "paper")

    def search(z, optimizer, y, weights, steps):
        for _ in range(steps):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(objective(z, y, weights))
            optimizer.apply_gradients([(tape.gradient(loss, z), z)])
            z.assign(tf.clip_by_value(z, -1.0, 1.0))

    def setup(i):
        z = tf.Variable(z0[i : i + 1], name="z")
        optimizer = adam()
        optimizer.build([z])
        y = tf.constant(corrupted[i : i + 1])
        weights = importance_weights(tf.constant(masks[i : i + 1]), DEFAULT_WINDOW)
        return z, optimizer, y, weights

    # Warm up (TensorFlow's and Keras' first eager calls are slower), on a throwaway copy.
    search(*setup(0), steps=2)
    seconds, codes = 0.0, []
    for i in range(images):
        z, optimizer, y, weights = setup(i)
        start = time.perf_counter()
        search(z, optimizer, y, weights, iterations)
        codes.append(z.numpy())
        seconds += time.perf_counter() - start
    return seconds, np.concatenate(codes)


def device_name():
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    details = tf.config.experimental.get_device_details(gpus[0])
    return details.get("device_name", "GPU")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument(
        "--iterations", type=int, default=20, help="timed search steps per batched method"
    )
    parser.add_argument(
        "--eager-images", type=int, default=2, help="images the eager loop searches"
    )
    parser.add_argument(
        "--eager-iterations", type=int, default=5, help="timed steps per image in the eager loop"
    )
    parser.add_argument("--skip-blend", action="store_true", help="leave out Poisson blending")
    parser.add_argument("--out", default="benchmarks/results/inpainting.json")
    args = parser.parse_args(argv)
    for name in ("batch", "iterations", "eager_images", "eager_iterations"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    eager_images = min(args.eager_images, args.batch)

    keras.utils.set_random_seed(SEED)
    generator = build_generator(args.size)
    discriminator = build_discriminator(args.size)
    corrupted, masks = make_problem(args.batch, args.size)

    runs = {}
    for jit in (True, False):
        runs[jit] = batched_search(
            generator, discriminator, corrupted, masks, jit, args.iterations, args.eager_iterations
        )
    z0 = runs[True]["z0"]
    eager_s, eager_codes = eager_search(
        generator, discriminator, corrupted, masks, z0, eager_images, args.eager_iterations
    )
    eager_rate = eager_images * args.eager_iterations / eager_s

    rows = []
    for jit in (True, False):
        run = runs[jit]
        rate = args.batch * args.iterations / run["seconds"]
        assert np.array_equal(run["z0"], z0), "both searches must start from the same codes"
        diff = np.abs(run["z_checked"][:eager_images] - eager_codes).max()
        rows.append(
            {
                "method": f"LatentSearch fit, XLA={jit} (1st step {run['first_s']:.1f} s)",
                "batch": args.batch,
                "steps_timed": args.iterations,
                "s_per_step": round(run["seconds"] / args.iterations, 4),
                "image_iters_per_s": round(rate, 1),
                "speedup_vs_eager": round(rate / eager_rate, 1),
                "z_max_diff": f"{diff:.1e}",
            }
        )
    rows.append(
        {
            "method": f"eager loop, 1 image at a time ({eager_images} images x "
            f"{args.eager_iterations} steps, extrapolated)",
            "batch": 1,
            "steps_timed": eager_images * args.eager_iterations,
            "s_per_step": round(eager_s / (eager_images * args.eager_iterations), 4),
            "image_iters_per_s": round(eager_rate, 1),
            "speedup_vs_eager": 1.0,
            "z_max_diff": "0 (reference)",
        }
    )

    device = device_name()
    print(
        f"Latent search, DCGAN {args.size}x{args.size}, batch {args.batch}, centre masks, {device}; "
        f"z_max_diff: eager vs batched codes after {args.eager_iterations} steps"
    )
    print_table(rows, list(rows[0]))
    results = {
        "machine": machine(),
        "device": device,
        "batch": args.batch,
        "size": args.size,
        "eager_images": eager_images,
        "eager_iterations": args.eager_iterations,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "rows": rows,
    }
    if not args.skip_blend:
        blend_out = os.path.join(os.path.dirname(args.out), "poisson_blend.json")
        print()
        poisson_blend.main(
            ["--batch", str(args.batch), "--size", str(args.size), "--out", blend_out]
        )
        results["poisson_blend_json"] = blend_out
    write_json(results, args.out)


if __name__ == "__main__":
    main()
