"""The inpainting walkthrough's numbers: the paper profile is the paper's, the others say how they differ."""

import dataclasses

import pytest

from gan_papers import inpainting
from gan_papers.inpainting.config import differences_from_paper, get_config
from gan_papers.inpainting.inpainter import DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE
from gan_papers.inpainting.losses import DEFAULT_LAMBDA, DEFAULT_WINDOW


def test_paper_profile_is_the_papers_setting():
    paper = get_config("paper")
    assert (paper.image_size, paper.latent_dim, paper.batch_size) == (64, 100, 64)
    assert (paper.generator.base_filters, paper.discriminator.base_filters) == (512, 64)
    assert (paper.lam, paper.window) == (DEFAULT_LAMBDA, DEFAULT_WINDOW) == (0.003, 7)
    assert (paper.search_iterations, paper.search_learning_rate) == (
        DEFAULT_ITERATIONS,
        DEFAULT_LEARNING_RATE,
    )
    assert differences_from_paper(paper) == []


@pytest.mark.parametrize("profile", ["demo", "smoke"])
def test_smaller_profiles_build_networks_of_their_size(profile):
    config = get_config(profile)
    assert {"image_size", "train_steps", "search_iterations"} <= {
        name for name, _, _ in differences_from_paper(config)
    }
    generator = inpainting.build_generator(
        image_size=config.image_size,
        latent_dim=config.latent_dim,
        **dataclasses.asdict(config.generator),
    )
    assert generator.output_shape == (None, config.image_size, config.image_size, 3)
    assert config.train_steps % config.steps_per_epoch == 0


def test_overrides_are_checked_by_name():
    assert get_config("demo", window=3).window == 3
    with pytest.raises(ValueError, match="unknown fields"):
        get_config("demo", windw=3)


def test_network_overrides_replace_only_the_fields_named():
    demo = get_config("demo")
    config = get_config("demo", generator={"base_filters": 64})
    assert config.generator.base_filters == 64
    assert config.discriminator == demo.discriminator
    assert get_config("demo", **{"parser.widths": [8, 8, 16, 16]}).parser.widths == (8, 8, 16, 16)
    assert ("generator.base_filters", 512, 64) in differences_from_paper(config)
    with pytest.raises(ValueError, match=r"overrides\.generator.*'filters'.*'base_filters'"):
        get_config("demo", generator={"filters": 64})
