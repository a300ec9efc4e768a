"""How hard each term of eq. 3 pulls on the generator (Li et al. 2017): per-term gradient norms.

Loads a trained ``FaceCompletionGAN`` (the ``face_completion.keras`` notebook 02 saves in its run
folder), draws a batch of held-out procedural faces with the model's own random holes and noise, and
for each weighted term of

    L = L_r + lambda_1 L_a1 + lambda_2 L_a2 + lambda_3 L_p          (paper, eq. 3)

prints the L2 norm of its gradient with respect to G's output inside the hole and outside it, and
with respect to G's weights. The lambdas are the model's own (in the sum convention of ``losses``).
A term whose hole norm is tiny next to L_r's cannot change the fill; one that dwarfs it decides it.

    python -m benchmarks.face_completion_gradients [RUN_DIR/face_completion.keras] [--batch 16]
        [--seed 0] [--out FILE.json]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from benchmarks._common import print_table, write_json  # noqa: E402
from gan_papers.data import FACE_SPLITS, render_faces  # noqa: E402
from gan_papers.face_completion import random_hole_masks  # noqa: E402

DEFAULT_MODEL = "runs/02_generative_face_completion/face_completion.keras"  # make demo's


def term_gradients(model, faces, masks, noise):
    """{term: value and gradient norms} of each weighted term, as the model's own step computes it."""
    lambdas = dict(
        zip(
            ("local_adversarial_loss", "global_adversarial_loss", "parsing_loss"),
            model._weights(),  # lambda_1..3 in the sum convention, whatever the reductions
            strict=True,
        )
    )
    weights = model.generator.trainable_variables
    with tf.GradientTape(persistent=True) as tape:
        terms, (output, *_) = model._generator_terms(faces, masks, noise, training=True)
        weighted = {name: lambdas.get(name, 1.0) * term for name, term in terms.items()}
    hole = 1.0 - np.asarray(masks)
    results = {}
    for name, term in weighted.items():
        by_output = tape.gradient(term, output, unconnected_gradients="zero").numpy()
        by_weights = tape.gradient(term, weights, unconnected_gradients="zero")
        results[name] = {
            "value": float(term),
            "hole_norm": float(np.linalg.norm(by_output * hole)),
            "outside_norm": float(np.linalg.norm(by_output * (1.0 - hole))),
            "weight_norm": float(np.sqrt(sum(float(tf.reduce_sum(g * g)) for g in by_weights))),
        }
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "model",
        nargs="?",
        default=DEFAULT_MODEL,
        help=f"a face_completion.keras saved by notebook 02 (default: {DEFAULT_MODEL})",
    )
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="write the results as JSON")
    args = parser.parse_args(argv)

    if not os.path.exists(args.model):
        print(f"{args.model} does not exist: run notebook 02 first (make demo), or pass a model.")
        return
    model = keras.saving.load_model(args.model)
    size = model.image_size
    faces, _ = render_faces(
        FACE_SPLITS["heldout"][0] + np.arange(args.batch), size=size, seed=args.seed
    )
    seeds = keras.random.SeedGenerator(args.seed)
    masks = random_hole_masks(args.batch, size, model.hole_size, seeds)
    noise = keras.random.uniform(faces.shape, -1.0, 1.0, seed=seeds)
    results = term_gradients(model, tf.constant(faces), masks, noise)
    reference = results["reconstruction_loss"]["hole_norm"]
    columns = ["term", "value", "|grad| hole", "/ L_r's", "|grad| outside", "|grad| weights"]
    rows = [
        dict(
            zip(
                columns,
                [
                    name,
                    f"{r['value']:.4g}",
                    f"{r['hole_norm']:.4g}",
                    f"{r['hole_norm'] / reference:.3g}",
                    f"{r['outside_norm']:.4g}",
                    f"{r['weight_norm']:.4g}",
                ],
                strict=True,
            )
        )
        for name, r in results.items()
    ]
    print(
        f"{args.model}: stage {model.current_stage}, {size}x{size}, hole {model.hole_size}, "
        f"batch {args.batch}, lambdas (sum convention) {model.lambdas}"
    )
    print_table(rows, columns)
    if args.out:
        write_json({"model": args.model, "batch": args.batch, "terms": results}, args.out)


if __name__ == "__main__":
    main()
