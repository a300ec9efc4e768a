"""Train the shipped reference models: each paper's notebook run at the ``reference`` profile.

The recipe is the walkthrough itself, executed headless with papermill (the same package calls a
student runs) at ``GAN_PAPERS_PROFILE=reference``: the demo's networks, trained several times longer.
The models the notebook saves in its run folder are then re-saved without optimizer state into
``gan_papers/reference/weights/``, measured with ``gan_papers.reference.measure`` and recorded,
with their SHA-256, in ``gan_papers/reference/registry.json``.

    python -m benchmarks.reference_weights inpainting [gan3d face_completion srgan] [--reuse]

``--reuse`` exports from a run folder that already holds the notebook's results instead of
training again.
"""

import argparse
import datetime
import json
import os

from benchmarks._common import machine
from benchmarks.claims import ROOT, run_notebook

# paper: (notebook, {reference name: (file in the run folder, attribute to keep or None)})
EXPORTS = {
    "inpainting": (
        "01_semantic_inpainting",
        {
            "inpainting_generator": ("dcgan.keras", "generator"),
            "inpainting_discriminator": ("discriminator_calibrated.keras", None),
        },
    ),
    "face_completion": (
        "02_generative_face_completion",
        {"face_completion": ("face_completion.keras", None)},
    ),
    "srgan": (
        "03_srgan",
        {"srresnet": ("srresnet.keras", None), "srgan_generator": ("srgan.keras", "generator")},
    ),
    "gan3d": ("04_3d_gan", {"gan3d": ("gan3d.keras", None)}),
}
MODULES = {
    "inpainting": "gan_papers.inpainting",
    "face_completion": "gan_papers.face_completion",
    "srgan": "gan_papers.srgan",
    "gan3d": "gan_papers.gan3d",
}


def export(paper, run_dir, minutes):
    """Re-save ``paper``'s models from ``run_dir`` into the package, measure and record them."""
    import importlib

    import keras

    from gan_papers import reference

    importlib.import_module(MODULES[paper])
    notebook, models = EXPORTS[paper]
    registry = reference.registry()
    for name, (file, attribute) in models.items():
        model = keras.saving.load_model(os.path.join(run_dir, file), compile=False)
        if attribute is not None:
            model = getattr(model, attribute)
        if getattr(model, "optimizer", None) is not None:
            # A sub-model compiled on its own (SRGAN's generator is the compiled SRResNet) would
            # carry its optimizer's state into the file: ship the same layers, uncompiled.
            model = keras.Model(model.input, model.output, name=model.name)
        target = os.path.join(reference.WEIGHTS, f"{name}.keras")
        os.makedirs(reference.WEIGHTS, exist_ok=True)
        model.save(target)
        # Measure the file as a user will load it, not the model in memory.
        metrics = reference.measure(
            name, keras.saving.load_model(target, compile=False, safe_mode=True)
        )
        registry[name] = {
            "file": f"{name}.keras",
            "sha256": reference.sha256(target),
            "bytes": os.path.getsize(target),
            "module": MODULES[paper],
            "profile": "reference",
            "command": f"python -m benchmarks.reference_weights {paper}",
            "notebook": f"notebooks/{notebook}.ipynb",
            "seed": 0,
            "training_minutes": round(minutes, 1),
            "trained_on": f"{machine()['processor']}, {machine()['cpus']} CPUs, "
            f"{datetime.date.today().isoformat()}",
            "metrics": metrics,
        }
        with open(reference.REGISTRY, "w", encoding="utf-8") as f:
            json.dump(dict(sorted(registry.items())), f, indent=1)
            f.write("\n")
        print(f"{name}: {registry[name]['bytes'] / 1e6:.2f} MB, {metrics}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="+", choices=sorted(EXPORTS))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs-dir", default=os.path.join(ROOT, "runs", "reference"))
    args = parser.parse_args(argv)
    for paper in args.papers:
        notebook = EXPORTS[paper][0]
        run_dir = os.path.join(args.runs_dir, f"{notebook}_s0")  # as benchmarks.claims names it
        metrics_file = os.path.join(run_dir, "metrics.json")
        if args.reuse and os.path.exists(metrics_file):
            with open(metrics_file, encoding="utf-8") as f:
                minutes = json.load(f)["minutes"]
        else:
            minutes = run_notebook(notebook, 0, run_dir, profile="reference")
        export(paper, run_dir, minutes)


if __name__ == "__main__":
    main()
