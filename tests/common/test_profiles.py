"""``config_for`` and ``differences_from`` on configs with a nested network dataclass."""

import dataclasses

import pytest

from gan_papers.common.profiles import PROFILES, config_for, differences_from


@dataclasses.dataclass(frozen=True)
class _Net:
    filters: tuple = (8, 16)
    implementation: str = "native"


@dataclasses.dataclass(frozen=True)
class _Config:
    size: int = 32
    generator: _Net = _Net()


CONFIGS = {profile: _Config() for profile in PROFILES}


def test_nested_overrides_replace_only_the_fields_named():
    config = config_for(CONFIGS, "demo", size=16, generator={"filters": [4, 4]})
    assert config == _Config(size=16, generator=_Net(filters=(4, 4)))
    dotted = config_for(CONFIGS, "demo", **{"generator.implementation": "sliced"})
    assert dotted.generator == _Net(implementation="sliced")


def test_unknown_fields_are_named_with_the_valid_ones():
    with pytest.raises(ValueError, match=r"`overrides` has unknown fields \['sise'\]"):
        config_for(CONFIGS, "demo", sise=16)
    with pytest.raises(ValueError, match=r"`overrides.generator`.*\['filter'\].*'filters'"):
        config_for(CONFIGS, "demo", generator={"filter": (4,)})
    with pytest.raises(ValueError, match="sets both"):
        config_for(CONFIGS, "demo", **{"generator": 1, "generator.filters": (4,)})
    with pytest.raises(ValueError, match="sets both"):
        config_for(CONFIGS, "demo", **{"generator.filters": (4,), "generator": 1})

    with pytest.raises(ValueError, match="'size', which has none"):
        config_for(CONFIGS, "demo", **{"size.x": 1})


def test_differences_name_nested_fields_with_dots():
    config = _Config(size=16, generator=_Net(filters=(4, 4)))
    assert differences_from(config, _Config()) == [
        ("size", 32, 16),
        ("generator.filters", (8, 16), (4, 4)),
    ]
