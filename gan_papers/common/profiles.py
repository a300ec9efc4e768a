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

    A field that is itself a dataclass (a network's builder arguments, e.g. ``generator``) takes a
    dict of its own fields, e.g. ``generator={"filters": (32, 16)}``, or a dotted name,
    ``**{"generator.filters": (32, 16)}``; the fields not named keep the profile's values. Lists
    become tuples, so overrides parsed from YAML or JSON (papermill's ``-y``) compare equal to the
    profiles' tuple-valued fields."""
    return _replace(select(configs, profile), _nest(overrides), "overrides")


def _nest(overrides):
    """``{"a.b": v}`` -> ``{"a": {"b": v}}``, merged with any ``{"a": {...}}`` given as well."""
    nested = {}
    for key, value in overrides.items():
        head, _, rest = key.partition(".")
        if rest:
            nested.setdefault(head, {})
            if not isinstance(nested[head], dict):
                raise ValueError(f"`overrides` sets both {head!r} and {key!r}.")
            nested[head].update(_nest({rest: value}))
        elif isinstance(value, dict) and isinstance(nested.get(head), dict):
            nested[head].update(value)
        elif head in nested:
            raise ValueError(f"`overrides` sets both {head!r} and a field of it.")
        else:
            nested[head] = value
    return nested


def _replace(config, overrides, where):
    """``dataclasses.replace(config, **overrides)``, recursing into dict values of dataclass fields."""
    fields = {f.name for f in dataclasses.fields(config)}
    unknown = set(overrides) - fields
    if unknown:
        raise ValueError(
            f"`{where}` has unknown fields {sorted(unknown)}; {type(config).__name__} has "
            f"{sorted(fields)}."
        )
    changes = {}
    for name, value in overrides.items():
        current = getattr(config, name)
        if dataclasses.is_dataclass(current) and isinstance(value, dict):
            value = _replace(current, value, f"{where}.{name}")
        elif isinstance(value, dict):
            raise ValueError(
                f"`{where}` gives fields of {name!r}, which has none: "
                f"{type(config).__name__}.{name} is {current!r}."
            )
        elif isinstance(value, list):
            value = tuple(value)
        changes[name] = value
    return dataclasses.replace(config, **changes)


def differences_from(config, reference, prefix=""):
    """Rows (field, reference value, value) where dataclass ``config`` differs from ``reference``.

    A nested dataclass field contributes its own rows, named ``outer.inner`` (``generator.filters``).
    """
    rows = []
    for f in dataclasses.fields(config):
        ours, theirs = getattr(config, f.name), getattr(reference, f.name)
        if dataclasses.is_dataclass(ours) and dataclasses.is_dataclass(theirs):
            rows += differences_from(ours, theirs, f"{prefix}{f.name}.")
        elif ours != theirs:
            rows.append((f"{prefix}{f.name}", theirs, ours))
    return rows
