"""Throughput of the face-completion train step (Li et al. 2017) per stage, with and without XLA.

Builds ``FaceCompletionGAN`` at a profile's size (``--profile demo``: 64x64 faces, the notebook's
networks; ``--profile paper``: 128x128 faces, the authors' widths, a 137 M-parameter generator), with
random weights (a step costs the same whatever the weights), random faces in [-1, 1] and the model's
own random holes. For each stage (1: reconstruction; 2: + local discriminator; 3: + global
discriminator and parsing loss) it times ``train_step`` inside a ``tf.function`` with
``jit_compile`` off and on, compile time apart, and prints seconds per step and faces per second.

Each stage is a branch of ``tf.cond`` on the model's stage variable, so one compiled function serves
all three stages; a stage's time shows what its branches cost.

    python -m benchmarks.face_completion [--profile demo|paper] [--batch 16] [--steps 5]
        [--out FILE.json]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from benchmarks._common import machine, print_table, time_call, write_json  # noqa: E402
from gan_papers.face_completion.config import get_config  # noqa: E402
from gan_papers.face_completion.recipe import build_face_completion  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="demo", choices=["demo", "paper"])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5, help="timed steps per stage and mode")
    parser.add_argument("--out", default="benchmarks/results/face_completion.json")
    args = parser.parse_args(argv)
    if args.batch < 1 or args.steps < 1:
        parser.error("--batch and --steps must be positive")

    config = get_config(args.profile)
    size = config.image_size
    faces = tf.constant(
        np.random.default_rng(0).uniform(-1, 1, (args.batch, size, size, 3)).astype("float32")
    )
    rows = []
    for jit in (False, True):
        keras.utils.set_random_seed(0)
        model = build_face_completion(config, seed=0)
        step = tf.function(lambda x, m=model: m.train_step(x), jit_compile=jit)
        for stage in (1, 2, 3):
            model.set_stage(stage)
            best, median = time_call(lambda s=step: s(faces)["loss"].numpy(), repeats=args.steps)
            rows.append(
                {
                    "profile": args.profile,
                    "xla": jit,
                    "stage": stage,
                    "batch": args.batch,
                    "step_s": round(median, 3),
                    "faces_per_s": round(args.batch / median, 2),
                    "best_step_s": round(best, 3),
                }
            )
            print_table(rows[-1:], list(rows[-1]))
        keras.backend.clear_session()
    print()
    print_table(rows, list(rows[0]))
    write_json({"machine": machine(), "rows": rows}, args.out)


if __name__ == "__main__":
    main()
