"""Does each walkthrough show its paper's claim? Runs the notebooks headless on several seeds.

Each paper's demo recipe is its notebook itself, executed with papermill (the same package calls a
student runs, not a copy of them) at the ``demo`` profile with ``SEED`` set, into
``runs/claims/<notebook>_s<seed>/``. The notebook writes ``metrics.json`` there; each claim below is
a function of that file, giving one number per seed and whether the claim held. A claim holds only
if it held on every seed.

Prints one table per paper and writes ``benchmarks/results/claims.json`` (papers not run this time
keep their last entry there).

    python -m benchmarks.claims [--papers face_completion] [--seeds 0 1 2] [--reuse]
    python -m benchmarks.claims --profile reference --seeds 0 --reuse

``--reuse`` reads a seed's ``metrics.json`` when it is already there instead of re-running the
notebook. ``--profile reference`` checks the same claims on the runs that trained the shipped
reference models (``benchmarks.reference_weights``; there the notebooks' reference sections compare
each model with itself).
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time

import numpy as np

from benchmarks._common import write_json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MASKS = ("eyes", "nose", "mouth", "left_half", "random_box")


@dataclasses.dataclass(frozen=True)
class Claim:
    """``measure(metrics) -> number``; the claim holds on a seed when ``number > threshold``."""

    text: str
    measure: object
    threshold: float = 0.0


def _mean_over_masks(metrics, stage, key):
    return float(np.mean([metrics["scores"][f"stage{stage}/{mask}"][key] for mask in MASKS]))


def _difference(key, later, earlier):
    return lambda m: _mean_over_masks(m, later, key) - _mean_over_masks(m, earlier, key)


def _scores(m, model=None):
    """The per-method SR scores of this run (or of ``m[model]``, e.g. the reference models)."""
    return m["scores"] if model is None else m[model]["scores"]


def _sr_margin(model=None):
    """SRResNet minus bicubic in mean Y-PSNR."""
    return lambda m: (
        _scores(m, model)["SRResNet"]["mean_psnr"] - _scores(m, model)["bicubic"]["mean_psnr"]
    )


def _worst_photo_gap(model=None):
    """SRResNet minus bicubic in Y-PSNR on the photo where it gains least."""

    def gap(m):
        scores = _scores(m, model)
        return min(
            scores["SRResNet"]["psnr"][name] - scores["bicubic"]["psnr"][name]
            for name in scores["bicubic"]["psnr"]
        )

    return gap


def _detail_gain(model=None):
    """How much closer SRGAN's fine detail is to the HR photo's than SRResNet's, in
    |1 - sharpness ratio|."""

    def gain(m):
        scores = _scores(m, model)
        return abs(1.0 - scores["SRResNet"]["mean_sharpness"]) - abs(
            1.0 - scores["SRGAN"]["mean_sharpness"]
        )

    return gain


LARGE_HOLES = ("center", "half", "random_box")


def _blended_over_harmonic(kind):
    return lambda m: (
        m["scores"][f"{kind}/blended"]["psnr_hole"]
        - m["scores"][f"{kind}/harmonic fill"]["psnr_hole"]
    )


def _parsed_over_harmonic(kind, key="parsing_hole"):
    """The blended completion minus the harmonic fill in the parser's pixel accuracy in the hole
    (``parsing_hole``) or its per-class accuracy (``class_accuracy_hole``)."""
    return lambda m: m[key][f"{kind}/blended"] - m[key][f"{kind}/harmonic fill"]


def _reference_over_harmonic(kind, key):
    """The reference DCGAN's blended completion minus the harmonic fill (notebook 01's last part)."""

    def gap(m):
        scores = m["reference"]["scores"]
        return scores[f"{kind}/reference blended"][key] - scores[f"{kind}/harmonic fill"][key]

    return gap


def _swd_progress(m):
    """How far the samples' SWD has come from the structureless baseline towards held-out real
    faces: 0 = no better than independent pixels, 1 = as close as real faces."""
    swd = m["swd"]
    baseline, real = swd["independent pixels"], swd["held-out real faces"]
    return (baseline - swd["DCGAN samples"]) / (baseline - real)


def _few_label_gap(labels_per_class, model=None):
    """D's features minus raw voxels in the few-label table of this run (or ``m[model]``'s)."""

    def gap(m):
        rows = m["few_labels"] if model is None else m[model]["few_labels"]
        (row,) = [r for r in rows if r["labels_per_class"] == labels_per_class]
        return row["discriminator"] - row["raw_voxels"]

    return gap


PAPERS = {
    "face_completion": (
        "02_generative_face_completion",
        (
            Claim(
                "stage 2 (+ local D) is sharper in the hole than stage 1 "
                "(hole sharpness, stage 2 - stage 1, mean over the masks)",
                _difference("sharpness", 2, 1),
            ),
            Claim(
                "stage 3 (+ L_p) parses better in the hole than stage 2 "
                "(hole parsing accuracy, stage 3 - stage 2)",
                _difference("parsing_accuracy", 3, 2),
            ),
            Claim(
                "stage 3 (+ L_p) parses better in the hole than stage 2, per class "
                "(`mean_class_accuracy`: each true class in the holes counted alike; "
                "stage 3 - stage 2)",
                _difference("class_accuracy", 3, 2),
            ),
            Claim(
                "stage 3 keeps the hole's PSNR within 0.5 dB of stage 2 or better "
                "(hole PSNR [dB], stage 3 - stage 2, > -0.5)",
                _difference("psnr_hole", 3, 2),
                threshold=-0.5,
            ),
            Claim(
                "L_p itself raises the hole's parsing accuracy: stage 3 against stage 3 without "
                "L_p, forked from the same stage-2 model for the same steps (the paper's full "
                "model against its M3; hole parsing accuracy, difference)",
                _difference("parsing_accuracy", 3, "3_without_parsing"),
            ),
            Claim(
                "L_p costs less than 0.5 dB of hole PSNR at the same steps "
                "(hole PSNR [dB], stage 3 - stage 3 without L_p, > -0.5)",
                _difference("psnr_hole", 3, "3_without_parsing"),
                threshold=-0.5,
            ),
        ),
    ),
    "inpainting": (
        "01_semantic_inpainting",
        (
            Claim(
                "the prior's samples are faces: their sliced Wasserstein distance to the training "
                "faces covers more than half the way from independent pixels to held-out real faces "
                "((SWD pixels - SWD samples) / (SWD pixels - SWD real), > 0.5)",
                _swd_progress,
                threshold=0.5,
            ),
        )
        + tuple(
            Claim(
                f"on the {kind} hole the blended completion beats the harmonic fill "
                "(hole PSNR [dB], blended - harmonic fill)",
                _blended_over_harmonic(kind),
            )
            for kind in LARGE_HOLES
        )
        + tuple(
            Claim(
                f"on the {kind} hole the blended completion holds the right facial parts more "
                "often than the harmonic fill (parser's accuracy in the hole, blended - harmonic)",
                _parsed_over_harmonic(kind),
            )
            for kind in LARGE_HOLES
        )
        + tuple(
            Claim(
                f"on the {kind} hole the blended completion holds the facial parts better than "
                "the harmonic fill, each part counted alike (parser's per-class accuracy in the "
                "holes, blended - harmonic)",
                _parsed_over_harmonic(kind, "class_accuracy_hole"),
            )
            for kind in LARGE_HOLES
        )
        + tuple(
            Claim(
                f"reference prior: on the {kind} hole the blended completion beats the harmonic "
                f"fill in {label} (blended - harmonic fill)",
                _reference_over_harmonic(kind, key),
            )
            for kind in LARGE_HOLES
            for key, label in (
                ("psnr_hole", "hole PSNR [dB]"),
                ("parsing_hole", "hole parsing"),
                ("class_accuracy_hole", "hole parsing per class"),
            )
        )
        + (
            Claim(
                "the prior moves the search: a strong prior makes D believe the completions more "
                "(mean D(G(z)), non-saturating prior at 100 lambda - no prior, > 0.05)",
                lambda m: (
                    m["prior"]["nonsaturating_x100"]["realness"] - m["prior"]["none"]["realness"]
                ),
                threshold=0.05,
            ),
        ),
    ),
    "gan3d": (
        "04_3d_gan",
        (
            Claim(
                "samples are as close to a training shape as real held-out shapes are, within half "
                "(mean nearest-shape IoU, samples / real held-out shapes, > 0.5)",
                lambda m: m["mean_nearest_iou"] / m["real_nearest_iou"],
                threshold=0.5,
            ),
            Claim(
                "an SVM trained on labelled real shapes agrees with the nearest shape's class "
                "(fraction of the samples, > 0.5; chance 0.125)",
                lambda m: m["class_agreement"],
                threshold=0.5,
            ),
            Claim(
                "with 5 labelled shapes per class D's features beat raw voxels "
                "(test accuracy, D - raw 8^3 voxels)",
                _few_label_gap(5),
            ),
            Claim(
                "with 10 labelled shapes per class D's features beat raw voxels "
                "(test accuracy, D - raw 8^3 voxels)",
                _few_label_gap(10),
            ),
            Claim(
                "reference 3D-GAN: samples are as close to a training shape as real held-out "
                "shapes are, within half (mean nearest-shape IoU, samples / real, > 0.5)",
                lambda m: m["reference"]["mean_nearest_iou"] / m["reference"]["real_nearest_iou"],
                threshold=0.5,
            ),
            Claim(
                "reference 3D-GAN: with 5 labelled shapes per class its D's features beat raw "
                "voxels (test accuracy, D - raw 8^3 voxels)",
                _few_label_gap(5, "reference"),
            ),
        ),
    ),
    "srgan": (
        "03_srgan",
        tuple(
            claim
            for model, who in ((None, ""), ("reference", "reference models: "))
            for claim in (
                Claim(
                    f"{who}SRResNet beats bicubic on the held-out photos by more than 0.5 dB "
                    "(mean Y-PSNR [dB], SRResNet - bicubic)",
                    _sr_margin(model),
                    threshold=0.5,
                ),
                Claim(
                    f"{who}SRResNet beats bicubic on every held-out photo "
                    "(Y-PSNR [dB], SRResNet - bicubic, the worst photo)",
                    _worst_photo_gap(model),
                ),
                Claim(
                    f"{who}SRGAN's fine detail is closer to the HR photo's than SRResNet's "
                    "(|1 - sharpness|, SRResNet - SRGAN; sharpness = mean |Laplacian| of Y / HR's)",
                    _detail_gain(model),
                ),
            )
        ),
    ),
}


def run_notebook(notebook, seed, run_dir, profile="demo"):
    """Execute ``notebooks/<notebook>.ipynb`` at ``profile`` with ``SEED = seed``; the minutes it took."""
    env = {**os.environ, "GAN_PAPERS_PROFILE": profile, "GAN_PAPERS_RUN_DIR": run_dir}
    os.makedirs(os.path.dirname(run_dir), exist_ok=True)  # papermill writes <run_dir>.ipynb
    started = time.time()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            "--cwd",
            "notebooks",
            f"notebooks/{notebook}.ipynb",
            f"{run_dir}.ipynb",
            "-k",
            "python3",
            "-p",
            "SEED",
            str(seed),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return (time.time() - started) / 60


def evaluate_paper(paper, seeds, reuse, runs_dir, profile="demo"):
    notebook, claims = PAPERS[paper]
    per_seed, minutes = {}, {}
    for seed in seeds:
        run_dir = os.path.join(runs_dir, f"{notebook}_s{seed}")
        path = os.path.join(run_dir, "metrics.json")
        if not (reuse and os.path.exists(path)):
            minutes[seed] = run_notebook(notebook, seed, run_dir, profile)
        with open(path, encoding="utf-8") as f:
            per_seed[seed] = json.load(f)
    results = []
    for claim in claims:
        try:
            values = {seed: float(claim.measure(m)) for seed, m in per_seed.items()}
        except KeyError as missing:  # runs made before the notebook measured it
            results.append({"claim": claim.text, "not_measured": f"no {missing} in metrics.json"})
            continue
        results.append(
            {
                "claim": claim.text,
                "threshold": claim.threshold,
                "per_seed": values,
                "held": all(v > claim.threshold for v in values.values()),
            }
        )
    return {"notebook": notebook, "minutes": minutes, "claims": results}


def print_paper(paper, report):
    print(f"\n== {paper} ({report['notebook']}) ==")
    for result in report["claims"]:
        if "not_measured" in result:
            print(f"[not measured] {result['claim']}\n    {result['not_measured']}")
            continue
        numbers = ", ".join(f"seed {s}: {v:+.4f}" for s, v in result["per_seed"].items())
        print(f"[{'held' if result['held'] else 'FAILED'}] {result['claim']}\n    {numbers}")
    if report["minutes"]:
        times = ", ".join(f"seed {s}: {t:.1f}" for s, t in report["minutes"].items())
        print(f"notebook wall time [min]: {times}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", nargs="+", default=sorted(PAPERS), choices=sorted(PAPERS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--profile",
        default="demo",
        choices=("demo", "reference"),
        help="reference: the runs that trained the shipped reference models "
        "(benchmarks.reference_weights, seed 0, in runs/reference)",
    )
    parser.add_argument("--runs-dir", default=None, help="default: runs/claims or runs/reference")
    parser.add_argument(
        "--out", default=None, help="default: benchmarks/results/claims[_reference].json"
    )
    args = parser.parse_args(argv)
    # Absolute: the notebooks run in notebooks/, where a relative run folder would land.
    runs_dir = os.path.abspath(
        args.runs_dir
        or os.path.join(ROOT, "runs", "claims" if args.profile == "demo" else "reference")
    )
    suffix = "" if args.profile == "demo" else f"_{args.profile}"
    out = args.out or os.path.join(ROOT, "benchmarks", "results", f"claims{suffix}.json")
    # Papers not run this time keep their last results in the file.
    reports = {}
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            reports = json.load(f)
    for paper in args.papers:
        reports[paper] = evaluate_paper(paper, args.seeds, args.reuse, runs_dir, args.profile)
        print_paper(paper, reports[paper])
    write_json(reports, out)


if __name__ == "__main__":
    main()
