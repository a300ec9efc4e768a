"""The SRGAN recipe's numbers: the paper profile is the paper's, the others say how they differ."""

import keras
import pytest

from gan_papers import srgan


def test_paper_profile_is_the_papers_recipe():
    paper = srgan.get_config("paper")
    assert (paper.scale, paper.crop_size, paper.batch_size) == (4, 96, 16)
    assert (paper.generator.num_blocks, paper.generator.filters) == (16, 64)
    assert (paper.pretrain_lr, paper.pretrain_steps) == (1e-4, 10**6)
    assert (paper.gan_lr, paper.gan_lr_after_decay, paper.gan_steps) == (1e-4, 1e-5, 2 * 10**5)
    assert (paper.content_loss, paper.adversarial_weight) == ("vgg54", 1e-3)
    assert srgan.differences_from_paper(paper) == []
    assert srgan.pretrain_learning_rate(paper) == 1e-4  # constant


def test_demo_differences_are_listed():
    demo = srgan.get_config("demo")
    fields = {name for name, _, _ in srgan.differences_from_paper(demo)}
    assert {
        "crop_size",
        "generator.num_blocks",
        "generator.filters",
        "pretrain_lr",
        "pretrain_steps",
    } <= fields


def test_gan_rate_drops_tenfold_halfway():
    config = srgan.get_config("paper")
    schedule = srgan.gan_learning_rate(config)
    assert float(schedule(0)) == pytest.approx(1e-4)
    assert float(schedule(150_000)) == pytest.approx(1e-5)


def test_demo_pretraining_rate_decays_to_its_final_value():
    config = srgan.get_config("demo")
    schedule = srgan.pretrain_learning_rate(config)
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay)
    assert float(schedule(0)) == pytest.approx(config.pretrain_lr)
    assert float(schedule(config.pretrain_steps)) == pytest.approx(config.pretrain_final_lr)


def test_srgan_starts_from_a_copy_of_srresnet():
    config = srgan.get_config("smoke")
    srresnet = srgan.build_srresnet(config)
    model = srgan.srgan_from_srresnet(srresnet, config, content_loss="mse")
    for a, b in zip(model.generator.weights, srresnet.weights, strict=True):
        assert a is not b
        assert (a.numpy() == b.numpy()).all()
    assert model.discriminator.input_shape[1:3] == (config.crop_size, config.crop_size)


def test_demo_adds_the_bicubic_skip_and_the_reference_profile_matches_the_shipped_models():
    assert srgan.get_config("demo").generator.bicubic_skip is True
    assert srgan.get_config("paper").generator.bicubic_skip is False
    # The shipped reference SRResNet was trained without the skip; its profile must say so, or
    # `python -m benchmarks.reference_weights srgan` would train a different network.
    from gan_papers import reference

    config = srgan.get_config("reference")
    shipped = reference.load("srresnet")
    rebuilt = srgan.build_srresnet(config)
    assert config.generator.bicubic_skip is False
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in shipped.layers]
    assert rebuilt.count_params() == shipped.count_params()
