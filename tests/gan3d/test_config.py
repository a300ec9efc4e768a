"""3D-GAN run profiles: the paper's numbers, and smoke models that build and train."""

import dataclasses

import numpy as np
import pytest
import tensorflow as tf

from gan_papers.common.conv3d_choice import fastest_3d_implementation
from gan_papers.common.sliced_conv import SlicedConv3D, SlicedConv3DTranspose
from gan_papers.gan3d import GAN3D, VAEGAN3D
from gan_papers.gan3d.config import CONFIGS, differences_from_paper, get_config
from gan_papers.gan3d.recipe import build_gan3d, build_vae_gan3d
from tests.gan3d.helpers import boxes, views


def test_paper_profile_is_the_papers_setting():
    paper = CONFIGS["paper"]
    assert (paper.resolution, paper.latent_dim, paper.batch_size) == (64, 200, 100)
    assert (paper.g_learning_rate, paper.d_learning_rate, paper.beta_1) == (0.0025, 1e-5, 0.5)
    assert (paper.accuracy_threshold, paper.accuracy_from) == (0.8, "previous_batch")
    assert (paper.image_size, paper.alpha1, paper.alpha2) == (256, 5.0, 1e-4)
    assert paper.feature_pool_sizes == (8, 4, 2)
    assert paper.generator.implementation == paper.discriminator.implementation == "auto"
    assert (paper.gan_prior, paper.instance_noise, paper.instance_noise_steps) == (
        "uniform",
        0.0,
        None,
    )
    assert differences_from_paper(paper) == []


def test_demo_and_smoke_profiles_shrink_it():
    assert get_config().resolution == 16  # tests run with GAN_PAPERS_PROFILE=smoke (conftest)
    demo = CONFIGS["demo"]
    changed = {row[0] for row in differences_from_paper(demo)}
    assert {
        "resolution",
        "generator.filters",
        "discriminator.filters",
        "batch_size",
        "train_steps",
    } <= changed
    assert "accuracy_threshold" not in changed and "latent_dim" not in changed
    assert get_config("smoke", train_steps=1).train_steps == 1
    with pytest.raises(ValueError, match="`overrides`"):
        get_config("smoke", resolutions=16)
    native = get_config("smoke", generator={"implementation": "native"})
    assert native.generator == dataclasses.replace(
        CONFIGS["smoke"].generator, implementation="native"
    )
    assert native.discriminator == CONFIGS["smoke"].discriminator
    with pytest.raises(ValueError, match=r"overrides\.encoder.*'channel'.*'channels'"):
        get_config("smoke", encoder={"channel": 3})


def test_smoke_models_build_and_train():
    config = CONFIGS["smoke"]
    model = build_gan3d(config, seed=0)
    assert isinstance(model, GAN3D) and model.resolution == 16
    # The profile's convolution implementation reaches both networks: "auto" is the measured
    # choice of this process (gan_papers.common.conv3d_choice).
    assert config.generator.implementation == config.discriminator.implementation == "auto"
    sliced = fastest_3d_implementation() == "sliced"
    assert isinstance(model.generator.get_layer("deconv2"), SlicedConv3DTranspose) == sliced
    assert isinstance(model.discriminator.get_layer("conv1"), SlicedConv3D) == sliced
    assert float(model.d_optimizer.learning_rate) == pytest.approx(config.d_learning_rate)
    assert (model.prior, model.instance_noise, model.instance_noise_steps) == (
        config.gan_prior,
        config.instance_noise,
        config.instance_noise_steps,
    )
    logs = model.train_step(tf.constant(boxes(4, resolution=16)))  # one eager step
    assert all(np.isfinite(float(v)) for v in logs.values())
    vae = build_vae_gan3d(config, seed=0)
    assert isinstance(vae, VAEGAN3D) and vae.image_shape == (32, 32, 1)
    assert isinstance(vae.discriminator.get_layer("conv1"), SlicedConv3D) == sliced
    assert (vae.prior, vae.instance_noise) == (config.prior, config.instance_noise)
    logs = vae.train_step((tf.constant(boxes(4, resolution=16)), tf.constant(views(4))))
    assert all(np.isfinite(float(v)) for v in logs.values())


def test_reference_profile_is_what_trained_the_shipped_model():
    """``python -m benchmarks.reference_weights gan3d`` must retrain the shipped model: demo's
    networks in float32 (``demo`` itself trains in bfloat16 where the CPU has it)."""
    from gan_papers import reference

    shipped, config = reference.load("gan3d"), get_config("reference")
    assert (config.precision, get_config("demo").precision) == ("float32", "auto")
    rebuilt = build_gan3d(config, seed=0)
    for name in ("generator", "discriminator"):
        assert getattr(rebuilt, name).count_params() == getattr(shipped, name).count_params()
        assert getattr(shipped, name).dtype_policy.name == "float32"
