"""Reference weights: each walkthrough's demo networks trained longer, shipped with the package.

A notebook at the ``demo`` profile trains its models in minutes on a laptop CPU, which shows the
method's pattern but not always a convincing result. The models listed here were trained by the same
notebook at the ``reference`` profile (the demo's networks, several times the training steps); each
notebook trains its own model live and then shows the reference model's result beside it.

``registry.json`` records, per model: its file and SHA-256, the paper module that defines its
layers, the command that trained it, and the metrics ``measure`` recomputes on held-out built-in data
(the tests check that a loaded model reproduces them). Everything loads offline, in Keras' safe mode::

    from gan_papers import reference
    reference.names()                              # what is shipped
    generator = reference.load("inpainting_generator")
    reference.info("inpainting_generator")["metrics"]
"""

import hashlib
import importlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY = os.path.join(HERE, "registry.json")
WEIGHTS = os.path.join(HERE, "weights")


def registry():
    """Every entry of ``registry.json``: ``{name: entry}`` (empty before any model is recorded)."""
    if not os.path.exists(REGISTRY):
        return {}
    with open(REGISTRY, encoding="utf-8") as f:
        return json.load(f)


def names():
    """The names of the shipped reference models, sorted."""
    return sorted(registry())


def info(name):
    """The registry entry of ``name``: ``file``, ``sha256``, ``bytes``, ``module``, ``profile``,
    ``command``, ``metrics`` and how it was trained."""
    entries = registry()
    if name not in entries:
        raise ValueError(f"`name` must be one of {sorted(entries)}; received {name!r}.")
    return dict(entries[name])


def describe(name):
    """One line for a notebook: what ``name`` is and how it was trained."""
    entry = info(name)
    return (
        f"reference model {name!r}: trained by `{entry['command']}` (seed {entry['seed']}, "
        f"{entry['training_minutes']} min on {entry['trained_on']}); "
        f"{entry['bytes'] / 1e6:.1f} MB, SHA-256 {entry['sha256'][:12]}..."
    )


def sha256(path):
    """The SHA-256 of the file at ``path``, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def path(name):
    """The path of ``name``'s ``.keras`` file, after checking its SHA-256 against the registry."""
    entry = info(name)
    file = os.path.join(WEIGHTS, entry["file"])
    if not os.path.exists(file):
        raise FileNotFoundError(
            f"The reference model {name!r} should be at {file}; it is missing. Reinstall the "
            f"package, or train it again with `{entry['command']}`."
        )
    found = sha256(file)
    if found != entry["sha256"]:
        raise ValueError(
            f"The file of reference model {name!r} ({file}) has SHA-256 {found}; the registry "
            f"records {entry['sha256']}. It was changed or damaged: reinstall the package."
        )
    return file


def load(name):
    """The reference model ``name`` as a ``keras.Model``, loaded in safe mode without its
    optimizer state (``compile=False``; compile it again to train it further)."""
    import keras

    file = path(name)
    importlib.import_module(info(name)["module"])  # registers the paper's layers with Keras
    return keras.saving.load_model(file, compile=False, safe_mode=True)


def measure(name, model=None):
    """Recompute the metrics recorded for ``name`` on held-out built-in data.

    Args:
        name: a reference model's name (``names()``).
        model: the model to measure; default ``load(name)``. The training command
            (``benchmarks.reference_weights``) passes the file it has just written, before its
            SHA-256 is recorded.

    Returns:
        ``{metric: value}``, the same keys as ``info(name)["metrics"]``.
    """
    from gan_papers.reference import measures

    if name not in measures.MEASURES:
        raise ValueError(f"`name` must be one of {sorted(measures.MEASURES)}; received {name!r}.")
    return measures.MEASURES[name](load(name) if model is None else model)


__all__ = ["describe", "info", "load", "measure", "names", "path", "registry", "sha256"]
