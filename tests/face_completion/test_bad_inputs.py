"""What a user of the face completion model can get wrong fails at once, with a message naming it."""

import numpy as np
import pytest

from gan_papers.face_completion import FaceCompletionGAN
from tests.face_completion.helpers import faces, hole_masks, tiny_gan, tiny_networks
from tests.gan_case import assert_raises


@pytest.fixture(scope="module")
def networks():
    return tiny_networks()  # built once: the constructor only checks them


@pytest.fixture(scope="module")
def model():
    return tiny_gan(compile_kwargs={"run_eagerly": True})


@pytest.mark.parametrize("stage", [0, 4, "2", True, None])
def test_a_stage_other_than_1_2_3_is_refused(networks, stage):
    kwargs = {**networks, "hole_size": 4, "stage": stage}
    assert_raises(FaceCompletionGAN, kwargs, "`stage` must be 1, 2 or 3")


@pytest.mark.parametrize("stage", [0, 4, "2", True])
def test_set_stage_refuses_a_wrong_stage_and_keeps_the_current_one(model, stage):
    model.set_stage(2)
    assert_raises(model.set_stage, {"stage": stage}, "`stage`")
    assert model.current_stage == 2


@pytest.mark.parametrize("hole_size", [9, 0, -4])
def test_hole_must_fit_in_the_local_patch(networks, hole_size):
    kwargs = {**networks, "hole_size": hole_size}
    assert_raises(FaceCompletionGAN, kwargs, r"`hole_size` must be in \[1, 8\]")


@pytest.mark.parametrize(
    "argument, value, match",
    [
        ("reconstruction", "smooth_l1", "`reconstruction`"),
        ("reconstruction_reduction", "none", "`reconstruction_reduction`"),
        ("parsing_reduction", "sum_over_batch", "`parsing_reduction`"),
        ("global_gradient", "outside", "`global_gradient`"),
        ("discriminator_batch", "fresh", "`discriminator_batch`"),
        ("lambda_parsing", -1.0, "`lambda_parsing`"),
        ("lambda_local", "strong", "`lambda_local`"),
    ],
)
def test_bad_loss_choices(networks, argument, value, match):
    assert_raises(FaceCompletionGAN, {**networks, "hole_size": 4, argument: value}, match)


@pytest.mark.parametrize(
    "data",
    [
        faces(4, size=32),
        faces(4)[..., :1],
        faces(4)[:, :, :, :, None],
    ],
    ids=["32x32 faces", "one channel", "rank 5"],
)
def test_training_data_of_the_wrong_shape(model, data):
    kwargs = {"x": data, "batch_size": 4, "verbose": 0}
    assert_raises(model.fit, kwargs, r"training data must be faces of shape \(batch, 16, 16, 3\)")


@pytest.mark.parametrize(
    "masks", [np.ones((4, 16, 16, 3), "float32"), np.ones((4, 8, 8, 1), "float32")]
)
def test_training_masks_of_the_wrong_shape(model, masks):
    kwargs = {"x": faces(4), "y": masks, "batch_size": 4, "verbose": 0}
    assert_raises(model.fit, kwargs, r"Training masks must have shape \(batch, 16, 16, 1\)")


MASKS = hole_masks([(2, 2), (8, 8)])

COMPLETE_CASES = {
    "soft mask": (faces(2), MASKS * 0.5 + 0.25, "`masks` must be binary"),
    "mask with 3 channels": (faces(2), np.repeat(MASKS, 3, axis=-1), "`masks` must have 1 channel"),
    "faces with 4 channels": (
        np.concatenate([faces(2), faces(2)[..., :1]], axis=-1),
        MASKS,
        "`faces` must have 3 channel",
    ),
    "empty batch": (faces(2)[:0], MASKS[:0], "`faces` must not be empty"),
    "faces in 0..255": (faces(2) * 127.5 + 127.5, MASKS, r"`faces` must have values in \[-1"),
    "masks of another size": (faces(2), MASKS[:, :8, :8], "`masks` must have the same height"),
    "faces of another size": (
        faces(2, size=32),
        np.ones((2, 32, 32, 1), "float32"),
        r"`faces` must be of the generator's size \(16, 16, 3\)",
    ),
    "more masks than faces": (faces(2), MASKS[[0, 1, 1]], "`masks` must have one mask per face"),
}


@pytest.mark.parametrize("case", COMPLETE_CASES)
def test_complete_refuses_bad_inputs(model, case):
    x, masks, match = COMPLETE_CASES[case]
    assert_raises(model.complete, {"faces": x, "masks": masks}, match)
