"""Run profiles: one name picks how big every run in a notebook or script is.

- ``smoke``: seconds; CI runs every notebook with it to exercise each code path.
- ``demo``: the default; minutes on a 2-core laptop CPU with built-in data, and the result
  visibly and measurably works.
- ``paper``: the paper's hyper-parameters and datasets, for a GPU.
- ``reference``: the ``demo`` networks trained longer by the same recipe; the shipped reference
  weights (``gan_papers.reference``) were trained with it, so a notebook can show what its own demo
  model becomes with more training.

Notebooks read the profile from the ``GAN_PAPERS_PROFILE`` environment variable in a cell
tagged ``parameters`` (so papermill can override it too).
"""

import dataclasses
import os

PROFILES = ("smoke", "demo", "paper", "reference")
DEFAULT_PROFILE = "demo"
ENV_VAR = "GAN_PAPERS_PROFILE"


def current_profile(profile=None):
    """Return ``profile`` if given, else ``$GAN_PAPERS_PROFILE``, else ``"demo"``; validated."""
    if profile is None:
        profile = os.environ.get(ENV_VAR, DEFAULT_PROFILE) or DEFAULT_PROFILE
    profile = str(profile).strip().lower()
    if profile not in PROFILES:
        raise ValueError(
            f"`profile` (or ${ENV_VAR}) must be one of {list(PROFILES)}; received {profile!r}."
        )
    return profile


def select(configs, profile=None):
    """Pick ``configs[profile]`` from a dict keyed by profile name (validated)."""
    profile = current_profile(profile)
    missing = [p for p in PROFILES if p not in configs]
    if missing:
        raise ValueError(
            f"`configs` must define every profile {list(PROFILES)}; missing {missing}."
        )
    return configs[profile]


def config_for(configs, profile=None, **overrides):
    """``configs[profile]`` (a frozen dataclass) with ``overrides`` applied, validated by name.

    Lists become tuples, so overrides parsed from YAML or JSON (papermill's ``-y``) compare equal to
    the profiles' tuple-valued fields."""
    config = select(configs, profile)
    fields = {f.name for f in dataclasses.fields(config)}
    unknown = set(overrides) - fields
    if unknown:
        raise ValueError(
            f"`overrides` has unknown fields {sorted(unknown)}; {type(config).__name__} has "
            f"{sorted(fields)}."
        )
    overrides = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    return dataclasses.replace(config, **overrides)


def differences_from(config, reference):
    """Rows (field, reference value, value) where dataclass ``config`` differs from ``reference``."""
    return [
        (f.name, getattr(reference, f.name), getattr(config, f.name))
        for f in dataclasses.fields(config)
        if getattr(reference, f.name) != getattr(config, f.name)
    ]
