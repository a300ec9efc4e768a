"""D's inference-mode accuracy before and after ``calibrate_discriminator`` (Yeh et al. 2017, eq. 3).

For each seed: trains a DCGAN by the inpainting profile's recipe (``get_config(--profile)``:
builders, widths, batch, steps; procedural faces of that seed), then measures on held-out faces
and fresh samples G(z) (``--eval`` of each):

- ``train mode``: D in training mode on a real batch and a fake batch apart, as in its own
  training step (what ``d_real``/``d_fake`` report);
- ``as trained``: D in inference mode with the moving statistics training left, as the latent
  search reads it without calibration;
- ``calibrated``: after ``calibrate_discriminator`` on ``--calibration`` training faces (not the
  evaluated ones) mixed with as many samples.

Accuracy = fraction of real faces with logit > 0 (real-as-real) and of samples with logit < 0
(fake-as-fake); ``mean D(G(z))`` is D's probability that a sample is real.

    python -m benchmarks.inpainting_d_calibration [--profile demo] [--seeds 0 1 2] [--steps N]
        [--eval 512] [--calibration 512] [--cache-dir DIR] [--out FILE.json]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks._common import machine, print_table, write_json  # noqa: E402
from gan_papers.data import FACE_SPLITS, face_dataset, render_faces  # noqa: E402
from gan_papers.inpainting import DCGAN, build_networks  # noqa: E402
from gan_papers.inpainting.calibration import CALIBRATIONS, calibrate_discriminator  # noqa: E402
from gan_papers.inpainting.config import get_config  # noqa: E402
from gan_papers.inpainting.evaluate import discriminator_accuracy  # noqa: E402


def _auc(discriminator, real, fake):
    """P(logit(real) > logit(fake)): D's ranking of real over generated, whatever its threshold."""
    r = np.asarray(discriminator(real, training=False))[:, 0]
    f = np.asarray(discriminator(fake, training=False))[:, 0]
    return float((r[:, None] > f[None, :]).mean() + 0.5 * (r[:, None] == f[None, :]).mean())


def _train_mode_accuracy(discriminator, real, fake, batch_size):
    """D in training mode on real batches and fake batches apart, as in its own step."""
    weights = discriminator.get_weights()  # training mode moves the moving averages
    real_logits = np.concatenate(
        [
            np.asarray(discriminator(real[i : i + batch_size], training=True))[:, 0]
            for i in range(0, len(real), batch_size)
        ]
    )
    fake_logits = np.concatenate(
        [
            np.asarray(discriminator(fake[i : i + batch_size], training=True))[:, 0]
            for i in range(0, len(fake), batch_size)
        ]
    )
    discriminator.set_weights(weights)
    return float((real_logits > 0).mean()), float((fake_logits < 0).mean())


def _mean_realness(discriminator, images):
    return float(np.mean(keras.ops.sigmoid(discriminator(images, training=False))))


def _trained_networks(config, seed, steps, cache_dir):
    keras.utils.set_random_seed(seed)
    generator, discriminator = build_networks(config)
    paths = [
        os.path.join(cache_dir or "", f"{name}_{config.image_size}_{steps}_{seed}.weights.h5")
        for name in ("generator", "discriminator")
    ]
    if cache_dir and all(os.path.exists(p) for p in paths):
        generator.load_weights(paths[0])
        discriminator.load_weights(paths[1])
        return generator, discriminator, None
    dcgan = DCGAN(generator, discriminator, seed=seed)
    dcgan.compile()
    data = face_dataset(batch_size=config.batch_size, size=config.image_size, seed=seed)
    started = time.perf_counter()
    dcgan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
    train_s = time.perf_counter() - started
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        generator.save_weights(paths[0])
        discriminator.save_weights(paths[1])
    return generator, discriminator, round(train_s, 1)


def run_seed(config, seed, steps, n_eval, n_calibration, cache_dir=None):
    generator, discriminator, train_s = _trained_networks(config, seed, steps, cache_dir)
    rng = np.random.default_rng(10_000 + seed)
    real, _ = render_faces(
        FACE_SPLITS["heldout"][0] + np.arange(n_eval), size=config.image_size, seed=seed
    )
    z = rng.uniform(-1, 1, (n_eval, config.latent_dim)).astype("float32")
    fake = np.asarray(generator(z, training=False))
    # Training faces far from the start of the stream the run trained on first.
    calibration, _ = render_faces(
        FACE_SPLITS["train"][1] - 1 - np.arange(n_calibration), size=config.image_size, seed=seed
    )
    row = {"seed": seed, "train_s": train_s}
    row["train mode"] = _train_mode_accuracy(discriminator, real, fake, config.batch_size)
    row["as trained"] = discriminator_accuracy(discriminator, real, fake)
    row["D(G(z)) as trained"] = _mean_realness(discriminator, fake)
    row["AUC as trained"] = _auc(discriminator, real, fake)
    trained = discriminator.get_weights()
    for statistics in CALIBRATIONS:
        calibrate_discriminator(
            discriminator,
            generator,
            calibration,
            statistics=statistics,
            batch_size=config.batch_size,
            seed=20_000 + seed,
        )
        row[statistics] = discriminator_accuracy(discriminator, real, fake)
        row[f"D(G(z)) {statistics}"] = _mean_realness(discriminator, fake)
        row[f"AUC {statistics}"] = _auc(discriminator, real, fake)
        discriminator.set_weights(trained)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", default="demo")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=None, help="default: the profile's")
    parser.add_argument("--eval", type=int, default=512)
    parser.add_argument("--calibration", type=int, default=512)
    parser.add_argument("--out", default=None)
    parser.add_argument(
        "--cache-dir", default=None, help="save the trained weights here and reuse them"
    )
    args = parser.parse_args(argv)
    config = get_config(args.profile)
    steps = args.steps or config.train_steps
    rows = []
    for seed in args.seeds:
        rows.append(run_seed(config, seed, steps, args.eval, args.calibration, args.cache_dir))
        print(rows[-1], flush=True)

    print(
        f"\n{args.profile} recipe, {steps} steps; accuracy real-as-real / fake-as-fake "
        f"(balanced) on {args.eval} held-out faces and {args.eval} samples; mean D(G(z)); AUC"
    )
    variants = ["train mode", "as trained", *CALIBRATIONS]
    table = []
    for variant in variants:
        cells = {"D statistics": variant}
        for r in rows:
            real, fake = r[variant]
            realness, auc = r.get(f"D(G(z)) {variant}"), r.get(f"AUC {variant}")
            cells[f"seed {r['seed']}"] = f"{real:.3f} / {fake:.3f} ({(real + fake) / 2:.3f})" + (
                f" {realness:.3f} {auc:.3f}" if realness is not None else ""
            )
        table.append(cells)
    print_table(table, ["D statistics", *(f"seed {r['seed']}" for r in rows)])
    if args.out:
        write_json(
            {"machine": machine(), "profile": args.profile, "steps": steps, "rows": rows}, args.out
        )


if __name__ == "__main__":
    main()
