"""The face-completion walkthrough's numbers: paper = the authors' setting; smaller profiles keep the
balance of the losses and build networks that fit together."""

import pytest

from gan_papers.face_completion.config import (
    DEMO_GLOBAL_DIVISOR,
    REFERENCE_LAMBDA_DIVISOR,
    differences_from_paper,
    get_config,
)
from gan_papers.face_completion.model import PAPER_LAMBDAS
from gan_papers.face_completion.recipe import build_face_completion


def test_paper_profile_is_the_authors_setting():
    paper = get_config("paper")
    assert (paper.image_size, paper.hole_size) == (128, 64)
    assert (paper.generator.widths, paper.generator.fc_units) == ((32, 64, 128, 256), 4096)
    assert paper.local_discriminator.widths == (64, 128, 256, 512)  # Model_localD.prototxt
    assert paper.global_discriminator.widths == (32, 64, 128, 256, 512)  # Model_globalD.prototxt
    assert (paper.global_gradient, paper.reconstruction) == ("everywhere", "l2")
    assert (paper.lambda_local, paper.lambda_global, paper.lambda_parsing) == PAPER_LAMBDAS
    assert (paper.g_learning_rate, paper.d_learning_rate) == (1e-4, 2e-4)
    assert differences_from_paper(paper) == []


@pytest.mark.parametrize(
    "profile, divisors",
    [
        ("demo", (1.0, DEMO_GLOBAL_DIVISOR, 1.0)),
        ("smoke", (1.0, 1.0, 1.0)),
        ("reference", (REFERENCE_LAMBDA_DIVISOR,) * 3),
    ],
)
def test_lambdas_scale_with_the_number_of_pixels(profile, divisors):
    """L_r and L_p are sums over pixels, the adversarial terms are not: a quarter of the pixels
    needs a quarter of lambda_1 and lambda_2 and the same lambda_3 (L_r : lambda_3 L_p unchanged).
    ``demo`` then divides lambda_2 by its documented divisor, and the shipped reference model was
    trained with all three divided by 5 (see ``config``)."""
    config, paper = get_config(profile), get_config("paper")
    ratio = (config.image_size / paper.image_size) ** 2
    local, global_, parsing = divisors
    assert config.lambda_local == pytest.approx(paper.lambda_local * ratio / local)
    assert config.lambda_global == pytest.approx(paper.lambda_global * ratio / global_)
    assert config.lambda_parsing == pytest.approx(paper.lambda_parsing / parsing)


@pytest.mark.parametrize("profile", ["demo", "smoke"])
def test_profiles_build_a_compiled_model(profile):
    config = get_config(profile)
    model = build_face_completion(config, seed=0)
    assert model.patch_size == config.hole_size and model.image_size == config.image_size
    assert model.lambdas == (config.lambda_local, config.lambda_global, config.lambda_parsing)
    assert float(model.g_optimizer.learning_rate) == pytest.approx(config.g_learning_rate)
    assert not model.parser.trainable_weights
    assert all(steps % config.steps_per_epoch == 0 for steps in config.stage_steps)
    assert config.parser_steps % config.steps_per_epoch == 0


@pytest.mark.parametrize("unpooling", [True, False])
def test_the_generators_unpooling_follows_the_config(unpooling):
    config = get_config("smoke", generator={"unpooling": unpooling})
    model = build_face_completion(config, seed=0)
    kinds = {type(layer).__name__ for layer in model.generator.layers}
    assert ("MaxUnpooling" in kinds) is unpooling
    assert ("UpSampling2D" in kinds) is not unpooling


def test_reference_profile_is_what_trained_the_shipped_model():
    """``python -m benchmarks.reference_weights face_completion`` must retrain the shipped model:
    its lambdas (saved in the model's config) and every network's size."""
    from gan_papers import reference

    shipped, config = reference.load("face_completion"), get_config("reference")
    assert shipped.lambdas == (config.lambda_local, config.lambda_global, config.lambda_parsing)
    assert (shipped.image_size, shipped.hole_size) == (config.image_size, config.hole_size)
    rebuilt = build_face_completion(config, seed=0)
    for name in ("generator", "local_discriminator", "global_discriminator", "parser"):
        assert getattr(rebuilt, name).count_params() == getattr(shipped, name).count_params()
    # It was trained in float32; `demo` trains in bfloat16 where the CPU has it.
    assert config.precision == "float32" and get_config("demo").precision == "auto"
    assert shipped.generator.dtype_policy.name == "float32"


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_the_generators_weight_average_follows_the_config(momentum):
    """``g_ema_momentum``: None is the paper (G's last iterate, no average kept); a momentum builds
    G's Adam with ``use_ema`` (``GANModel.fit`` then leaves G at the average:
    ``tests/common/test_gan_model.py``), and the discriminators' without."""
    assert not build_face_completion(get_config("paper"), seed=0).g_optimizer.use_ema
    config = get_config("smoke", g_ema_momentum=momentum)
    model = build_face_completion(config, seed=0)
    assert model.g_optimizer.use_ema and model.g_optimizer.ema_momentum == pytest.approx(momentum)
    assert not model.local_d_optimizer.use_ema and not model.global_d_optimizer.use_ema
    assert ("g_ema_momentum", None, momentum) in differences_from_paper(config)
